// SPDX-License-Identifier: GPL-3.0-or-later
// The acceptance test of the kern reader and the seeds' preprocessing on the real Essen
// corpus (../shared/corpora/essen-deutschl, never committed here). Skips without it.
//
// References, none of them our own output:
//  - 1,683 songs: the seeds' preprocess.py keeps 1,683 of erk's 1,700 songs.
//  - 802,434 characters: the size of file_dataset (all erk songs encoded, joined with 64
//    "/") as committed by two projects that ran the seeds' preprocess.py (music21) over
//    deutschl/erk: 3YA58WANT/RNN-LSTM_Generating-melodies @945faaf8 and
//    barensorn/generating-melodys-with-lstm @b2af7dd0. The size does not depend on song
//    order (os.walk order differs between machines), so it can be compared as a whole.
//  - kSeedSongDigests: SHA-256 of the first 20 songs of that file_dataset
//    (3YA58WANT/RNN-LSTM_Generating-melodies @945faaf8, characters 0..16,000).
//  - kSeedDatasetDigest: SHA-256 of all the songs of that whole file_dataset, taken as a
//    multiset (see its definition).
//  - the symbol set of the seeds' mapping.json (shared/seed-models/velardo).
#include "engine/core/FileIO.h"
#include "engine/io/KernReader.h"
#include "engine/music/KeyEstimation.h"
#include "engine/music/SeedPreprocessing.h"
#include "engine/music/StepEncoding.h"
#include "engine/music/Vocabulary.h"

#include <QtTest/QtTest>

#include <QCryptographicHash>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

using namespace melodist::engine;
namespace fs = std::filesystem;

namespace {

const char* const kSeedSongDigests[] = {
        "b9d7353633765b9ac21997c2dea92cb279ee8ed0d71f32b048b3aab0b5bac7d6",
        "b751469f7f96f3dc150e170e3fe4a61049ec130f8846afd6e4613f84217ece45",
        "6c1362f52361a4e69abf9fcd291990230c681d00d7cd447cdfcf77baf00fb7e4",
        "ffb48068c199483c8d37bcac8084cf170d4206bfc51ef67bbe1def5fd7b6d37d",
        "2beab8c9a20b3af68173d5e3e4d84709f315a19988c6e409c08a0db89c2a1d8b",
        "d34291e41079c7f0f31383bb1a881aa43af721bbac94c774d4cac1e11a01369f",
        "166020d985a2e9149cde17188376d26f4201cc465fd11c1bf7a55816bcc0d9be",
        "311f0bf7d1525dadb419d18d9ea6ba0b6b47095c765903eee2b7b7c58cf37659",
        "ba73615ea9e26a9045091b1883b2705e32a82d9e0d8790dddf0de58413f4ea68",
        "89f3a26dd7fa775681b2a748a4774ab1a746c7338f280f7a9af95e401d544ca3",
        "120cc3652a43f41780fd307ddd5d8479612eb511ed10e5eb0a9a7d05e8f28d8d",
        "800cf4ad8a4691ea853e9b51305791b808958d586a2b8ba75c302157f34cdd31",
        "6d9bd2eb4e24178f60cf9be01da8ec437b4debadcf769585dc9c9f942bfa72e8",
        "6a3cf6b7574dd39b3424d26ddb4ba5d73eee73508e9b4942014fb908c72b5843",
        "ef1db24b723c02a00394dda073c93b8ff8374c07276fc3b21306c37415d37bb8",
        "f90fcb32b1ce33425948a63b6d01ac3185ed5e9323078054be15def0e645ffd9",
        "57b8637c0be0dee3ba5d161b3c3bd7f658bf6c5065907c5ca4a7e5df3629d1b3",
        "113e7d23bfd5a245cae5c72916eefc791fe8f48b6d8d019c2dc644b96413b25d",
        "2f7407e806a529eb93a09558492ae20ef8875ce9b53586d6e83c92109f9317aa",
        "d10fd12d376ed7b964f15c0907c6dc0502c686f411668ec7659b0fdf026ef1bc",
};

// SHA-256 of the whole file_dataset of 3YA58WANT/RNN-LSTM_Generating-melodies
// @945faaf8edd42f5cf29b04caa0f63646946642d6, path file_dataset (802,434 characters), read
// in full from that repository: split on the delimiter (64 "/" joined by spaces), each
// song stripped of surrounding spaces, the 1,683 songs (all distinct) sorted
// lexicographically (byte order) and joined with "\n", no trailing newline. Sorting
// removes the song order, which follows the os.walk order of the machine that ran
// preprocess.py. A digest of that independent reference, not of our output.
const char* const kSeedDatasetDigest = "0bc5150b561fd8241771d2c64bc8998e58c1a17dfe507d3b7af35b2dd8011c2c";
const size_t kSeedDatasetSongs = 1683;

std::vector<std::string> krnFilesUnder(const fs::path& root) {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file() && entry.path().extension() == ".krn") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

class EssenCorpusTest : public QObject {
    Q_OBJECT

private:
    fs::path m_essen;
    std::vector<std::string> m_erkSongs;  // encoded, in file-name order
    std::vector<std::string> m_erkSymbols;
    std::map<SeedSkipReason, int> m_erkOutcomes;
    int m_erkReadFailures = 0;

private slots:
    void initTestCase() {
        const QString shared = qEnvironmentVariable("MELODIST_SHARED_DIR");
        m_essen = fs::path(shared.toStdString()) / "corpora" / "essen-deutschl";
        if (shared.isEmpty() || !fs::is_directory(m_essen / "erk"))
            QSKIP("needs ../shared/corpora/essen-deutschl (set MELODIST_SHARED_DIR); the Essen corpus is not part of the repository");
        for (const std::string& path : krnFilesUnder(m_essen / "erk")) {
            Result<Score> score = readKernFile(path);
            if (!score) {
                ++m_erkReadFailures;
                qWarning("%s", score.error().c_str());
                continue;
            }
            SeedSong song = preprocessForSeeds(*score);
            ++m_erkOutcomes[song.reason];
            if (!song.kept) continue;
            m_erkSymbols.insert(m_erkSymbols.end(), song.symbols.begin(), song.symbols.end());
            m_erkSongs.push_back(joinSymbols(song.symbols));
        }
    }

    void erkPipelineKeepsExactlyTheSeedsSongs() {
        // GIVEN erk's 1,700 songs THEN all read, 1,683 kept, 17 skipped for their durations
        QCOMPARE(m_erkReadFailures, 0);
        QCOMPARE(m_erkOutcomes[SeedSkipReason::None], 1683);
        QCOMPARE(m_erkOutcomes[SeedSkipReason::UnacceptableDuration], 17);
        QCOMPARE(m_erkOutcomes[SeedSkipReason::NoNotes], 0);
    }

    void erkDatasetHasTheSizeOfTheSeedsFileDataset() {
        QCOMPARE(joinSongs(m_erkSongs).size(), size_t(802434));
    }

    void erkEncodingsContainTheSeedsSongsSymbolForSymbol() {
        std::set<QByteArray> ours;
        for (const std::string& song : m_erkSongs)
            ours.insert(QCryptographicHash::hash(QByteArray::fromStdString(song), QCryptographicHash::Sha256).toHex());
        for (const char* digest : kSeedSongDigests) QVERIFY2(ours.count(QByteArray(digest)) == 1, digest);
    }

    void erkEncodingsAreTheSeedsFileDatasetAsAMultiset() {
        // GIVEN our encodings of erk's kept songs
        std::vector<std::string> sorted = m_erkSongs;
        // WHEN they are sorted and joined with "\n" as the reference digest was
        std::sort(sorted.begin(), sorted.end());
        std::string joined;
        for (const std::string& song : sorted) {
            if (!joined.empty()) joined += '\n';
            joined += song;
        }
        const QByteArray digest =
                QCryptographicHash::hash(QByteArray::fromStdString(joined), QCryptographicHash::Sha256).toHex();
        // THEN they are the seeds' file_dataset song for song, whatever the order
        QCOMPARE(sorted.size(), kSeedDatasetSongs);
        QCOMPARE(digest, QByteArray(kSeedDatasetDigest));
    }

    void erkVocabularyIsTheSeedsVocabulary() {
        const std::string path = (m_essen.parent_path().parent_path() / "seed-models" / "velardo" / "mapping.json").string();
        if (!fs::exists(path)) QSKIP("needs ../shared/seed-models/velardo/mapping.json");
        const Result<Vocabulary> seeds = Vocabulary::load(path);
        QVERIFY(seeds);
        std::vector<std::string> symbols = m_erkSymbols;
        symbols.emplace_back(kSongDelimiterSymbol);
        const std::vector<std::string> ours = Vocabulary::fromSymbols(symbols).symbols();
        QCOMPARE(std::set<std::string>(ours.begin(), ours.end()),
                 std::set<std::string>(seeds->symbols().begin(), seeds->symbols().end()));
    }

    void everyEssenFileReads() {
        // GIVEN all 5,046 songs of all collections, read one after another on this thread
        const std::vector<std::string> files = krnFilesUnder(m_essen);
        QCOMPARE(files.size(), size_t(5046));
        int failures = 0, agreeing = 0, estimated = 0;
        const auto start = std::chrono::steady_clock::now();
        for (const std::string& path : files) {
            Result<Score> score = readKernFile(path);
            if (!score) {
                ++failures;
                qWarning("%s", score.error().c_str());
                continue;
            }
            const std::optional<Key> declared = score->declaredKey();
            const std::optional<KeyEstimate> estimate = estimateKey(*score);
            if (declared && estimate) {
                ++estimated;
                agreeing += declared == estimate->key ? 1 : 0;
            }
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        qInfo("read %zu Essen files in %.2f s; %d failed; Krumhansl-Schmuckler agrees with the declared key in %d of %d",
              files.size(), seconds, failures, agreeing, estimated);
        QCOMPARE(failures, 0);
        // A sanity floor, far above chance (1 in 24): on monophonic folk tunes the
        // Krumhansl-Kessler profiles often pick the dominant or the mediant minor instead.
        QVERIFY(agreeing > estimated * 6 / 10);
    }
};

QTEST_GUILESS_MAIN(EssenCorpusTest)
#include "EssenCorpusTest.moc"

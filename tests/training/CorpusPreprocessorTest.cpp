// SPDX-License-Identifier: GPL-3.0-or-later
// The corpus preprocessor on a small corpus the test writes (good kern songs from
// tests/data/corpus, plus broken files made here), and on the real corpora in
// ../shared when they are there.
#include "engine/core/FileIO.h"
#include "engine/io/MidiFile.h"
#include "engine/music/StepEncoding.h"
#include "engine/music/Vocabulary.h"
#include "training/data/CorpusPreprocessor.h"
#include "training/data/DatasetBinary.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>

using namespace melodist;
using training::FileStatus;

namespace {

// tests/data/corpus/*.krn in the seeds' encoding, worked out by hand: major-g.krn moves
// from G major down to C major (G4 67 -> 60), minor-d.krn from D minor up to A minor
// (D4 62 -> 69; its tied F "[2f 4f]" is written as two notes, as music21 sees it).
constexpr const char* kMajorG =
    "60 _ _ _ 62 _ 64 _ 65 _ _ _ 64 _ _ _ 62 _ _ 60 59 _ _ _ 60 _ _ _ _ _ _ _ "
    "55 _ _ _ 60 _ _ _ 64 _ _ _ 67 _ _ _ 60 _ _ _ _ _ _ _ r _ _ _ 60 _ _ _";
constexpr const char* kMinorD =
    "69 _ _ _ 72 _ _ _ 76 _ _ _ 81 _ _ _ _ _ _ _ _ _ _ _ 80 _ _ _ 77 _ 76 _ 74 _ _ _ "
    "72 _ _ _ _ _ _ _ 72 _ _ _ 69 _ _ _ _ _ _ _ r _ _ _";
constexpr const char* kCMajor = "60 _ 62 _ 64 _ 65 _ 67 _ _ _ 67 _ _ _ 69 69 69 69 67 _ _ _ 60 _ _ _ _ _ _ _";

std::string readText(const QString& path) {
    auto bytes = engine::readFileBytes(path.toStdString());
    return bytes ? *bytes : std::string();
}

void writeBytes(const QString& path, const std::string& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes.data(), static_cast<qint64>(bytes.size()));
}

// Outcome of the file whose name ends with `name`.
const training::FileOutcome* outcomeOf(const training::PreprocessReport& report, const std::string& name) {
    for (size_t i = 0; i < report.files.size(); ++i)
        if (report.files[i].path.size() >= name.size() &&
            report.files[i].path.compare(report.files[i].path.size() - name.size(), name.size(), name) == 0)
            return &report.outcomes[i];
    return nullptr;
}

engine::Note note(int pitch, int onsetQuarters) {
    engine::Note result;
    result.pitch = pitch;
    result.onset = onsetQuarters;
    return result;  // a quarter note
}

QString sharedCorpora() {
    const QString dir = qEnvironmentVariable("MELODIST_SHARED_DIR") + QStringLiteral("/corpora");
    return QDir(dir).exists() ? dir : QString();
}

}  // namespace

class CorpusPreprocessorTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_corpus;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_corpus = m_dir.filePath(QStringLiteral("corpus"));
        QVERIFY(QDir().mkpath(m_corpus + QStringLiteral("/nested")));
        const QString fixtures = qEnvironmentVariable("MELODIST_TEST_DATA") + QStringLiteral("/corpus/");
        for (const char* name : {"major-g.krn", "minor-d.krn", "triplets.krn", "bad-token.krn"})
            QVERIFY(QFile::copy(fixtures + QLatin1String(name), m_corpus + QLatin1Char('/') + QLatin1String(name)));
        QVERIFY(
            QFile::copy(fixtures + QStringLiteral("c-major.krn"), m_corpus + QStringLiteral("/nested/c-major.krn")));
        // A MIDI file cut off in the middle of its track.
        engine::Score score;
        score.parts.resize(1);
        for (int i = 0; i < 8; ++i) score.parts[0].notes.push_back(note(60 + i, i));
        const std::string midi = engine::writeMidi(score);
        writeBytes(m_corpus + QStringLiteral("/truncated.mid"), midi.substr(0, midi.size() / 2));
        writeBytes(m_corpus + QStringLiteral("/binary.krn"), std::string("\x00\x01\x02\x03PK\x00\xff\xfe binary", 18));
        writeBytes(m_corpus + QStringLiteral("/empty.krn"), "");
        writeBytes(m_corpus + QStringLiteral("/readme.txt"), "not music, to be ignored\n");
        writeBytes(m_corpus + QStringLiteral("/CKSUM"), "12345 678 major-g.krn\n");
    }

    void goodFilesAreKeptAndEveryBadOneIsReportedWithItsReason() {
        // GIVEN the corpus
        training::PreprocessOptions options{.inputs = {m_corpus.toStdString()},
                                            .outputDir = m_dir.filePath(QStringLiteral("out")).toStdString()};
        // WHEN it is preprocessed
        auto report = training::preprocessCorpus(options);
        // THEN the three good songs are kept; the others are skipped or failed, and say why
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->summary.files, size_t{8});  // readme.txt and CKSUM are not music files
        QCOMPARE(report->summary.kept, size_t{3});
        QCOMPARE(report->summary.skipped, size_t{1});
        QCOMPARE(report->summary.failed, size_t{4});
        for (const char* good : {"major-g.krn", "minor-d.krn", "nested/c-major.krn"})
            QVERIFY2(outcomeOf(*report, good)->status == FileStatus::Kept, good);
        const auto* triplets = outcomeOf(*report, "triplets.krn");
        QCOMPARE(triplets->status, FileStatus::Skipped);
        QCOMPARE(triplets->category, std::string("durations"));
        QVERIFY2(triplets->reason.find("1/3") != std::string::npos, triplets->reason.c_str());
        const auto* badToken = outcomeOf(*report, "bad-token.krn");
        QCOMPARE(badToken->status, FileStatus::Failed);
        QVERIFY2(badToken->reason.find("line 8") != std::string::npos, badToken->reason.c_str());
        QVERIFY(badToken->reason.find("4xyz") != std::string::npos);
        QCOMPARE(outcomeOf(*report, "truncated.mid")->category, std::string("MIDI"));
        QVERIFY(outcomeOf(*report, "truncated.mid")->reason.find("truncated.mid") != std::string::npos);
        QVERIFY2(outcomeOf(*report, "binary.krn")->reason.find("binary") != std::string::npos,
                 outcomeOf(*report, "binary.krn")->reason.c_str());
        QCOMPARE(outcomeOf(*report, "empty.krn")->category, std::string("empty file"));
    }

    void outputsParseAndAgreeWithEachOther() {
        // GIVEN a preprocessed corpus
        const QString out = m_dir.filePath(QStringLiteral("agree"));
        auto report = training::preprocessCorpus({.inputs = {m_corpus.toStdString()}, .outputDir = out.toStdString()});
        QVERIFY(report.ok());
        // WHEN its outputs are read back
        const std::string songsText = readText(out + QStringLiteral("/songs.txt"));
        auto vocabulary = engine::Vocabulary::load((out + QStringLiteral("/mapping.json")).toStdString());
        auto binary = training::DatasetBinary::fromBytes(readText(out + QStringLiteral("/dataset.bin")), "dataset.bin");
        const auto manifest = nlohmann::json::parse(readText(out + QStringLiteral("/manifest.json")), nullptr, false);
        // THEN songs.txt, file_dataset, mapping.json and dataset.bin hold the same songs
        QVERIFY2(vocabulary.ok(), vocabulary.ok() ? "" : vocabulary.error().c_str());
        QVERIFY2(binary.ok(), binary.ok() ? "" : binary.error().c_str());
        std::vector<std::string> songs;
        for (size_t start = 0, end; (end = songsText.find('\n', start)) != std::string::npos; start = end + 1)
            songs.push_back(songsText.substr(start, end - start));
        QCOMPARE(songs.size(), size_t{3});
        QCOMPARE(readText(out + QStringLiteral("/file_dataset")), engine::joinSongs(songs));
        QCOMPARE(binary->songCount(), songs.size());
        QCOMPARE(size_t{binary->vocabularySize}, vocabulary->size());
        QCOMPARE(vocabulary->symbolOf(static_cast<int>(binary->delimiterId)).value(), std::string_view("/"));
        uint64_t steps = 0;
        for (size_t i = 0; i < songs.size(); ++i) {
            auto ids = vocabulary->toIds(engine::splitSymbols(songs[i]));
            QVERIFY(ids.ok());
            const std::vector<uint16_t> stored(binary->tokens.begin() + static_cast<long>(binary->offsets[i]),
                                               binary->tokens.begin() + static_cast<long>(binary->offsets[i + 1]));
            QCOMPARE(std::vector<int>(stored.begin(), stored.end()), *ids);
            steps += ids->size();
        }
        // the songs come in path order, transposed to C major / A minor, ties written part by part
        QCOMPARE(songs[0], std::string(kMajorG));
        QCOMPARE(songs[1], std::string(kMinorD));
        QCOMPARE(songs[2], std::string(kCMajor));
        QVERIFY(!manifest.is_discarded());
        QCOMPARE(manifest["summary"]["steps"].get<uint64_t>(), steps);
        QCOMPARE(manifest["files"].size(), size_t{8});
        QCOMPARE(manifest["options"]["encoding"].get<std::string>(), std::string("steps"));
    }

    void outputIsByteIdenticalWhateverTheThreadCount() {
        // GIVEN the same corpus preprocessed on 1 and on 2 threads
        const QString one = m_dir.filePath(QStringLiteral("jobs1")), two = m_dir.filePath(QStringLiteral("jobs2"));
        QVERIFY(
            training::preprocessCorpus({.inputs = {m_corpus.toStdString()}, .outputDir = one.toStdString(), .jobs = 1})
                .ok());
        QVERIFY(
            training::preprocessCorpus({.inputs = {m_corpus.toStdString()}, .outputDir = two.toStdString(), .jobs = 2})
                .ok());
        // THEN every output has the same bytes (the manifest differs only in its timing)
        for (const char* name : {"songs.txt", "file_dataset", "mapping.json", "dataset.bin"})
            QVERIFY2(readText(one + QLatin1Char('/') + QLatin1String(name)) ==
                         readText(two + QLatin1Char('/') + QLatin1String(name)),
                     name);
        auto withoutTime = [](const QString& dir) {
            auto manifest = nlohmann::json::parse(readText(dir + QStringLiteral("/manifest.json")));
            manifest["summary"].erase("seconds");
            return manifest.dump();
        };
        QCOMPARE(withoutTime(one), withoutTime(two));
    }

    void secondRunIsUpToDateAndTouchingAFileInvalidatesIt() {
        // GIVEN a preprocessed corpus in its own folder
        const QString corpus = m_dir.filePath(QStringLiteral("cache-corpus"));
        QVERIFY(QDir().mkpath(corpus));
        const QString fixtures = qEnvironmentVariable("MELODIST_TEST_DATA") + QStringLiteral("/corpus/");
        QVERIFY(QFile::copy(fixtures + QStringLiteral("major-g.krn"), corpus + QStringLiteral("/a.krn")));
        QVERIFY(QFile::copy(fixtures + QStringLiteral("minor-d.krn"), corpus + QStringLiteral("/b.krn")));
        const training::PreprocessOptions options{
            .inputs = {corpus.toStdString()}, .outputDir = m_dir.filePath(QStringLiteral("cache-out")).toStdString()};
        auto first = training::preprocessCorpus(options);
        QVERIFY(first.ok());
        QVERIFY(!first->summary.upToDate);
        // WHEN it runs again unchanged
        auto second = training::preprocessCorpus(options);
        // THEN nothing is recomputed, and the report is the first one's
        QVERIFY(second.ok());
        QVERIFY(second->summary.upToDate);
        QCOMPARE(second->summary.kept, size_t{2});
        QCOMPARE(second->summary.steps, first->summary.steps);
        // WHEN a file's time changes, an option changes, or --force is given
        std::filesystem::last_write_time(
            corpus.toStdString() + "/a.krn",
            std::filesystem::last_write_time(corpus.toStdString() + "/a.krn") + std::chrono::seconds(5));
        auto touched = training::preprocessCorpus(options);
        QVERIFY(touched.ok());
        QVERIFY(!touched->summary.upToDate);
        QVERIFY(training::preprocessCorpus(options)->summary.upToDate);
        training::PreprocessOptions augmented = options;
        augmented.augmentCopies = 1;
        QVERIFY(!training::preprocessCorpus(augmented)->summary.upToDate);
        training::PreprocessOptions forced = augmented;
        forced.force = true;
        // THEN it is rebuilt each time
        QVERIFY(!training::preprocessCorpus(forced)->summary.upToDate);
        // and a new file also counts as a change
        QVERIFY(QFile::copy(fixtures + QStringLiteral("c-major.krn"), corpus + QStringLiteral("/c.krn")));
        auto added = training::preprocessCorpus(augmented);
        QVERIFY(!added->summary.upToDate);
        QCOMPARE(added->summary.kept, size_t{3});
    }

    void augmentedCopiesFollowTheirOriginalTransposed() {
        // GIVEN two extra copies asked for
        const QString out = m_dir.filePath(QStringLiteral("augment"));
        auto report = training::preprocessCorpus(
            {.inputs = {m_corpus.toStdString() + "/major-g.krn"}, .outputDir = out.toStdString(), .augmentCopies = 2});
        // THEN the original comes first, then +1 and -1 semitone
        QVERIFY(report.ok());
        QCOMPARE(report->summary.songs, size_t{3});
        const auto songs =
            QString::fromStdString(readText(out + QStringLiteral("/songs.txt"))).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(songs.size(), 3);
        QCOMPARE(songs[0].toStdString(), std::string(kMajorG));
        QVERIFY2(songs[1].startsWith(QStringLiteral("61 _ _ _ 63 _ 65 _ 66")), qPrintable(songs[1]));
        QVERIFY2(songs[2].startsWith(QStringLiteral("59 _ _ _ 61 _ 63 _ 64")), qPrintable(songs[2]));
    }

    void progressCountsUpToTheTotalAndCancelStopsTheRun() {
        // GIVEN a progress callback
        std::vector<size_t> seen;
        std::mutex mutex;
        auto report = training::preprocessCorpus({.inputs = {m_corpus.toStdString()},
                                                  .outputDir = m_dir.filePath(QStringLiteral("progress")).toStdString(),
                                                  .jobs = 2},
                                                 [&](size_t done, size_t total) {
                                                     const std::lock_guard<std::mutex> lock(mutex);
                                                     QCOMPARE(total, size_t{8});
                                                     seen.push_back(done);
                                                 });
        // THEN it counts up and ends at the total
        QVERIFY(report.ok());
        QVERIFY(!seen.empty());
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.back(), size_t{8});
        // WHEN the run is cancelled
        std::atomic<bool> cancel{true};
        const QString cancelled = m_dir.filePath(QStringLiteral("cancelled"));
        auto stopped = training::preprocessCorpus(
            {.inputs = {m_corpus.toStdString()}, .outputDir = cancelled.toStdString()}, {}, &cancel);
        // THEN it says so, and leaves no manifest that could pass for a finished dataset
        QVERIFY(!stopped.ok());
        QVERIFY2(stopped.error().find("cancelled") != std::string::npos, stopped.error().c_str());
        QVERIFY(!QFile::exists(cancelled + QStringLiteral("/manifest.json")));
    }

    void missingInputAndNoMusicFilesAreErrorsThatSayWhatToDo() {
        auto missing = training::preprocessCorpus(
            {.inputs = {"/nonexistent/corpus"}, .outputDir = m_dir.filePath(QStringLiteral("x")).toStdString()});
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().find("/nonexistent/corpus") != std::string::npos, missing.error().c_str());
        const QString emptyDir = m_dir.filePath(QStringLiteral("no-music"));
        QVERIFY(QDir().mkpath(emptyDir));
        writeBytes(emptyDir + QStringLiteral("/notes.txt"), "text\n");
        auto none = training::preprocessCorpus(
            {.inputs = {emptyDir.toStdString()}, .outputDir = m_dir.filePath(QStringLiteral("y")).toStdString()});
        QVERIFY(!none.ok());
        QVERIFY2(none.error().find(".krn") != std::string::npos, none.error().c_str());
    }

    void chordEncodingKeepsPolyphonicMidi() {
        // GIVEN a MIDI file with a chord, encoded as chords
        engine::Score score;
        score.parts.resize(1);
        for (int pitch : {60, 64, 67}) score.parts[0].notes.push_back(note(pitch, 0));
        score.parts[0].notes.push_back(note(72, 1));
        const QString file = m_dir.filePath(QStringLiteral("chord.mid"));
        writeBytes(file, engine::writeMidi(score));
        const QString out = m_dir.filePath(QStringLiteral("chords"));
        auto report = training::preprocessCorpus({.inputs = {file.toStdString()},
                                                  .outputDir = out.toStdString(),
                                                  .encoding = training::DatasetEncoding::Chords,
                                                  .transpose = false});
        // THEN the chord is one token
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
        QCOMPARE(report->summary.kept, size_t{1});
        QCOMPARE(readText(out + QStringLiteral("/songs.txt")), std::string("60+64+67:1 72:1\n"));
    }

    void realCorporaPreprocessWithoutACrash() {
        const QString corpora = sharedCorpora();
        if (corpora.isEmpty()) QSKIP("../shared/corpora is absent (set MELODIST_SHARED_DIR): real-corpus test skipped");
        // GIVEN the Essen folk songs and the piano MIDI files
        for (const char* encoding : {"steps", "chords"}) {
            training::PreprocessOptions options{
                .inputs = {(corpora + QStringLiteral("/essen-deutschl")).toStdString(),
                           (corpora + QStringLiteral("/piano-midi")).toStdString()},
                .outputDir = m_dir.filePath(QStringLiteral("real-") + QLatin1String(encoding)).toStdString()};
            if (QLatin1String(encoding) == QLatin1String("chords"))
                options.encoding = training::DatasetEncoding::Chords;
            // WHEN all are preprocessed
            auto report = training::preprocessCorpus(options);
            // THEN every file gets an outcome; failures are listed, not fatal
            QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
            QVERIFY(report->summary.files >= 5046 + 155);
            std::map<std::string, size_t> failures;
            for (const auto& outcome : report->outcomes)
                if (outcome.status == FileStatus::Failed) ++failures[outcome.category];
            for (const auto& [category, count] : failures)
                qInfo("%s: %zu failed (%s)", encoding, count, category.c_str());
            qInfo("%s: %zu files, %zu kept, %zu skipped, %zu failed, %zu symbols", encoding, report->summary.files,
                  report->summary.kept, report->summary.skipped, report->summary.failed,
                  report->summary.vocabularySize);
            QCOMPARE(report->summary.failed, size_t{0});
            QVERIFY(report->summary.kept > 4000);
        }
    }

    void erkKeepsTheSeedsSongCount() {
        const QString corpora = sharedCorpora();
        if (corpora.isEmpty()) QSKIP("../shared/corpora is absent (set MELODIST_SHARED_DIR): real-corpus test skipped");
        // GIVEN erk, the collection the seed projects train on, and the seeds' options
        auto report =
            training::preprocessCorpus({.inputs = {(corpora + QStringLiteral("/essen-deutschl/erk")).toStdString()},
                                        .outputDir = m_dir.filePath(QStringLiteral("erk")).toStdString()});
        // THEN the seeds' 1,683 songs are kept; the 17 others have durations outside the list
        QVERIFY(report.ok());
        QCOMPARE(report->summary.files, size_t{1700});
        QCOMPARE(report->summary.kept, size_t{1683});
        QCOMPARE(report->summary.skipped, size_t{17});
        for (const auto& outcome : report->outcomes)
            if (outcome.status == FileStatus::Skipped) QCOMPARE(outcome.category, std::string("durations"));
    }
};

QTEST_GUILESS_MAIN(CorpusPreprocessorTest)
#include "CorpusPreprocessorTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// TrainingData on real preprocessed datasets (tests/data/corpus through `melodist
// preprocess`; the Essen collection "allerkbd" when ../shared is there): the split by
// song, the windows' targets, the song chunks' coverage, shuffling and transposition.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"
#include "training/data/TrainingData.h"

#include <algorithm>
#include <map>
#include <set>

using namespace melodist::training;
using melodist::test::runMelodist;

namespace {

// The symbol of `id`, "?" when out of range (so a bad id fails a comparison, not the test run).
std::string symbolOf(const TrainingDataset& data, int64_t id) {
    const auto symbol = data.vocabulary.symbolOf(static_cast<int>(id));
    return symbol ? std::string(*symbol) : "?";
}

bool isPitch(const std::string& symbol) { return !symbol.empty() && symbol[0] >= '0' && symbol[0] <= '9'; }

}  // namespace

class TrainingDataTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_small;  // tests/data/corpus: 3 songs
    QString m_essen;  // allerkbd with 2 transposed copies per song; empty without ../shared

    QString preprocess(const QString& input, const char* name, const QStringList& extra = {}) {
        const QString out = m_dir.filePath(QLatin1String(name));
        const auto run = runMelodist(QStringList{QStringLiteral("preprocess"), input, QStringLiteral("--out"), out} + extra);
        return run.exitCode == 0 ? out : QString();
    }
    static TrainingDataset load(const QString& dir) {
        auto data = TrainingDataset::load(dir.toStdString());
        if (!data) qFatal("%s", data.error().c_str());
        return std::move(*data);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_small = preprocess(qEnvironmentVariable("MELODIST_TEST_DATA") + QStringLiteral("/corpus"), "small");
        QVERIFY(!m_small.isEmpty());
        const QString essen = qEnvironmentVariable("MELODIST_SHARED_DIR") + QStringLiteral("/corpora/essen-deutschl/allerkbd");
        if (QDir(essen).exists()) {
            m_essen = preprocess(essen, "essen", {QStringLiteral("--augment"), QStringLiteral("2")});
            QVERIFY(!m_essen.isEmpty());
        }
    }

    void loadsTheDatasetAndNamesWhatIsMissing() {
        // GIVEN the small dataset
        const TrainingDataset data = load(m_small);
        // THEN it has the three kept songs, each its own file, and '/' as delimiter
        QCOMPARE(data.songCount(), size_t{3});
        QCOMPARE(data.groupCount, size_t{3});
        QCOMPARE(symbolOf(data, data.delimiterId()), std::string("/"));
        QVERIFY(data.song(0).size() > 10);
        // WHEN dataset.bin is missing or damaged, the error names it
        const QString broken = m_dir.filePath(QStringLiteral("broken"));
        QVERIFY(QDir().mkpath(broken));
        for (const char* name : {"mapping.json", "manifest.json"})
            QVERIFY(QFile::copy(m_small + '/' + QLatin1String(name), broken + '/' + QLatin1String(name)));
        auto missing = TrainingDataset::load(broken.toStdString());
        QVERIFY(!missing);
        QVERIFY2(missing.error().find("dataset.bin") != std::string::npos, missing.error().c_str());
        QFile truncated(broken + QStringLiteral("/dataset.bin"));
        QVERIFY(truncated.open(QIODevice::WriteOnly));
        QFile original(m_small + QStringLiteral("/dataset.bin"));
        QVERIFY(original.open(QIODevice::ReadOnly));
        truncated.write(original.readAll().left(50));
        truncated.close();
        auto damaged = TrainingDataset::load(broken.toStdString());
        QVERIFY(!damaged);
        QVERIFY2(damaged.error().find("dataset.bin") != std::string::npos, damaged.error().c_str());
        QVERIFY(!TrainingDataset::load(m_dir.filePath(QStringLiteral("nothing-here")).toStdString()));
    }

    void splitIsBySongDisjointAndDeterministic() {
        if (m_essen.isEmpty()) QSKIP("../shared/corpora (Essen) is not there");
        // GIVEN 111 Essen files, each song with two transposed copies (three songs per file)
        const TrainingDataset data = load(m_essen);
        QVERIFY(data.songCount() >= 3 * 90);
        QCOMPARE(data.songCount(), data.groupCount * 3);
        // WHEN split twice with one seed, once with another
        const SongSplit a = splitBySong(data, 0.1, 7), b = splitBySong(data, 0.1, 7), c = splitBySong(data, 0.1, 8);
        // THEN the same seed gives the same split, another seed another one
        QCOMPARE(a.train, b.train);
        QCOMPARE(a.validation, b.validation);
        QVERIFY(a.validation != c.validation);
        // and the sides are disjoint, cover every song, hold ~10 % of the files, and
        // no file (original or copy) has songs on both sides
        std::set<uint32_t> trainGroups, validGroups, all;
        for (uint32_t s : a.train) trainGroups.insert(data.songGroup[s]), all.insert(s);
        for (uint32_t s : a.validation) validGroups.insert(data.songGroup[s]), all.insert(s);
        QCOMPARE(all.size(), data.songCount());
        QCOMPARE(a.train.size() + a.validation.size(), data.songCount());
        for (uint32_t g : validGroups) QVERIFY2(!trainGroups.count(g), "a file on both sides");
        QCOMPARE(validGroups.size(), static_cast<size_t>(std::llround(0.1 * static_cast<double>(data.groupCount))));
    }

    void smallSplitKeepsOneFileForValidation() {
        const TrainingDataset data = load(m_small);
        const SongSplit split = splitBySong(data, 0.1, 1);
        QCOMPARE(split.validation.size(), size_t{1});  // round(0.3) = 0, but at least one
        QCOMPARE(split.train.size(), size_t{2});
        QCOMPARE(splitBySong(data, 0.0, 1).validation.size(), size_t{0});
    }

    void windowTargetsAreTheNextSymbolsAndCoverTheStreamOnce() {
        const TrainingDataset data = load(m_essen.isEmpty() ? m_small : m_essen);
        const SongSplit split = splitBySong(data, 0.1, 3);
        const BatchOptions options{.mode = BatchMode::Windows, .sequenceLength = 16, .batchSize = 5, .padding = 16, .seed = 3};
        // WHEN one epoch is planned
        const BatchPlan plan(data, split.train, options, /*epoch=*/2, /*shuffle=*/true);
        const std::vector<uint16_t>& stream = plan.stream();
        // THEN the stream is every training song after 16 '/', then one '/'
        size_t expectedLength = 1;
        for (uint32_t s : split.train) expectedLength += 16 + data.song(s).size();
        QCOMPARE(stream.size(), expectedLength);
        std::vector<int> covered(stream.size(), 0);
        for (size_t b = 0; b < plan.size(); ++b) {
            const Batch batch = plan.batch(b);
            QVERIFY(batch.rows >= 1 && batch.rows <= 5);
            QCOMPARE(batch.steps, int64_t{16});
            for (int64_t r = 0; r < batch.rows; ++r) {
                const int64_t start = batch.rowSource[static_cast<size_t>(r)];
                for (int64_t t = 0; t < batch.steps; ++t) {
                    const size_t j = static_cast<size_t>(start + t);
                    const int64_t input = batch.inputs[static_cast<size_t>(r * batch.steps + t)];
                    const int64_t target = batch.targets[static_cast<size_t>(r * batch.steps + t)];
                    if (j + 1 >= stream.size()) {
                        QCOMPARE(target, kIgnoreTarget);
                        continue;
                    }
                    // each input is the stream's symbol, each target the one after it
                    QCOMPARE(input, int64_t{stream[j]});
                    const bool padding = stream[j] == data.delimiterId() && stream[j + 1] == data.delimiterId();
                    QCOMPARE(target, padding ? kIgnoreTarget : int64_t{stream[j + 1]});
                    if (!padding) ++covered[j + 1];
                }
            }
        }
        // and every symbol worth predicting is a target exactly once in the epoch
        for (size_t j = 16; j < stream.size(); ++j) {
            const bool padding = stream[j] == data.delimiterId() && stream[j - 1] == data.delimiterId();
            QCOMPARE(covered[j], padding ? 0 : 1);
        }
    }

    void songChunksCoverEverySymbolExactlyOnce() {
        const TrainingDataset data = load(m_essen.isEmpty() ? m_small : m_essen);
        const SongSplit split = splitBySong(data, 0.1, 5);
        const BatchOptions options{.mode = BatchMode::Songs, .sequenceLength = 24, .batchSize = 8, .padding = 1, .seed = 5};
        const BatchPlan plan(data, split.train, options, /*epoch=*/1, /*shuffle=*/true);
        // (song, position in "/" + song + "/") -> times it was a target
        std::map<std::pair<int64_t, int64_t>, int> seen;
        for (size_t b = 0; b < plan.size(); ++b) {
            const Batch batch = plan.batch(b);
            QCOMPARE(batch.startsSequence, batch.firstStep == 0);
            QCOMPARE(plan.startsSequence(b), batch.startsSequence);
            for (int64_t r = 0; r < batch.rows; ++r) {
                const int64_t song = batch.rowSource[static_cast<size_t>(r)];
                const auto tokens = data.song(static_cast<size_t>(song));
                const auto at = [&](int64_t j) -> int64_t {
                    return j == 0 || j > static_cast<int64_t>(tokens.size()) ? data.delimiterId() : tokens[static_cast<size_t>(j - 1)];
                };
                for (int64_t t = 0; t < batch.steps; ++t) {
                    const int64_t j = batch.firstStep + t;
                    const int64_t target = batch.targets[static_cast<size_t>(r * batch.steps + t)];
                    if (j > static_cast<int64_t>(tokens.size())) {
                        QCOMPARE(target, kIgnoreTarget);  // past the song's end
                        continue;
                    }
                    QCOMPARE(batch.inputs[static_cast<size_t>(r * batch.steps + t)], at(j));
                    QCOMPARE(target, at(j + 1));
                    ++seen[{song, j + 1}];
                }
            }
        }
        // THEN every symbol of every training song, and its end '/', was a target once
        size_t expected = 0;
        for (uint32_t s : split.train) expected += data.song(s).size() + 1;
        QCOMPARE(seen.size(), expected);
        for (const auto& [where, count] : seen) QCOMPARE(count, 1);
    }

    void shufflingDependsOnSeedAndEpochOnly() {
        const TrainingDataset data = load(m_essen.isEmpty() ? m_small : m_essen);
        const SongSplit split = splitBySong(data, 0.1, 1);
        const BatchOptions options{.sequenceLength = 8, .batchSize = 4, .padding = 8, .seed = 11};
        const auto firstRows = [&](uint64_t epoch, bool shuffle) {
            const BatchPlan plan(data, split.train, options, epoch, shuffle);
            return plan.batch(0).inputs;
        };
        QCOMPARE(firstRows(3, true), firstRows(3, true));
        QVERIFY(firstRows(3, true) != firstRows(4, true));
        QCOMPARE(firstRows(3, false), firstRows(9, false));  // validation: one fixed order
    }

    void ranksShareEachBatchsRows() {
        const TrainingDataset data = load(m_small);
        const SongSplit split = splitBySong(data, 0.0, 1);
        for (const BatchMode mode : {BatchMode::Windows, BatchMode::Songs}) {
            const BatchOptions options{.mode = mode, .sequenceLength = 8, .batchSize = 3, .padding = 8, .seed = 2};
            const BatchPlan plan(data, split.train, options, 0, true);
            for (size_t b = 0; b < plan.size(); ++b) {
                const Batch whole = plan.batch(b), rank0 = plan.batch(b, 0, 2), rank1 = plan.batch(b, 1, 2);
                QCOMPARE(rank0.rows + rank1.rows, whole.rows);
                QCOMPARE(rank0.steps, rank1.steps);
                for (int64_t r = 0; r < whole.rows; ++r) {
                    const Batch& part = r % 2 == 0 ? rank0 : rank1;
                    QCOMPARE(part.rowSource[static_cast<size_t>(r / 2)], whole.rowSource[static_cast<size_t>(r)]);
                }
            }
        }
    }

    void transpositionShiftsWholeWindowsWithinTheVocabulary() {
        if (m_essen.isEmpty()) QSKIP("../shared/corpora (Essen) is not there");
        const TrainingDataset data = load(m_essen);
        const SongSplit split = splitBySong(data, 0.0, 1);
        const BatchOptions options{.sequenceLength = 32, .batchSize = 16, .padding = 32, .augmentTranspose = 3, .seed = 4};
        const BatchPlan plan(data, split.train, options, 0, true);
        std::set<int> shiftsSeen;
        for (size_t b = 0; b < plan.size(); ++b) {
            const Batch batch = plan.batch(b);
            for (int64_t r = 0; r < batch.rows; ++r) {
                std::optional<int> shift;
                for (int64_t t = 0; t < batch.steps; ++t) {
                    const size_t j = static_cast<size_t>(batch.rowSource[static_cast<size_t>(r)] + t);
                    if (j + 1 >= plan.stream().size()) break;
                    const std::string original = symbolOf(data, plan.stream()[j]);
                    const std::string shifted = symbolOf(data, batch.inputs[static_cast<size_t>(r * batch.steps + t)]);
                    QVERIFY(shifted != "?");
                    if (!isPitch(original)) {
                        QCOMPARE(shifted, original);
                        continue;
                    }
                    const int k = std::stoi(shifted) - std::stoi(original);
                    if (!shift) shift = k;
                    QCOMPARE(k, *shift);  // one shift for the whole window
                }
                if (shift) shiftsSeen.insert(*shift);
            }
        }
        // THEN shifts in -3..3 were drawn, not only 0
        QVERIFY(shiftsSeen.size() >= 3);
        for (int k : shiftsSeen) QVERIFY(k >= -3 && k <= 3);
    }
};

QTEST_GUILESS_MAIN(TrainingDataTest)
#include "TrainingDataTest.moc"

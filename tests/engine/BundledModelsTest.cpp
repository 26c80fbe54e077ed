// SPDX-License-Identifier: GPL-3.0-or-later
// engine/model/BundledModels: where bundled models are looked for (and that melodist and
// the installed melodist-ml look in the same place), which --model values are names,
// the error a missing model gives, the listing, and the weights hash. Tiny random LSTM
// checkpoints in a temporary folder stand in for the shipped models.
#include "engine/model/BundledModels.h"

#include "engine/core/Checksum.h"
#include "engine/keras/RandomLstmWeights.h"
#include "engine/model/LstmCheckpoint.h"
#include "tests/engine/GenerationTestModels.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"

#include <cstdlib>
#include <cstring>
#include <optional>

using namespace melodist::engine;

using melodist::test::ScopedEnv;

namespace {

// A small LSTM checkpoint over the generation tests' vocabulary.
Checkpoint tinyCheckpoint(uint32_t seed, nlohmann::ordered_json metadata = nlohmann::ordered_json::object()) {
    const std::vector<std::string> symbols = melodist::test::testVocabulary();
    metadata["context"] = {{"default", 16}, {"seed_padding", 16}, {"padding_symbol", "/"}};
    return makeLstmCheckpoint(randomLstmWeights(static_cast<int>(symbols.size()), {8}, seed, 0.5f),
                              Vocabulary::fromSymbols(symbols), std::move(metadata));
}

void writeModel(const QString& path, uint32_t seed, nlohmann::ordered_json metadata = nlohmann::ordered_json::object()) {
    const Result<void> saved = saveCheckpoint(tinyCheckpoint(seed, std::move(metadata)), path.toStdString());
    if (!saved) qFatal("%s", saved.error().c_str());
}

void writeText(const QString& path, const QByteArray& text) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size()) qFatal("cannot write %s", qPrintable(path));
}

// Sets (or unsets, for nullptr) one environment variable and restores it when it leaves scope.
}  // namespace

class BundledModelsTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_models;  // folk (with a card), piano, and a damaged "broken"

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_models = m_dir.filePath(QStringLiteral("models"));
        QVERIFY(QDir().mkpath(m_models));
        writeModel(m_models + QStringLiteral("/folk.melodist-model"), 1);
        writeText(m_models + QStringLiteral("/folk.md"),
                  "---\ntitle: folk\n---\n# Folk\n\n<!-- card -->\nGerman folk songs (Essen), 2 x 256 LSTM.\nMore text.\n");
        writeModel(m_models + QStringLiteral("/piano.melodist-model"), 2, {{"summary", "Piano pieces, chords encoding."}});
        writeText(m_models + QStringLiteral("/broken.melodist-model"), "MLDMODEL but cut short");
        writeText(m_models + QStringLiteral("/notes.txt"), "not a model");
    }

    void melodistAndTheInstalledMelodistMlSearchTheSameFolder() {
        // GIVEN the installed layout: bin/melodist and libexec/melodist/melodist-ml
        const std::vector<std::string> cli = bundledModelFolderCandidates("/opt/m/bin/melodist", nullptr);
        const std::vector<std::string> ml = bundledModelFolderCandidates("/opt/m/libexec/melodist/melodist-ml", nullptr);
        // THEN both reach <prefix>/share/melodist/models
        QCOMPARE(cli, std::vector<std::string>{"/opt/m/share/melodist/models"});
        QVERIFY(std::find(ml.begin(), ml.end(), "/opt/m/share/melodist/models") != ml.end());
        // and in the build tree (both in build/bin) the folder beside bin/
        QCOMPARE(bundledModelFolderCandidates("/b/bin/melodist-ml", nullptr), std::vector<std::string>{"/b/share/melodist/models"});
        // and $MELODIST_MODELS_DIR comes first; an empty one counts as unset
        QCOMPARE(bundledModelFolderCandidates("/b/bin/melodist", "/my/models"),
                 (std::vector<std::string>{"/my/models", "/b/share/melodist/models"}));
        QCOMPARE(bundledModelFolderCandidates("/b/bin/melodist", ""), std::vector<std::string>{"/b/share/melodist/models"});
    }

    void theFirstFolderThatExistsWins() {
        // GIVEN $MELODIST_MODELS_DIR naming a folder
        {
            ScopedEnv env(kModelsDirVariable, m_models);
            const BundledModelFolder folder = findBundledModelFolder();
            QCOMPARE(QString::fromStdString(folder.path), m_models);
            QCOMPARE(folder.searched.size(), size_t{2});  // the variable, then beside this executable
        }
        // GIVEN one naming nothing: the executable's folder is next (this test's has none)
        const QString missing = m_dir.filePath(QStringLiteral("nothing-here"));
        ScopedEnv env(kModelsDirVariable, missing);
        const BundledModelFolder folder = findBundledModelFolder();
        QVERIFY2(folder.path.empty(), folder.path.c_str());
        QCOMPARE(QString::fromStdString(folder.searched.front()), missing);
        QVERIFY(QString::fromStdString(folder.searched.back()).endsWith(QStringLiteral("/share/melodist/models")));
    }

    void bareWordsAreNamesEverythingElseIsAPath() {
        QVERIFY(isBundledModelName("default"));
        QVERIFY(isBundledModelName("folk"));
        QVERIFY(isBundledModelName("piano-2"));
        QVERIFY(!isBundledModelName(""));
        QVERIFY(!isBundledModelName("./folk"));
        QVERIFY(!isBundledModelName("runs/a/best.melodist-model"));
        QVERIFY(!isBundledModelName("folk.melodist-model"));
        // GIVEN a file named like a model in the current folder: it is that file
        const QString before = QDir::currentPath();
        QVERIFY(QDir::setCurrent(m_dir.path()));
        writeText(m_dir.filePath(QStringLiteral("mine")), "x");
        const bool nameOfAFile = isBundledModelName("mine");
        const Result<std::string> resolved = resolveModelPath("mine");
        // AND a folder of that name (a dataset called "piano") does not hide the bundled model
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("piano")));
        const bool nameOfAFolder = isBundledModelName("piano");
        QVERIFY(QDir::setCurrent(before));
        QVERIFY(nameOfAFolder);
        QVERIFY(!nameOfAFile);
        QVERIFY(resolved.ok());
        QCOMPARE(*resolved, std::string("mine"));
    }

    void defaultAndNamesResolveInTheFolderPathsStayAsGiven() {
        ScopedEnv env(kModelsDirVariable, m_models);
        const std::string folk = (m_models + QStringLiteral("/folk.melodist-model")).toStdString();
        const Result<std::string> byDefault = resolveModelPath("default");
        QVERIFY2(byDefault.ok(), byDefault.ok() ? "" : byDefault.error().c_str());
        QCOMPARE(*byDefault, folk);
        QCOMPARE(*resolveModelPath("folk"), folk);
        QCOMPARE(*resolveModelPath("piano"), (m_models + QStringLiteral("/piano.melodist-model")).toStdString());
        QCOMPARE(*resolveModelPath("elsewhere/x.melodist-model"), std::string("elsewhere/x.melodist-model"));
    }

    void aMissingModelNamesTheFolderAndTheModelsThere() {
        // GIVEN a folder with folk, piano and a damaged file
        ScopedEnv env(kModelsDirVariable, m_models);
        // WHEN a name that is not there is asked for
        const Result<std::string> jazz = resolveModelPath("jazz");
        // THEN the error names it, the folder, where the folder came from and what is there
        QVERIFY(!jazz.ok());
        const QString error = QString::fromStdString(jazz.error());
        QVERIFY2(error.contains(QStringLiteral("no bundled model 'jazz'")), qPrintable(error));
        QVERIFY2(error.contains(m_models), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("$MELODIST_MODELS_DIR")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("broken, folk, piano")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("'jazz' is not a file either")), qPrintable(error));
    }

    void anEmptyFolderAndNoFolderAreSaidApart() {
        const QString empty = m_dir.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(empty));
        {
            ScopedEnv env(kModelsDirVariable, empty);
            const Result<std::string> folk = resolveModelPath("default");
            QVERIFY(!folk.ok());
            QVERIFY2(QString::fromStdString(folk.error()).contains(QStringLiteral("no bundled model 'folk' (the default)")),
                     folk.error().c_str());
            QVERIFY2(QString::fromStdString(folk.error()).contains(QStringLiteral("it holds no models")), folk.error().c_str());
        }
        const QString missing = m_dir.filePath(QStringLiteral("missing"));
        ScopedEnv env(kModelsDirVariable, missing);
        const Result<std::string> folk = resolveModelPath("default");
        QVERIFY(!folk.ok());
        const QString error = QString::fromStdString(folk.error());
        QVERIFY2(error.contains(QStringLiteral("there is no folder of bundled models")), qPrintable(error));
        QVERIFY2(error.contains(missing + QStringLiteral(" ($MELODIST_MODELS_DIR)")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("share/melodist/models")), qPrintable(error));
    }

    void theListingDescribesEachModelAndKeepsADamagedOne() {
        const std::vector<BundledModelEntry> entries = listBundledModels(m_models.toStdString());
        QCOMPARE(entries.size(), size_t{3});
        QCOMPARE(entries[0].name, std::string("broken"));
        QVERIFY(!entries[0].info.ok());
        QVERIFY2(QString::fromStdString(entries[0].info.error()).contains(QStringLiteral("broken.melodist-model")),
                 entries[0].info.error().c_str());
        // folk: the default, its summary from the card's first line of text
        QCOMPARE(entries[1].name, std::string("folk"));
        QVERIFY(entries[1].isDefault);
        QVERIFY(entries[1].info.ok());
        const ModelFileInfo& folk = *entries[1].info;
        QCOMPARE(folk.architecture, std::string("lstm"));
        QCOMPARE(folk.summary, std::string("German folk songs (Essen), 2 x 256 LSTM."));
        QVERIFY(QString::fromStdString(folk.cardPath).endsWith(QStringLiteral("/folk.md")));
        const int vocabulary = static_cast<int>(melodist::test::testVocabulary().size());
        QCOMPARE(folk.vocabularySize, vocabulary);
        // one-hot LSTM of 8 units: kernel V x 32, recurrent 8 x 32, bias 32; dense 8 x V + V
        QCOMPARE(folk.parameters, int64_t{vocabulary * 32 + 8 * 32 + 32 + 8 * vocabulary + vocabulary});
        QCOMPARE(folk.sizeBytes, static_cast<uint64_t>(QFileInfo(m_models + QStringLiteral("/folk.melodist-model")).size()));
        QCOMPARE(folk.weightsSha256.size(), size_t{64});
        // piano: not the default, its summary from the metadata
        QCOMPARE(entries[2].name, std::string("piano"));
        QVERIFY(!entries[2].isDefault);
        QCOMPARE(entries[2].info->summary, std::string("Piano pieces, chords encoding."));
        QVERIFY(entries[2].info->cardPath.empty());
        QVERIFY(entries[1].info->weightsSha256 != entries[2].info->weightsSha256);
        QVERIFY(listBundledModels("").empty());
    }

    void theWeightsHashCoversTheNetsTensorsByNameAndNothingElse() {
        // GIVEN two tensors and optimizer moments
        Checkpoint a;
        a.tensors.push_back({"z.bias", {2}, {1.0f, -2.5f}});
        a.tensors.push_back({"a.weight", {1, 3}, {0.5f, 0.25f, 3.0f}});
        a.tensors.push_back({"optimizer.a.weight.exp_avg", {1, 3}, {9.0f, 9.0f, 9.0f}});
        // THEN the hash is SHA-256 of the float32 bytes by name: a.weight, then z.bias
        std::string bytes;
        for (const float x : {0.5f, 0.25f, 3.0f, 1.0f, -2.5f}) bytes.append(reinterpret_cast<const char*>(&x), sizeof x);
        QCOMPARE(weightsSha256(a), sha256Hex(bytes));
        // the order in the file, the metadata and the optimizer state do not change it
        Checkpoint b;
        b.metadata["metrics"] = {{"steps", 20}};
        b.tensors = {a.tensors[1], a.tensors[0]};
        QCOMPARE(weightsSha256(b), weightsSha256(a));
        // one weight does
        b.tensors[0].values[1] = 0.2500001f;
        QVERIFY(weightsSha256(b) != weightsSha256(a));
    }

    void theStudioLoadsTheDefaultModel() {
        ScopedEnv env(kModelsDirVariable, m_models);
        const Result<LoadedBundledModel> loaded = loadBundledModel();
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
        QCOMPARE(loaded->name, std::string("folk"));
        QCOMPARE(loaded->model.architecture(), std::string("lstm"));
        QVERIFY(loaded->model.kernel() != nullptr);
        const Result<LoadedBundledModel> broken = loadBundledModel("broken");
        QVERIFY(!broken.ok());
        QVERIFY2(QString::fromStdString(broken.error()).contains(QStringLiteral("broken.melodist-model")), broken.error().c_str());
    }
};

QTEST_GUILESS_MAIN(BundledModelsTest)
#include "BundledModelsTest.moc"

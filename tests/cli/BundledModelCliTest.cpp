// SPDX-License-Identifier: GPL-3.0-or-later
// Bundled models through the real CLI: `melodist generate --model default` with
// $MELODIST_MODELS_DIR on a folder holding the seeds' imported model as folk (needs
// ../shared), `melodist models --json`, `model-info`, the error for a missing model, and
// melodist and melodist-ml (which melodist execs) resolving a name to the same file.
#include "engine/io/MidiFile.h"
#include "engine/keras/RandomLstmWeights.h"
#include "engine/model/LstmCheckpoint.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"
#include "tests/engine/GenerationTestModels.h"

using melodist::test::haveSeedModel;
using melodist::test::importSeedModel;
using melodist::test::ProcessRun;
using melodist::test::runMelodist;

namespace {

const QString kSeed = QStringLiteral("67 _ 67 _ 67 _ _ 65 64 _ 64 _ 64 _ _");

// Runs $MELODIST_BIN_DIR/melodist-ml directly (what `melodist` execs for LibTorch work).
ProcessRun runMelodistMl(const QStringList& arguments) {
    QProcess process;
    process.start(qEnvironmentVariable("MELODIST_BIN_DIR") + QStringLiteral("/melodist-ml"), arguments);
    if (!process.waitForFinished(120000)) return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QJsonObject jsonOf(const ProcessRun& run) { return QJsonDocument::fromJson(run.out.toUtf8()).object(); }

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class BundledModelCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_models;  // tiny (random LSTM), and folk (the seeds' model) when ../shared is there

    QString out(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_models = out("models");
        QVERIFY(QDir().mkpath(m_models));
        using namespace melodist::engine;
        const std::vector<std::string> symbols = melodist::test::testVocabulary();
        const Checkpoint tiny = makeLstmCheckpoint(
            randomLstmWeights(static_cast<int>(symbols.size()), {16}, /*seed=*/3, 0.5f), Vocabulary::fromSymbols(symbols),
            {{"context", {{"default", 16}, {"seed_padding", 16}, {"padding_symbol", "/"}}}, {"summary", "a tiny random LSTM"}});
        const Result<void> saved = saveCheckpoint(tiny, (m_models + QStringLiteral("/tiny.melodist-model")).toStdString());
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().c_str());
        if (haveSeedModel()) {
            // GIVEN the seeds' model imported and put in the folder as the default, folk
            const ProcessRun run = importSeedModel(m_models + QStringLiteral("/folk.melodist-model"));
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        }
        qputenv("MELODIST_MODELS_DIR", m_models.toUtf8());
    }

    void generateWithModelDefaultWritesAValidMidiFile() {
        if (!haveSeedModel()) QSKIP("needs $MELODIST_SHARED_DIR/seed-models (the shared folder beside the checkout)");
        // WHEN generating with --model default
        const QString midi = out("default.mid");
        const QStringList common{QStringLiteral("--seed"), kSeed, QStringLiteral("--steps"), QStringLiteral("128"),
                                 QStringLiteral("--rng-seed"), QStringLiteral("7"), QStringLiteral("--text")};
        const ProcessRun run = runMelodist(QStringList{QStringLiteral("generate"), QStringLiteral("--model"),
                                                       QStringLiteral("default"), QStringLiteral("--out"), midi} + common);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // THEN a MIDI file with the seed's notes and more was written
        const melodist::engine::Result<melodist::engine::Score> score = melodist::engine::readMidiFile(midi.toStdString());
        QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
        QCOMPARE(score->parts.size(), size_t{1});
        QVERIFY2(score->parts.front().notes.size() > 7, qPrintable(run.out));
        QCOMPARE(score->parts.front().notes.front().pitch, 67);
        // and it is folk's melody: the same as --model folk, as the path, and as no --model at all
        const QString byName = out("folk.mid"), byPath = out("path.mid"), byNothing = out("nothing.mid");
        QCOMPARE(runMelodist(QStringList{QStringLiteral("generate"), QStringLiteral("--model"), QStringLiteral("folk"),
                                         QStringLiteral("--out"), byName} + common).exitCode, 0);
        QCOMPARE(runMelodist(QStringList{QStringLiteral("generate"), QStringLiteral("--model"),
                                         m_models + QStringLiteral("/folk.melodist-model"), QStringLiteral("--out"), byPath} +
                             common).exitCode, 0);
        QCOMPARE(runMelodist(QStringList{QStringLiteral("generate"), QStringLiteral("--out"), byNothing} + common).exitCode, 0);
        QCOMPARE(readAll(byName), readAll(midi));
        QCOMPARE(readAll(byPath), readAll(midi));
        QCOMPARE(readAll(byNothing), readAll(midi));
    }

    void modelsJsonListsTheFolderAndItsModels() {
        // WHEN listing the bundled models as JSON
        const ProcessRun run = runMelodist({QStringLiteral("models"), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject list = jsonOf(run);
        // THEN the folder is $MELODIST_MODELS_DIR's and every model is described
        QCOMPARE(list.value(QStringLiteral("folder")).toString(), m_models);
        QCOMPARE(list.value(QStringLiteral("default")).toString(), QStringLiteral("folk"));
        const QJsonArray models = list.value(QStringLiteral("models")).toArray();
        QCOMPARE(models.size(), haveSeedModel() ? 2 : 1);
        QJsonObject tiny, folk;
        for (const QJsonValue& model : models)
            (model.toObject().value(QStringLiteral("name")).toString() == QStringLiteral("folk") ? folk : tiny) = model.toObject();
        QCOMPARE(tiny.value(QStringLiteral("name")).toString(), QStringLiteral("tiny"));
        QCOMPARE(tiny.value(QStringLiteral("default")).toBool(), false);
        QCOMPARE(tiny.value(QStringLiteral("architecture")).toString(), QStringLiteral("lstm"));
        QCOMPARE(tiny.value(QStringLiteral("summary")).toString(), QStringLiteral("a tiny random LSTM"));
        QCOMPARE(tiny.value(QStringLiteral("size_bytes")).toInteger(), QFileInfo(m_models + QStringLiteral("/tiny.melodist-model")).size());
        QCOMPARE(tiny.value(QStringLiteral("weights_sha256")).toString().size(), 64);
        if (haveSeedModel()) {
            QCOMPARE(folk.value(QStringLiteral("default")).toBool(), true);
            QCOMPARE(folk.value(QStringLiteral("architecture")).toString(), QStringLiteral("lstm"));
            QVERIFY(folk.value(QStringLiteral("parameters")).toInteger() > 100000);
        }
        // and model-info gives the same facts for one model, by name or path
        const ProcessRun info = runMelodist({QStringLiteral("model-info"), QStringLiteral("tiny"), QStringLiteral("--json")});
        QVERIFY2(info.exitCode == 0, qPrintable(info.err));
        QCOMPARE(jsonOf(info).value(QStringLiteral("weights_sha256")), tiny.value(QStringLiteral("weights_sha256")));
        // and the text listing marks the default
        const ProcessRun text = runMelodist({QStringLiteral("models")});
        QVERIFY2(text.exitCode == 0, qPrintable(text.err));
        QVERIFY2(text.out.contains(m_models), qPrintable(text.out));
        QVERIFY2(text.out.contains(QStringLiteral("a tiny random LSTM")), qPrintable(text.out));
        if (haveSeedModel()) QVERIFY2(text.out.contains(QStringLiteral("(default)")), qPrintable(text.out));
    }

    void melodistAndMelodistMlResolveANameToTheSameModel() {
        // WHEN both executables predict with the bundled name
        const QStringList arguments{QStringLiteral("predict"), QStringLiteral("--model"), QStringLiteral("tiny"),
                                    QStringLiteral("--window"), QStringLiteral("60 _ 62 _")};
        const ProcessRun light = runMelodist(arguments);
        const ProcessRun ml = runMelodistMl(arguments);
        // THEN they read the same file: the same probabilities
        QVERIFY2(light.exitCode == 0, qPrintable(light.err));
        QVERIFY2(ml.exitCode == 0, qPrintable(ml.err));
        QVERIFY(!light.out.isEmpty());
        QCOMPARE(ml.out, light.out);
        // and list the same folder
        QCOMPARE(jsonOf(runMelodistMl({QStringLiteral("models"), QStringLiteral("--json")})).value(QStringLiteral("folder")).toString(),
                 m_models);
    }

    void withoutTheVariableBothFindTheBuildTreesFolder() {
        // GIVEN no $MELODIST_MODELS_DIR: the folder beside bin/ (resources/CMakeLists.txt copies models there)
        qunsetenv("MELODIST_MODELS_DIR");
        const ProcessRun light = runMelodist({QStringLiteral("models"), QStringLiteral("--json")});
        const ProcessRun ml = runMelodistMl({QStringLiteral("models"), QStringLiteral("--json")});
        qputenv("MELODIST_MODELS_DIR", m_models.toUtf8());
        QVERIFY2(light.exitCode == 0, qPrintable(light.err));
        const QString expected = QDir::cleanPath(qEnvironmentVariable("MELODIST_BIN_DIR") + QStringLiteral("/../share/melodist/models"));
        QCOMPARE(jsonOf(light).value(QStringLiteral("folder")).toString(), expected);
        QCOMPARE(jsonOf(ml).value(QStringLiteral("folder")).toString(), expected);
    }

    void aMissingModelIsAClearError() {
        // GIVEN a folder without folk
        const QString empty = out("empty");
        QVERIFY(QDir().mkpath(empty));
        qputenv("MELODIST_MODELS_DIR", empty.toUtf8());
        const ProcessRun run = runMelodist({QStringLiteral("generate"), QStringLiteral("--model"), QStringLiteral("default"),
                                            QStringLiteral("--seed"), kSeed, QStringLiteral("--out"), out("none.mid")});
        const ProcessRun other = runMelodist({QStringLiteral("predict"), QStringLiteral("--model"), QStringLiteral("jazz"),
                                              QStringLiteral("--window"), QStringLiteral("60")});
        qputenv("MELODIST_MODELS_DIR", m_models.toUtf8());
        // THEN it fails, naming the model, the folder searched and what to do
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("no bundled model 'folk' (the default)")), qPrintable(run.err));
        QVERIFY2(run.err.contains(empty), qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("melodist models")), qPrintable(run.err));
        QVERIFY(!QFile::exists(out("none.mid")));
        QCOMPARE(other.exitCode, 1);
        QVERIFY2(other.err.contains(QStringLiteral("no bundled model 'jazz'")), qPrintable(other.err));
        // and a variable naming no folder is reported beside the folder used instead (the build tree's)
        const QString nowhere = out("nowhere");
        qputenv("MELODIST_MODELS_DIR", nowhere.toUtf8());
        const ProcessRun fallback = runMelodist({QStringLiteral("predict"), QStringLiteral("--model"), QStringLiteral("no-such-model"),
                                                 QStringLiteral("--window"), QStringLiteral("60")});
        qputenv("MELODIST_MODELS_DIR", m_models.toUtf8());
        QCOMPARE(fallback.exitCode, 1);
        QVERIFY2(fallback.err.contains(QStringLiteral("share/melodist/models ($MELODIST_MODELS_DIR, ") + nowhere +
                                       QStringLiteral(", is not a folder)")),
                 qPrintable(fallback.err));
        // and the listing of that folder names it and says it is empty
        qputenv("MELODIST_MODELS_DIR", empty.toUtf8());
        const ProcessRun list = runMelodist({QStringLiteral("models")});
        qputenv("MELODIST_MODELS_DIR", m_models.toUtf8());
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(empty + QStringLiteral(": none")), qPrintable(list.out));
    }
};

QTEST_GUILESS_MAIN(BundledModelCliTest)
#include "BundledModelCliTest.moc"

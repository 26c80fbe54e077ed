// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist evaluate-model` as a user runs it: a tiny random LSTM and a dataset folder
// written here (its JSON equals the library's evaluation), the n-gram baseline, usage
// errors, and the seeds' imported model on real Essen songs (skips without ../shared).
#include "engine/core/FileIO.h"
#include "engine/keras/RandomLstmWeights.h"
#include "engine/model/LstmCheckpoint.h"
#include "tests/common/TestSupport.h"
#include "training/data/Evaluate.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace melodist;
using test::runMelodist;

namespace {

// A dataset folder as `melodist preprocess` writes it (dataset.bin, mapping.json), with
// "65", a symbol the model below lacks.
void writeDataset(const QString& dir) {
    const engine::Vocabulary vocabulary = *engine::Vocabulary::fromJson(R"({"/": 0, "_": 1, "r": 2, "60": 3, "62": 4, "64": 5, "65": 6})", "test");
    training::DatasetBinary data;
    data.vocabularySize = static_cast<uint32_t>(vocabulary.size());
    data.appendSong({3, 1, 4, 5, 1, 2, 3});
    data.appendSong({4, 6, 1, 3});
    data.appendSong({5, 5, 1, 4, 1, 1, 3, 1});
    QVERIFY(engine::writeFileAtomically((dir + "/dataset.bin").toStdString(), data.toBytes()).ok());
    QVERIFY(vocabulary.save((dir + "/mapping.json").toStdString()).ok());
}

engine::Checkpoint tinyCheckpoint() {
    const std::vector<std::string> symbols = {"/", "_", "r", "60", "62", "64"};
    nlohmann::ordered_json metadata;
    metadata["context"] = {{"default", 4}, {"seed_padding", 4}, {"padding_symbol", "/"}};
    return engine::makeLstmCheckpoint(engine::randomLstmWeights(6, {8}, /*seed=*/3, 0.9f),
                                      engine::Vocabulary::fromSymbols(symbols), metadata);
}

nlohmann::json parseJson(const QString& text) {
    return nlohmann::json::parse(text.toStdString(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace

class EvaluateCliTest : public QObject {
    Q_OBJECT

private slots:
    void jsonOutputEqualsTheLibrarysEvaluation() {
        // GIVEN a model file and a dataset folder
        QTemporaryDir dir;
        writeDataset(dir.path());
        const QString modelPath = dir.filePath("tiny.melodist-model");
        QVERIFY(engine::saveCheckpoint(tinyCheckpoint(), modelPath.toStdString()).ok());
        // WHEN evaluate-model runs with --json
        const auto run = runMelodist({"evaluate-model", modelPath, dir.path(), "--json"});
        // THEN it prints the evaluation as JSON, equal to the library's
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const nlohmann::json json = parseJson(run.out);
        QVERIFY2(json.is_object(), qPrintable(run.out));
        const auto model = engine::MelodyModel::load(modelPath.toStdString());
        const auto dataset = training::loadEvaluationDataset(dir.path().toStdString());
        QVERIFY(model.ok() && dataset.ok());
        const auto expected = training::evaluateModel(*model, *dataset, {});
        QVERIFY(expected.ok());
        QCOMPARE(json["songs"].get<int>(), 3);
        QCOMPARE(json["symbols"].get<int>(), 19);
        QCOMPARE(json["context"].get<int>(), 4);
        QCOMPARE(json["padding"].get<int>(), 4);
        QCOMPARE(json["architecture"].get<std::string>(), std::string("lstm"));
        QCOMPARE(json["missing_symbols"]["65"].get<int>(), 1);
        QCOMPARE(json["accuracy"].get<double>(), expected->accuracy());
        // the same code in another process: equal up to float rounding (builds may differ in kernel code)
        QVERIFY(std::abs(json["loss_nats"].get<double>() - expected->loss()) < 1e-6 * expected->loss());
        QVERIFY(std::abs(json["perplexity"].get<double>() - std::exp(json["loss_nats"].get<double>())) < 1e-9);
    }

    void theIncrementalWayAndTheTableAreOptions() {
        QTemporaryDir dir;
        writeDataset(dir.path());
        const QString modelPath = dir.filePath("tiny.melodist-model");
        QVERIFY(engine::saveCheckpoint(tinyCheckpoint(), modelPath.toStdString()).ok());
        const auto run = runMelodist({"evaluate-model", modelPath, dir.path(), "--context", "0", "--songs", "2"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("context 0, padding 4"), qPrintable(run.out));
        QVERIFY2(run.out.contains("2 songs, 11 symbols scored"), qPrintable(run.out));
        QVERIFY2(run.out.contains("missing     1 symbols the model lacks"), qPrintable(run.out));
        QVERIFY(run.out.contains("perplexity"));
    }

    void ngramBaselineReportsTheSameMetrics() {
        QTemporaryDir dir;
        writeDataset(dir.path());
        const auto run = runMelodist({"evaluate-model", "ngram:3", dir.path(), "--train-dataset", dir.path(), "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const nlohmann::json json = parseJson(run.out);
        QVERIFY2(json.is_object(), qPrintable(run.out));
        QCOMPARE(json["symbols"].get<int>(), 19);
        QCOMPARE(json["discounts"].size(), size_t{3});
        QCOMPARE(json["missing_targets"].get<int>(), 0);  // trained on the same songs: it knows every symbol
        const double accuracy = json["accuracy"].get<double>();
        QVERIFY(accuracy > 0.0 && accuracy <= 1.0);
        QVERIFY(json["perplexity"].get<double>() > 1.0);
    }

    void usageErrorsExitWithTwo() {
        QTemporaryDir dir;
        writeDataset(dir.path());
        const auto noTrain = runMelodist({"evaluate-model", "ngram:3", dir.path()});
        QCOMPARE(noTrain.exitCode, 2);
        QVERIFY(noTrain.err.contains("--train-dataset"));
        const auto badOrder = runMelodist({"evaluate-model", "ngram:9", dir.path(), "--train-dataset", dir.path()});
        QCOMPARE(badOrder.exitCode, 2);
        const auto notADataset = runMelodist({"evaluate-model", "ngram:3", dir.filePath("nowhere"), "--train-dataset", dir.path()});
        QCOMPARE(notADataset.exitCode, 1);
        QVERIFY2(notADataset.err.contains("not a dataset folder"), qPrintable(notADataset.err));
    }

    void seedsModelPredictsEssenSongsItNeverSaw() {
        const QString shared = qEnvironmentVariable("MELODIST_SHARED_DIR");
        const QString seeds = shared + "/seed-models/velardo";
        const QDir fink(shared + "/corpora/essen-deutschl/fink");
        if (!QFile::exists(seeds + "/model.h5") || !fink.exists()) QSKIP("needs ../shared (seed model and Essen corpus)");
        // GIVEN the seeds' imported model and 20 songs of the fink collection (not in erk, its training set)
        QTemporaryDir dir;
        const QString modelPath = dir.filePath("seeds.melodist-model");
        const auto imported = runMelodist({"import-keras", seeds + "/model.h5", seeds + "/mapping.json", "--out", modelPath});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QStringList preprocess = {"preprocess"};
        const QStringList files = fink.entryList({"*.krn"}, QDir::Files, QDir::Name).mid(0, 20);
        for (const QString& file : files) preprocess << fink.filePath(file);
        preprocess << "--out" << dir.filePath("fink");
        const auto preprocessed = runMelodist(preprocess);
        QVERIFY2(preprocessed.exitCode == 0, qPrintable(preprocessed.err));
        // WHEN evaluated its own windowed way
        const auto run = runMelodist({"evaluate-model", modelPath, dir.filePath("fink"), "--json"});
        // THEN it predicts far better than chance (1/38) and better than always "_"
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const nlohmann::json json = parseJson(run.out);
        QCOMPARE(json["context"].get<int>(), 64);
        QCOMPARE(json["padding"].get<int>(), 64);
        QVERIFY(json["songs"].get<int>() >= 15);
        const double accuracy = json["accuracy"].get<double>();
        const double perplexity = json["perplexity"].get<double>();
        QVERIFY2(accuracy > 0.6 && accuracy < 0.95, qPrintable(run.out));
        QVERIFY2(perplexity > 1.5 && perplexity < 5.0, qPrintable(run.out));
    }
};

QTEST_GUILESS_MAIN(EvaluateCliTest)
#include "EvaluateCliTest.moc"

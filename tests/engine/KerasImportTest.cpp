// SPDX-License-Identifier: GPL-3.0-or-later
// Keras .h5 import: the seed model (../shared) against the independent numpy reference
// (tests/data/keras/velardo_reference.json, written by tools/keras_reference.py), its
// windows against our own kern encoding, and the errors of broken or foreign files.
#include "engine/core/FileIO.h"
#include "engine/io/KernReader.h"
#include "engine/keras/KerasMelodyModel.h"
#include "engine/keras/KerasModelFile.h"
#include "engine/music/SeedPreprocessing.h"
#include "engine/music/StepEncoding.h"
#include "engine/music/Vocabulary.h"

#include <QtTest/QtTest>

#include <filesystem>

using namespace melodist::engine;

namespace {

std::string testData(const char* name) { return qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/keras/" + name; }
std::string sharedDir() { return qEnvironmentVariable("MELODIST_SHARED_DIR").toStdString(); }
std::string seedModelDir() { return sharedDir() + "/seed-models/velardo"; }

nlohmann::json readJson(const std::string& path) {
    Result<std::string> text = readFileBytes(path);
    if (!text) qFatal("%s", text.error().c_str());
    return nlohmann::json::parse(*text);
}

bool contains(const std::string& text, const char* piece) { return text.find(piece) != std::string::npos; }

}  // namespace

class KerasImportTest : public QObject {
    Q_OBJECT

private slots:
    void seedModelMatchesTheIndependentNumpyReference() {
        if (!std::filesystem::exists(seedModelDir()))
            QSKIP("needs $MELODIST_SHARED_DIR/seed-models (the shared folder beside the checkout)");
        // GIVEN the seed model, its mapping, and the reference's windows and probabilities
        Result<LstmKernel> kernel = loadKerasMelodyLstm(seedModelDir() + "/model.h5");
        QVERIFY2(kernel.ok(), kernel ? "" : kernel.error().c_str());
        Result<Vocabulary> vocabulary = Vocabulary::load(seedModelDir() + "/mapping.json");
        QVERIFY(vocabulary.ok());
        QCOMPARE(kernel->vocabularySize(), 38);
        const nlohmann::json reference = readJson(testData("velardo_reference.json"));
        QVERIFY(reference["windows"].size() >= 5);
        double worst = 0.0;
        for (const nlohmann::json& window : reference["windows"]) {
            Result<std::vector<int>> ids = vocabulary->toIds(splitSymbols(window["symbols"].get<std::string>()));
            QVERIFY(ids.ok());
            // WHEN our kernel predicts the next symbol the seeds' way (zero state, whole window)
            Result<std::vector<float>> p = kernel->probabilities(*ids);
            QVERIFY(p.ok());
            // THEN every probability is within 1e-4 of the reference's
            const std::vector<double> expected = window["probabilities"].get<std::vector<double>>();
            QCOMPARE(p->size(), expected.size());
            for (size_t v = 0; v < expected.size(); ++v) worst = std::max(worst, std::abs((*p)[v] - expected[v]));
            QVERIFY2(worst <= 1e-4, qPrintable(QString::fromStdString(window["description"].get<std::string>()) +
                                               QStringLiteral(": max abs error %1").arg(worst)));
        }
        qInfo("max abs error over %d windows: %.3g", static_cast<int>(reference["windows"].size()), worst);
    }

    void referenceWindowsAreTheProjectsOwnSeedEncoding() {
        if (!std::filesystem::exists(sharedDir() + "/corpora/essen-deutschl/erk"))
            QSKIP("needs $MELODIST_SHARED_DIR/corpora (the shared folder beside the checkout)");
        // GIVEN the reference windows cut from Essen songs
        const nlohmann::json reference = readJson(testData("velardo_reference.json"));
        int checked = 0;
        for (const nlohmann::json& window : reference["windows"]) {
            if (!window.contains("song")) continue;
            const nlohmann::json& song = window["song"];
            // WHEN the song goes through readKernFile + preprocessForSeeds
            Result<Score> score = readKernFile(sharedDir() + "/corpora/" + song["file"].get<std::string>());
            QVERIFY(score.ok());
            const SeedSong encoded = preprocessForSeeds(*score);
            QVERIFY(encoded.kept);
            const size_t start = song["start"].get<size_t>(), count = song["count"].get<size_t>();
            QVERIFY(start + count <= encoded.symbols.size());
            std::vector<std::string> symbols(encoded.symbols.begin() + static_cast<ptrdiff_t>(start),
                                             encoded.symbols.begin() + static_cast<ptrdiff_t>(start + count));
            symbols.insert(symbols.end(), song["delimiters"].get<size_t>(), std::string(kSongDelimiterSymbol));
            // THEN the window is exactly that encoding
            QCOMPARE(joinSymbols(symbols), window["symbols"].get<std::string>());
            ++checked;
        }
        QCOMPARE(checked, 3);
    }

    void seedModelLayersAndWeightsAreReadAsSaved() {
        if (!std::filesystem::exists(seedModelDir()))
            QSKIP("needs $MELODIST_SHARED_DIR/seed-models (the shared folder beside the checkout)");
        // WHEN the seed file is read
        Result<KerasModel> model = readKerasModelFile(seedModelDir() + "/model.h5");
        QVERIFY2(model.ok(), model ? "" : model.error().c_str());
        // THEN its architecture and weight shapes are those Keras saved
        QCOMPARE(model->kerasVersion, std::string("2.2.4-tf"));
        QCOMPARE(model->layers.size(), size_t{4});
        QCOMPARE(model->layers[0].className, std::string("InputLayer"));
        const KerasLayer& lstm = model->layers[1];
        QCOMPARE(lstm.className, std::string("LSTM"));
        QCOMPARE(lstm.config["units"].get<int>(), 256);
        QCOMPARE(lstm.config["recurrent_activation"].get<std::string>(), std::string("sigmoid"));
        QCOMPARE(model->layers[2].className, std::string("Dropout"));
        QVERIFY(model->layers[2].weights.empty());
        QVERIFY(lstm.weight("recurrent_kernel") != nullptr);
        QCOMPARE(lstm.weight("recurrent_kernel")->shape, (std::vector<int64_t>{256, 1024}));
        QCOMPARE(lstm.weight("kernel")->shape, (std::vector<int64_t>{38, 1024}));
        QCOMPARE(model->layers[3].weight("kernel")->shape, (std::vector<int64_t>{256, 38}));
        QCOMPARE(model->layers[3].weight("bias")->values.size(), size_t{38});
    }

    void tinyKeras224FileReadsItsHardSigmoidConfig() {
        // GIVEN a Keras 2.2.4-style Sequential file (fixed-length string attributes)
        // WHEN it is read and checked
        Result<KerasModel> model = readKerasModelFile(testData("tiny_lstm.h5"));
        QVERIFY2(model.ok(), model ? "" : model.error().c_str());
        Result<LstmModelWeights> weights = melodyLstmWeights(*model);
        QVERIFY2(weights.ok(), weights ? "" : weights.error().c_str());
        // THEN the recurrent activation is the file's hard_sigmoid and the weights are in place
        QCOMPARE(model->kerasVersion, std::string("2.2.4"));
        QCOMPARE(model->modelClass, std::string("Sequential"));
        QVERIFY(weights->layers[0].recurrentActivation == LstmActivation::HardSigmoid);
        QCOMPARE(weights->layers[0].kernel[8 + 6], 2.5f);  // symbol 1, output gate of unit 0
        QCOMPARE(weights->denseBias, (std::vector<float>{0.1f, 0.0f, -0.1f}));
    }

    void aFileThatIsNotHdf5IsAClearError() {
        // GIVEN a text file named .h5
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.h5").toStdString();
        QVERIFY(writeFileAtomically(path, "{\"not\": \"a model\"}\n").ok());
        // WHEN it is read THEN the error names the file and says it is not HDF5
        Result<KerasModel> model = readKerasModelFile(path);
        QVERIFY(!model.ok());
        QVERIFY2(contains(model.error(), "not an HDF5 file") && contains(model.error(), path.c_str()), model.error().c_str());
        QVERIFY(contains(readKerasModelFile(path + ".absent").error(), "no such file"));
    }

    void aTruncatedFileIsAClearError() {
        // GIVEN the tiny model cut in half
        Result<std::string> bytes = readFileBytes(testData("tiny_lstm.h5"));
        QVERIFY(bytes.ok());
        QTemporaryDir dir;
        for (const size_t keep : {bytes->size() / 2, bytes->size() - 100, size_t{600}}) {
            const std::string path = dir.filePath(QStringLiteral("cut%1.h5").arg(keep)).toStdString();
            QVERIFY(writeFileAtomically(path, std::string_view(*bytes).substr(0, keep)).ok());
            // WHEN it is read THEN an error (never a crash) says the file is truncated or damaged
            Result<KerasModel> model = readKerasModelFile(path);
            QVERIFY(!model.ok());
            QVERIFY2(contains(model.error(), "truncated") || contains(model.error(), "damaged"), model.error().c_str());
        }
    }

    void aMissingWeightDatasetIsNamed() {
        // GIVEN a file whose lstm_1 lists bias:0 in weight_names without the dataset
        // WHEN it is read
        Result<KerasModel> model = readKerasModelFile(testData("tiny_missing_dataset.h5"));
        // THEN the error names the dataset path
        QVERIFY(!model.ok());
        QVERIFY2(contains(model.error(), "model_weights/lstm_1/lstm_1/bias:0"), model.error().c_str());
    }

    void unsupportedArchitecturesAreNamed() {
        Result<KerasModel> model = readKerasModelFile(testData("tiny_lstm.h5"));
        QVERIFY(model.ok());
        // GIVEN the tiny model with its LSTM turned into a GRU
        KerasModel gru = *model;
        gru.layers[0].className = "GRU";
        // WHEN it is checked THEN the error names the layer and the type
        Result<LstmModelWeights> refused = melodyLstmWeights(gru);
        QVERIFY(!refused.ok());
        QVERIFY2(contains(refused.error(), "'lstm_1'") && contains(refused.error(), "GRU"), refused.error().c_str());
        // GIVEN a relu activation, or a linear output layer THEN both are refused with the reason
        KerasModel relu = *model;
        relu.layers[0].config["activation"] = "relu";
        QVERIFY(contains(melodyLstmWeights(relu).error(), "relu"));
        KerasModel linear = *model;
        linear.layers[2].config["activation"] = "linear";
        QVERIFY(contains(melodyLstmWeights(linear).error(), "softmax"));
    }
};

QTEST_GUILESS_MAIN(KerasImportTest)
#include "KerasImportTest.moc"

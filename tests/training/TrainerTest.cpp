// SPDX-License-Identifier: GPL-3.0-or-later
// The training loop on a real (tiny) dataset: tests/data/corpus through `melodist
// preprocess`. Tiny models, one thread, a few hundred steps: loss goes down, a stopped
// and resumed run ends bit for bit where an uninterrupted one does, the run folder's
// models load back.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/model/Checkpoint.h"
#include "tests/common/TestSupport.h"
#include "training/Trainer.h"

#include <cmath>
#include <cstring>

using namespace melodist;
using namespace melodist::training;

namespace {

struct Recorded {
    std::vector<nlohmann::json> epochs;
    std::vector<std::string> events;
};

// Every tensor of `a` is in `b` with the same shape and the same bits.
QString compareTensors(const engine::Checkpoint& a, const engine::Checkpoint& b) {
    if (a.tensors.size() != b.tensors.size()) return QStringLiteral("tensor counts differ");
    for (const engine::CheckpointTensor& tensor : a.tensors) {
        const engine::CheckpointTensor* other = b.tensor(tensor.name);
        if (!other || other->shape != tensor.shape) return QString::fromStdString(tensor.name + " missing or reshaped");
        if (std::memcmp(tensor.values.data(), other->values.data(), tensor.values.size() * sizeof(float)) != 0)
            return QString::fromStdString(tensor.name + " differs");
    }
    return {};
}

}  // namespace

class TrainerTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_dataset;

    TrainOptions tiny(const char* run) const {
        TrainOptions options;
        options.datasetDir = m_dataset;
        options.runDir = m_dir.filePath(QLatin1String(run)).toStdString();
        options.layers = 1;
        options.units = 32;
        options.dropout = 0;
        options.sequenceLength = 16;
        options.batchSize = 4;
        options.validationSplit = 0;
        options.epochs = 25;
        options.learningRate = 0.01;
        options.warmupSteps = 0;
        options.patience = 0;
        options.threads = 1;
        options.device = "cpu";
        return options;
    }

    static engine::Result<TrainSummary> train(const TrainOptions& options, Recorded* recorded = nullptr,
                                       std::atomic<bool>* stop = nullptr, int64_t stopAtStep = 0) {
        return runTraining(
            options,
            [&](const std::string& event, const nlohmann::json& fields) {
                if (recorded) recorded->events.push_back(event);
                if (recorded && event == "epoch") recorded->epochs.push_back(fields);
                if (stop && event == "checkpoint" && fields.value("step", int64_t{0}) >= stopAtStep) *stop = true;
            },
            stop);
    }

    void lossGoesDown(TrainOptions options) {
        Recorded recorded;
        const auto summary = train(options, &recorded);
        QVERIFY2(summary, summary ? "" : summary.error().c_str());
        QCOMPARE(summary->status, std::string("done"));
        QCOMPARE(static_cast<int>(recorded.epochs.size()), options.epochs);
        const double first = recorded.epochs.front()["loss_train"], last = recorded.epochs.back()["loss_train"];
        QVERIFY2(last < 0.6 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
        QVERIFY(recorded.epochs.back()["accuracy_train"].get<double>() > recorded.epochs.front()["accuracy_train"].get<double>());
        QVERIFY(std::isfinite(recorded.epochs.back()["perplexity_train"].get<double>()));
        QVERIFY(recorded.epochs.back()["symbols_per_s"].get<double>() > 0);
    }

    // An uninterrupted run against the same run stopped at `stopAtStep` and resumed.
    void resumeIsExact(TrainOptions options, const char* name, int64_t stopAtStep) {
        const auto whole = train(options);
        QVERIFY2(whole, whole ? "" : whole.error().c_str());
        TrainOptions interrupted = options;
        interrupted.runDir += "-interrupted";
        interrupted.checkpointEverySteps = 1;
        std::atomic<bool> stop{false};
        const auto first = train(interrupted, nullptr, &stop, stopAtStep);
        QVERIFY2(first, first ? "" : first.error().c_str());
        QCOMPARE(first->status, std::string("stopped"));
        QVERIFY2(first->steps >= stopAtStep && first->steps < whole->steps, name);
        interrupted.resume = true;
        const auto second = train(interrupted);
        QVERIFY2(second, second ? "" : second.error().c_str());
        // THEN the same steps, epochs, metrics and the same weights and optimizer state, bit for bit
        QCOMPARE(second->steps, whole->steps);
        QCOMPARE(second->epochs, whole->epochs);
        QCOMPARE(second->bestValidLoss, whole->bestValidLoss);
        const auto a = engine::loadCheckpoint(options.runDir + "/last.melodist-model");
        const auto b = engine::loadCheckpoint(interrupted.runDir + "/last.melodist-model");
        QVERIFY(a && b);
        QVERIFY(a->tensor("optimizer.output.weight.exp_avg") && a->tensor("optimizer.output.weight.exp_avg_sq"));
        const QString difference = compareTensors(*a, *b);
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        const auto bestA = engine::loadCheckpoint(options.runDir + "/best.melodist-model");
        const auto bestB = engine::loadCheckpoint(interrupted.runDir + "/best.melodist-model");
        QVERIFY(bestA && bestB);
        QVERIFY2(compareTensors(*bestA, *bestB).isEmpty(), name);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString out = m_dir.filePath(QStringLiteral("data"));
        const auto run = test::runMelodist({QStringLiteral("preprocess"),
                                            qEnvironmentVariable("MELODIST_TEST_DATA") + QStringLiteral("/corpus"),
                                            QStringLiteral("--out"), out});
        QCOMPARE(run.exitCode, 0);
        m_dataset = out.toStdString();
    }

    void lstmLossGoesDownOnWindows() { lossGoesDown(tiny("lstm")); }

    void gruLossGoesDownOnWholeSongs() {
        TrainOptions options = tiny("gru");
        options.model = "gru";
        options.batching = BatchMode::Songs;
        options.batchSize = 2;
        lossGoesDown(options);
    }

    void transformerLossGoesDown() {
        TrainOptions options = tiny("transformer");
        options.model = "transformer";
        options.layers = 2;
        options.heads = 2;
        options.learningRate = 0.003;
        lossGoesDown(options);
    }

    void transformerLossGoesDownOnWholeSongsWithItsCacheCarried() {
        // Chunks of 8: every song spans several, each attending to the cached keys and values
        // of the chunks before it (detached), as incremental decoding does.
        TrainOptions options = tiny("transformer-songs");
        options.model = "transformer";
        options.layers = 2;
        options.heads = 2;
        options.learningRate = 0.003;
        options.batching = BatchMode::Songs;
        options.sequenceLength = 8;
        options.batchSize = 2;
        lossGoesDown(options);
    }

    void resumedWindowsRunEqualsTheUninterruptedOne() {
        TrainOptions options = tiny("resume-windows");
        options.layers = 2;
        options.dropout = 0.3;  // dropout's draws must repeat after the resume too
        options.epochs = 6;
        options.validationSplit = 0.3;
        options.lrSchedule = "plateau";
        resumeIsExact(options, "windows", 5);
    }

    void resumedSongsRunEqualsTheUninterruptedOne() {
        TrainOptions options = tiny("resume-songs");
        options.model = "gru";
        options.batching = BatchMode::Songs;
        options.batchSize = 1;
        options.sequenceLength = 8;
        options.dropout = 0.2;
        options.layers = 2;
        options.epochs = 3;
        options.augmentTranspose = 2;
        resumeIsExact(options, "songs", 4);
    }

    void runFolderHoldsLoadableModelsAndRunJson() {
        // GIVEN a finished run with validation
        TrainOptions options = tiny("folder");
        options.epochs = 3;
        options.validationSplit = 0.3;
        const auto summary = train(options);
        QVERIFY2(summary, summary ? "" : summary.error().c_str());
        // THEN best and last load, with the vocabulary, context and metrics in their metadata
        for (const char* name : {"/best.melodist-model", "/last.melodist-model"}) {
            const auto checkpoint = engine::loadCheckpoint(options.runDir + name);
            QVERIFY2(checkpoint, checkpoint ? name : checkpoint.error().c_str());
            const auto& metadata = checkpoint->metadata;
            QCOMPARE(metadata["architecture"]["type"].get<std::string>(), std::string("lstm"));
            QVERIFY(metadata["vocabulary"].size() > 5);
            QCOMPARE(metadata["vocabulary"][0].get<std::string>(), std::string("/"));
            QCOMPARE(metadata["context"]["default"].get<int>(), 16);
            QCOMPARE(metadata["context"]["seed_padding"].get<int>(), 16);
            QCOMPARE(metadata["corpus"]["songs"].get<int>(), 3);
            QVERIFY(metadata["metrics"]["best"].contains("loss_valid"));
            QVERIFY(metadata["metrics"]["machine"].contains("cpu"));
            QCOMPARE(metadata["training"]["units"].get<int>(), 32);
            QCOMPARE(metadata.contains("training_state"), std::string(name) == "/last.melodist-model");
        }
        const auto run = readRunJson(options.runDir);
        QVERIFY(run);
        QCOMPARE((*run)["status"].get<std::string>(), std::string("done"));
        QCOMPARE((*run)["metrics"]["steps"].get<int64_t>(), summary->steps);
        QCOMPARE((*run)["options"]["model"].get<std::string>(), std::string("lstm"));
    }

    void refusesToOverwriteOrToResumeAnotherModel() {
        TrainOptions options = tiny("refuse");
        options.maxSteps = 2;
        QVERIFY(train(options));
        // WHEN the same folder is trained again without --resume
        const auto again = train(options);
        QVERIFY(!again);
        QVERIFY2(again.error().find("--resume") != std::string::npos, again.error().c_str());
        // WHEN resumed with other units
        TrainOptions other = options;
        other.units = 64;
        const auto merged = optionsForResume(options, other, {"units", "epochs"});
        QVERIFY(!merged);
        QVERIFY2(merged.error().find("--units 64 (the run has 32)") != std::string::npos, merged.error().c_str());
        // and options not typed come from the run, typed training options win
        TrainOptions typed = tiny("refuse");
        typed.units = 64;
        typed.epochs = 9;
        const auto kept = optionsForResume(options, typed, {"epochs"});
        QVERIFY(kept);
        QCOMPARE(kept->units, 32);
        QCOMPARE(kept->epochs, 9);
    }

    void cudaWithoutCudaIsAClearError() {
        TrainOptions options = tiny("cuda");
        options.device = "cuda";
        options.maxSteps = 1;
        const auto result = train(options);
        if (result) QSKIP("this machine has CUDA");
        QVERIFY2(result.error().find("CUDA") != std::string::npos, result.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TrainerTest)
#include "TrainerTest.moc"

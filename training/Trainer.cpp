// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/Trainer.h"

#include "engine/model/BundledModels.h"
#include "engine/nn/SequenceNet.h"
#include "training/AdamOptimizer.h"
#include "training/Distributed.h"
#include "training/LearningRateSchedule.h"
#include "training/RunFolder.h"
#include "training/TrainingProgress.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <thread>

namespace melodist::training {
namespace {

using engine::makeError;
using engine::Result;
using engine::nn::NetState;
using engine::nn::SequenceNet;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

torch::Tensor idsTensor(const std::vector<int64_t>& ids, const Batch& batch, const torch::Device& device) {
    return torch::from_blob(const_cast<int64_t*>(ids.data()), {batch.rows, batch.steps}, torch::kInt64)
        .to(device, /*non_blocking=*/false, /*copy=*/true);
}

// Every parameter gets a gradient (zero when this rank had nothing to learn from), so
// every rank takes part in the same gradient average.
void ensureGradients(SequenceNet& net) {
    for (torch::Tensor& parameter : net.parameters())
        if (parameter.requires_grad() && !parameter.grad().defined()) parameter.mutable_grad() = torch::zeros_like(parameter);
}

LossTotals evaluate(SequenceNet& net, const BatchPlan& plan, DistributedGroup& group, const torch::Device& device) {
    torch::NoGradGuard noGrad;
    net.eval();
    LossTotals totals;
    NetState state;
    for (size_t b = 0; b < plan.size(); ++b) {
        const Batch batch = plan.batch(b, group.rank(), group.worldSize());
        if (batch.startsSequence) state.clear();
        if (batch.targetCount == 0) continue;  // this rank's rows have ended
        engine::nn::TrainingOutput out = net.trainingLoss(idsTensor(batch.inputs, batch, device),
                                                          idsTensor(batch.targets, batch, device), std::move(state),
                                                          kIgnoreTarget);
        totals.lossSum += out.loss.item<double>() * static_cast<double>(out.targets);
        totals.correct += out.correct;
        totals.targets += out.targets;
        state = std::move(out.state);
    }
    torch::Tensor sums = torch::tensor({totals.lossSum, static_cast<double>(totals.correct),
                                        static_cast<double>(totals.targets)}, torch::kFloat64);
    if (device.is_cuda()) sums = sums.to(device);
    group.sumInPlace(sums);
    sums = sums.cpu();
    net.train();
    return {sums[0].item<double>(), static_cast<int64_t>(sums[1].item<double>()), static_cast<int64_t>(sums[2].item<double>())};
}

class TrainingRun {
public:
    TrainingRun(const TrainOptions& options, const TrainEventSink& onEvent, const std::atomic<bool>* stop)
        : m_options(options), m_onEvent(onEvent), m_stop(stop) {}
    Result<TrainSummary> run();

private:
    Result<void> prepare();
    Result<void> saveLast(const std::string& status);
    Result<void> writeOwnRunJson(const std::string& status);
    Result<TrainSummary> finish(const std::string& status);
    void emit(const std::string& event, nlohmann::json fields) {
        if (m_group->rank() == 0 && m_onEvent) m_onEvent(event, fields);
    }
    bool stopAgreed();
    nlohmann::json metrics() const;

    TrainOptions m_options;
    const TrainEventSink& m_onEvent;
    const std::atomic<bool>* m_stop;
    TrainingDataset m_data;
    SongSplit m_split;
    BatchOptions m_batching;
    torch::Device m_device{torch::kCPU};
    std::unique_ptr<DistributedGroup> m_group;
    std::shared_ptr<SequenceNet> m_net;
    std::unique_ptr<AdamOptimizer> m_adam;
    std::unique_ptr<LearningRateSchedule> m_schedule;
    nlohmann::ordered_json m_metadata;
    TrainingProgress m_progress;
    int64_t m_plannedSteps = 0;
    nlohmann::json m_machine;
    double m_trainSeconds = 0;          // in optimizer steps, this process
    int64_t m_stepsThisProcess = 0;
    int64_t m_symbolsThisProcess = 0;  // input symbols over all ranks
    std::string m_weightsSha256;        // engine::weightsSha256 of the net, set when the run ends
    Clock::time_point m_start = Clock::now();
};

Result<void> TrainingRun::prepare() {
    if (const std::string problem = m_options.validate(); !problem.empty()) return makeError(problem);
    Result<TrainingDataset> data = TrainingDataset::load(m_options.datasetDir);
    if (!data) return makeError(data.error());
    m_data = std::move(*data);
    Result<torch::Device> device = engine::nn::resolveTorchDevice(m_options.device);
    if (!device) return makeError(device.error());
    m_device = DistributedGroup::localDevice(*device);
    if (m_device.is_cpu())
        torch::set_num_threads(m_options.threads > 0 ? m_options.threads
                                                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    Result<std::unique_ptr<DistributedGroup>> group = DistributedGroup::fromEnvironment(m_device);
    if (!group) return makeError(group.error());
    m_group = std::move(*group);

    m_split = splitBySong(m_data, m_options.validationSplit, m_options.rngSeed);
    if (m_split.train.empty()) return makeError(m_options.datasetDir + " has no song left to train on after the split");
    const bool windows = m_options.batching == BatchMode::Windows;
    m_batching = {.mode = m_options.batching,
                  .sequenceLength = m_options.sequenceLength,
                  .batchSize = m_options.batchSize,
                  .padding = windows ? m_options.sequenceLength : 1,
                  .augmentTranspose = m_options.augmentTranspose,
                  .seed = m_options.rngSeed};
    m_plannedSteps = static_cast<int64_t>(BatchPlan(m_data, m_split.train, m_batching, 0, true).size()) * m_options.epochs;
    if (m_options.maxSteps > 0) m_plannedSteps = std::min(m_plannedSteps, m_options.maxSteps);
    const int64_t warmup = m_options.warmupSteps >= 0 ? m_options.warmupSteps : std::min<int64_t>(1000, m_plannedSteps / 20);
    m_schedule = std::make_unique<LearningRateSchedule>(m_options.lrSchedule, m_options.learningRate, warmup, m_plannedSteps);
    m_metadata = modelMetadata(m_data, m_options, m_split);

    const std::string lastPath = m_options.runDir + "/" + kLastModelFileName;
    engine::nn::NetConfig config{.type = m_options.model,
                                 .vocabularySize = static_cast<int>(m_data.vocabulary.size()),
                                 .layers = m_options.layers,
                                 .units = m_options.units,
                                 .embed = m_options.embed,
                                 .dropout = static_cast<float>(m_options.dropout),
                                 .heads = m_options.heads};
    config.positionPeriod = m_options.positionPeriod;
    config.phraseLength = m_options.sequenceLength;
    if (m_options.resume) {
        Result<ResumePoint> point = loadResumePoint(lastPath);
        if (!point) return makeError(point.error());
        if (point->checkpoint.metadata.value("vocabulary", nlohmann::json()) != m_metadata["vocabulary"])
            return makeError(m_options.datasetDir + " has another vocabulary than the run in " + m_options.runDir +
                             " was trained on; resume with the same dataset");
        if (point->net->config().toJson() != config.toJson())
            return makeError(lastPath + " holds another model (" + point->net->config().toJson().dump() +
                             ") than the options describe; resume without model options or use a new --out folder");
        m_net = std::move(point->net);
        m_net->to(m_device);
        m_adam = std::make_unique<AdamOptimizer>(m_net->named_parameters());
        m_progress.restore(point->trainingState, *m_schedule);
        if (Result<void> restored = m_adam->restoreState(point->checkpoint, m_progress.step, lastPath); !restored)
            return restored;
    } else {
        if (std::filesystem::exists(lastPath))
            return makeError(m_options.runDir + " already holds a run (" + kLastModelFileName +
                             "); add --resume to continue it, or give another --out folder");
        std::error_code error;
        std::filesystem::create_directories(m_options.runDir, error);
        if (error) return makeError("cannot create the run folder " + m_options.runDir + ": " + error.message());
        torch::manual_seed(m_options.rngSeed);
        Result<std::shared_ptr<SequenceNet>> net = engine::nn::createSequenceNet(config);
        if (!net) return makeError(net.error());
        m_net = std::move(*net);
        m_net->to(m_device);
        m_group->broadcastParameters(*m_net);
        m_adam = std::make_unique<AdamOptimizer>(m_net->named_parameters());
    }
    m_net->train();
    m_machine = describeMachine(m_device.str());
    return {};
}

nlohmann::json TrainingRun::metrics() const {
    nlohmann::json metrics = {{"steps", m_progress.step},
                              {"epochs", m_progress.history.size()},
                              {"wall_time_s", m_progress.elapsedSeconds + secondsSince(m_start)},
                              {"best", m_progress.best},
                              {"symbols_per_s", m_trainSeconds > 0 ? static_cast<double>(m_symbolsThisProcess) / m_trainSeconds : 0.0},
                              {"machine", m_machine},
                              {"world_size", m_group->worldSize()},
                              {"rank", m_group->rank()},
                              {"split", {{"songs_train", m_split.train.size()}, {"songs_validation", m_split.validation.size()}}}};
    if (!m_progress.history.empty()) metrics["last_epoch"] = m_progress.history.back();
    if (!m_weightsSha256.empty()) metrics["weights_sha256"] = m_weightsSha256;
    return metrics;
}

Result<void> TrainingRun::saveLast(const std::string& status) {
    if (m_group->rank() != 0) return {};
    TrainingProgress saved = m_progress;
    saved.elapsedSeconds += secondsSince(m_start);
    const std::string path = m_options.runDir + "/" + kLastModelFileName;
    if (Result<void> written = saveRunCheckpoint(*m_net, m_adam.get(), m_metadata, metrics(), saved.state(*m_schedule), path);
        !written)
        return written;
    if (Result<void> written = writeRunJson(m_options, status, metrics(), m_group->worldSize()); !written) return written;
    emit("checkpoint", {{"kind", "last"}, {"path", path}, {"step", m_progress.step}, {"epoch", m_progress.epoch}});
    return {};
}

bool TrainingRun::stopAgreed() {
    const bool mine = m_stop && m_stop->load();
    if (m_group->worldSize() == 1) return mine;
    torch::Tensor flag = torch::tensor({mine ? 1.0 : 0.0}, torch::kFloat64);
    if (m_device.is_cuda()) flag = flag.to(m_device);
    m_group->sumInPlace(flag);
    return flag.cpu().item<double>() > 0;
}

// A rank > 0 keeps no model (rank 0 saves the shared weights) but records its end in its
// own --out folder: run.json, unless that folder holds another rank's run.json (the ranks
// share one folder, on one machine or a shared file system), which it leaves alone.
Result<void> TrainingRun::writeOwnRunJson(const std::string& status) {
    if (m_group->rank() == 0) return {};
    if (const Result<nlohmann::json> existing = readRunJson(m_options.runDir); existing) {
        const nlohmann::json stored = existing->value("metrics", nlohmann::json::object());
        const nlohmann::json writer = stored.is_object() ? stored.value("rank", nlohmann::json(0)) : nlohmann::json(0);
        if (writer != nlohmann::json(m_group->rank())) return {};
    }
    return writeRunJson(m_options, status, metrics(), m_group->worldSize());
}

Result<TrainSummary> TrainingRun::finish(const std::string& status) {
    // Every rank hashes its weights the way `melodist model-info` hashes a saved file, so
    // the runs (and rank 0's last.melodist-model) can be compared byte for byte.
    m_weightsSha256 = engine::weightsSha256(engine::nn::netToCheckpoint(*m_net, nlohmann::ordered_json::object()));
    if (Result<void> saved = saveLast(status); !saved) return makeError(saved.error());
    if (Result<void> written = writeOwnRunJson(status); !written) return makeError(written.error());
    TrainSummary summary{.steps = m_progress.step,
                         .epochs = static_cast<int>(m_progress.history.size()),
                         .bestValidLoss = std::isfinite(m_progress.bestLoss) ? m_progress.bestLoss : 0.0,
                         .status = status,
                         .metrics = metrics()};
    // Every rank reports its end (the other events are rank 0's alone).
    if (m_onEvent)
        m_onEvent("done", {{"status", status},
                           {"steps", summary.steps},
                           {"rank", m_group->rank()},
                           {"weights_sha256", m_weightsSha256},
                           {"metrics", summary.metrics}});
    return summary;
}

Result<TrainSummary> TrainingRun::run() {
    if (Result<void> prepared = prepare(); !prepared) return makeError(prepared.error());
    const int rank = m_group->rank(), world = m_group->worldSize();
    emit("start", {{"options", m_options.toJson()},
                   {"songs_train", m_split.train.size()},
                   {"songs_validation", m_split.validation.size()},
                   {"vocabulary_size", m_data.vocabulary.size()},
                   {"parameters", [&] { int64_t n = 0; for (const auto& p : m_net->parameters()) n += p.numel(); return n; }()},
                   {"planned_steps", m_plannedSteps},
                   {"step", m_progress.step},
                   {"resumed", m_options.resume},
                   {"device", m_device.str()},
                   {"world_size", world}});
    if (rank == 0)
        if (Result<void> written = writeRunJson(m_options, "running", metrics(), world); !written)
            return makeError(written.error());
    const std::string bestPath = m_options.runDir + "/" + kBestModelFileName;
    auto lastCheckpoint = Clock::now(), lastBatchEvent = Clock::time_point{};
    double& trainSeconds = m_trainSeconds;
    int64_t& stepsThisProcess = m_stepsThisProcess;

    while (m_progress.epoch < m_options.epochs) {
        const BatchPlan plan(m_data, m_split.train, m_batching, static_cast<uint64_t>(m_progress.epoch), true);
        NetState carried;
        int64_t symbolsEpoch = 0;
        double secondsEpoch = 0;
        for (; m_progress.batch < static_cast<int64_t>(plan.size()); ) {
            if (m_options.maxSteps > 0 && m_progress.step >= m_options.maxSteps) return finish("max_steps");
            const auto stepStart = Clock::now();
            const Batch batch = plan.batch(static_cast<size_t>(m_progress.batch), rank, world);
            if (batch.startsSequence) carried.clear();
            // Dropout (and a VAE's sampling) draws from a seed per step: a resumed run repeats them.
            torch::manual_seed(mixSeed(m_options.rngSeed, static_cast<uint64_t>(m_progress.step)) + static_cast<uint64_t>(rank));
            m_adam->zeroGrad();
            LossTotals stepTotals;
            if (batch.targetCount > 0) {
                engine::nn::TrainingOutput out = m_net->trainingLoss(idsTensor(batch.inputs, batch, m_device),
                                                                     idsTensor(batch.targets, batch, m_device),
                                                                     std::move(carried), kIgnoreTarget);
                out.loss.backward();
                const double loss = out.loss.item<double>();
                if (!std::isfinite(loss))
                    return makeError("the loss became " + std::to_string(loss) + " at step " +
                                     std::to_string(m_progress.step + 1) + "; lower --lr or raise --clip's strength");
                stepTotals = {loss * static_cast<double>(out.targets), out.correct, out.targets};
                carried = std::move(out.state);
            }
            ensureGradients(*m_net);
            m_group->averageGradients(*m_net);
            if (m_options.clip > 0) torch::nn::utils::clip_grad_norm_(m_net->parameters(), m_options.clip);
            const double rate = m_schedule->rate(m_progress.step);
            m_adam->step(rate);
            ++m_progress.step;
            ++m_progress.batch;
            ++stepsThisProcess;
            m_progress.epochTrain.lossSum += stepTotals.lossSum;
            m_progress.epochTrain.correct += stepTotals.correct;
            m_progress.epochTrain.targets += stepTotals.targets;
            const double stepSeconds = secondsSince(stepStart);
            trainSeconds += stepSeconds;
            secondsEpoch += stepSeconds;
            symbolsEpoch += batch.rows * batch.steps * world;
            m_symbolsThisProcess += batch.rows * batch.steps * world;

            const double perStep = trainSeconds / static_cast<double>(stepsThisProcess);
            if (rank == 0 && (stepsThisProcess == 1 || Clock::now() - lastBatchEvent > std::chrono::milliseconds(500))) {
                lastBatchEvent = Clock::now();
                nlohmann::json fields = m_progress.epochTrain.toJson("train");
                fields.update({{"epoch", m_progress.epoch + 1}, {"batch", m_progress.batch}, {"batches", plan.size()},
                               {"step", m_progress.step}, {"loss_batch", stepTotals.loss()}, {"lr", rate},
                               {"symbols_per_s", secondsEpoch > 0 ? static_cast<double>(symbolsEpoch) / secondsEpoch : 0.0},
                               {"eta_s", perStep * static_cast<double>(std::max<int64_t>(0, m_plannedSteps - m_progress.step))}});
                emit("batch", std::move(fields));
            }
            // With songs batching the state carries within a group: save and stop only between groups.
            const bool boundary = m_progress.batch >= static_cast<int64_t>(plan.size()) ||
                                  plan.startsSequence(static_cast<size_t>(m_progress.batch));
            if (!boundary) continue;
            if (stopAgreed()) return finish("stopped");
            const bool due = m_options.checkpointEverySteps > 0
                                 ? m_progress.step % m_options.checkpointEverySteps == 0
                                 : secondsSince(lastCheckpoint) >= m_options.checkpointEverySeconds;
            if (due && m_progress.batch < static_cast<int64_t>(plan.size())) {
                if (Result<void> saved = saveLast("running"); !saved) return makeError(saved.error());
                lastCheckpoint = Clock::now();
            }
        }

        // The epoch is complete: validate, schedule, keep the best, maybe stop early.
        const LossTotals valid = m_split.validation.empty()
                                 ? LossTotals{}
                                 : evaluate(*m_net, BatchPlan(m_data, m_split.validation, m_batching, 0, false), *m_group, m_device);
        torch::Tensor trainSums = torch::tensor({m_progress.epochTrain.lossSum, static_cast<double>(m_progress.epochTrain.correct),
                                                 static_cast<double>(m_progress.epochTrain.targets)}, torch::kFloat64);
        if (m_device.is_cuda()) trainSums = trainSums.to(m_device);
        m_group->sumInPlace(trainSums);
        trainSums = trainSums.cpu();
        const LossTotals train{trainSums[0].item<double>(), static_cast<int64_t>(trainSums[1].item<double>()),
                           static_cast<int64_t>(trainSums[2].item<double>())};
        const double decisive = valid.targets > 0 ? valid.loss() : train.loss();
        nlohmann::json epoch = train.toJson("train");
        if (valid.targets > 0) epoch.update(valid.toJson("valid"));
        epoch.update({{"epoch", m_progress.epoch + 1}, {"step", m_progress.step}, {"lr", m_schedule->rate(m_progress.step)},
                      {"symbols_per_s", secondsEpoch > 0 ? static_cast<double>(symbolsEpoch) / secondsEpoch : 0.0},
                      {"epoch_s", secondsEpoch},
                      {"eta_s", trainSeconds / static_cast<double>(std::max<int64_t>(1, stepsThisProcess)) *
                                    static_cast<double>(std::max<int64_t>(0, m_plannedSteps - m_progress.step))}});
        m_progress.history.push_back(epoch);
        m_progress.epochTrain = {};
        m_schedule->onEpoch(decisive);
        emit("epoch", epoch);
        const bool improved = decisive < m_progress.bestLoss;
        if (improved) {
            m_progress.bestLoss = decisive;
            m_progress.best = epoch;
            m_progress.badEpochs = 0;
            if (rank == 0) {
                nlohmann::json bestMetrics = metrics();
                if (Result<void> saved = saveRunCheckpoint(*m_net, nullptr, m_metadata, bestMetrics, {}, bestPath); !saved)
                    return makeError(saved.error());
                emit("checkpoint", {{"kind", "best"}, {"path", bestPath}, {"step", m_progress.step}, {"epoch", m_progress.epoch + 1}});
            }
        } else {
            ++m_progress.badEpochs;
        }
        const bool earlyStop = m_options.patience > 0 && valid.targets > 0 && m_progress.badEpochs >= m_options.patience;
        m_progress.epoch += 1;  // the data position after this epoch, as saved
        m_progress.batch = 0;
        if (earlyStop) {
            emit("early_stop", {{"epoch", m_progress.epoch}, {"best", m_progress.best}, {"patience", m_options.patience}});
            return finish("early_stop");
        }
        if (m_progress.epoch >= m_options.epochs) break;
        if (stopAgreed()) return finish("stopped");
        if (Result<void> saved = saveLast("running"); !saved) return makeError(saved.error());
        lastCheckpoint = Clock::now();
    }
    return finish("done");
}

}  // namespace

Result<TrainSummary> runTraining(const TrainOptions& options, const TrainEventSink& onEvent,
                                 const std::atomic<bool>* stopRequested) {
    try {
        return TrainingRun(options, onEvent, stopRequested).run();
    } catch (const c10::Error& error) {
        return makeError(std::string("LibTorch failed: ") + error.what_without_backtrace());
    } catch (const std::exception& error) {
        return makeError(std::string("training failed: ") + error.what());
    }
}

}  // namespace melodist::training

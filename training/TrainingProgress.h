// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// TrainingProgress: the trainer's bookkeeping -- loss/accuracy totals and the position
// and history of a run -- as JSON for the last checkpoint's "training_state", so a
// resumed run continues with the same data position, schedule and early-stop counters.
// No LibTorch. Plain value types of the training thread.
//
//   TrainingProgress progress;  progress.restore(checkpoint.metadata["training_state"], schedule);
//   metadata["training_state"] = progress.state(schedule);

#include "training/LearningRateSchedule.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace melodist::training {

// Loss, accuracy and perplexity over many targets.
struct LossTotals {
    double lossSum = 0;  // cross-entropy x targets
    int64_t correct = 0, targets = 0;

    double loss() const { return targets > 0 ? lossSum / static_cast<double>(targets) : 0.0; }
    double accuracy() const { return targets > 0 ? static_cast<double>(correct) / static_cast<double>(targets) : 0.0; }
    nlohmann::json toJson(const char* suffix) const {
        const std::string s = suffix;
        return {{"loss_" + s, loss()}, {"accuracy_" + s, accuracy()}, {"perplexity_" + s, std::exp(loss())}};
    }
    nlohmann::json state() const { return {{"loss_sum", lossSum}, {"correct", correct}, {"targets", targets}}; }
    static LossTotals fromState(const nlohmann::json& json) {
        return {json.value("loss_sum", 0.0), json.value("correct", int64_t{0}), json.value("targets", int64_t{0})};
    }
};

// Everything the last checkpoint holds besides the weights and Adam's moments.
struct TrainingProgress {
    int epoch = 0;        // the epoch in progress
    int64_t batch = 0;    // its next batch
    int64_t step = 0;     // optimizer steps done
    LossTotals epochTrain;    // the epoch in progress so far
    double bestLoss = std::numeric_limits<double>::infinity();
    nlohmann::json best = nlohmann::json::object();  // the best epoch's metrics
    int badEpochs = 0;
    double elapsedSeconds = 0;  // earlier parts of the run
    nlohmann::json history = nlohmann::json::array();

    nlohmann::json state(const LearningRateSchedule& schedule) const {
        return {{"epoch", epoch},     {"batch", batch}, {"step", step}, {"epoch_train", epochTrain.state()},
                {"best_loss", std::isfinite(bestLoss) ? nlohmann::json(bestLoss) : nlohmann::json()},
                {"best", best},       {"bad_epochs", badEpochs},        {"elapsed_s", elapsedSeconds},
                {"history", history}, {"schedule", schedule.state()}};
    }
    void restore(const nlohmann::json& state, LearningRateSchedule& schedule) {
        epoch = state.value("epoch", 0);
        batch = state.value("batch", int64_t{0});
        step = state.value("step", int64_t{0});
        epochTrain = LossTotals::fromState(state.value("epoch_train", nlohmann::json::object()));
        bestLoss = state.contains("best_loss") && state["best_loss"].is_number() ? state["best_loss"].get<double>()
                                                                               : std::numeric_limits<double>::infinity();
        best = state.value("best", nlohmann::json::object());
        badEpochs = state.value("bad_epochs", 0);
        elapsedSeconds = state.value("elapsed_s", 0.0);
        history = state.value("history", nlohmann::json::array());
        schedule.restore(state.value("schedule", nlohmann::json::object()));
    }
};

}  // namespace melodist::training

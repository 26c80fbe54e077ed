// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Trainer: the training loop of `melodist train` -- a SequenceNet (engine/nn) trained
// on a preprocessed dataset with Adam, a learning-rate schedule, gradient clipping and
// early stopping; data-parallel over processes when RANK/WORLD_SIZE say so
// (Distributed.h). It keeps the run folder:
//   run.json             the options, the status and the metrics (rewritten atomically)
//   last.melodist-model  the net, and (training state) Adam's moments as tensors
//                        "optimizer.<param>.exp_avg|exp_avg_sq" plus metadata
//                        "training_state" {epoch, batch, step, schedule, early stop,
//                        partial epoch metrics}: --resume continues bit for bit
//   best.melodist-model  the net with the best validation loss so far
// Checkpoints: each epoch and every checkpointEverySeconds (or every N steps); with
// songs batching only between song groups, where no state is carried. A stop request
// (SIGINT/SIGTERM in the CLI) ends the current step (song group), saves last and
// returns normally. Dropout draws are seeded per step, so resumed runs repeat them.
// Mixed precision is not used: LibTorch 1.13's C++ API has no autocast scope or
// gradient scaler, and the small recurrent nets here are bound by kernel launches.
// No LibTorch in this header. Runs on the calling thread, which owns everything.
//
//   TrainOptions options{.datasetDir = "essen-data", .runDir = "runs/a"};
//   Result<TrainSummary> summary = runTraining(options, [](const std::string& event,
//       const nlohmann::json& fields) { progress.write(event, fields); }, &stopRequested);

#include "engine/core/Result.h"
#include "training/TrainOptions.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace melodist::training {

// Called on the training thread: "start", "batch" (the first, then at most every 0.5 s),
// "epoch", "checkpoint", "early_stop", "done" (with the status; errors come back as the
// Result). Only rank 0 reports, but "done" (with its rank and weights_sha256) comes from every rank.
using TrainEventSink = std::function<void(const std::string& event, const nlohmann::json& fields)>;

struct TrainSummary {
    int64_t steps = 0;        // optimizer steps over the whole run (resumed parts included)
    int epochs = 0;           // epochs completed
    double bestValidLoss = 0; // NaN-free; the training loss when there is no validation set
    std::string status;       // "done", "early_stop", "max_steps", "stopped"
    nlohmann::json metrics;   // as in run.json
};

engine::Result<TrainSummary> runTraining(const TrainOptions& options, const TrainEventSink& onEvent,
                                         const std::atomic<bool>* stopRequested = nullptr);

}  // namespace melodist::training

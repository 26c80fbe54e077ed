// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// TrainOptions: everything `melodist train` is told -- the model, the data, the
// optimisation and how the run is kept -- and run.json, which stores them in the run
// folder so `--resume` continues with the same ones (and its status and metrics). No LibTorch. A plain value type.
//
//   TrainOptions options{.datasetDir = "essen-data", .runDir = "runs/a", .model = "gru"};
//   Result<TrainOptions> resumed = optionsForResume(stored, options, {"epochs"});

#include "engine/core/Result.h"
#include "training/data/TrainingData.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>

namespace melodist::training {

inline constexpr const char* kRunFileName = "run.json";
inline constexpr const char* kLastModelFileName = "last.melodist-model";
inline constexpr const char* kBestModelFileName = "best.melodist-model";

struct TrainOptions {
    std::string datasetDir;
    std::string runDir;
    // The model (engine/nn/SequenceNet.h NetConfig)
    std::string model = "lstm";  // lstm | gru | lstm-attn | transformer | vae
    int layers = 2;
    int units = 256;
    int embed = 0;               // 0: one-hot input (the seeds')
    double dropout = 0.2;
    int heads = 4;
    int positionPeriod = 0;  // lstm-attn: metric-phase embedding period in steps (0: none); needs songs batching
    // The data
    BatchMode batching = BatchMode::Windows;
    int sequenceLength = 64;
    int batchSize = 64;          // rows per optimizer step over all processes
    double validationSplit = 0.1;
    uint64_t rngSeed = 1;
    int augmentTranspose = 0;
    // The optimisation
    int epochs = 30;
    double learningRate = 1e-3;
    std::string lrSchedule = "cosine";  // cosine | plateau
    int64_t warmupSteps = -1;    // -1: 5 % of the planned steps, at most 1000
    double clip = 1.0;           // gradient norm; 0: no clipping
    int patience = 5;            // epochs without a better validation loss; 0: never stop early
    int64_t maxSteps = 0;        // 0: no limit (tests, smoke runs)
    // The run
    std::string device = "auto"; // auto | cpu | cuda
    int threads = 0;             // 0: hardware threads
    bool resume = false;
    int64_t checkpointEverySteps = 0;    // 0: each epoch and every checkpointEverySeconds
    double checkpointEverySeconds = 120;

    nlohmann::ordered_json toJson() const;  // run.json's "options"
    // Errors name the key and value; keys absent keep their defaults.
    static engine::Result<TrainOptions> fromJson(const nlohmann::json& json);
    // A usage problem ("--layers must be 1..16"), or empty.
    std::string validate() const;
};

// The keys of toJson() that decide the model or its data: a resumed run must keep them.
bool isModelOption(const std::string& key);

// The options a `--resume` continues with: `stored` (run.json), overridden by the
// requested values whose keys are in `given` (the options the user typed, run.json
// spelling). An error names every given model option that differs, with both values.
engine::Result<TrainOptions> optionsForResume(const TrainOptions& stored, const TrainOptions& requested,
                                              const std::set<std::string>& given);

// RUN_DIR/run.json: {"format", "status", "updated", "world_size", "options", "metrics"},
// written atomically; a read error names the file.
engine::Result<void> writeRunJson(const TrainOptions& options, const std::string& status, const nlohmann::json& metrics,
                                  int worldSize);
engine::Result<nlohmann::json> readRunJson(const std::string& runDir);

}  // namespace melodist::training

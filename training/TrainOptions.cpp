// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/TrainOptions.h"

#include "engine/core/FileIO.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>

namespace melodist::training {
namespace {

using engine::makeError;

constexpr std::array kModelKeys = {"model", "layers", "units", "embed", "dropout", "heads", "position_period", "batching",
                                   "seq_len", "batch", "val_split", "rng_seed", "augment_transpose"};

std::string flagOf(const std::string& key) {
    std::string flag = "--" + key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
}

std::string isoTimeNow() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace

nlohmann::ordered_json TrainOptions::toJson() const {
    return {{"dataset", datasetDir},
            {"out", runDir},
            {"model", model},
            {"layers", layers},
            {"units", units},
            {"embed", embed},
            {"dropout", dropout},
            {"heads", heads},
            {"position_period", positionPeriod},
            {"batching", batchModeName(batching)},
            {"seq_len", sequenceLength},
            {"batch", batchSize},
            {"val_split", validationSplit},
            {"rng_seed", rngSeed},
            {"augment_transpose", augmentTranspose},
            {"epochs", epochs},
            {"lr", learningRate},
            {"lr_schedule", lrSchedule},
            {"warmup", warmupSteps},
            {"clip", clip},
            {"patience", patience},
            {"max_steps", maxSteps},
            {"device", device},
            {"threads", threads},
            {"checkpoint_every", checkpointEverySteps},
            {"checkpoint_every_s", checkpointEverySeconds}};
}

engine::Result<TrainOptions> TrainOptions::fromJson(const nlohmann::json& json) {
    TrainOptions options;
    if (!json.is_object()) return makeError("the options are not a JSON object");
    std::string failed;
    const auto read = [&](const char* key, auto& field) {
        const auto it = json.find(key);
        if (it == json.end()) return;
        try {
            field = it->get<std::remove_reference_t<decltype(field)>>();
        } catch (const nlohmann::json::exception&) {
            if (failed.empty()) failed = std::string("option '") + key + "' has a wrong type: " + it->dump();
        }
    };
    read("dataset", options.datasetDir);
    read("out", options.runDir);
    read("model", options.model);
    read("layers", options.layers);
    read("units", options.units);
    read("embed", options.embed);
    read("dropout", options.dropout);
    read("heads", options.heads);
    read("position_period", options.positionPeriod);
    std::string batching = batchModeName(options.batching);
    read("batching", batching);
    options.batching = batching == "songs" ? BatchMode::Songs : BatchMode::Windows;
    read("seq_len", options.sequenceLength);
    read("batch", options.batchSize);
    read("val_split", options.validationSplit);
    read("rng_seed", options.rngSeed);
    read("augment_transpose", options.augmentTranspose);
    read("epochs", options.epochs);
    read("lr", options.learningRate);
    read("lr_schedule", options.lrSchedule);
    read("warmup", options.warmupSteps);
    read("clip", options.clip);
    read("patience", options.patience);
    read("max_steps", options.maxSteps);
    read("device", options.device);
    read("threads", options.threads);
    read("checkpoint_every", options.checkpointEverySteps);
    read("checkpoint_every_s", options.checkpointEverySeconds);
    if (!failed.empty()) return makeError(failed);
    if (batching != "songs" && batching != "windows") return makeError("option 'batching' is '" + batching + "'");
    return options;
}

std::string TrainOptions::validate() const {
    static const std::array kModels = {"lstm", "gru", "lstm-attn", "transformer", "vae"};
    if (std::find(kModels.begin(), kModels.end(), model) == kModels.end())
        return "--model is lstm, gru, lstm-attn, transformer or vae, not '" + model + "'";
    if (layers < 1 || layers > 16) return "--layers must be 1..16";
    if (units < 1 || units > 8192) return "--units must be 1..8192";
    if (embed < 0 || embed > 8192) return "--embed must be 0 (one-hot) .. 8192";
    if (!(dropout >= 0 && dropout < 1)) return "--dropout must be at least 0 and below 1";
    if (heads < 1 || (model == "transformer" && units % heads != 0))
        return "--heads must be at least 1 and divide --units for the transformer";
    if (positionPeriod < 0 || positionPeriod > 4096) return "--position-period must be 0 (none) .. 4096 steps";
    if (positionPeriod > 0 && (model != "lstm-attn" || embed < 1 || batching != BatchMode::Songs))
        return "--position-period needs --model lstm-attn with --embed above 0 and --batching songs (positions count from the song's start)";
    if (sequenceLength < 1 || sequenceLength > 65536) return "--seq-len must be 1..65536";
    if (batchSize < 1 || batchSize > 65536) return "--batch must be 1..65536";
    if (!(validationSplit >= 0 && validationSplit < 1)) return "--val-split must be at least 0 and below 1";
    if (augmentTranspose < 0 || augmentTranspose > 11) return "--augment-transpose must be 0..11 semitones";
    if (epochs < 1) return "--epochs must be at least 1";
    if (!(learningRate > 0 && learningRate < 10)) return "--lr must be above 0 (and below 10)";
    if (lrSchedule != "cosine" && lrSchedule != "plateau") return "--lr-schedule is cosine or plateau, not '" + lrSchedule + "'";
    if (warmupSteps < -1) return "--warmup is a number of steps (0: none)";
    if (!(clip >= 0)) return "--clip must be 0 (off) or a positive gradient norm";
    if (patience < 0) return "--patience must be 0 (off) or a number of epochs";
    if (maxSteps < 0) return "--max-steps must be 0 (no limit) or positive";
    if (device != "auto" && device != "cpu" && device != "cuda")
        return "--device is auto, cpu or cuda, not '" + device + "'";
    if (threads < 0) return "--threads must be 0 (all hardware threads) or positive";
    if (checkpointEverySteps < 0) return "--checkpoint-every must be 0 (each epoch and every 2 minutes) or positive";
    if (batching == BatchMode::Songs && model == "vae")
        return "--batching songs carries a state from chunk to chunk; use it with lstm, gru, lstm-attn or "
               "transformer (the vae trains on windows)";
    return {};
}

bool isModelOption(const std::string& key) {
    return std::find(kModelKeys.begin(), kModelKeys.end(), key) != kModelKeys.end();
}

engine::Result<TrainOptions> optionsForResume(const TrainOptions& stored, const TrainOptions& requested,
                                              const std::set<std::string>& given) {
    nlohmann::ordered_json merged = stored.toJson();
    const nlohmann::ordered_json wanted = requested.toJson();
    std::string conflicts;
    for (const auto& [key, value] : wanted.items()) {
        if (!given.count(key) || merged[key] == value) continue;
        if (isModelOption(key)) {
            conflicts += (conflicts.empty() ? "" : ", ") + flagOf(key) + " " +
                         (value.is_string() ? value.get<std::string>() : value.dump()) + " (the run has " +
                         (merged[key].is_string() ? merged[key].get<std::string>() : merged[key].dump()) + ")";
            continue;
        }
        merged[key] = value;
    }
    if (!conflicts.empty())
        return makeError("cannot resume " + stored.runDir + " with different model options: " + conflicts +
                         "; leave them out to continue the run as it was, or train into a new --out folder");
    merged["dataset"] = requested.datasetDir;
    merged["out"] = requested.runDir;
    engine::Result<TrainOptions> options = TrainOptions::fromJson(merged);
    if (options) options->resume = true;
    return options;
}

engine::Result<void> writeRunJson(const TrainOptions& options, const std::string& status, const nlohmann::json& metrics,
                                  int worldSize) {
    const nlohmann::ordered_json run = {{"format", "melodist-run"},
                                        {"status", status},
                                        {"updated", isoTimeNow()},
                                        {"world_size", worldSize},
                                        {"options", options.toJson()},
                                        {"metrics", metrics}};
    return engine::writeFileAtomically(options.runDir + "/" + kRunFileName, run.dump(2) + "\n");
}

engine::Result<nlohmann::json> readRunJson(const std::string& runDir) {
    const std::string path = runDir + "/" + kRunFileName;
    engine::Result<std::string> bytes = engine::readFileBytes(path);
    if (!bytes) return makeError(bytes.error());
    nlohmann::json run = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
    if (run.is_discarded() || !run.is_object() || !run.contains("options"))
        return makeError(path + " is damaged (not a run.json written by 'melodist train')");
    return run;
}

}  // namespace melodist::training

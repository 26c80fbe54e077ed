// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/RunFolder.h"

#include "engine/core/FileIO.h"
#include "engine/music/StepEncoding.h"
#include "engine/system/SystemInfo.h"

#include <filesystem>
#include <fstream>
#include <thread>

namespace melodist::training {
namespace {

using engine::makeError;
using engine::Result;

std::string cpuModelName() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line))
        if (line.rfind("model name", 0) == 0) {
            const size_t colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(line.find_first_not_of(' ', colon + 1));
        }
    return "unknown CPU";
}

}  // namespace

nlohmann::ordered_json modelMetadata(const TrainingDataset& data, const TrainOptions& options, const SongSplit& split) {
    const nlohmann::json preprocess = data.manifest.value("options", nlohmann::json::object());
    const bool windows = options.batching == BatchMode::Windows;
    uint64_t trainSymbols = 0;
    for (uint32_t song : split.train) trainSymbols += data.song(song).size();
    std::string datasetPath = data.dir;
    std::error_code error;
    if (const auto absolute = std::filesystem::absolute(data.dir, error); !error) datasetPath = absolute.lexically_normal();
    return {
        {"vocabulary", data.vocabulary.symbols()},
        {"encoding",
         {{"type", preprocess.value("encoding", "steps")},
          {"time_step", preprocess.value("time_step", "1/4")},
          {"transposition", preprocess.value("transpose", true) ? "C major / A minor" : "none"},
          {"preprocess", preprocess}}},
        // Windows: predictions from the last seq_len symbols (a zero state each), songs
        // padded with seq_len "/"; songs batching: the state carried from one "/".
        {"context",
         {{"default", windows ? options.sequenceLength : 0},
          {"seed_padding", windows ? options.sequenceLength : 1},
          {"padding_symbol", std::string(engine::kSongDelimiterSymbol)}}},
        {"corpus",
         {{"dataset", datasetPath},
          {"inputs", data.manifest.value("inputs", nlohmann::json::array())},
          {"songs", data.songCount()},
          {"symbols", data.binary.tokens.size()},
          {"train_songs", split.train.size()},
          {"train_symbols", trainSymbols},
          {"validation_songs", split.validation.size()}}},
        {"training", options.toJson()},
        {"source", {{"made_by", "melodist train"}, {"melodist", engine::melodistVersion()}}},
    };
}

Result<void> saveRunCheckpoint(engine::nn::SequenceNet& net, const AdamOptimizer* adam,
                               nlohmann::ordered_json metadata, const nlohmann::json& metrics,
                               const nlohmann::json& trainingState, const std::string& path) {
    metadata["metrics"] = metrics;
    if (adam) metadata["training_state"] = trainingState;
    engine::Checkpoint checkpoint = engine::nn::netToCheckpoint(net, std::move(metadata));
    if (adam) adam->appendState(checkpoint);
    return engine::saveCheckpoint(checkpoint, path);
}

Result<ResumePoint> loadResumePoint(const std::string& path) {
    if (!std::filesystem::exists(path))
        return makeError(path + " does not exist, so there is nothing to resume; train without --resume");
    Result<engine::Checkpoint> checkpoint = engine::loadCheckpoint(path);
    if (!checkpoint) return makeError(checkpoint.error());
    const auto state = checkpoint->metadata.find("training_state");
    if (state == checkpoint->metadata.end() || !state->is_object())
        return makeError(path + " has no training state (optimizer, data position); it was not written by "
                                "'melodist train', so the run cannot be resumed");
    Result<std::shared_ptr<engine::nn::SequenceNet>> net = engine::nn::netFromCheckpoint(*checkpoint, path);
    if (!net) return makeError(net.error());
    ResumePoint point;
    point.trainingState = nlohmann::json::parse(state->dump());
    point.checkpoint = std::move(*checkpoint);
    point.net = std::move(*net);
    return point;
}

nlohmann::json describeMachine(const std::string& device) {
    const engine::BlasInfo blas = engine::detectBlas();
    return {{"cpu", cpuModelName()},
            {"hardware_threads", std::thread::hardware_concurrency()},
            {"torch_threads", at::get_num_threads()},
            {"device", device},
            {"libtorch", TORCH_VERSION},
            {"blas", blas.version.empty() ? blas.name : blas.version}};
}

}  // namespace melodist::training

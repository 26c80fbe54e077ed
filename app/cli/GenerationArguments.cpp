// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/GenerationArguments.h"

#include "app/cli/Commands.h"
#include "engine/model/MelodyModel.h"

#include <filesystem>

namespace melodist::cli {

std::vector<OptionSpec> withGenerationOptions(std::vector<OptionSpec> specs) {
    for (const char* name : {"temperature", "top-k", "top-p", "candidates", "context", "rng-seed", "device", "key", "range",
                             "max-note-steps", "max-rest-ratio"})
        specs.push_back({name, true});
    specs.push_back({"keep-key", false});
    return specs;
}

std::string parseDevice(const CommandLine& args, engine::DeviceChoice& device) {
    const engine::Result<engine::DeviceChoice> choice = engine::parseDeviceChoice(args.value("device", "auto"));
    if (!choice) return "--device: " + choice.error();
    device = *choice;
    return {};
}

std::string parseGenerationOptions(CommandLine& args, engine::GenerationOptions& options) {
    options.sampling.temperature = static_cast<float>(args.number("temperature", 1.0));
    options.sampling.topK = static_cast<int>(args.integer("top-k", 0));
    options.sampling.topP = static_cast<float>(args.number("top-p", 1.0));
    const long candidates = args.integer("candidates", 1);
    const long context = args.integer("context", -1);
    const long rngSeed = args.integer("rng-seed", 0);
    const long maxNoteSteps = args.integer("max-note-steps", 0);
    const double maxRestRatio = args.number("max-rest-ratio", -1.0);
    if (!args.error().empty()) return args.error();
    if (!(options.sampling.temperature >= 0.0f)) return "--temperature is 0 or more";
    if (options.sampling.topK < 0) return "--top-k is 0 (all) or more";
    if (!(options.sampling.topP > 0.0f && options.sampling.topP <= 1.0f)) return "--top-p is in (0, 1]";
    if (candidates < 1 || candidates > 4096) return "--candidates is 1..4096";
    options.candidates = static_cast<int>(candidates);
    if (args.has("context") && (context < 0 || context > 1 << 20)) return "--context is 0 (carry the state) or a number of symbols";
    options.context = static_cast<int>(context);
    if (rngSeed < 0) return "--rng-seed is 0 or more";
    options.rngSeed = static_cast<uint64_t>(rngSeed);
    if (const std::string error = parseDevice(args, options.device); !error.empty()) return error;
    if (args.has("key")) {
        const engine::Result<engine::ScaleKey> key = engine::parseScaleKey(args.value("key"));
        if (!key) return "--key: " + key.error();
        options.constraints.key = *key;
    }
    if (args.has("range")) {
        const engine::Result<engine::PitchRange> range = engine::parsePitchRange(args.value("range"));
        if (!range) return "--range: " + range.error();
        options.constraints.range = *range;
    }
    if (args.has("max-note-steps") && (maxNoteSteps < 1 || maxNoteSteps > 1 << 20))
        return "--max-note-steps is a number of steps, 1 or more (16 = a whole note on the 16th grid)";
    options.constraints.maxNoteSteps = static_cast<int>(maxNoteSteps);
    if (args.has("max-rest-ratio") && !(maxRestRatio >= 0.0 && maxRestRatio <= 1.0)) return "--max-rest-ratio is a fraction 0..1";
    options.constraints.maxRestRatio = args.has("max-rest-ratio") ? maxRestRatio : -1.0;
    options.normaliseKey = !args.has("keep-key");
    return {};
}

int handOverIfNeedsLibTorch([[maybe_unused]] const std::string& modelPath, [[maybe_unused]] engine::DeviceChoice device,
                            [[maybe_unused]] char** argv) {
#ifndef MELODIST_CLI_TORCH
    // Errors (a missing or damaged file) stay here: loading reports them in full.
    const engine::Result<bool> needs = engine::MelodyModel::needsLibTorch(modelPath, device);
    if (needs && *needs && engine::torchBackendLoader() == nullptr) return runInMelodistMl(argv);
#endif
    return -1;
}

nlohmann::ordered_json keyStats(const std::string& name, const std::optional<engine::ScaleKey>& key, bool estimated, int transpose) {
    return {{name, key ? nlohmann::ordered_json(key->name()) : nlohmann::ordered_json()},
            {name + "_estimated", estimated},
            {"transpose", transpose}};
}

nlohmann::ordered_json constraintStats(const engine::MelodyConstraints& constraints) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    if (constraints.key) out["key"] = constraints.key->name();
    if (constraints.range) out["range"] = {constraints.range->lowest, constraints.range->highest};
    if (constraints.maxNoteSteps > 0) out["max_note_steps"] = constraints.maxNoteSteps;
    if (constraints.maxRestRatio >= 0.0) out["max_rest_ratio"] = constraints.maxRestRatio;
    return out;
}

std::string numberedPath(const std::string& path, size_t index) {
    if (index == 0) return path;
    const std::filesystem::path p(path);
    return (p.parent_path() / (p.stem().string() + "-" + std::to_string(index + 1) + p.extension().string())).string();
}

}  // namespace melodist::cli

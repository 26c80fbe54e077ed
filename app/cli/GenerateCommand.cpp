// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist generate`: continue a seed with a .melodist-model on the fp32 kernel
// (engine/generation/MelodyGenerator.h); MIDI per candidate, optional text and stats.
// No LibTorch.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "engine/generation/MelodyGenerator.h"
#include "engine/io/MidiFile.h"
#include "engine/music/StepEncoding.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>

namespace melodist::cli {
namespace {

// melody.mid, melody-2.mid, melody-3.mid, ...
std::string candidatePath(const std::string& path, size_t candidate) {
    if (candidate == 0) return path;
    const std::filesystem::path p(path);
    return (p.parent_path() / (p.stem().string() + "-" + std::to_string(candidate + 1) + p.extension().string())).string();
}

}  // namespace

int runGenerate(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     {{"model", true}, {"seed", true}, {"steps", true}, {"temperature", true}, {"top-k", true},
                      {"top-p", true}, {"candidates", true}, {"context", true}, {"rng-seed", true}, {"out", true},
                      {"text", false}, {"stats", false}});
    if (!args.error().empty()) return usageError("generate", args.error());
    if (!args.positional().empty()) return usageError("generate", "unexpected argument '" + args.positional().front() + "'");
    if (!args.has("model")) return usageError("generate", "give the model with --model FILE.melodist-model");
    if (!args.has("seed")) return usageError("generate", "give the start of the melody with --seed \"67 _ 65 ...\"");
    engine::GenerationOptions options;
    options.steps = static_cast<int>(args.integer("steps", 500));
    options.sampling.temperature = static_cast<float>(args.number("temperature", 1.0));
    options.sampling.topK = static_cast<int>(args.integer("top-k", 0));
    options.sampling.topP = static_cast<float>(args.number("top-p", 1.0));
    options.candidates = static_cast<int>(args.integer("candidates", 1));
    options.context = static_cast<int>(args.integer("context", -1));
    const long rngSeed = args.integer("rng-seed", 0);
    if (!args.error().empty()) return usageError("generate", args.error());
    if (options.steps < 0 || options.steps > 1000000) return usageError("generate", "--steps is 0..1000000");
    if (!(options.sampling.temperature >= 0.0f)) return usageError("generate", "--temperature is 0 or more");
    if (options.sampling.topK < 0) return usageError("generate", "--top-k is 0 (all) or more");
    if (!(options.sampling.topP > 0.0f && options.sampling.topP <= 1.0f)) return usageError("generate", "--top-p is in (0, 1]");
    if (options.candidates < 1 || options.candidates > 4096) return usageError("generate", "--candidates is 1..4096");
    if (args.has("context") && (options.context < 0 || options.context > 1 << 20))
        return usageError("generate", "--context is 0 (carry the state) or a number of symbols");
    if (rngSeed < 0) return usageError("generate", "--rng-seed is 0 or more");
    options.rngSeed = static_cast<uint64_t>(rngSeed);
    const std::string output = args.value("out", "melody.mid");

    const engine::Result<engine::MelodyModel> model = engine::MelodyModel::load(args.value("model"));
    if (!model) {
        std::fprintf(stderr, "melodist generate: %s\n", model.error().c_str());
        return 1;
    }
    const std::vector<std::string> seed = engine::splitSymbols(args.value("seed"));
    const auto started = std::chrono::steady_clock::now();
    const engine::Result<engine::GeneratedMelodies> generated = engine::generateMelodies(*model, seed, options);
    const double generationMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (!generated) {
        std::fprintf(stderr, "melodist generate: %s\n", generated.error().c_str());
        return 1;
    }
    for (size_t c = 0; c < generated->melodies.size(); ++c) {
        const std::vector<std::string>& melody = generated->melodies[c];
        engine::Result<engine::Part> part = engine::decodeGeneratedMelody(melody);
        if (!part) {
            std::fprintf(stderr, "melodist generate: candidate %zu: %s\n", c + 1, part.error().c_str());
            return 1;
        }
        engine::Score score;
        score.title = "Melodist";
        score.parts.push_back(std::move(*part));
        const std::string path = candidatePath(output, c);
        if (const engine::Result<void> saved = engine::writeMidiFile(score, path); !saved) {
            std::fprintf(stderr, "melodist generate: %s\n", saved.error().c_str());
            return 1;
        }
        if (args.has("text")) std::printf("%s\n", engine::joinSymbols(melody).c_str());
    }
    if (args.has("stats")) {
        const nlohmann::ordered_json stats = {
            {"generation_ms", generationMs},
            {"steps_per_s", generationMs > 0 ? static_cast<double>(generated->symbolsSampled) * 1000.0 / generationMs : 0.0},
            {"device", "cpu"},
            {"instruction_set", engine::LstmKernel::instructionSet()},
            {"candidates", options.candidates},
            {"context", generated->context},
            {"symbols_sampled", generated->symbolsSampled},
            {"kernel_steps", generated->kernelSteps}};
        std::fprintf(stderr, "%s\n", stats.dump().c_str());
    }
    return 0;
}

}  // namespace melodist::cli

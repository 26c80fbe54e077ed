// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist generate`: continue a seed with a .melodist-model (engine/generation/
// MelodyGenerator.h) -- LSTMs on the fp32 kernel here, other architectures and CUDA
// handed to melodist-ml; MIDI per candidate, optional text and stats.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "app/cli/GenerationArguments.h"
#include "engine/generation/MelodyGenerator.h"
#include "engine/generation/SeedFromScore.h"
#include "engine/io/MidiFile.h"
#include "engine/music/StepEncoding.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

namespace melodist::cli {

int runGenerate(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     withGenerationOptions({{"model", true}, {"seed", true}, {"seed-file", true}, {"steps", true}, {"out", true},
                                            {"text", false}, {"stats", false}}));
    if (!args.error().empty()) return usageError("generate", args.error());
    if (!args.positional().empty()) return usageError("generate", "unexpected argument '" + args.positional().front() + "'");
    if (!args.has("model")) return usageError("generate", "give the model with --model FILE.melodist-model");
    if (!args.has("seed") && !args.has("seed-file"))
        return usageError("generate", "give the start of the melody with --seed \"67 _ 65 ...\" or --seed-file FILE.mid");
    if (args.has("seed") && args.has("seed-file")) return usageError("generate", "give --seed or --seed-file, not both");
    engine::GenerationOptions options;
    if (const std::string error = parseGenerationOptions(args, options); !error.empty()) return usageError("generate", error);
    const long steps = args.integer("steps", 500);
    if (!args.error().empty()) return usageError("generate", args.error());
    if (steps < 0 || steps > 1000000) return usageError("generate", "--steps is 0..1000000");
    options.steps = static_cast<int>(steps);
    const std::string output = args.value("out", "melody.mid");
    if (const int handed = handOverIfNeedsLibTorch(args.value("model"), options.device, argv); handed >= 0) return handed;

    std::vector<std::string> seed;
    if (args.has("seed-file")) {
        const engine::Result<engine::ScoreSeed> fromFile = engine::readSeedFile(args.value("seed-file"));
        if (!fromFile) {
            std::fprintf(stderr, "melodist generate: --seed-file: %s\n", fromFile.error().c_str());
            return 1;
        }
        if (fromFile->reduction.changed()) std::fprintf(stderr, "melodist generate: %s\n", fromFile->reduction.describe().c_str());
        seed = fromFile->symbols;
    } else {
        seed = engine::splitSymbols(args.value("seed"));
    }
    const engine::Result<engine::MelodyModel> model = engine::MelodyModel::load(args.value("model"), options.device);
    if (!model) {
        std::fprintf(stderr, "melodist generate: %s\n", model.error().c_str());
        return 1;
    }
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
        if (const engine::Result<void> saved = engine::writeMidiFile(score, numberedPath(output, c)); !saved) {
            std::fprintf(stderr, "melodist generate: %s\n", saved.error().c_str());
            return 1;
        }
        if (args.has("text")) std::printf("%s\n", engine::joinSymbols(melody).c_str());
    }
    if (args.has("stats")) {
        nlohmann::ordered_json stats = {
            {"generation_ms", generationMs},
            {"steps_per_s", generationMs > 0 ? static_cast<double>(generated->symbolsSampled) * 1000.0 / generationMs : 0.0},
            {"device", generated->device},
            {"architecture", model->architecture()},
            {"candidates", options.candidates},
            {"context", generated->context},
            {"symbols_sampled", generated->symbolsSampled},
            {"decoder_steps", generated->decoderSteps}};
        stats.update(keyStats("seed_key", generated->seedKey, generated->seedKeyEstimated, generated->transpose));
        stats["constraints"] = constraintStats(options.constraints);
        std::fprintf(stderr, "%s\n", stats.dump().c_str());
    }
    return 0;
}

}  // namespace melodist::cli

// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist generate`: continue a seed with a .melodist-model (engine/generation/
// MelodyGenerator.h) -- LSTMs on the fp32 kernel here, other architectures and CUDA
// handed to melodist-ml; MIDI per candidate, optional text and stats. Models of the
// steps notation and of the chords notation (ChordGeneration.h) alike.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "app/cli/GenerationArguments.h"
#include "engine/generation/ChordGeneration.h"
#include "engine/generation/MelodyGenerator.h"
#include "engine/generation/SeedFromScore.h"
#include "engine/io/MidiFile.h"
#include "engine/model/BundledModels.h"
#include "engine/music/StepEncoding.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <span>

namespace melodist::cli {

int runGenerate(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     withGenerationOptions({{"model", true}, {"seed", true}, {"seed-file", true}, {"steps", true}, {"min-steps", true}, {"out", true},
                                            {"text", false}, {"stats", false}}));
    if (!args.error().empty()) return usageError("generate", args.error());
    if (!args.positional().empty()) return usageError("generate", "unexpected argument '" + args.positional().front() + "'");
    if (!args.has("seed") && !args.has("seed-file"))
        return usageError("generate", "give the start of the melody with --seed \"67 _ 65 ...\" or --seed-file FILE.mid");
    if (args.has("seed") && args.has("seed-file")) return usageError("generate", "give --seed or --seed-file, not both");
    engine::GenerationOptions options;
    if (const std::string error = parseGenerationOptions(args, options); !error.empty()) return usageError("generate", error);
    const long steps = args.integer("steps", 500);
    const long minSteps = args.integer("min-steps", 0);
    if (!args.error().empty()) return usageError("generate", args.error());
    if (steps < 0 || steps > 1000000) return usageError("generate", "--steps is 0..1000000");
    if (minSteps < 0 || minSteps > steps) return usageError("generate", "--min-steps is 0..--steps");
    options.steps = static_cast<int>(steps);
    options.minSteps = static_cast<int>(minSteps);
    const std::string output = args.value("out", "melody.mid");
    const engine::Result<std::string> modelPath = engine::resolveModelPath(args.value("model", "default"));
    if (!modelPath) {
        std::fprintf(stderr, "melodist generate: --model: %s\n", modelPath.error().c_str());
        return 1;
    }
    if (const int handed = handOverIfNeedsLibTorch(*modelPath, options.device, argv); handed >= 0) return handed;

    const engine::Result<engine::MelodyModel> model = engine::MelodyModel::load(*modelPath, options.device);
    if (!model) {
        std::fprintf(stderr, "melodist generate: %s\n", model.error().c_str());
        return 1;
    }
    // A chords model (engine/generation/ChordGeneration.h) gets its seed fitted to its
    // vocabulary and key here; a steps model's seed is moved inside generateMelodies.
    const engine::Result<engine::ModelNotation> notation = engine::modelNotation(model->metadata());
    if (!notation) {
        std::fprintf(stderr, "melodist generate: %s\n", notation.error().c_str());
        return 1;
    }
    const bool chords = *notation == engine::ModelNotation::Chords;
    engine::ChordSeed chordSeed;
    std::vector<std::string> seed;
    if (chords) {
        engine::Result<engine::ChordSeed> fitted =
            args.has("seed-file") ? engine::readChordSeedFile(*model, args.value("seed-file"), options.normaliseKey)
                                  : engine::fitChordSeed(*model, engine::splitSymbols(args.value("seed")), options.normaliseKey);
        if (!fitted) {
            std::fprintf(stderr, "melodist generate: %s: %s\n", args.has("seed-file") ? "--seed-file" : "--seed", fitted.error().c_str());
            return 1;
        }
        if (fitted->changed()) std::fprintf(stderr, "melodist generate: %s\n", fitted->describe().c_str());
        chordSeed = std::move(*fitted);
        seed = chordSeed.tokens;
    } else if (args.has("seed-file")) {
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
    const auto started = std::chrono::steady_clock::now();
    const engine::Result<engine::GeneratedMelodies> generated = engine::generateMelodies(*model, seed, options);
    const double generationMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (!generated) {
        std::fprintf(stderr, "melodist generate: %s\n", generated.error().c_str());
        return 1;
    }
    const auto decode = [&](std::span<const std::string> symbols) {
        return chords ? engine::decodeGeneratedChords(symbols, chordSeed.shift) : engine::decodeGeneratedMelody(symbols);
    };
    engine::OnsetPolyphony polyphony;  // of the sampled music, the seed left out (--stats)
    for (size_t c = 0; c < generated->melodies.size(); ++c) {
        const std::vector<std::string>& melody = generated->melodies[c];
        engine::Result<engine::Part> part = decode(melody);
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
        if (args.has("text")) {
            const engine::Result<std::vector<std::string>> text =
                chords ? engine::chordTokensInUserKey(melody, chordSeed.shift) : engine::Result<std::vector<std::string>>(melody);
            std::printf("%s\n", text ? engine::joinSymbols(*text).c_str() : "");
        }
        engine::Score sampled;
        if (engine::Result<engine::Part> notes = decode(std::span(melody).subspan(std::min(seed.size(), melody.size())))) {
            sampled.parts.push_back(std::move(*notes));
            polyphony += engine::onsetPolyphony(sampled);
        }
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
        if (chords) {
            stats.update(keyStats("seed_key", chordSeed.key ? std::optional(engine::scaleKeyOf(*chordSeed.key)) : std::nullopt,
                                  chordSeed.keyEstimated, chordSeed.shift));
            stats["seed_tokens_replaced"] = chordSeed.tokensReplaced;
        } else {
            stats.update(keyStats("seed_key", generated->seedKey, generated->seedKeyEstimated, generated->transpose));
        }
        stats["notation"] = chords ? "chords" : "steps";
        stats["onsets"] = polyphony.onsets;
        stats["polyphonic_onsets"] = polyphony.polyphonicOnsets;
        stats["polyphonic_share"] = polyphony.share();
        stats["constraints"] = constraintStats(options.constraints);
        std::fprintf(stderr, "%s\n", stats.dump().c_str());
    }
    return 0;
}

}  // namespace melodist::cli

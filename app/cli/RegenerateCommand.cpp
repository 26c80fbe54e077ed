// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist regenerate`: sample new material for steps [A, B) of a melody, keep what
// leads best into the music after B (engine/generation/RegionRegenerator.h), write MIDI.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "app/cli/GenerationArguments.h"
#include "engine/generation/RegionRegenerator.h"
#include "engine/generation/SeedFromScore.h"
#include "engine/io/MidiFile.h"
#include "engine/model/BundledModels.h"
#include "engine/music/StepEncoding.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

namespace melodist::cli {
namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "melodist regenerate: %s\n", message.c_str());
    return 1;
}

}  // namespace

int runRegenerate(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     withGenerationOptions({{"model", true}, {"in", true}, {"symbols", true}, {"from-step", true}, {"to-step", true},
                                            {"keep", true}, {"out", true}, {"text", false}, {"stats", false}}));
    if (!args.error().empty()) return usageError("regenerate", args.error());
    if (!args.positional().empty()) return usageError("regenerate", "unexpected argument '" + args.positional().front() + "'");
    if (args.has("in") == args.has("symbols"))
        return usageError("regenerate", "give the melody with --in FILE (.mid .krn .musicxml) or --symbols \"67 _ 65 ...\"");
    if (!args.has("from-step") || !args.has("to-step"))
        return usageError("regenerate", "give the region with --from-step A --to-step B (16th steps from 0; B not included)");
    if (!args.has("out")) return usageError("regenerate", "give the MIDI file to write with --out FILE.mid");
    engine::GenerationOptions options;
    if (const std::string error = parseGenerationOptions(args, options); !error.empty()) return usageError("regenerate", error);
    const long from = args.integer("from-step", 0), to = args.integer("to-step", 0), keep = args.integer("keep", 1);
    if (!args.error().empty()) return usageError("regenerate", args.error());
    if (from < 0 || to <= from) return usageError("regenerate", "the region is --from-step A --to-step B with 0 <= A < B");
    if (keep < 1 || keep > options.candidates) return usageError("regenerate", "--keep is 1..the number of --candidates");
    const engine::Result<std::string> modelPath = engine::resolveModelPath(args.value("model", "default"));
    if (!modelPath) return fail("--model: " + modelPath.error());
    if (const int handed = handOverIfNeedsLibTorch(*modelPath, options.device, argv); handed >= 0) return handed;

    std::vector<std::string> song;
    if (args.has("in")) {
        const engine::Result<engine::ScoreSeed> melody = engine::readSeedFile(args.value("in"));
        if (!melody) return fail("--in: " + melody.error());
        if (melody->reduction.changed()) std::fprintf(stderr, "melodist regenerate: %s\n", melody->reduction.describe().c_str());
        song = melody->symbols;
    } else {
        song = engine::splitSymbols(args.value("symbols"));
    }
    if (static_cast<size_t>(to) > song.size())
        return usageError("regenerate", "--to-step " + std::to_string(to) + " is past the melody's end (" + std::to_string(song.size()) +
                                            " steps)");
    const std::vector<std::string> before(song.begin(), song.begin() + from);
    std::vector<std::string> after(song.begin() + to, song.end());
    // A note (or rest) sounding across B: its part after B is struck again there, so the
    // music after the region keeps its pitches whatever the fill ends with.
    if (!after.empty() && after.front() == engine::kHoldSymbol) {
        std::string sounding(engine::kRestSymbol);
        for (long i = to - 1; i >= 0; --i)
            if (song[static_cast<size_t>(i)] != engine::kHoldSymbol) {
                sounding = song[static_cast<size_t>(i)];
                break;
            }
        after.front() = sounding;
        std::fprintf(stderr, "melodist regenerate: a %s sounds across step %ld; its part from there on starts again at %ld\n",
                     sounding == engine::kRestSymbol ? "rest" : "note", to, to);
    }

    const engine::Result<engine::MelodyModel> model = engine::MelodyModel::load(*modelPath, options.device);
    if (!model) return fail(model.error());
    const auto started = std::chrono::steady_clock::now();
    const engine::Result<engine::RegeneratedRegion> region =
        engine::regenerateRegion(*model, before, after, static_cast<int>(to - from), options);
    const double generationMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (!region) return fail(region.error());

    const std::string output = args.value("out");
    nlohmann::ordered_json scores = nlohmann::ordered_json::array();
    for (size_t k = 0; k < region->fills.size(); ++k) {
        scores.push_back(region->fills[k].score);
        if (k >= static_cast<size_t>(keep)) continue;
        std::vector<std::string> melody = before;
        melody.insert(melody.end(), region->fills[k].symbols.begin(), region->fills[k].symbols.end());
        melody.insert(melody.end(), after.begin(), after.end());
        engine::Result<engine::Part> part = engine::decodeGeneratedMelody(melody);
        if (!part) return fail(part.error());
        engine::Score score;
        score.title = "Melodist";
        score.parts.push_back(std::move(*part));
        if (const engine::Result<void> saved = engine::writeMidiFile(score, numberedPath(output, k)); !saved) return fail(saved.error());
        if (args.has("text")) std::printf("%s\n", engine::joinSymbols(melody).c_str());
    }
    if (args.has("stats")) {
        nlohmann::ordered_json stats = {{"generation_ms", generationMs},
                                        {"device", region->device},
                                        {"architecture", model->architecture()},
                                        {"candidates", options.candidates},
                                        {"context", region->context},
                                        {"from_step", from},
                                        {"to_step", to},
                                        {"scored_symbols", region->scoredSymbols},
                                        {"scores", scores},
                                        {"decoder_steps", region->decoderSteps}};
        stats.update(keyStats("song_key", region->songKey, region->songKeyEstimated, region->transpose));
        stats["constraints"] = constraintStats(options.constraints);
        std::fprintf(stderr, "%s\n", stats.dump().c_str());
    }
    return 0;
}

}  // namespace melodist::cli

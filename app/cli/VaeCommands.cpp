// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist sample-phrases` and `melodist interpolate`: phrases from a VAE model
// (engine/nn/VaePhrases.h), one MIDI file each (PREFIX-1.mid, PREFIX-2.mid, ...), and
// optionally their symbols on stdout. melodist-ml only (LibTorch); no LibTorch header here.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "engine/generation/MelodyGenerator.h"
#include "engine/io/MidiFile.h"
#include "engine/io/ScoreFile.h"
#include "engine/model/BundledModels.h"
#include "engine/music/SeedPreprocessing.h"
#include "engine/music/StepEncoding.h"
#include "engine/nn/VaePhrases.h"

#include <cstdio>
#include <filesystem>

namespace melodist::cli {
namespace {

// "out/phrase" or "out/phrase.mid" -> out/phrase-1.mid, out/phrase-2.mid, ...
std::string phrasePath(std::string prefix, size_t index) {
    if (std::filesystem::path(prefix).extension() == ".mid") prefix.resize(prefix.size() - 4);
    return prefix + "-" + std::to_string(index + 1) + ".mid";
}

int writePhrases(const char* command, const engine::nn::Phrases& phrases, const std::string& prefix, bool text) {
    for (size_t p = 0; p < phrases.size(); ++p) {
        engine::Result<engine::Part> part = engine::decodeGeneratedMelody(phrases[p]);
        if (!part) {
            std::fprintf(stderr, "melodist %s: phrase %zu: %s\n", command, p + 1, part.error().c_str());
            return 1;
        }
        engine::Score score;
        score.title = "Melodist phrase " + std::to_string(p + 1);
        score.parts.push_back(std::move(*part));
        if (const engine::Result<void> saved = engine::writeMidiFile(score, phrasePath(prefix, p)); !saved) {
            std::fprintf(stderr, "melodist %s: %s\n", command, saved.error().c_str());
            return 1;
        }
        if (text) std::printf("%s\n", engine::joinSymbols(phrases[p]).c_str());
    }
    return 0;
}

// A phrase given as symbols ("60 _ 62 _") or as a music file: its first part with notes in
// the seeds' step encoding, moved to C major / A minor when the model's songs were.
engine::Result<std::vector<std::string>> phraseSymbols(const std::string& value, const engine::nn::LoadedNet& model) {
    std::error_code error;  // symbols make odd file names (too long, ...): not a file then
    if (!std::filesystem::is_regular_file(value, error)) return engine::splitSymbols(value);
    engine::Result<engine::Score> score = engine::readScoreFile(value);
    if (!score) return engine::makeError(score.error());
    bool transposed = true;  // unless the metadata says the songs kept their keys
    if (const auto encoding = model.metadata.find("encoding");
        encoding != model.metadata.end() && encoding->is_object())
        if (const auto transposition = encoding->find("transposition"); transposition != encoding->end())
            transposed = *transposition != "none";
    if (transposed) {
        if (const std::optional<engine::SeedKey> key = engine::seedKey(*score)) {
            engine::Result<engine::Score> moved =
                engine::transposeScore(*score, engine::seedTranspositionShift(key->key));
            if (!moved) return engine::makeError(value + ": " + moved.error());
            score = std::move(moved);
        }
    }
    for (const engine::Part& part : score->parts)
        if (!part.notes.empty()) return engine::encodeSteps(part);
    return engine::makeError(value + " has no notes");
}

struct PhraseArguments {
    std::string model;
    std::string out;
    engine::nn::PhraseOptions options;
    bool text = false;
};

// The options both commands share; returns 0 when they are valid, else the exit status.
int parseShared(const char* command, CommandLine& args, PhraseArguments& parsed, float defaultTemperature,
                int minimumCount) {
    if (!args.error().empty()) return usageError(command, args.error());
    if (!args.positional().empty())
        return usageError(command, "unexpected argument '" + args.positional().front() + "'");
    if (!args.has("model")) return usageError(command, "give the VAE model with --model FILE.melodist-model");
    if (!args.has("count")) return usageError(command, "give the number of phrases with --count N");
    const long count = args.integer("count", 0), rngSeed = args.integer("rng-seed", 0);
    parsed.options.temperature = static_cast<float>(args.number("temperature", defaultTemperature));
    if (!args.error().empty()) return usageError(command, args.error());
    if (count < minimumCount || count > 4096)
        return usageError(command, "--count is " + std::to_string(minimumCount) + "..4096");
    if (rngSeed < 0) return usageError(command, "--rng-seed is 0 or more");
    if (!(parsed.options.temperature >= 0.0f)) return usageError(command, "--temperature is 0 or more");
    parsed.options.count = static_cast<int>(count);
    parsed.options.rngSeed = static_cast<uint64_t>(rngSeed);
    const engine::Result<std::string> modelPath = engine::resolveModelPath(args.value("model"));
    if (!modelPath) {
        std::fprintf(stderr, "melodist %s: --model: %s\n", command, modelPath.error().c_str());
        return 1;
    }
    parsed.model = *modelPath;
    parsed.out = args.value("out", "phrase");
    parsed.text = args.has("text");
    return 0;
}

}  // namespace

int runSamplePhrases(int argc, char** argv) {
    CommandLine args(
        argc, argv, 2,
        {{"model", true}, {"count", true}, {"rng-seed", true}, {"temperature", true}, {"out", true}, {"text", false}});
    PhraseArguments parsed;
    if (const int status = parseShared("sample-phrases", args, parsed, /*defaultTemperature=*/1.0f, /*minimumCount=*/1))
        return status;
    const engine::Result<engine::nn::LoadedNet> model = engine::nn::loadNetModel(parsed.model);
    if (!model) {
        std::fprintf(stderr, "melodist sample-phrases: %s\n", model.error().c_str());
        return 1;
    }
    const engine::Result<engine::nn::Phrases> phrases = engine::nn::sampleVaePhrases(*model, parsed.options);
    if (!phrases) {
        std::fprintf(stderr, "melodist sample-phrases: %s: %s\n", parsed.model.c_str(), phrases.error().c_str());
        return 1;
    }
    return writePhrases("sample-phrases", *phrases, parsed.out, parsed.text);
}

int runInterpolate(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     {{"model", true},
                      {"from", true},
                      {"to", true},
                      {"count", true},
                      {"rng-seed", true},
                      {"temperature", true},
                      {"out", true},
                      {"text", false}});
    PhraseArguments parsed;
    if (const int status = parseShared("interpolate", args, parsed, /*defaultTemperature=*/0.0f, /*minimumCount=*/2))
        return status;
    if (!args.has("from") || !args.has("to"))
        return usageError("interpolate", "give both ends with --from and --to (symbols \"60 _ 62 _\" or a music file)");
    const engine::Result<engine::nn::LoadedNet> model = engine::nn::loadNetModel(parsed.model);
    if (!model) {
        std::fprintf(stderr, "melodist interpolate: %s\n", model.error().c_str());
        return 1;
    }
    const engine::Result<std::vector<std::string>> from = phraseSymbols(args.value("from"), *model);
    const engine::Result<std::vector<std::string>> to = phraseSymbols(args.value("to"), *model);
    if (!from || !to) {
        std::fprintf(stderr, "melodist interpolate: %s\n", (!from ? from : to).error().c_str());
        return 1;
    }
    const engine::Result<engine::nn::Phrases> phrases =
        engine::nn::interpolateVaePhrases(*model, *from, *to, parsed.options);
    if (!phrases) {
        std::fprintf(stderr, "melodist interpolate: %s: %s\n", parsed.model.c_str(), phrases.error().c_str());
        return 1;
    }
    return writePhrases("interpolate", *phrases, parsed.out, parsed.text);
}

}  // namespace melodist::cli

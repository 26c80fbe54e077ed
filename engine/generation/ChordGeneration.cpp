// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/ChordGeneration.h"

#include "engine/generation/KeyNormalisation.h"
#include "engine/io/ScoreFile.h"
#include "engine/music/ChordVocabulary.h"
#include "engine/music/SeedPreprocessing.h"

#include <algorithm>
#include <charconv>

namespace melodist::engine {
namespace {

// "3/4", "2" -> quarter notes; nullopt when not a positive number.
std::optional<Rational> parseQuarters(const nlohmann::ordered_json& value) {
    if (!value.is_string()) return std::nullopt;
    const std::string text = value.get<std::string>();
    const size_t slash = text.find('/');
    int64_t num = 0, den = 1;
    const auto whole = [](std::string_view digits, int64_t& out) {
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
        return !digits.empty() && error == std::errc() && end == digits.data() + digits.size();
    };
    if (!whole(std::string_view(text).substr(0, slash), num) ||
        (slash != std::string::npos && !whole(std::string_view(text).substr(slash + 1), den)) || num <= 0 || den <= 0)
        return std::nullopt;
    return Rational(num, den);
}

// Moves `given` into C major / A minor by the shift preprocessing gave the training
// songs of that key (seedTranspositionShift: the model knows the pitch sets in that
// register, e.g. G major 7 semitones down), then to the model's vocabulary.
Result<ChordSeed> fitTokens(const MelodyModel& model, const std::vector<std::string>& given, const std::optional<SeedKey>& key) {
    ChordSeed seed;
    if (key) {
        seed.key = key->key;
        seed.keyEstimated = key->estimated;
        seed.shift = seedTranspositionShift(key->key);
    }
    Result<std::vector<std::string>> moved = transposeChordTokens(given, seed.shift);
    if (!moved && seed.shift != 0) {  // too high or too low: an octave the other way
        seed.shift += seed.shift > 0 ? -12 : 12;
        moved = transposeChordTokens(given, seed.shift);
    }
    if (!moved) return makeError("the seed, moved to the model's C major / A minor: " + moved.error());

    const Vocabulary& vocabulary = model.vocabulary();
    const NearestChordToken nearest(vocabulary.symbols());  // ids in order: ties go to the lowest id
    for (const std::string& token : *moved) {
        if (vocabulary.idOf(token)) {
            seed.tokens.push_back(token);
            continue;
        }
        const ChordToken parsed = *parseChordToken(token);
        const std::optional<size_t> id = nearest.nearest(parsed);
        if (!id)
            return makeError("the seed's token '" + token + "' has no counterpart in the model's vocabulary (it has no " +
                             (parsed.isRest() ? "rests" : "notes") + "); give a seed without it");
        const std::string replacement(*vocabulary.symbolOf(static_cast<int>(*id)));
        if (seed.tokensReplaced++ == 0) {
            seed.firstReplaced = token;
            seed.firstReplacement = replacement;
        }
        seed.tokens.push_back(replacement);
    }
    return seed;
}

Result<void> checkChordModel(const MelodyModel& model) {
    Result<ModelNotation> notation = modelNotation(model.metadata());
    if (!notation) return makeError(notation.error());
    if (*notation != ModelNotation::Chords) return makeError("the model reads the seeds' step notation (\"67 _ 65\"), not chord tokens");
    return {};
}

}  // namespace

Result<ModelNotation> modelNotation(const nlohmann::ordered_json& metadata) {
    const auto encoding = metadata.find("encoding");
    if (encoding == metadata.end() || !encoding->is_object()) return ModelNotation::Steps;
    const auto type = encoding->find("type");
    if (type == encoding->end() || !type->is_string() || type->get<std::string>() == "steps") return ModelNotation::Steps;
    if (type->get<std::string>() == "chords") return ModelNotation::Chords;
    return makeError("the model's encoding '" + type->get<std::string>().substr(0, 40) +
                     "' is not one Melodist generates with (steps, chords); retrain it on a 'melodist preprocess' dataset");
}

ChordEncodingOptions chordOptionsOf(const nlohmann::ordered_json& metadata) {
    ChordEncodingOptions options{.grid = Rational(1, 4), .maxStep = Rational(2)};
    const nlohmann::ordered_json encoding = metadata.value("encoding", nlohmann::ordered_json::object());
    if (!encoding.is_object()) return options;
    if (const std::optional<Rational> grid = parseQuarters(encoding.value("time_step", nlohmann::ordered_json()))) options.grid = *grid;
    const nlohmann::ordered_json preprocess = encoding.value("preprocess", nlohmann::ordered_json::object());
    if (preprocess.is_object())
        if (const std::optional<Rational> maxStep = parseQuarters(preprocess.value("chord_max_step", nlohmann::ordered_json())))
            options.maxStep = *maxStep;
    return options;
}

std::string ChordSeed::describe() const {
    if (!changed()) return "seed: used as written";
    return "seed: " + std::to_string(tokensReplaced) + " token(s) the model lacks replaced by the nearest it has (" + firstReplaced +
           " -> " + firstReplacement + ", ...)";
}

Result<ChordSeed> fitChordSeed(const MelodyModel& model, std::span<const std::string> tokens, bool normaliseKey) {
    if (Result<void> checked = checkChordModel(model); !checked) return makeError(checked.error());
    std::vector<std::string> given;
    for (const std::string& token : tokens) {
        if (token == "/") continue;  // the song delimiter: the model's padding already starts the song
        if (Result<ChordToken> parsed = parseChordToken(token); !parsed) return makeError("the seed: " + parsed.error());
        given.push_back(token);
    }
    std::optional<SeedKey> key;
    if (normaliseKey && modelIsKeyNormalised(model.metadata())) {
        Result<Part> part = decodeChords(given);
        if (!part) return makeError("the seed: " + part.error());
        Score score;
        score.parts.push_back(std::move(*part));
        key = seedKey(score);
    }
    return fitTokens(model, given, key);
}

Result<ChordSeed> chordSeedFromScore(const MelodyModel& model, const Score& score, bool normaliseKey) {
    if (Result<void> checked = checkChordModel(model); !checked) return makeError(checked.error());
    if (score.noteCount() == 0) return makeError("the file has no notes to start from");
    std::vector<std::string> tokens = encodeChords(score, chordOptionsOf(model.metadata()));
    // Silence before the first note is no part of the music to continue.
    const auto first = std::find_if(tokens.begin(), tokens.end(), [](const std::string& t) { return !t.starts_with("R:"); });
    tokens.erase(tokens.begin(), first);
    // The declared key (a key signature) wins over the estimate, as in preprocessing.
    return fitTokens(model, tokens, normaliseKey && modelIsKeyNormalised(model.metadata()) ? seedKey(score) : std::nullopt);
}

Result<ChordSeed> readChordSeedFile(const MelodyModel& model, const std::string& path, bool normaliseKey) {
    Result<Score> score = readScoreFile(path);
    if (!score) return makeError(score.error());
    Result<ChordSeed> seed = chordSeedFromScore(model, *score, normaliseKey);
    if (!seed) return makeError(path + ": " + seed.error());
    return seed;
}

Result<std::vector<std::string>> chordTokensInUserKey(std::span<const std::string> tokens, int shift) {
    std::vector<std::string> kept;
    kept.reserve(tokens.size());
    for (const std::string& token : tokens)
        if (parseChordToken(token)) kept.push_back(token);
    return transposeChordTokens(kept, -shift);
}

Result<Part> decodeGeneratedChords(std::span<const std::string> tokens, int shift) {
    Result<std::vector<std::string>> moved = chordTokensInUserKey(tokens, shift);
    if (!moved) return makeError(moved.error());
    return decodeChords(*moved);
}

}  // namespace melodist::engine

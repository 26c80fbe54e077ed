// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Generation with models of the notes-and-chords encoding (engine/music/ChordEncoding.h,
// `melodist preprocess --encoding chords`): which notation a model speaks, a seed fitted
// to it, and the sampled tokens back to notes. generateMelodies itself is notation-blind
// (it samples ids); what differs is around it:
//   - the seed: text tokens or a music file (every part, encoded on the model's grid);
//     moved into C major / A minor when the model was trained there, by the shift that
//     preprocessing gave songs of its key (the declared key, else the estimate: the
//     model knows its pitch sets in that register); a token the model lacks -- the
//     vocabulary was reduced (ChordVocabulary.h) -- becomes the nearest one it has;
//   - the result: tokens moved back by `shift`, decoded legato (decodeChords).
// Free functions and value types; any thread (the CLI's, a generation worker).
//
//   Result<ChordSeed> seed = readChordSeedFile(model, "prelude.mid", /*normaliseKey=*/true);
//   Result<GeneratedMelodies> out = generateMelodies(model, seed->tokens, options);
//   Result<Part> notes = decodeGeneratedChords(out->melodies[0], seed->shift);   // in the seed's key

#include "engine/core/Result.h"
#include "engine/model/MelodyModel.h"
#include "engine/music/ChordEncoding.h"
#include "engine/music/Score.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

enum class ModelNotation {
    Steps,   // the seeds': "67 _ _ r _" (StepEncoding.h)
    Chords,  // "60+64+67:1 R:1/2" (ChordEncoding.h)
};

// From metadata encoding.type: "steps" (also when absent: Keras imports), "chords";
// anything else is an error naming it.
Result<ModelNotation> modelNotation(const nlohmann::ordered_json& metadata);

// The grid and longest step the model's dataset was encoded with (metadata
// encoding.time_step and encoding.preprocess.chord_max_step; the preprocess defaults
// 1/4 and 2 when absent).
ChordEncodingOptions chordOptionsOf(const nlohmann::ordered_json& metadata);

struct ChordSeed {
    std::vector<std::string> tokens;  // in the model's key; every one in its vocabulary
    int shift = 0;                    // semitones added for the model; the result gets -shift
    std::optional<Key> key;           // the seed's key (declared, else estimated); nullopt: not moved
    bool keyEstimated = false;
    int tokensReplaced = 0;           // not in the vocabulary: replaced by the nearest it has
    std::string firstReplaced;        // the first of them, as given, and what it became
    std::string firstReplacement;
    bool changed() const { return tokensReplaced > 0; }
    // One line for the user: "seed: 3 token(s) the model lacks replaced by the nearest (61+65:1 -> 60+65:1)".
    std::string describe() const;
};

// `tokens` in chord notation, in the user's key. Errors name a token that is not one, or
// the seed's key when no move keeps it in MIDI 0..127.
Result<ChordSeed> fitChordSeed(const MelodyModel& model, std::span<const std::string> tokens, bool normaliseKey);
// Every part of `score` merged and encoded on the model's grid, then fitted.
Result<ChordSeed> chordSeedFromScore(const MelodyModel& model, const Score& score, bool normaliseKey);
// readScoreFile (MIDI, kern, MusicXML) then chordSeedFromScore; errors name the file.
Result<ChordSeed> readChordSeedFile(const MelodyModel& model, const std::string& path, bool normaliseKey);

// Sampled tokens (the model's key) moved by -shift, for --text; strings that are not
// chord tokens are left out.
Result<std::vector<std::string>> chordTokensInUserKey(std::span<const std::string> tokens, int shift);
// Sampled tokens to notes in the user's key: strings that are not chord tokens ("/" of a
// foreign vocabulary) are skipped, so any sample decodes.
Result<Part> decodeGeneratedChords(std::span<const std::string> tokens, int shift);

}  // namespace melodist::engine

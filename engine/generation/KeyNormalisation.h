// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Key normalisation: models trained on songs transposed to C major / A minor (the seeds'
// preprocessing, and Melodist's by default) continue a seed best in that key. So the
// generator moves the seed there by the smallest interval, generates, and moves the
// result back: the user hears their own key. The seed's key is the one the user gave
// (--key) or a Krumhansl-Schmuckler estimate (engine/music/KeyEstimation.h). Free
// functions; any thread.
//
//   if (modelIsKeyNormalised(model.metadata())) {
//       Result<KeyTransposition> t = chooseKeyTransposition(seed, std::nullopt, model.vocabulary());
//       std::vector<std::string> moved = *transposeSymbols(seed, t->shift);   // D major -> C major: shift -2
//   }

#include "engine/core/Result.h"
#include "engine/generation/MelodyConstraints.h"
#include "engine/music/Vocabulary.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

// True when the model's songs were moved to C major / A minor: metadata
// encoding.transposition (a string; "none" = not moved) or a "transpose" flag of the
// encoding or preprocessing options; without either, Keras imports (the seeds') are, and
// other models are not.
bool modelIsKeyNormalised(const nlohmann::ordered_json& metadata);

struct KeyTransposition {
    std::optional<ScaleKey> key;  // the seed's key; nullopt when it has no notes to estimate from
    bool estimated = false;       // from the notes (not given)
    int shift = 0;                // semitones added to the seed for the model; the result gets -shift
};

// The smallest move of `givenKey` (else the estimated key of `symbols`, in the seeds' step
// encoding) to C major / A minor -- its parent major scale to C's: +-6 goes down -- such
// that every pitch of `symbols` stays in `vocabulary`; when neither direction fits, an
// error names the pitch and the model's range. The estimate is Krumhansl-Schmuckler's,
// kept when its scale holds as much of the seed as any major scale does; else the
// fullest major scale nearest C (a short seed: G G G F E E E is C major, not "E minor").
// No notes: no move.
Result<KeyTransposition> chooseKeyTransposition(std::span<const std::string> symbols, const std::optional<ScaleKey>& givenKey,
                                                const Vocabulary& vocabulary);

// MIDI-number symbols moved by `semitones`; others kept. Error when a pitch leaves 0..127.
Result<std::vector<std::string>> transposeSymbols(std::span<const std::string> symbols, int semitones);

}  // namespace melodist::engine

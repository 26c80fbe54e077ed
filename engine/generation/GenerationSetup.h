// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What generateMelodies and regenerateRegion decide before sampling (internal to
// engine/generation): the options checked, the context, the key move, the constraint
// mask in the model's key and a decoder on the chosen device. The caller's thread.

#include "engine/core/Result.h"
#include "engine/generation/ConstraintMask.h"
#include "engine/generation/KeyNormalisation.h"
#include "engine/generation/MelodyGenerator.h"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

struct GenerationSetup {
    int context = 0;
    KeyTransposition key;                    // shift 0 when the model is not key-normalised
    std::optional<ConstraintMask> mask;      // always set by prepareGeneration
    std::unique_ptr<SequenceDecoder> decoder;
    int stopId = -1;                         // "/", -1 when the vocabulary has none

    // `symbols` moved into the model's key, as ids; errors name the symbol.
    Result<std::vector<int>> modelIds(const MelodyModel& model, std::span<const std::string> symbols, const char* what) const;
    // Model ids back to the user's symbols.
    Result<std::vector<std::string>> userSymbols(const MelodyModel& model, std::span<const int> ids) const;
};

// `keySource`: the symbols whose key is estimated (the seed; a song around a region).
Result<GenerationSetup> prepareGeneration(const MelodyModel& model, std::span<const std::string> keySource,
                                          const GenerationOptions& options);

}  // namespace melodist::engine

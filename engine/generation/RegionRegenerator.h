// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Regenerate a region of a melody: `candidates` fills of exactly `gapSteps` symbols are
// sampled after `before` (no "/" inside: the song goes on), then each is scored by how
// well the model expects the music after the region to follow it -- the log-likelihood
// of the `after` symbols given before + fill -- and they come back best first. The
// model, sampling, context, constraints (applied to the fill), key normalisation (the
// key of before + after) and device are GenerationOptions' (its `steps` is unused).
// Free functions; any thread (a GenerationJob runs one on its worker); `cancel` and
// `progress` as for generateMelodies (progress counts fill steps, then scored symbols).
//
//   Result<RegeneratedRegion> region = regenerateRegion(model, before, after, /*gapSteps=*/16,
//                                                       {.sampling = {.temperature = 0.9f}, .candidates = 8});
//   std::vector<std::string> song = before + region->fills[0].symbols + after;

#include "engine/core/Result.h"
#include "engine/generation/MelodyGenerator.h"

#include <atomic>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

struct RegionFill {
    std::vector<std::string> symbols;  // exactly gapSteps symbols, in the song's key
    // Sum of log p(after symbol | everything before it) over the scored after symbols:
    // all of them with context 0; with a context N the first N (the windows of later
    // ones do not reach the fill, so they would add the same to every fill). 0 when
    // nothing follows the region. Higher is better.
    double score = 0.0;
    int candidate = 0;                 // which sample it was (its rng stream)
};

struct RegeneratedRegion {
    std::vector<RegionFill> fills;     // best first (score non-increasing; ties by candidate)
    size_t scoredSymbols = 0;          // after symbols in each score
    int context = 0;
    std::string device;
    int64_t decoderSteps = 0;
    std::optional<ScaleKey> songKey;   // given or estimated from before + after
    bool songKeyEstimated = false;
    int transpose = 0;                 // semitones moved for the model
};

Result<RegeneratedRegion> regenerateRegion(const MelodyModel& model, std::span<const std::string> before,
                                           std::span<const std::string> after, int gapSteps, const GenerationOptions& options,
                                           const std::atomic<bool>* cancel = nullptr, const GenerationProgress& progress = {});

// The score regenerateRegion gives each fill (each of one length), in the given order.
Result<std::vector<double>> scoreRegionFills(const MelodyModel& model, std::span<const std::string> before,
                                             std::span<const std::string> after,
                                             const std::vector<std::vector<std::string>>& fills, const GenerationOptions& options);

}  // namespace melodist::engine

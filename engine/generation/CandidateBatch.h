// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The decoding loops shared by generateMelodies and regenerateRegion (internal to
// engine/generation): candidates sampled as one batch on a SequenceDecoder, and the
// log-likelihood of a continuation after each of several histories. Ids are the
// model's (after key normalisation). Free functions; the caller's thread; the caller
// owns the decoder, which they reset.
//   context 0: incremental -- reset once, the prefix fed, then one step per symbol;
//              finished candidates leave the batch (keepRows).
//   context N: every prediction from a fresh reset over the last N symbols.

#include "engine/core/Result.h"
#include "engine/generation/ConstraintMask.h"
#include "engine/generation/Sampler.h"
#include "engine/generation/SequenceDecoder.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace melodist::engine {

struct CandidateBatchRequest {
    std::span<const int> prefix{}; // fed before the first sample: padding and seed
    int steps = 0;                 // the most symbols sampled per candidate
    int context = 0;
    int candidates = 1;
    SamplingOptions sampling{};
    uint64_t rngSeed = 0;          // candidate c samples from (rngSeed, c)
    const ConstraintMask* mask = nullptr;  // required
    int stopId = -1;               // "/": ends a candidate; -1 = none
    bool stopAtDelimiter = true;   // false: "/" is masked, every candidate runs `steps`
    int minSteps = 0;              // "/" is masked for the first minSteps samples of a candidate
};

struct CandidateBatchOutcome {
    std::vector<std::vector<int>> sampled;  // per candidate, after the prefix, without the final "/"
    int64_t symbolsSampled = 0;
    int64_t decoderSteps = 0;               // rows stepped, summed over steps
};

// Called after each step with the steps done so far.
using StepProgress = std::function<void(int64_t done)>;

Result<CandidateBatchOutcome> sampleCandidates(SequenceDecoder& decoder, const CandidateBatchRequest& request,
                                               const std::atomic<bool>* cancel, const StepProgress& progress);

// For each history (all of one length > 0), the sum of log p(targets[j] | history, targets[0..j)).
// With a context N, only the first N targets are scored: the windows of later ones do not
// reach the histories, so those terms are the same for every history.
// `decoderSteps` is increased by the rows stepped.
Result<std::vector<double>> scoreContinuations(SequenceDecoder& decoder, const std::vector<std::vector<int>>& histories,
                                               std::span<const int> targets, int context, const std::atomic<bool>* cancel,
                                               const StepProgress& progress, int64_t& decoderSteps);
// How many targets scoreContinuations scores.
size_t scoredTargetCount(size_t targets, int context);

}  // namespace melodist::engine

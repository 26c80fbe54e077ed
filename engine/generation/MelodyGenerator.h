// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Melody continuation on a MelodyModel (fp32 LstmKernel, no LibTorch): the seed, padded
// as in training (the seeds: 64 "/" before it), then up to `steps` sampled symbols per
// candidate; a candidate stops at its first "/" (the seeds' end of song). All
// candidates advance together through LstmKernel::stepBatch.
//   context 0: incremental -- the state is carried, one step per symbol (O(1) a step).
//   context N: the seeds' way -- every symbol is predicted from the last N symbols fed
//              from a zero state (N steps a symbol), what a Keras import was trained on.
// Free functions; any thread (a generation worker); the caller owns the result.
// `cancel`, when given, is checked between steps (a cancelled run is an error).
//
//   GenerationOptions options{.steps = 500, .sampling = {.temperature = 0.8f}, .candidates = 4};
//   Result<GeneratedMelodies> out = generateMelodies(model, splitSymbols("67 _ 65"), options);
//   Result<Part> melody = decodeGeneratedMelody(out->melodies[0]);

#include "engine/core/Result.h"
#include "engine/generation/Sampler.h"
#include "engine/model/MelodyModel.h"
#include "engine/music/Score.h"

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

struct GenerationOptions {
    int steps = 500;            // the most symbols sampled per candidate
    SamplingOptions sampling;
    int candidates = 1;
    int context = -1;           // -1: the model's default; 0: incremental; N: last N symbols
    uint64_t rngSeed = 0;       // candidate c samples from (rngSeed, c): same seed, same melodies
};

struct GeneratedMelodies {
    // Per candidate: the seed's symbols then the sampled ones, without the padding and
    // without the final "/" -- the seeds' notation ("67 _ 67 _ 65 ...").
    std::vector<std::vector<std::string>> melodies;
    int64_t symbolsSampled = 0;  // over all candidates
    int64_t kernelSteps = 0;     // LSTM steps run (per batch row), the work done
    int context = 0;             // the context used
};

Result<GeneratedMelodies> generateMelodies(const MelodyModel& model, std::span<const std::string> seed,
                                           const GenerationOptions& options, const std::atomic<bool>* cancel = nullptr);

// decodeSteps for sampled text: symbols decodeSteps refuses (not a MIDI number 0..127,
// "r", "_" or "/", possible only with a foreign vocabulary) are skipped; a "_" with
// nothing before it holds a rest and the first "/" after music ends the melody, as in
// decodeSteps. So any sampled sequence decodes.
Result<Part> decodeGeneratedMelody(std::span<const std::string> symbols);

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Melody continuation on any MelodyModel, through its SequenceDecoder (the fp32 LSTM
// kernel, or a LibTorch network on CPU or CUDA): the seed, padded as in training (the
// seeds: 64 "/" before it), then up to `steps` sampled symbols per candidate; a
// candidate stops at its first "/" (the seeds' end of song). All candidates advance
// together as one batch.
//   context 0: incremental -- the state is carried, one step per symbol (O(1) a step);
//              finished candidates leave the batch (SequenceDecoder::keepRows).
//   context N: the seeds' way -- every symbol is predicted from the last N symbols fed
//              from a fresh state (N steps a symbol), what a Keras import was trained on.
// Before sampling, the constraints (MelodyConstraints.h) mask the logits. A model trained
// in C major / A minor gets the seed moved there and the result moved back
// (KeyNormalisation.h), so the user hears their own key.
// Free functions; any thread (a generation worker: see GenerationJob.h); the caller owns
// the result. `cancel`, when given, is checked between steps (a cancelled run is the
// error "generation cancelled"); `progress`, when given, is called on the calling thread
// after each step.
//
//   GenerationOptions options{.steps = 500, .sampling = {.temperature = 0.8f}, .candidates = 4};
//   options.constraints.key = *parseScaleKey("D major");
//   Result<GeneratedMelodies> out = generateMelodies(model, splitSymbols("62 _ 66 _ 69"), options);
//   Result<Part> melody = decodeGeneratedMelody(out->melodies[0]);

#include "engine/core/Result.h"
#include "engine/generation/MelodyConstraints.h"
#include "engine/generation/Sampler.h"
#include "engine/model/MelodyModel.h"
#include "engine/music/Score.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

struct GenerationOptions {
    int steps = 500;            // the most symbols sampled per candidate
    int minSteps = 0;           // no song end ("/") before this many: a melody at least this long
    SamplingOptions sampling{};
    int candidates = 1;
    int context = -1;           // -1: the model's default; 0: incremental; N: last N symbols
    uint64_t rngSeed = 0;       // candidate c samples from (rngSeed, c): same seed, same melodies
    DeviceChoice device = DeviceChoice::Auto;
    MelodyConstraints constraints{};  // in the user's key; constraints.key is also the seed's key
    // Move the seed to C major / A minor when the model was trained there
    // (modelIsKeyNormalised), and the result back. False: feed the seed as it is.
    bool normaliseKey = true;
};

struct GeneratedMelodies {
    // Per candidate: the seed's symbols then the sampled ones, without the padding and
    // without the final "/" -- the seeds' notation ("67 _ 67 _ 65 ..."), in the seed's key.
    std::vector<std::vector<std::string>> melodies;
    int64_t symbolsSampled = 0;  // over all candidates
    int64_t decoderSteps = 0;    // decoder rows stepped, summed over steps: the work done
    int context = 0;             // the context used
    std::string device;          // SequenceDecoder::device(): "cpu (fp32 kernel, avx2+fma)", ...
    std::optional<ScaleKey> seedKey;  // given or estimated; nullopt when not normalised or no notes
    bool seedKeyEstimated = false;
    int transpose = 0;           // semitones the seed was moved for the model (the result: back)
};

// Steps done and the total, after each step (done == total at the end). For GenerationJob
// and progress bars; called on the generating thread.
using GenerationProgress = std::function<void(int64_t done, int64_t total)>;

Result<GeneratedMelodies> generateMelodies(const MelodyModel& model, std::span<const std::string> seed,
                                           const GenerationOptions& options, const std::atomic<bool>* cancel = nullptr,
                                           const GenerationProgress& progress = {});

// decodeSteps for sampled text: symbols decodeSteps refuses (not a MIDI number 0..127,
// "r", "_" or "/", possible only with a foreign vocabulary) are skipped; a "_" with
// nothing before it holds a rest and the first "/" after music ends the melody, as in
// decodeSteps. So any sampled sequence decodes.
Result<Part> decodeGeneratedMelody(std::span<const std::string> symbols);

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Phrase sampling and interpolation with a VAE model file, in symbols, for `melodist
// sample-phrases` and `melodist interpolate` (engine/nn/Vae.h does the work; no LibTorch
// in this header). Each phrase is the symbols decoded after the model's start symbol
// ("/"), config.phraseLength of them. Any thread, one call at a time per model.
//
//   Result<LoadedNet> model = loadNetModel("vae.melodist-model");
//   Result<Phrases> phrases = sampleVaePhrases(*model, {.count = 4, .rngSeed = 7});
//   Result<Phrases> path = interpolateVaePhrases(*model, splitSymbols("60 _ 62 _"), splitSymbols("67 _ _ _"), {.count =
//   5});

#include "engine/core/Result.h"
#include "engine/nn/TorchBackend.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine::nn {

using Phrases = std::vector<std::vector<std::string>>;

struct PhraseOptions {
    int count = 4;
    uint64_t rngSeed = 0;      // latents (sampling) and symbol draws: the same seed, the same phrases
    float temperature = 1.0f;  // <= 0: the most likely symbol each step
};

// An error when the model is not a VAE or count is outside 1..4096.
Result<Phrases> sampleVaePhrases(const LoadedNet& model, const PhraseOptions& options);
// `count` (2..4096) phrases from `from` to `to` (each cut to the phrase length; a symbol
// outside the vocabulary is an error naming it). Temperature 0 (greedy) is the usual choice.
Result<Phrases> interpolateVaePhrases(const LoadedNet& model, std::span<const std::string> from,
                                      std::span<const std::string> to, const PhraseOptions& options);

}  // namespace melodist::engine::nn

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// VaeNet: the "vae" SequenceNet, after MusicVAE (Roberts et al., 2018) without its
// hierarchical conductor. Encoder: a phrase of symbols -> embedding (or one-hot) ->
// bidirectional LSTM -> its last layer's final h (both directions) -> Linear to mu and
// logvar of q(z|x), config.latent values each. Decoder: an LSTM whose initial h and c
// are tanh(Linear(z)) and whose input at each step is [the previous symbol's input
// vector, z]; then Linear to logits. Tensors: "embedding", "encoder", "to_mu",
// "to_logvar", "from_latent", "decoder", "output".
// As a SequenceNet: trainingLoss from an empty state encodes `inputs`, takes z = mu +
// sigma * eps in training mode (mu in eval mode, so validation losses are repeatable),
// teacher-forces the decoder, and returns cross-entropy + klWeight * max(KL - freeBits,
// 0) / T (KL in nats per phrase, T symbols per phrase: with klWeight 1 and freeBits 0,
// the negative ELBO per symbol). forward/initialState draw z from the prior N(0, I) with
// LibTorch's global generator; initialStateFromLatent starts from a given z.
// Include only from .cpp files of engine/nn (LibTorch). One thread at a time; call
// eval() before sampling or interpolating (they run under NoGradGuard themselves).
//
//   auto vae = std::dynamic_pointer_cast<VaeNet>(makeSequenceNet({.type = "vae", .vocabularySize = 38}));
//   vae->eval();
//   std::vector<std::vector<int64_t>> phrases = vae->samplePhrases(4, /*rngSeed=*/7, {.startId = slashId});
//   auto path = vae->interpolate(phraseA, phraseB, 5, {.startId = slashId, .temperature = 0});

#include "engine/nn/SequenceNet.h"

#include <cstdint>
#include <span>
#include <vector>

namespace melodist::engine::nn {

// How a latent becomes symbols: the decoder is fed `startId` (in Melodist's vocabularies
// "/", id 0: what precedes a song in training), then each symbol it picks.
struct PhraseDecoding {
    int64_t startId = 0;
    int64_t steps = 0;         // symbols per phrase; 0: config().phraseLength
    float temperature = 1.0f;  // <= 0: the most likely symbol each step (greedy)
};

class VaeNet final : public SequenceNet {
public:
    explicit VaeNet(NetConfig config);

    torch::Tensor forward(const torch::Tensor& tokens) override;
    std::pair<torch::Tensor, NetState> forwardFrom(const torch::Tensor& tokens, NetState state) override;
    NetState initialState(int64_t batch, torch::Device device) override;  // z ~ N(0, I)
    std::pair<torch::Tensor, NetState> step(const torch::Tensor& ids, NetState state) override;
    NetState selectRows(const NetState& state, const torch::Tensor& rows) override;
    TrainingOutput trainingLoss(const torch::Tensor& inputs, const torch::Tensor& targets, NetState state,
                                int64_t ignoreIndex) override;
    bool carriesState() const override { return false; }

    struct Posterior {
        torch::Tensor mu;      // [B, latent]
        torch::Tensor logvar;  // [B, latent]
    };
    Posterior encode(const torch::Tensor& tokens);  // [B, T] ids
    // The decoder's start state {h, c, z} for latents z [B, latent].
    NetState initialStateFromLatent(const torch::Tensor& z);
    // Symbols [B, steps] (int64, CPU) decoded from z [B, latent]; sampling draws from a CPU
    // generator seeded with `rngSeed`.
    torch::Tensor decode(const torch::Tensor& z, const PhraseDecoding& decoding, uint64_t rngSeed = 0);
    // [count, latent] on the CPU: row r from N(0, I) seeded by (rngSeed, r) alone, so a row's
    // latent does not depend on how many are drawn beside it.
    torch::Tensor priorLatents(int64_t count, uint64_t rngSeed) const;

    // `count` phrases decoded from latents drawn from the prior; the same rngSeed gives the same phrases.
    std::vector<std::vector<int64_t>> samplePhrases(int64_t count, uint64_t rngSeed,
                                                    const PhraseDecoding& decoding = {});
    // `count` >= 2 phrases decoded from the spherical interpolation between the encodings'
    // means (the first and last are the endpoints' own means).
    std::vector<std::vector<int64_t>> interpolate(std::span<const int64_t> phraseA, std::span<const int64_t> phraseB,
                                                  int64_t count, const PhraseDecoding& decoding = {},
                                                  uint64_t rngSeed = 0);
    // slerp between rows a and b ([latent] each) at t in [0, 1]; linear where they are nearly parallel.
    static torch::Tensor slerp(const torch::Tensor& a, const torch::Tensor& b, double t);

private:
    torch::Tensor inputVectors(const torch::Tensor& tokens);

    torch::nn::Embedding m_embedding{nullptr};
    torch::nn::LSTM m_encoder{nullptr};
    torch::nn::Linear m_toMu{nullptr}, m_toLogvar{nullptr}, m_fromLatent{nullptr};
    torch::nn::LSTM m_decoder{nullptr};
    torch::nn::Dropout m_dropout{nullptr};
    torch::nn::Linear m_output{nullptr};
};

}  // namespace melodist::engine::nn

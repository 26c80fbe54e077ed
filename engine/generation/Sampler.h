// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Sampler: picks the next symbol from a model's logits with temperature, top-k and
// top-p (nucleus), from its own seeded std::mt19937_64, so the same seed and logits
// give the same choices on every platform (the uniform draw is computed here, not by
// std::uniform_real_distribution, whose algorithm the standard leaves open).
// A logit of -infinity masks its symbol (MelodyConstraints): it is never drawn, as
// long as one logit is finite. One per candidate sequence; one thread at a time; its
// owner is the generator.
//
//   Sampler sampler({.temperature = 0.8f, .topK = 10}, /*seed=*/42, /*stream=*/0);
//   int id = sampler.sample(logits);

#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace melodist::engine {

struct SamplingOptions {
    // Logits are divided by it before the softmax (the seeds' sample_with_temperature);
    // <= 0 picks the most likely symbol (greedy).
    float temperature = 1.0f;
    int topK = 0;        // keep the K most likely symbols; 0 keeps all
    float topP = 1.0f;   // keep the most likely symbols whose mass first reaches P; 1 keeps all
};

class Sampler {
public:
    // `stream` separates the candidates of one seed: candidate c draws from (seed, c), so
    // candidate 1 is the same whatever the number of candidates.
    Sampler(SamplingOptions options, uint64_t seed, uint64_t stream);

    int sample(std::span<const float> logits);
    // The index of the largest logit (the first of equal ones).
    static int argmax(std::span<const float> logits);

private:
    double uniform();  // [0, 1), 53 random bits

    SamplingOptions m_options;
    std::mt19937_64 m_rng;
    std::vector<std::pair<double, int>> m_scratch;  // (probability, id)
};

}  // namespace melodist::engine

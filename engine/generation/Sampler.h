// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Sampler: picks the next symbol from a model's logits with temperature, top-k and
// top-p (nucleus), from its own std::mt19937_64 seeded from (seed, stream), so the same
// seed and logits give the same choices on every platform (the uniform draw and exp are
// computed here in plain IEEE arithmetic, not by std::uniform_real_distribution or libm,
// whose results the standard leaves open).
// A logit of -infinity masks its symbol (MelodyConstraints): it is never drawn, as
// long as one logit is finite. One per candidate sequence; one thread at a time; its
// owner is the generator.
//
// Cost (seed model, 38 symbols, this project's 2-core EPYC): without top-k/top-p, one
// pass computes the weights exp((logit - max) / T) in float (vectorised) and one walks
// their running sum (in double) in id order: no sort, ~0.2 us a draw (a sort of
// (double, id) pairs: ~0.6 us). With top-k or top-p the kept symbols are selected
// (std::nth_element) and ordered most likely first, as before.
//
//   Sampler sampler({.temperature = 0.8f, .topK = 10}, /*seed=*/42, /*stream=*/0);
//   int id = sampler.sample(logits);

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace melodist::engine {

struct SamplingOptions {
    // Logits are divided by it before the softmax (the seeds' sample_with_temperature);
    // <= 0 picks the most likely symbol (greedy).
    float temperature = 1.0f;
    int topK = 0;       // keep the K most likely symbols; 0 keeps all
    float topP = 1.0f;  // keep the most likely symbols whose mass first reaches P; 1 keeps all
};

class Sampler {
public:
    // `stream` separates the candidates of one seed: candidate c draws from (seed, c), so
    // candidate 1 is the same whatever the number of candidates.
    Sampler(SamplingOptions options, uint64_t seed, uint64_t stream);

    int sample(std::span<const float> logits);
    // The index of the largest logit (the first of equal ones).
    static int argmax(std::span<const float> logits);

    // The unnormalised softmax(logits / temperature) that sample() draws from, written to
    // `weights` (logits.size() floats): exp((logit - max) / temperature), 1 for the
    // largest logit, exactly 0 for -inf (masked) and NaN logits and where the
    // probability relative to the largest is below e^-87 (1.6e-38). For tests.
    static void softmaxWeights(std::span<const float> logits, float temperature, std::span<float> weights);

private:
    double uniform();  // [0, 1), 53 random bits
    // Every symbol kept: drawn from the running sum of the weights in id order.
    int sampleAll(std::span<const float> logits);
    // top-k / top-p: the kept symbols, most likely first.
    int sampleTruncated(std::span<const float> logits);

    SamplingOptions m_options;
    std::mt19937_64 m_rng;
    std::vector<float> m_weights;
    std::vector<uint64_t> m_order;  // (weight descending, id ascending) keys: see sampleTruncated
};

}  // namespace melodist::engine

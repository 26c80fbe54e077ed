// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/Sampler.h"

#include <algorithm>
#include <bit>
#include <limits>

// The weights must be the same bits on every compiler: no a * b + c contracted into an FMA
// (GCC and MSVC do not contract in standard mode; Clang does unless told).
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace melodist::engine {
namespace {

// e^-87 = 1.6e-38 (near FLT_MIN): a symbol whose probability relative to the most likely
// one is below it gets weight 0. A 53-bit uniform draw could not pick it anyway.
constexpr float kLowestExponent = -87.0f;
constexpr int kBlock = 8;  // weights are computed in blocks of 8: vectorised at -O2

// e^x for kLowestExponent <= x <= 0 in plain float arithmetic (Cephes' expf: 2^n times a
// polynomial of the remainder; relative error ~2e-7).
inline float expInRange(float x) {
    constexpr float kMagic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    const float shifted = x * 1.44269504088896341f + kMagic;
    const float n = shifted - kMagic;
    const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    // n in -126..0 (the integer in shifted's low mantissa bits): 2^n as a float's exponent.
    const int32_t exponent = std::bit_cast<int32_t>(shifted) - std::bit_cast<int32_t>(kMagic) + 127;
    return p * std::bit_cast<float>(exponent << 23);
}

// exp((logit - maximum) / temperature), 0 below e^-87 and for -inf and NaN. Selected by
// bit masks, not branches: GCC vectorises no float conditional unless -fno-trapping-math.
inline float weightOf(float logit, float maximum, float temperature) {
    const float x = (logit - maximum) / temperature;                      // <= 0, or -inf / NaN
    const int32_t inRange = -static_cast<int32_t>(x >= kLowestExponent);  // all ones, or 0
    const float clamped = std::bit_cast<float>((std::bit_cast<int32_t>(x) & inRange) |
                                               (std::bit_cast<int32_t>(kLowestExponent) & ~inRange));
    return std::bit_cast<float>(std::bit_cast<int32_t>(expInRange(clamped)) & inRange);
}

}  // namespace

Sampler::Sampler(SamplingOptions options, uint64_t seed, uint64_t stream) : m_options(options) {
    std::seed_seq sequence{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32), static_cast<uint32_t>(stream),
                           static_cast<uint32_t>(stream >> 32)};
    m_rng.seed(sequence);
}

int Sampler::argmax(std::span<const float> logits) {
    return static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

double Sampler::uniform() {
    return static_cast<double>(m_rng() >> 11) * 0x1.0p-53;
}

void Sampler::softmaxWeights(std::span<const float> logits, float temperature, std::span<float> weights) {
    const size_t count = std::min(logits.size(), weights.size());
    float maximum = -std::numeric_limits<float>::infinity();
    for (size_t i = 0; i < count; ++i) maximum = logits[i] > maximum ? logits[i] : maximum;
    // Whole blocks first: a fixed trip count is what GCC's -O2 cost model vectorises.
    const size_t blocked = count / kBlock * kBlock;
    for (size_t b = 0; b < blocked; b += kBlock) {
        float block[kBlock];  // a local copy: the compiler need not prove logits and weights apart
        std::copy_n(logits.data() + b, kBlock, block);
        for (float& value : block) value = weightOf(value, maximum, temperature);
        std::copy_n(block, kBlock, weights.data() + b);
    }
    for (size_t i = blocked; i < count; ++i) weights[i] = weightOf(logits[i], maximum, temperature);
}

int Sampler::sample(std::span<const float> logits) {
    if (logits.empty()) return 0;
    if (m_options.temperature <= 0.0f || m_options.topK == 1) return argmax(logits);
    m_weights.resize(logits.size());
    softmaxWeights(logits, m_options.temperature, m_weights);
    const bool truncated =
        (m_options.topK > 0 && static_cast<size_t>(m_options.topK) < logits.size()) || m_options.topP < 1.0f;
    return truncated ? sampleTruncated(logits) : sampleAll(logits);
}

int Sampler::sampleAll(std::span<const float> logits) {
    // Summed in double in id order, the same way twice, so the walk ends exactly at `total`.
    double total = 0.0;
    for (const float w : m_weights) total += w;
    if (!(total > 0.0)) return argmax(logits);  // no finite logit: nothing to weigh
    const double target = uniform() * total;
    double cumulative = 0.0;
    int last = 0;
    for (size_t i = 0; i < m_weights.size(); ++i) {
        if (!(m_weights[i] > 0.0f)) continue;  // masked (-inf): never drawn, not even by rounding
        cumulative += m_weights[i];
        last = static_cast<int>(i);
        if (target < cumulative) return last;
    }
    return last;  // the product u * total rounded up to total: the last symbol with weight
}

int Sampler::sampleTruncated(std::span<const float> logits) {
    // Keys that order by weight descending, then id ascending: a weight is >= 0, so its bits
    // order like its value, and complementing them reverses that. The keys are unique, so
    // every standard library's nth_element and sort give the same order (and draw).
    const size_t count = m_weights.size();
    m_order.resize(count);
    size_t kept = 0;  // symbols with weight > 0 (masked ones have 0 and sort last)
    for (size_t i = 0; i < count; ++i) {
        m_order[i] = static_cast<uint64_t>(~std::bit_cast<uint32_t>(m_weights[i])) << 32 | static_cast<uint64_t>(i);
        kept += m_weights[i] > 0.0f ? 1 : 0;
    }
    if (kept == 0) return argmax(logits);
    if (m_options.topK > 0) kept = std::min(kept, static_cast<size_t>(m_options.topK));
    // Only the kept ones need their order: select them, then sort those.
    const auto keptEnd = m_order.begin() + static_cast<ptrdiff_t>(kept);
    if (kept < count) std::nth_element(m_order.begin(), keptEnd - 1, m_order.end());
    std::sort(m_order.begin(), keptEnd);
    const auto idAt = [&](size_t rank) { return static_cast<size_t>(m_order[rank] & 0xffffffffu); };
    double total = 0.0;
    for (size_t i = 0; i < kept; ++i) total += m_weights[idAt(i)];
    if (m_options.topP < 1.0f) {
        double mass = 0.0;
        for (size_t i = 0; i < kept; ++i) {
            mass += m_weights[idAt(i)];
            if (mass >= m_options.topP * total) {
                kept = i + 1;
                total = mass;
                break;
            }
        }
    }
    double target = uniform() * total;
    for (size_t i = 0; i < kept; ++i) {
        target -= m_weights[idAt(i)];
        if (target < 0.0) return static_cast<int>(idAt(i));
    }
    return static_cast<int>(idAt(kept - 1));  // rounding left a sliver: the last kept symbol
}

}  // namespace melodist::engine

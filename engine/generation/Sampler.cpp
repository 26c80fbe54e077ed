// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/Sampler.h"

#include <algorithm>
#include <cmath>

namespace melodist::engine {

Sampler::Sampler(SamplingOptions options, uint64_t seed, uint64_t stream) : m_options(options) {
    std::seed_seq sequence{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32), static_cast<uint32_t>(stream),
                           static_cast<uint32_t>(stream >> 32)};
    m_rng.seed(sequence);
}

int Sampler::argmax(std::span<const float> logits) {
    return static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

double Sampler::uniform() { return static_cast<double>(m_rng() >> 11) * 0x1.0p-53; }

int Sampler::sample(std::span<const float> logits) {
    if (logits.empty()) return 0;
    if (m_options.temperature <= 0.0f || m_options.topK == 1) return argmax(logits);
    // Softmax of logits / T in double: at T = 0.01 the scaled logits span thousands.
    const double maximum = *std::max_element(logits.begin(), logits.end());
    m_scratch.resize(logits.size());
    for (size_t i = 0; i < logits.size(); ++i)
        m_scratch[i] = {std::exp((logits[i] - maximum) / m_options.temperature), static_cast<int>(i)};
    // Most likely first; ties by id, so the order (and the draw) never depends on sort stability.
    std::sort(m_scratch.begin(), m_scratch.end(),
              [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    // Masked symbols (logit -inf: a constraint forbids them) have probability 0 and sort
    // last; they are never kept, so neither top-k nor the rounding sliver below picks one.
    size_t kept = m_scratch.size();
    while (kept > 1 && !(m_scratch[kept - 1].first > 0.0)) --kept;
    if (m_options.topK > 0) kept = std::min(kept, static_cast<size_t>(m_options.topK));
    double total = 0.0;
    for (size_t i = 0; i < kept; ++i) total += m_scratch[i].first;
    if (m_options.topP < 1.0f) {
        double mass = 0.0;
        for (size_t i = 0; i < kept; ++i) {
            mass += m_scratch[i].first;
            if (mass >= m_options.topP * total) {
                kept = i + 1;
                total = mass;
                break;
            }
        }
    }
    double target = uniform() * total;
    for (size_t i = 0; i < kept; ++i) {
        target -= m_scratch[i].first;
        if (target < 0.0) return m_scratch[i].second;
    }
    return m_scratch[kept - 1].second;  // rounding left a sliver: the last kept symbol
}

}  // namespace melodist::engine

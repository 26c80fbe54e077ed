// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/Complexity.h"

#include <algorithm>
#include <cmath>

namespace melodist::engine {

ComplexitySettings complexitySettings(double complexity) {
    const float c = std::isfinite(complexity) ? static_cast<float>(std::clamp(complexity, 0.0, 1.0)) : 0.5f;
    ComplexitySettings out;
    out.temperature = kComplexityTemperatureLow + (kComplexityTemperatureHigh - kComplexityTemperatureLow) * c;
    // Two halves, so the middle is exactly the model's own rhythm.
    out.holdLogitBias = c < 0.5f ? kComplexityHoldBiasLow * (1.0f - 2.0f * c) : kComplexityHoldBiasHigh * (2.0f * c - 1.0f);
    return out;
}

}  // namespace melodist::engine

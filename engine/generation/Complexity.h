// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Complexity: the studio's one control for people who do not think in temperatures. It
// moves two things together, so "more complex" means both more surprising pitches and
// more notes:
//   temperature    0.55 (plain, predictable) .. 0.90 (middle) .. 1.25 (adventurous), linear;
//   holdLogitBias +1.5 (long notes, few onsets) .. 0 (middle: the model's own rhythm) .. -1.0
//                  (short notes, many onsets), linear on each half
//                  (MelodyConstraints::holdLogitBias, added to the logit of "_").
// At 0.5 the model generates as trained (no bias) at a slightly cool 0.9. Values outside
// 0..1 are clamped. A pure function; any thread.
//
//   ComplexitySettings s = complexitySettings(0.8);     // temperature 1.11, holdLogitBias -0.6
//   options.sampling.temperature = s.temperature;
//   options.constraints.holdLogitBias = s.holdLogitBias;

namespace melodist::engine {

inline constexpr float kComplexityTemperatureLow = 0.55f;
inline constexpr float kComplexityTemperatureHigh = 1.25f;
inline constexpr float kComplexityHoldBiasLow = 1.5f;    // at complexity 0
inline constexpr float kComplexityHoldBiasHigh = -1.0f;  // at complexity 1

struct ComplexitySettings {
    float temperature = 0.9f;
    float holdLogitBias = 0.0f;
};

ComplexitySettings complexitySettings(double complexity);

}  // namespace melodist::engine

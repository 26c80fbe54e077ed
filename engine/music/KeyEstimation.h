// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Krumhansl-Schmuckler key estimation: the duration-weighted pitch-class histogram of
// the notes is correlated (Pearson) with the Krumhansl-Kessler major and minor
// profiles rotated to all 12 tonics; the best of the 24 keys wins (ties: the lower
// tonic, major before minor). For melodies whose file declares no key (MIDI without a
// key signature). Free functions, any thread.
//
//   std::optional<KeyEstimate> estimate = estimateKey(score);
//   if (estimate) transposeBy(-estimate->key.tonic);

#include "engine/music/Score.h"

#include <array>
#include <optional>

namespace melodist::engine {

// Krumhansl & Kessler (1982) probe-tone ratings, index 0 = the tonic.
inline constexpr std::array<double, 12> kKrumhanslKesslerMajor = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09,
                                                                 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
inline constexpr std::array<double, 12> kKrumhanslKesslerMinor = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53,
                                                                 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};

struct KeyEstimate {
    Key key;
    double correlation = 0.0;  // Pearson r of the winning key, -1..1
};

// Total duration (quarter notes) of each pitch class over all parts.
std::array<double, 12> pitchClassDurations(const Score& score);
// nullopt when the histogram is empty or flat (no notes, or all twelve equally long).
std::optional<KeyEstimate> estimateKey(const std::array<double, 12>& pitchClassDurations);
std::optional<KeyEstimate> estimateKey(const Score& score);

}  // namespace melodist::engine

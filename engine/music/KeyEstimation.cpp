// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/music/KeyEstimation.h"

#include <algorithm>
#include <cmath>

namespace melodist::engine {
namespace {

double pearson(const std::array<double, 12>& x, const std::array<double, 12>& profile, int tonic) {
    double meanX = 0, meanY = 0;
    for (int i = 0; i < 12; ++i) {
        meanX += x[static_cast<size_t>(i)];
        meanY += profile[static_cast<size_t>(i)];
    }
    meanX /= 12;
    meanY /= 12;
    double covariance = 0, varianceX = 0, varianceY = 0;
    for (int pc = 0; pc < 12; ++pc) {
        const double dx = x[static_cast<size_t>(pc)] - meanX;
        const double dy = profile[static_cast<size_t>((pc - tonic + 12) % 12)] - meanY;
        covariance += dx * dy;
        varianceX += dx * dx;
        varianceY += dy * dy;
    }
    if (varianceX <= 0 || varianceY <= 0) return 0;
    return covariance / std::sqrt(varianceX * varianceY);
}

}  // namespace

std::array<double, 12> pitchClassDurations(const Score& score) {
    std::array<double, 12> histogram{};
    for (const Part& part : score.parts)
        for (const Note& note : part.notes) histogram[static_cast<size_t>(((note.pitch % 12) + 12) % 12)] += note.duration.toDouble();
    return histogram;
}

std::optional<KeyEstimate> estimateKey(const std::array<double, 12>& durations) {
    double total = 0, smallest = durations[0], largest = durations[0];
    for (const double d : durations) {
        total += d;
        smallest = std::min(smallest, d);
        largest = std::max(largest, d);
    }
    if (!(total > 0) || largest == smallest) return std::nullopt;
    std::optional<KeyEstimate> best;
    for (int tonic = 0; tonic < 12; ++tonic) {
        for (const Mode mode : {Mode::Major, Mode::Minor}) {
            const double r = pearson(durations, mode == Mode::Major ? kKrumhanslKesslerMajor : kKrumhanslKesslerMinor, tonic);
            if (!best || r > best->correlation) best = KeyEstimate{Key{tonic, mode}, r};
        }
    }
    return best;
}

std::optional<KeyEstimate> estimateKey(const Score& score) { return estimateKey(pitchClassDurations(score)); }

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
// Nearest-token replacement for the chord encoding; the rule is in ChordVocabulary.h.
#include "engine/music/ChordVocabulary.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace melodist::engine {
namespace {

// Sum over `from` of the distance to the nearest pitch of `to` (both ascending).
int oneWayDistance(std::span<const int> from, std::span<const int> to) {
    int sum = 0;
    size_t j = 0;
    for (const int pitch : from) {
        while (j + 1 < to.size() && to[j + 1] <= pitch) ++j;
        int best = std::abs(pitch - to[j]);
        if (j + 1 < to.size()) best = std::min(best, std::abs(to[j + 1] - pitch));
        sum += best;
    }
    return sum;
}

}  // namespace

int chordPitchDistance(std::span<const int> a, std::span<const int> b) {
    if (a.empty() || b.empty()) return a.size() == b.size() ? 0 : std::numeric_limits<int>::max() / 4;
    return oneWayDistance(a, b) + oneWayDistance(b, a);
}

NearestChordToken::NearestChordToken(std::span<const std::string> candidates) {
    for (size_t i = 0; i < candidates.size(); ++i) {
        Result<ChordToken> token = parseChordToken(candidates[i]);
        if (!token) continue;
        ByStep& group = token->isRest() ? m_rests : m_sounds;
        const Rational step = token->step;
        group[step].push_back({std::move(*token), i});
        ++m_count;
    }
}

std::optional<size_t> NearestChordToken::nearestIn(const ByStep& byStep, const ChordToken& token) const {
    if (byStep.empty()) return std::nullopt;
    // The candidates' step: the token's own, else the nearest (the shorter one on a tie).
    auto at = byStep.lower_bound(token.step);
    if (at == byStep.end() || (at->first != token.step && at != byStep.begin())) {
        const auto below = std::prev(at);
        if (at == byStep.end() || token.step - below->first <= at->first - token.step) at = below;
    }
    const Candidate* best = nullptr;
    int bestDistance = 0, bestSizeGap = 0;
    for (const Candidate& candidate : at->second) {
        const int distance = chordPitchDistance(token.pitches, candidate.token.pitches);
        const int sizeGap = std::abs(static_cast<int>(token.pitches.size()) - static_cast<int>(candidate.token.pitches.size()));
        if (best == nullptr || distance < bestDistance || (distance == bestDistance && sizeGap < bestSizeGap)) {
            best = &candidate;
            bestDistance = distance;
            bestSizeGap = sizeGap;
        }
    }
    return best->index;  // a group is never empty; candidates are in preference order, so ties keep the first
}

std::optional<size_t> NearestChordToken::nearest(const ChordToken& token) const {
    return nearestIn(token.isRest() ? m_rests : m_sounds, token);
}

Result<ChordVocabularyReduction> reduceChordVocabulary(std::span<const std::pair<std::string, uint64_t>> counts,
                                                       uint64_t minCount) {
    ChordVocabularyReduction out;
    out.tokensBefore = counts.size();
    out.tokensAfter = counts.size();
    for (const auto& entry : counts) out.occurrences += entry.second;
    if (minCount <= 1) return out;

    // Most frequent first, then by text: the preference order, whatever order `counts` came in.
    std::vector<const std::pair<std::string, uint64_t>*> order;
    order.reserve(counts.size());
    for (const auto& entry : counts) order.push_back(&entry);
    std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
        return a->second != b->second ? a->second > b->second : a->first < b->first;
    });
    std::vector<std::string> frequent;
    std::vector<std::pair<const std::pair<std::string, uint64_t>*, ChordToken>> rare;
    uint64_t mostFrequentSound = 0;
    for (const auto* entry : order) {
        Result<ChordToken> token = parseChordToken(entry->first);
        if (!token || token->isRest()) continue;
        mostFrequentSound = std::max(mostFrequentSound, entry->second);
        if (entry->second >= minCount)
            frequent.push_back(entry->first);
        else
            rare.emplace_back(entry, std::move(*token));
    }
    if (rare.empty()) return out;
    if (frequent.empty())
        return makeError("no note or chord token occurs " + std::to_string(minCount) +
                         " times or more, so rare tokens have nothing to become; lower --min-count (the most frequent occurs " +
                         std::to_string(mostFrequentSound) + " times) or preprocess more music");

    const NearestChordToken nearest(frequent);
    for (const auto& [entry, token] : rare) {
        const size_t index = *nearest.nearest(token);  // a sound, and there are frequent sounds
        const std::string& replacement = frequent[index];
        const ChordToken chosen = *parseChordToken(replacement);
        out.replacements.emplace(entry->first, replacement);
        out.occurrencesReplaced += entry->second;
        if (chosen.step != token.step) out.stepsChanged += entry->second;
        out.pitchDistanceSum += entry->second * static_cast<uint64_t>(chordPitchDistance(token.pitches, chosen.pitches));
    }
    out.tokensAfter = counts.size() - rare.size();
    return out;
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A learnable vocabulary for the chord encoding (ChordEncoding.h). Every distinct
// pitch set and step is a token there, so real piano music gives tens of thousands of
// tokens, most seen once or twice (the 157 piano-midi files: ~22,000 at grid 1/4) --
// too sparse for an LSTM to learn and too large for a small model. So rare tokens are
// replaced by the nearest frequent one:
//   - a rest only by a rest, a sound only by a sound;
//   - the same step when a candidate has it (the rhythm stays), else the nearest step;
//   - then the smallest chordPitchDistance, then the closest number of notes, then the
//     candidate given first (preprocessing: the most frequent; a model: the lowest id).
// The same rule fits a user's seed to a trained model's vocabulary (generation).
// Value types and free functions; any thread; immutable after construction.
//
//   std::vector<std::pair<std::string, uint64_t>> counts = {{"60+64+67:1", 40}, {"60+64+68:1", 1}, ...};
//   Result<ChordVocabularyReduction> r = reduceChordVocabulary(counts, /*minCount=*/20);
//   // r->replacements["60+64+68:1"] == "60+64+67:1"
//   NearestChordToken nearest(model.vocabulary().symbols());
//   std::optional<size_t> id = nearest.nearest(*parseChordToken("61+65+68:1/2"));

#include "engine/core/Result.h"
#include "engine/music/ChordEncoding.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace melodist::engine {

// How far apart two sounding pitch sets are, in semitones: each pitch of one to the
// nearest pitch of the other, summed both ways. 0 only for equal sets; one note moved a
// semitone costs 2; a dropped octave doubling costs 12. Both sets non-empty.
int chordPitchDistance(std::span<const int> a, std::span<const int> b);

// The nearest of a fixed list of chord tokens (the rule above) to any chord token.
class NearestChordToken {
public:
    // `candidates` in order of preference; entries that are not chord tokens ("/") are
    // never chosen, but keep their index.
    explicit NearestChordToken(std::span<const std::string> candidates);

    // Index into the candidates; nullopt when none is of the token's kind (rest or sound).
    std::optional<size_t> nearest(const ChordToken& token) const;
    size_t candidateCount() const { return m_count; }

private:
    struct Candidate {
        ChordToken token;
        size_t index = 0;
    };
    using ByStep = std::map<Rational, std::vector<Candidate>>;
    std::optional<size_t> nearestIn(const ByStep& byStep, const ChordToken& token) const;

    ByStep m_sounds;
    ByStep m_rests;
    size_t m_count = 0;
};

struct ChordVocabularyReduction {
    std::map<std::string, std::string> replacements;  // rare token -> frequent token
    size_t tokensBefore = 0;          // distinct tokens counted
    size_t tokensAfter = 0;           // distinct tokens left
    uint64_t occurrences = 0;         // token occurrences counted
    uint64_t occurrencesReplaced = 0;
    uint64_t stepsChanged = 0;        // replaced occurrences whose step changed (the rhythm moved)
    uint64_t pitchDistanceSum = 0;    // chordPitchDistance over the replaced occurrences
};

// Tokens counted fewer than `minCount` times become the nearest token counted at least
// `minCount` times; rests are never replaced (there are at most maxStep/grid of them),
// nor are strings that are not chord tokens. minCount <= 1 replaces nothing. An error
// when no sounding token is counted `minCount` times (the message says to lower it).
// The result depends only on the counts, not on their order.
Result<ChordVocabularyReduction> reduceChordVocabulary(std::span<const std::pair<std::string, uint64_t>> counts,
                                                       uint64_t minCount);

}  // namespace melodist::engine

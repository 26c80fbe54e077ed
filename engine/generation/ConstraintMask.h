// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ConstraintMask: MelodyConstraints compiled for one model's vocabulary -- which ids are
// pitches inside the key and range, which are "r", "_", "/" -- and the per-candidate
// state (ConstraintTracker) that decides, step by step, which symbols are allowed:
// the logits of forbidden ones become -infinity before sampling (Sampler never draws
// them). Checked up front: a constraint that cannot apply to the vocabulary (symbols
// other than MIDI numbers, "r", "_", "/"), or constraints that leave no pitch, are an
// error naming why, so sampling never runs out of symbols. Immutable after create();
// any thread; trackers belong to their candidate's caller.
//
//   Result<ConstraintMask> mask = ConstraintMask::create(constraints, model.vocabulary(), /*shift=*/-2);
//   ConstraintTracker tracker = mask->trackerAfter(seedIds);
//   mask->apply(tracker, logits, /*allowDelimiter=*/true);   // then sample `id`
//   mask->advance(tracker, id, /*generated=*/true);

#include "engine/core/Result.h"
#include "engine/generation/MelodyConstraints.h"
#include "engine/music/Vocabulary.h"

#include <cstdint>
#include <span>
#include <vector>

namespace melodist::engine {

// Where one candidate stands: the current note or rest and the rests so far.
struct ConstraintTracker {
    int runSteps = 0;         // steps the current note or rest has lasted; 0 = nothing yet (after "/")
    bool inRest = true;       // the current event is a rest ("_" with nothing before it holds a rest)
    int64_t generated = 0;    // generated steps so far (the seed does not count)
    int64_t restSteps = 0;    // of which rest steps
};

class ConstraintMask {
public:
    enum class Kind : uint8_t { Pitch, Rest, Hold, Delimiter, Other };

    // `shift`: semitones from the user's key to the model's (model pitch = user pitch +
    // shift), so key and range apply to what the user hears.
    static Result<ConstraintMask> create(const MelodyConstraints& constraints, const Vocabulary& vocabulary, int shift = 0);

    Kind kind(int id) const { return m_kinds[static_cast<size_t>(id)]; }
    // False when no constraint forbids anything (then only "/" may ever be masked).
    bool active() const { return m_active; }
    // The tracker after `ids` (a seed, a region's before), counted as not generated.
    ConstraintTracker trackerAfter(std::span<const int> ids) const;
    // Masks one row of logits (vocabulary size) and adds the hold bias to an allowed "_".
    // False when no symbol is left allowed.
    bool apply(const ConstraintTracker& tracker, std::span<float> logits, bool allowDelimiter) const;
    void advance(ConstraintTracker& tracker, int id, bool generated) const;

private:
    std::vector<Kind> m_kinds;
    std::vector<bool> m_allowedPitch;  // per id; true for every non-pitch id
    int m_maxNoteSteps = 0;
    double m_maxRestRatio = -1.0;
    float m_holdLogitBias = 0.0f;
    bool m_active = false;
};

}  // namespace melodist::engine

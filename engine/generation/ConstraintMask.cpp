// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/ConstraintMask.h"

#include "engine/music/StepEncoding.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace melodist::engine {
namespace {

std::optional<int> midiPitch(const std::string& symbol) { return pitchOfSymbol(symbol); }

std::string describeConstraints(const MelodyConstraints& c) {
    std::string out;
    if (c.key) out += "in " + c.key->name();
    if (c.range) out += std::string(out.empty() ? "" : " and ") + "within " + std::to_string(c.range->lowest) + ".." +
                        std::to_string(c.range->highest);
    return out;
}

}  // namespace

Result<ConstraintMask> ConstraintMask::create(const MelodyConstraints& constraints, const Vocabulary& vocabulary, int shift) {
    if (constraints.maxNoteSteps < 0) return makeError("the longest note must be 1 step or more (0: no limit)");
    if (constraints.maxRestRatio > 1.0) return makeError("the rest ratio is a fraction 0..1 (or < 0: no limit)");
    ConstraintMask mask;
    mask.m_maxNoteSteps = constraints.maxNoteSteps;
    mask.m_maxRestRatio = constraints.maxRestRatio;
    if (!std::isfinite(constraints.holdLogitBias) || std::abs(constraints.holdLogitBias) > 50.0f)
        return makeError("the hold bias (note density) must be a number within -50..50, not " +
                         std::to_string(constraints.holdLogitBias));
    mask.m_holdLogitBias = constraints.holdLogitBias;
    const std::vector<std::string>& symbols = vocabulary.symbols();
    mask.m_kinds.resize(symbols.size());
    mask.m_allowedPitch.assign(symbols.size(), true);
    const std::optional<std::array<bool, 12>> scale =
        constraints.key ? std::optional<std::array<bool, 12>>(constraints.key->pitchClasses()) : std::nullopt;
    int allowed = 0, lowest = 128, highest = -1;
    for (size_t id = 0; id < symbols.size(); ++id) {
        const std::string& symbol = symbols[id];
        if (symbol == kRestSymbol) mask.m_kinds[id] = Kind::Rest;
        else if (symbol == kHoldSymbol) mask.m_kinds[id] = Kind::Hold;
        else if (symbol == kSongDelimiterSymbol) mask.m_kinds[id] = Kind::Delimiter;
        else if (const std::optional<int> pitch = midiPitch(symbol)) {
            mask.m_kinds[id] = Kind::Pitch;
            const int heard = *pitch - shift;  // the pitch in the user's key
            lowest = std::min(lowest, heard);
            highest = std::max(highest, heard);
            bool ok = true;
            if (scale) ok = (*scale)[static_cast<size_t>(((heard % 12) + 12) % 12)];
            if (constraints.range) ok = ok && heard >= constraints.range->lowest && heard <= constraints.range->highest;
            mask.m_allowedPitch[id] = ok;
            allowed += ok ? 1 : 0;
        } else {
            mask.m_kinds[id] = Kind::Other;
            if (constraints.any())
                return makeError("the model's vocabulary has symbols other than MIDI numbers, 'r', '_' and '/' (such as '" +
                                 symbol.substr(0, 24) + "'), so the key, range, longest-note, rest and note-density "
                                 "constraints cannot be applied to it; generate without them");
        }
    }
    if ((constraints.key || constraints.range) && allowed == 0) {
        const std::string known = highest < 0 ? std::string("none") : std::to_string(lowest) + ".." + std::to_string(highest);
        return makeError("no pitch the model knows (" + known + ") is " + describeConstraints(constraints) +
                         "; widen the range or choose another key");
    }
    mask.m_active = mask.m_maxNoteSteps > 0 || mask.m_maxRestRatio >= 0.0 || mask.m_holdLogitBias != 0.0f ||
                    std::find(mask.m_allowedPitch.begin(), mask.m_allowedPitch.end(), false) != mask.m_allowedPitch.end();
    return mask;
}

ConstraintTracker ConstraintMask::trackerAfter(std::span<const int> ids) const {
    ConstraintTracker tracker;
    for (const int id : ids) advance(tracker, id, /*generated=*/false);
    return tracker;
}

void ConstraintMask::advance(ConstraintTracker& tracker, int id, bool generated) const {
    switch (kind(id)) {
    case Kind::Pitch:
    case Kind::Other:
        tracker.runSteps = 1;
        tracker.inRest = false;
        break;
    case Kind::Rest:
        tracker.runSteps = 1;
        tracker.inRest = true;
        break;
    case Kind::Hold:
        if (tracker.runSteps == 0) tracker.inRest = true;  // "_" after nothing holds a rest
        ++tracker.runSteps;
        break;
    case Kind::Delimiter:
        tracker.runSteps = 0;
        tracker.inRest = true;
        return;  // not a step of the melody
    }
    if (!generated) return;
    ++tracker.generated;
    if (tracker.inRest) ++tracker.restSteps;
}

bool ConstraintMask::apply(const ConstraintTracker& tracker, std::span<float> logits, bool allowDelimiter) const {
    constexpr float kForbidden = -std::numeric_limits<float>::infinity();
    // A rest step keeps the fraction of rest steps, counting itself, at or below the limit.
    const bool restAllowed = m_maxRestRatio < 0.0 || static_cast<double>(tracker.restSteps + 1) <=
                                                         m_maxRestRatio * static_cast<double>(tracker.generated + 1) + 1e-9;
    const bool holdAllowed = (m_maxNoteSteps <= 0 || tracker.runSteps < m_maxNoteSteps) && (!tracker.inRest || restAllowed);
    bool any = false;
    for (size_t id = 0; id < logits.size() && id < m_kinds.size(); ++id) {
        bool ok = true;
        switch (m_kinds[id]) {
        case Kind::Pitch: ok = m_allowedPitch[id]; break;
        case Kind::Rest: ok = restAllowed; break;
        case Kind::Hold: ok = holdAllowed; break;
        case Kind::Delimiter: ok = allowDelimiter; break;
        case Kind::Other: break;
        }
        if (!ok) logits[id] = kForbidden;
        else if (m_kinds[id] == Kind::Hold) logits[id] += m_holdLogitBias;
        any = any || ok;
    }
    return any;
}

}  // namespace melodist::engine

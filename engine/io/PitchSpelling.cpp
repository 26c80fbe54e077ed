// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/io/PitchSpelling.h"

#include <array>
#include <cstdlib>

namespace melodist::engine {
namespace {

constexpr std::array<char, 7> kSteps = {'C', 'D', 'E', 'F', 'G', 'A', 'B'};
constexpr std::array<int, 7> kStepPitchClass = {0, 2, 4, 5, 7, 9, 11};
// Order in which a signature adds sharps (F C G D A E B); flats go the other way.
constexpr std::array<int, 7> kSharpOrder = {3, 0, 4, 1, 5, 2, 6};

int positiveModulo(int value, int modulus) { return ((value % modulus) + modulus) % modulus; }

// The alteration the signature gives the step at `stepIndex`.
int signatureAlter(int stepIndex, int fifths) {
    for (int i = 0; i < 7; ++i) {
        if (fifths > 0 && i < fifths && kSharpOrder[static_cast<size_t>(i)] == stepIndex) return 1;
        if (fifths < 0 && i < -fifths && kSharpOrder[static_cast<size_t>(6 - i)] == stepIndex) return -1;
    }
    return 0;
}

}  // namespace

Key keyFromFifths(int fifths, Mode mode) {
    const int majorTonic = positiveModulo(fifths * 7, 12);
    return Key{mode == Mode::Major ? majorTonic : positiveModulo(majorTonic + 9, 12), mode};
}

int fifthsForKey(const Key& key) {
    const int majorTonic = key.mode == Mode::Major ? positiveModulo(key.tonic, 12) : positiveModulo(key.tonic + 3, 12);
    // 7 is its own inverse mod 12, so the circle-of-fifths position is tonic * 7.
    const int fifths = positiveModulo(majorTonic * 7, 12);
    return fifths > 6 ? fifths - 12 : fifths;
}

int midiPitchOf(char step, int alter, int octave) {
    for (size_t i = 0; i < kSteps.size(); ++i)
        if (kSteps[i] == step) return (octave + 1) * 12 + kStepPitchClass[i] + alter;
    return -1;
}

SpelledPitch spellPitch(int midiPitch, int fifths, Mode mode) {
    const int pitchClass = positiveModulo(midiPitch, 12);
    const Key key = keyFromFifths(fifths, mode);
    // In minor keys the leading tone and raised 6th are written as raised notes
    // (G# in A minor, C# in D minor), whatever the signature's direction.
    const bool raisedMinorDegree = mode == Mode::Minor && (pitchClass == positiveModulo(key.tonic + 11, 12) ||
                                                           pitchClass == positiveModulo(key.tonic + 9, 12));
    const bool preferSharps = fifths >= 0 || raisedMinorDegree;
    int bestStep = 0, bestAlter = 0, bestCost = 1 << 20;
    for (int stepIndex = 0; stepIndex < 7; ++stepIndex) {
        for (int alter = -2; alter <= 2; ++alter) {
            if (positiveModulo(kStepPitchClass[static_cast<size_t>(stepIndex)] + alter, 12) != pitchClass) continue;
            const int keyAlter = signatureAlter(stepIndex, fifths);
            // Cost: an accidental against the signature, more for doubles, and a small
            // bias toward the key's direction for chromatic notes.
            int cost = std::abs(alter - keyAlter) * 10 + std::abs(alter) * 6;
            if (alter != keyAlter && ((alter > keyAlter) != preferSharps)) cost += 2;
            if (cost < bestCost) {
                bestCost = cost;
                bestStep = stepIndex;
                bestAlter = alter;
            }
        }
    }
    const int basePitch = midiPitch - kStepPitchClass[static_cast<size_t>(bestStep)] - bestAlter;
    // basePitch is a multiple of 12 by construction; floor division for negatives.
    const int octave = (basePitch >= 0 ? basePitch / 12 : -((-basePitch + 11) / 12)) - 1;
    return SpelledPitch{kSteps[static_cast<size_t>(bestStep)], bestAlter, octave};
}

}  // namespace melodist::engine

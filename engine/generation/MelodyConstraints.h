// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MelodyConstraints: what a composer asks of a generated melody -- the pitches of a
// key's scale, a pitch range, a longest note, a most rests -- as plain values, and the
// parsers of their CLI spellings. The generator turns them into a mask over the model's
// vocabulary (ConstraintMask.h), applied to the logits before sampling. Value types and
// free functions; any thread.
//
//   Result<ScaleKey> key = parseScaleKey("A harmonic minor");     // also "C", "Bb", "F#m", "D dorian"
//   Result<PitchRange> range = parsePitchRange("G3-A5");          // or "55-81"
//   MelodyConstraints constraints{.key = *key, .range = *range, .maxNoteSteps = 16, .maxRestRatio = 0.2,
//                                 .holdLogitBias = 0.5f};   // a little longer notes than the model's

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace melodist::engine {

enum class ScaleMode { Major, NaturalMinor, HarmonicMinor, MelodicMinor, Dorian, Phrygian, Lydian, Mixolydian, Locrian };

struct ScaleKey {
    int tonic = 0;  // pitch class, 0 = C .. 11 = B
    ScaleMode mode = ScaleMode::Major;

    // The scale's pitch classes (true = in the scale), index 0 = C.
    std::array<bool, 12> pitchClasses() const;
    // "C major", "A natural minor" is written "A minor", "F# harmonic minor", "D dorian".
    std::string name() const;
    // The major scale with the same notes (C for A minor and D dorian; melodic and harmonic
    // minor count as their natural minor): what key normalisation moves to C major.
    int parentMajorTonic() const;
    friend bool operator==(const ScaleKey& a, const ScaleKey& b) { return a.tonic == b.tonic && a.mode == b.mode; }
};

ScaleKey scaleKeyOf(Key key);  // major -> Major, minor -> NaturalMinor

// A tonic (C, c#, Db, F sharp: any case, '#'/"sharp", 'b'/"flat") and an optional mode:
// major (default), minor / m / natural minor, harmonic minor, melodic minor, dorian,
// phrygian, lydian, mixolydian, locrian. An error lists what is accepted.
Result<ScaleKey> parseScaleKey(std::string_view text);

struct PitchRange {
    int lowest = 0;    // MIDI numbers, inclusive
    int highest = 127;
};

// "C4" = 60 (scientific pitch notation: octave -1..9, '#' or 'b'), or a MIDI number 0..127.
Result<int> parsePitch(std::string_view text);
// "LOW-HIGH", each as parsePitch ("55-81", "G3-A5", "Bb3-C6"); LOW <= HIGH.
Result<PitchRange> parsePitchRange(std::string_view text);

struct MelodyConstraints {
    std::optional<ScaleKey> key{};     // only pitches of this scale (in the user's key)
    std::optional<PitchRange> range{}; // only pitches in this range
    // The longest note or rest in steps (its symbol and the "_" holding it): when a note
    // has lasted this long, "_" is forbidden. 16 = a whole note on the 16th grid; 0 = no limit.
    int maxNoteSteps = 0;
    // Rest steps ("r" and the "_" holding a rest) among the generated steps: a rest step is
    // allowed only while the fraction, counting it, stays at or below this. < 0 = no limit.
    double maxRestRatio = -1.0;
    // Note density: added to the logit of "_" (hold) before sampling. > 0 holds notes and
    // rests longer (fewer onsets), < 0 shorter (more onsets); 0 = the model's own density
    // (and no masking pass at all when nothing else is asked). Complexity.h maps the
    // studio's Complexity control onto it. Needs a steps vocabulary, like the others.
    float holdLogitBias = 0.0f;

    bool any() const { return key || range || maxNoteSteps > 0 || maxRestRatio >= 0.0 || holdLogitBias != 0.0f; }
};

}  // namespace melodist::engine

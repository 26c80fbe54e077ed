// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The notation layout behind writeMusicXml: a Score's parts cut into measures by the
// score's meters, simultaneous notes of equal length grouped into chords, overlapping
// notes spread over voices, gaps filled with rests, and every note or rest split at
// barlines into note values a notation program can draw (whole .. 1024th, dotted,
// and tuplets such as triplets as <time-modification>), joined by ties. Pure
// functions over value types; any thread. Only MusicXmlWriter uses it.

#include "engine/music/Score.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace melodist::engine {

// One <note> element: a rest, a single note or a chord.
struct WrittenNote {
    std::vector<std::pair<int, int>> pitches;  // (MIDI pitch, velocity); empty for a rest
    Rational start;                            // from the start of the piece
    Rational duration;                         // sounding length in quarter notes
    std::string type;                          // "quarter", ...; empty for a whole-measure rest
    int dots = 0;
    int tupletActual = 1;                      // e.g. 3 : 2 for triplets
    int tupletNormal = 1;
    bool tupletStart = false;
    bool tupletStop = false;
    bool tieStart = false;                     // continues into the next element
    bool tieStop = false;                      // continues the previous element
    bool invisible = false;                    // a rest that only pads a second voice
};

// A change written inside a part at `onset`: a tempo mark or a key signature.
struct WrittenMarker {
    Rational onset;
    std::optional<double> bpm;
    std::optional<KeyChange> key;
};

struct WrittenMeasure {
    Rational start;
    Rational length;
    std::optional<MeterChange> time;            // a time signature starts here
    std::vector<std::vector<WrittenNote>> voices;  // voice 1 first; covers the measure
};

// The measures the score's meters give up to its end (at least one). A meter change
// that falls inside a measure ends that measure early.
std::vector<WrittenMeasure> layoutMeasures(const Score& score, Rational end);

// Fills `measures` (from layoutMeasures) with the part's voices. `cuts` are extra
// times where voice 1 must have an element boundary (marker onsets).
void layoutPart(const Part& part, const std::vector<Rational>& cuts, std::vector<WrittenMeasure>& measures);

}  // namespace melodist::engine

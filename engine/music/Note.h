// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Note and Rest: value types of the music model. Time is exact, in quarter notes from
// the start of the piece (Rational). Edits return a changed copy (withPitch, ...), so
// the studio's undo commands can keep before/after values. Any thread.

#include "engine/music/Rational.h"

#include <vector>

namespace melodist::engine {

struct Note {
    int pitch = 60;          // MIDI note number, 60 = C4
    Rational onset;          // quarter notes from the start
    Rational duration = 1;   // quarter notes, > 0
    int velocity = 80;       // 1..127
    // When the note was written as several tied notes (kern `[ _ ]`, MusicXML ties),
    // the written durations in order; they add up to `duration`. Empty when the note
    // was written as one. The seeds' step encoding emits tied parts separately, as
    // music21 does.
    std::vector<Rational> tiedParts;

    Rational end() const { return onset + duration; }
    Note withPitch(int newPitch) const { Note n = *this; n.pitch = newPitch; return n; }
    Note withOnset(Rational newOnset) const { Note n = *this; n.onset = newOnset; return n; }
    Note withDuration(Rational newDuration) const { Note n = *this; n.duration = newDuration; n.tiedParts.clear(); return n; }
    Note withVelocity(int newVelocity) const { Note n = *this; n.velocity = newVelocity; return n; }

    friend bool operator==(const Note& a, const Note& b) {
        return a.pitch == b.pitch && a.onset == b.onset && a.duration == b.duration && a.velocity == b.velocity &&
               a.tiedParts == b.tiedParts;
    }
};

// A written rest. Formats that write rests (kern, MusicXML) keep them, because the
// seeds' encoding emits each written rest separately; for MIDI, rests are the gaps.
struct Rest {
    Rational onset;
    Rational duration;
    Rational end() const { return onset + duration; }
    friend bool operator==(const Rest& a, const Rest& b) { return a.onset == b.onset && a.duration == b.duration; }
};

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Key signatures and pitch spelling shared by the MusicXML reader and writer: how a
// key maps to a count of sharps or flats (fifths) and back, and how a MIDI pitch is
// written as step + alter + octave so it reads naturally in a key (sharps in sharp
// keys, flats in flat keys, the raised 6th and 7th of minor keys as raised notes).
// Pure functions; any thread.

#include "engine/music/Score.h"

namespace melodist::engine {

struct SpelledPitch {
    char step = 'C';  // 'A'..'G'
    int alter = 0;    // -2..+2 semitones
    int octave = 4;   // scientific pitch notation: C4 = MIDI 60
};

// The key a signature of `fifths` (-7..+7) means in `mode`: 2 sharps major = D major.
Key keyFromFifths(int fifths, Mode mode);
// The signature that writes `key`: D major = +2, D minor = -1. F#/Gb major and their
// relative minors get +6.
int fifthsForKey(const Key& key);
// The MIDI pitch of a written step/alter/octave; may fall outside 0..127.
int midiPitchOf(char step, int alter, int octave);
// How to write `midiPitch` under a signature of `fifths` in `mode`.
SpelledPitch spellPitch(int midiPitch, int fifths, Mode mode);

}  // namespace melodist::engine

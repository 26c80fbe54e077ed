// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Score: a piece of music -- one or more parts of notes (polyphony allowed), with
// tempo, meter and key changes. What every reader returns and every writer takes; a
// melody is a Score with one monophonic part. Plain value type; any thread.
//
//   Score score;
//   score.parts.push_back({.name = "Melody"});
//   score.parts[0].notes.push_back(Note{.pitch = 67, .onset = 0, .duration = Rational(1, 2)});
//   score.keys.push_back({.onset = 0, .key = {7, Mode::Major}, .declared = true});   // G major

#include "engine/music/Note.h"

#include <optional>
#include <string>
#include <vector>

namespace melodist::engine {

enum class Mode { Major, Minor };

struct Key {
    int tonic = 0;            // pitch class of the tonic, 0 = C .. 11 = B
    Mode mode = Mode::Major;
    friend bool operator==(const Key& a, const Key& b) { return a.tonic == b.tonic && a.mode == b.mode; }
};

struct KeyChange {
    Rational onset;
    Key key;
    bool declared = true;     // written in the file (kern *X:, MIDI key signature), not estimated
    int fifths = 0;           // the key signature as written: -7 (7 flats) .. +7 (7 sharps)
};

struct TempoChange {
    Rational onset;
    double bpm = 120.0;       // quarter notes per minute
};

struct MeterChange {
    Rational onset;
    int numerator = 4;        // 0 for an irregular or free meter (kern *MX, *MFREI)
    int denominator = 4;
};

struct Part {
    std::string name;
    int program = 0;          // General MIDI program 0..127
    int channel = 0;          // MIDI channel 0..15 (9 = drums, left out by the readers)
    std::vector<Note> notes;  // sorted by onset, then pitch
    std::vector<Rest> rests;  // written rests (see Rest), sorted by onset
};

struct Score {
    std::string title;
    std::vector<Part> parts;
    std::vector<TempoChange> tempos;   // sorted by onset; empty means 120 BPM
    std::vector<MeterChange> meters;   // sorted by onset; empty means 4/4
    std::vector<KeyChange> keys;       // sorted by onset; empty means unknown

    // The key in force at the start, if the file declared one.
    std::optional<Key> declaredKey() const;
    // End of the last note or rest over all parts.
    Rational endTime() const;
    size_t noteCount() const;
    // Sorts notes and rests of every part by (onset, pitch).
    void sort();
};

}  // namespace melodist::engine

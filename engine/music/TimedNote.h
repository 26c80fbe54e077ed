// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// TimedNote: a note as played, in seconds from the start of a recording, before it is
// put on a musical grid (engine/music/Quantizer.h). Plain value type; any thread.

namespace melodist::engine {

struct TimedNote {
    int pitch = 60;                // MIDI note number
    double onsetSeconds = 0;       // from the start of the recording
    double durationSeconds = 0;    // >= 0
    int velocity = 80;             // 1..127, as played
    int channel = 0;               // MIDI channel 0..15
};

}  // namespace melodist::engine

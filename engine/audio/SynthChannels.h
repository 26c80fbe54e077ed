// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How a Score's parts map onto a FluidSynth synth, shared by OfflineRenderer and
// Player so a rendered WAV and live playback sound the same. Any thread that owns the
// synth (never the audio callback).

#include <fluidsynth.h>

#include <utility>

namespace melodist::engine {

// MIDI channel for part `index`: 0, 1, ..., 8, 10, ... (the drum channels left out).
int channelForPart(int index);

// The (bank, program) to use for `program`: its own in bank 0, else bank 0 program 0,
// else the font's first preset; {-1, -1} for a font without presets.
std::pair<int, int> choosePreset(fluid_sfont_t* font, int program);

}  // namespace melodist::engine

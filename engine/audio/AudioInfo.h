// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Facts about the FluidSynth build and the General MIDI soundfonts installed on this
// machine. Any thread may call these. Part of melodist_engine_audio (FluidSynth).

#include <string>
#include <vector>

namespace melodist::engine {

std::string fluidSynthVersion();  // runtime library version, e.g. "2.3.1"

// Installed General MIDI soundfonts in order of preference (best first): the
// directories in $MELODIST_SOUNDFONT_PATH, ~/.local/share/sounds/sf2, then
// /usr/share/sounds/sf2 (FluidR3_GM, TimGM6mb, default-GM). Existing files only.
std::vector<std::string> findInstalledSoundfonts();

// Melodist's own soundfont, "Melodist Soft" (generated at build time, soundfonts/):
// $MELODIST_SOUNDFONT when set (the user's or a test's override, returned as given),
// else <dir of the running executable>/../share/melodist/soundfonts/melodist-soft.sf2
// (bin/ beside share/ in the build tree and in an install) when that file exists,
// else "".
std::string builtInSoundfontPath();

// The soundfont to play and render with when none is chosen: $MELODIST_SOUNDFONT when
// set, else the best installed General MIDI font (findInstalledSoundfonts()), else the
// built-in one; "" when there is none at all.
std::string defaultSoundfontPath();

}  // namespace melodist::engine

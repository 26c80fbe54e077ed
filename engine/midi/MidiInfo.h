// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Facts about RtMidi and the MIDI inputs this machine has. Call from any thread but
// the audio and MIDI callbacks (opening a client allocates). Part of melodist_engine_midi.

#include "engine/core/Result.h"

#include <string>
#include <vector>

namespace melodist::engine {

std::string rtMidiVersion();
std::vector<std::string> rtMidiCompiledApis();  // e.g. {"alsa", "jack"}

// The names of the MIDI input ports, or an error such as "no MIDI input available:
// the ALSA sequencer (/dev/snd/seq) cannot be opened" when there is no MIDI system.
Result<std::vector<std::string>> listMidiInputPorts();

}  // namespace melodist::engine

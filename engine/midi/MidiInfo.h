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

// Which MIDI system to use. Auto: ALSA when its sequencer (/dev/snd/seq) can be opened,
// else JACK when a server runs.
enum class MidiApi { Auto, Alsa, Jack };
const char* midiApiName(MidiApi api);  // "ALSA", "JACK", "auto"
// The system `wanted` resolves to on this machine (never Auto), or "no MIDI input
// available: ..." saying what is missing. Looks without letting RtMidi, ALSA or JACK
// print to stderr.
Result<MidiApi> chooseMidiApi(MidiApi wanted);

}  // namespace melodist::engine

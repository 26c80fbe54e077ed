// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/midi/MidiInfo.h"

#include <rtmidi/RtMidi.h>

#include <algorithm>
#include <filesystem>

#include <unistd.h>

namespace melodist::engine {
namespace {

// Collects RtMidi's warnings (e.g. "JACK server not running?") instead of printing them.
void collectError(RtMidiError::Type, const std::string& message, void* sink) {
    *static_cast<std::string*>(sink) = message;
}

bool hasApi(RtMidi::Api wanted) {
    std::vector<RtMidi::Api> apis;
    RtMidi::getCompiledApi(apis);
    return std::find(apis.begin(), apis.end(), wanted) != apis.end();
}

// A JACK server leaves its socket in /dev/shm (jackd2: jack_<server>_<uid>_0, jackd1:
// jack-<uid>/). Without one, RtMidi prints "JACK server not running?" from its
// constructor, before an error callback can be set, so we look first.
bool jackServerSocketExists() {
    std::error_code error;
    for (std::filesystem::directory_iterator it("/dev/shm", error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (name.rfind("jack_", 0) == 0 || name.rfind("jack-", 0) == 0) return true;
    }
    return false;
}

std::vector<std::string> portNames(RtMidiIn& input) {
    std::vector<std::string> ports;
    const unsigned int count = input.getPortCount();
    for (unsigned int i = 0; i < count; ++i) ports.push_back(input.getPortName(i));
    return ports;
}

}  // namespace

std::string rtMidiVersion() { return RtMidi::getVersion(); }

std::vector<std::string> rtMidiCompiledApis() {
    std::vector<RtMidi::Api> apis;
    RtMidi::getCompiledApi(apis);
    std::vector<std::string> names;
    for (RtMidi::Api api : apis) names.push_back(RtMidi::getApiName(api));
    return names;
}

Result<std::vector<std::string>> listMidiInputPorts() {
    std::string why;
    // ALSA: only try when the sequencer device exists; otherwise libasound and RtMidi
    // print their own errors to stderr before RtMidi throws.
    if (hasApi(RtMidi::LINUX_ALSA)) {
        if (::access("/dev/snd/seq", R_OK | W_OK) == 0) {
            try {
                RtMidiIn input(RtMidi::LINUX_ALSA, "melodist-probe");
                input.setErrorCallback(&collectError, &why);
                return portNames(input);
            } catch (const RtMidiError& error) {
                why = error.getMessage();
            }
        } else {
            why = "no ALSA sequencer (/dev/snd/seq cannot be opened)";
        }
    }
    if (hasApi(RtMidi::UNIX_JACK) && !jackServerSocketExists()) {
        why += (why.empty() ? "" : "; ") + std::string("no JACK server running");
    } else if (hasApi(RtMidi::UNIX_JACK)) {
        try {
            std::string jackWarning;
            RtMidiIn input(RtMidi::UNIX_JACK, "melodist-probe");
            input.setErrorCallback(&collectError, &jackWarning);
            auto ports = portNames(input);  // connects to the server; warns when none runs
            if (jackWarning.empty()) return ports;
            why += (why.empty() ? "" : "; ") + std::string("no JACK server running");
        } catch (const RtMidiError& error) {
            why += (why.empty() ? "" : "; ") + error.getMessage();
        }
    }
    if (why.empty()) why = "RtMidi was built without ALSA or JACK support";
    return makeError("no MIDI input available: " + why);
}

const char* midiApiName(MidiApi api) {
    switch (api) {
    case MidiApi::Alsa: return "ALSA";
    case MidiApi::Jack: return "JACK";
    case MidiApi::Auto: break;
    }
    return "auto";
}

Result<MidiApi> chooseMidiApi(MidiApi wanted) {
    std::string why;
    if (wanted != MidiApi::Jack) {
        if (!hasApi(RtMidi::LINUX_ALSA))
            why = "RtMidi was built without ALSA";
        else if (::access("/dev/snd/seq", R_OK | W_OK) != 0)
            why = "no ALSA sequencer (/dev/snd/seq cannot be opened)";
        else
            return MidiApi::Alsa;
    }
    if (wanted != MidiApi::Alsa) {
        const char* jackWhy = !hasApi(RtMidi::UNIX_JACK)     ? "RtMidi was built without JACK"
                              : !jackServerSocketExists() ? "no JACK server running"
                                                          : nullptr;
        if (jackWhy == nullptr) return MidiApi::Jack;
        why += (why.empty() ? "" : "; ") + std::string(jackWhy);
    }
    return makeError("no MIDI input available: " + why);
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RtMidi helpers for the JACK end-to-end tests: keep RtMidi's warnings for failure
// messages, and tell whether an RtMidi JACK client can reach the test's server.
// Test thread only.

#include <rtmidi/RtMidi.h>

#include <string>

namespace melodist::test {

// RtMidi error callback storing the last warning ("JACK server not running?") in a std::string.
inline void collectRtMidiWarning(RtMidiError::Type, const std::string& message, void* sink) {
    *static_cast<std::string*>(sink) = message;
}

// True when an RtMidi JACK client connects without a warning (the server is ready).
inline bool rtMidiJackReady() {
    std::string warning;
    RtMidiOut probe(RtMidi::UNIX_JACK, "melodist-e2e-probe");
    probe.setErrorCallback(&collectRtMidiWarning, &warning);
    probe.getPortCount();
    return warning.empty();
}

}  // namespace melodist::test

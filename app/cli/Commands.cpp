// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/Commands.h"

#include <cstdio>

// Compiled twice: with MELODIST_CLI_TORCH for melodist-ml, without for melodist.
#ifdef MELODIST_CLI_TORCH
#define MELODIST_TORCH_COMMAND(fn) &fn
#else
#define MELODIST_TORCH_COMMAND(fn) nullptr
#endif

namespace melodist::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> kCommands = {
        {"version", "print versions of Melodist, LibTorch (and CUDA), the BLAS in use, FluidSynth, RtMidi",
         "usage: melodist version\n       melodist --version\n", MELODIST_TORCH_COMMAND(runVersion)},
#ifdef MELODIST_HAVE_MIDI
        {"midi-ports", "list the MIDI input ports",
         "usage: melodist midi-ports\n\nLists the MIDI input ports RtMidi can open (ALSA or JACK).\n", &runMidiPorts},
#endif
    };
    return kCommands;
}

int usageError(const char* command, const std::string& message) {
    std::fprintf(stderr, "melodist %s: %s\nRun 'melodist help %s' for usage.\n", command, message.c_str(), command);
    return 2;
}

}  // namespace melodist::cli

// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "engine/midi/MidiInfo.h"

#include <cstdio>

namespace melodist::cli {

int runMidiPorts(int argc, char** argv) {
    CommandLine args(argc, argv, 2, {});
    if (!args.error().empty()) return usageError("midi-ports", args.error());
    const auto ports = engine::listMidiInputPorts();
    if (!ports) {
        std::fprintf(stderr, "melodist midi-ports: %s\n", ports.error().c_str());
        return 1;
    }
    if (ports->empty()) std::printf("no MIDI input ports (connect a keyboard, or start a MIDI program)\n");
    for (size_t i = 0; i < ports->size(); ++i) std::printf("%zu: %s\n", i, (*ports)[i].c_str());
    return 0;
}

}  // namespace melodist::cli

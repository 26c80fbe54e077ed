// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "engine/system/SystemInfo.h"

#ifdef MELODIST_HAVE_AUDIO
#include "engine/audio/AudioInfo.h"
#endif
#ifdef MELODIST_HAVE_MIDI
#include "engine/midi/MidiInfo.h"
#endif

#include <cstdio>

namespace melodist::cli {

int runVersion(int argc, char** argv) {
    CommandLine args(argc, argv, 2, {});
    if (!args.error().empty()) return usageError("version", args.error());
    for (const std::string& line : engine::engineVersionLines()) std::printf("%s\n", line.c_str());
#ifdef MELODIST_HAVE_AUDIO
    std::printf("FluidSynth %s\n", engine::fluidSynthVersion().c_str());
#else
    std::printf("FluidSynth: not in this build (headless: -DMELODIST_AUDIO=OFF)\n");
#endif
#ifdef MELODIST_HAVE_MIDI
    std::string apis;
    for (const std::string& api : engine::rtMidiCompiledApis()) apis += (apis.empty() ? "" : ", ") + api;
    std::printf("RtMidi %s (%s)\n", engine::rtMidiVersion().c_str(), apis.c_str());
#else
    std::printf("RtMidi: not in this build (headless: -DMELODIST_MIDI=OFF)\n");
#endif
    return 0;
}

}  // namespace melodist::cli

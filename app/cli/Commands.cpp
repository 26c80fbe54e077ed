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
        {"preprocess", "turn music files (kern, MIDI, MusicXML) into a training dataset",
         "usage: melodist preprocess INPUT... --out DIR [--encoding steps|chords] [--durations LIST]\n"
         "                           [--time-step Q] [--no-transpose] [--augment N] [--jobs N]\n"
         "                           [--progress jsonl] [--force]\n\n"
         "Reads every music file given, and every .krn .mid .midi .musicxml .xml .mxl in the folders\n"
         "given (recursively), on N threads, and writes into DIR: songs.txt (one encoded song a line,\n"
         "by file path), file_dataset (the seeds' single file: songs separated by 64 '/'),\n"
         "mapping.json (symbol -> id), dataset.bin (token ids, see training/data/DatasetBinary.h)\n"
         "and manifest.json (options, every file kept / skipped / failed and why). The output is the\n"
         "same whatever N is. When DIR already holds a dataset of the same options and the same\n"
         "files (path, size, time), it says 'up to date' and recomputes nothing.\n\n"
         "  --encoding steps    the seeds': a MIDI number or 'r' per time step, '_' while it holds (default)\n"
         "  --encoding chords   one token per onset, notes and chords ('60+64+67:1'), for piano music\n"
         "  --durations LIST    steps: accepted note and rest lengths in quarter notes; songs with\n"
         "                      others are skipped (default 0.25,0.5,0.75,1,1.5,2,3,4)\n"
         "  --time-step Q       quarter notes per symbol (steps, default 0.25) or grid (chords, default 1/12)\n"
         "  --no-transpose      keep each song's key (default: to C major / A minor, the seeds' way)\n"
         "  --augment N         add N transposed copies of each song, nearest keys first (0..11, default 0)\n"
         "  --jobs N            threads (default: all hardware threads)\n"
         "  --progress jsonl    JSON lines on stdout (start, progress, done); the report goes to stderr\n"
         "  --force             rebuild even when DIR is up to date\n\n"
         "Exit status: 0 done (failed files are reported, not fatal), 1 nothing kept or an error, 2 bad usage.\n",
         &runPreprocess},
#ifdef MELODIST_HAVE_MIDI
        {"midi-ports", "list the MIDI input ports",
         "usage: melodist midi-ports\n\nLists the MIDI input ports RtMidi can open (ALSA or JACK).\n", &runMidiPorts},
#endif
#ifdef MELODIST_HAVE_AUDIO
        {"render", "render a music file to a WAV file through a soundfont (FluidSynth, offline)",
         "usage: melodist render INPUT --out OUT.wav [--soundfont FILE.sf2] [--program N] [--tempo BPM]\n"
         "                       [--sample-rate HZ]\n\n"
         "Reads INPUT (.mid .midi .krn .musicxml .xml) and writes 16-bit stereo WAV, faster than real time\n"
         "and deterministic: the same input and options give the same bytes. Prints one line: the audio's\n"
         "length, the notes, the soundfont used and the time taken.\n\n"
         "  --soundfont FILE   the soundfont (default: $MELODIST_SOUNDFONT, else the best installed General\n"
         "                     MIDI font, else Melodist's built-in 'Melodist Soft')\n"
         "  --program N        General MIDI program 0..127 for every part (default: each part's own)\n"
         "  --tempo BPM        quarter notes per minute for the whole piece (default: the file's tempos)\n"
         "  --sample-rate HZ   8000..96000 (default 44100)\n",
         &runRender},
#endif
    };
    return kCommands;
}

int usageError(const char* command, const std::string& message) {
    std::fprintf(stderr, "melodist %s: %s\nRun 'melodist help %s' for usage.\n", command, message.c_str(), command);
    return 2;
}

}  // namespace melodist::cli

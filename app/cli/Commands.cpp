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
        {"import-keras", "convert a Keras melody model (.h5 + mapping.json) to a .melodist-model file",
         "usage: melodist import-keras MODEL.h5 MAPPING.json [--out FILE]\n\n"
         "Reads a whole-model Keras HDF5 file (one-hot input -> LSTM layers -> Dense softmax, as the seeds'\n"
         "tutorial trains), checks it, and writes one .melodist-model file (weights, vocabulary from\n"
         "MAPPING.json, context 64, source and sha256 of the .h5) that predict and generate run without\n"
         "LibTorch.\n\n"
         "  --out FILE   the model file to write (default model.melodist-model)\n",
         &runImportKeras},
        {"predict", "print a model's next-symbol probabilities for a window of symbols (JSON)",
         "usage: melodist predict --model FILE --window \"SYMBOLS\" [--context N]\n\n"
         "Prints one JSON object, symbol -> probability, every symbol of the model in id order.\n\n"
         "  --model FILE     a .melodist-model file (melodist import-keras makes one)\n"
         "  --window TEXT    symbols in the model's encoding, e.g. \"67 _ 67 _ 65\"\n"
         "  --context N      feed the last N symbols from a zero state (default: the model's, 64 for\n"
         "                   Keras imports); 0 feeds the whole window from a zero state\n",
         &runPredict},
        {"generate", "continue a seed melody with a model and write MIDI (and text)",
         "usage: melodist generate --model FILE --seed \"SYMBOLS\" [--steps N] [--temperature T] [--top-k K]\n"
         "                         [--top-p P] [--candidates N] [--context N] [--rng-seed S] [--out FILE.mid]\n"
         "                         [--text] [--stats]\n\n"
         "Samples up to N symbols after the seed (padded with the model's 64 '/' as in training); a\n"
         "candidate ends at its first '/'. Writes one MIDI file per candidate: FILE.mid, FILE-2.mid, ...\n\n"
         "  --steps N         most symbols to sample per candidate (default 500)\n"
         "  --temperature T   divide the logits by T (default 1; 0 = always the most likely symbol)\n"
         "  --top-k K         sample among the K most likely symbols (default 0: all)\n"
         "  --top-p P         sample among the most likely symbols holding mass P (default 1: all)\n"
         "  --candidates N    melodies generated together, as one batch (default 1)\n"
         "  --context N       predict from the last N symbols fed from a zero state (default: the\n"
         "                    model's, 64 for Keras imports); 0 = carry the state (fastest)\n"
         "  --rng-seed S      random seed (default 0): the same seed gives the same melodies\n"
         "  --out FILE.mid    MIDI file to write (default melody.mid)\n"
         "  --text            print each melody in the seeds' notation, one a line\n"
         "  --stats           print {\"generation_ms\", \"steps_per_s\", \"device\", \"candidates\", ...} on stderr\n"
         "                    (generation only, not start-up or loading)\n",
         &runGenerate},
#ifdef MELODIST_HAVE_MIDI
        {"midi-ports", "list the MIDI input ports",
         "usage: melodist midi-ports\n\nLists the MIDI input ports RtMidi can open (ALSA or JACK).\n", &runMidiPorts},
        {"record", "record what is played into a MIDI input, put it on a grid, write a MIDI file",
         "usage: melodist record --seconds S --out OUT.mid [--port NAME] [--api jack|alsa|auto]\n"
         "                       [--tempo BPM] [--grid STEP] [--strength 0..1]\n"
         "                       [--thru [--driver DRIVER] [--soundfont FILE.sf2]]\n\n"
         "Opens a MIDI input and records for S seconds (Ctrl+C stops early): the port whose name contains\n"
         "NAME (see 'melodist midi-ports'), or without --port a virtual input 'melodist:in' that a keyboard\n"
         "or another program connects to. The melody starts at its first note; onsets are moved onto\n"
         "the grid and lengths become whole grid steps (at least one). Notes still held at the end\n"
         "end there. Prints the port, then the notes recorded and how far off the grid they were played.\n\n"
         "  --port NAME      part of an input port's name, any case (default: a virtual port)\n"
         "  --api API        jack, alsa, or auto: ALSA when /dev/snd/seq opens, else JACK (default auto)\n"
         "  --tempo BPM      quarter notes per minute the playing is measured in (default 120)\n"
         "  --grid STEP      grid step in quarter notes: 1/4 = 16ths (default), 1/2, 1/3 and 1/6 triplets\n"
         "  --strength S     1 moves onsets onto the grid (default), 0.5 halfway, 0 not at all\n"
         "  --thru           also play the notes at once through the soundfont (audio builds; JACK client\n"
         "                   'melodist-thru'), so you hear yourself; --driver and --soundfont as for 'play'\n\n"
         "Exit status: 0 written, 1 no MIDI input (\"no MIDI input available: ...\") or cannot write, 2 bad usage.\n",
         &runRecord},
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
        {"play", "play a music file through a soundfont to the audio output (FluidSynth, real time)",
         "usage: melodist play INPUT [--soundfont FILE.sf2] [--program N] [--tempo BPM]\n"
         "                     [--driver auto|pulseaudio|pipewire|alsa|jack]\n\n"
         "Reads INPUT (.mid .midi .krn .musicxml .xml) and plays it to the end, printing the position once\n"
         "a second; Ctrl+C stops it (all notes off).\n\n"
         "  --soundfont FILE   the soundfont (default: as for render)\n"
         "  --program N        General MIDI program 0..127 for every part (default: each part's own)\n"
         "  --tempo BPM        quarter notes per minute for the whole piece (default: the file's tempos)\n"
         "  --driver NAME      the audio output; auto tries PulseAudio, PipeWire, ALSA, then JACK, among\n"
         "                     those FluidSynth has (default auto)\n\n"
         "Exit status: 0 played or stopped, 1 no audio output (\"no audio output available: ...\") or\n"
         "an unreadable file, 2 bad usage.\n",
         &runPlay},
#endif
    };
    return kCommands;
}

int usageError(const char* command, const std::string& message) {
    std::fprintf(stderr, "melodist %s: %s\nRun 'melodist help %s' for usage.\n", command, message.c_str(), command);
    return 2;
}

}  // namespace melodist::cli

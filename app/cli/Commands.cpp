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
         "                           [--time-step Q] [--min-count N] [--no-transpose] [--augment N] [--jobs N]\n"
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
         "  --time-step Q       quarter notes per symbol (steps) or onset grid (chords); default 0.25\n"
         "  --min-count N       chords: tokens seen fewer than N times become the nearest frequent one\n"
         "                      (same step, closest pitches; reported in manifest.json); default 0: keep all\n"
         "  --no-transpose      keep each song's key (default: to C major / A minor, the seeds' way)\n"
         "  --augment N         add N transposed copies of each song, nearest keys first (0..11, default 0)\n"
         "  --jobs N            threads (default: all hardware threads)\n"
         "  --progress jsonl    JSON lines on stdout (start, progress, done); the report goes to stderr\n"
         "  --force             rebuild even when DIR is up to date\n\n"
         "Exit status: 0 done (failed files are reported, not fatal), 1 nothing kept or an error, 2 bad usage.\n",
         &runPreprocess},
        {"train", "train a melody model on a preprocessed dataset (LibTorch; resumable, multi-process)",
         "usage: melodist train DATASET_DIR --out RUN_DIR [--model lstm|gru|lstm-attn|transformer|vae]\n"
         "                      [--layers N] [--units N] [--embed N] [--dropout P] [--heads N]\n"
         "                      [--position-period N] [--batching windows|songs] [--seq-len N] [--batch N] [--val-split F]\n"
         "                      [--rng-seed S] [--augment-transpose N] [--epochs N] [--lr R]\n"
         "                      [--lr-schedule cosine|plateau] [--warmup N] [--clip G] [--patience N]\n"
         "                      [--max-steps N] [--device auto|cpu|cuda] [--threads N] [--checkpoint-every N]\n"
         "                      [--resume] [--progress jsonl]\n\n"
         "Trains on DATASET_DIR (from 'melodist preprocess'), split by song into training and validation\n"
         "(whole source files, from --rng-seed), and keeps RUN_DIR: best.melodist-model (best validation\n"
         "loss), last.melodist-model (with the optimizer state) and run.json (options, status, metrics).\n"
         "Ctrl+C or SIGTERM stops after the current step and saves; --resume continues exactly there.\n"
         "With RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT set (torchrun's way), the processes train together.\n\n"
         "  --model NAME         lstm (default), gru, lstm-attn, transformer, vae\n"
         "  --layers N --units N recurrent layers (transformer: blocks) and their width (default 2, 256)\n"
         "  --embed N            embedding size; 0 = one-hot input, the seeds' (default 0)\n"
         "  --dropout P          (default 0.2); --heads N for lstm-attn and transformer (default 4)\n"
         "  --position-period N  lstm-attn with --embed and --batching songs: adds a learned embedding of the\n"
         "                       step's position in the song modulo N (48: the metric phase of 2/4, 3/4, 4/4, 6/8)\n"
         "  --batching windows   windows of --seq-len symbols from a zero state, songs after 64 '/' as the\n"
         "                       seeds' (default); generation then uses --context SEQ_LEN\n"
         "  --batching songs     whole songs, state carried across chunks of --seq-len (recurrent state, or the\n"
         "                       transformer's key/value cache; not the vae);\n"
         "                       generation then carries the state (--context 0)\n"
         "  --seq-len N          window or chunk length (default 64); --batch N rows per step (default 64)\n"
         "  --val-split F        share of the songs held out for validation (default 0.1)\n"
         "  --augment-transpose N  shift each window or song by -N..N semitones when the vocabulary has them\n"
         "  --epochs N --lr R    (default 30, 0.001); --lr-schedule cosine (default) or plateau\n"
         "  --warmup N           warm-up steps (default 5 % of the run, at most 1000); --clip G (default 1)\n"
         "  --patience N         stop after N epochs without a better validation loss (default 5; 0 = never)\n"
         "  --max-steps N        stop after N optimizer steps in all (smoke runs)\n"
         "  --device D           auto (default: CUDA when available), cpu, cuda; --threads N (default: all)\n"
         "  --checkpoint-every N save last every N steps (default: each epoch and every 2 minutes)\n"
         "  --resume             continue RUN_DIR; model options, when given, must be the run's\n"
         "  --progress jsonl     JSON lines on stdout: start, batch, epoch, checkpoint, early_stop, done, error\n\n"
         "Exit status: 0 trained (or stopped and saved), 1 an error (message on stderr), 2 bad usage.\n",
         MELODIST_TORCH_COMMAND(runTrain)},
        {"import-keras", "convert a Keras melody model (.h5 + mapping.json) to a .melodist-model file",
         "usage: melodist import-keras MODEL.h5 MAPPING.json [--out FILE]\n\n"
         "Reads a whole-model Keras HDF5 file (one-hot input -> LSTM layers -> Dense softmax, as the seeds'\n"
         "tutorial trains), checks it, and writes one .melodist-model file (weights, vocabulary from\n"
         "MAPPING.json, context 64, source and sha256 of the .h5) that predict and generate run without\n"
         "LibTorch.\n\n"
         "  --out FILE   the model file to write (default model.melodist-model)\n",
         &runImportKeras},
        {"evaluate-model", "next-symbol loss, accuracy and perplexity of a model (or an n-gram baseline) on a dataset",
         "usage: melodist evaluate-model MODEL DATASET_DIR [--context N] [--device auto|cpu|cuda] [--songs N]\n"
         "                               [--count-end N] [--batch N] [--floor P] [--split-of RUN_DIR] [--json]\n"
         "       melodist evaluate-model ngram:N DATASET_DIR --train-dataset TRAIN_DIR [--songs N] [--count-end N]\n"
         "                               [--split-of RUN_DIR] [--train-split-of RUN_DIR] [--json]\n\n"
         "Predicts every symbol of every song of DATASET_DIR (a 'melodist preprocess' folder) from the model's\n"
         "padding (64 '/' for Keras imports) and the song before it, and prints the loss (nats per symbol),\n"
         "the accuracy (the symbol was the most likely one) and the perplexity (e^loss). The songs' own\n"
         "symbols are scored, not the padding. Symbols are matched by name: a dataset symbol the model lacks\n"
         "is a miss at probability P, is not fed to the model, and is listed. MODEL = ngram:N (N = 1..4)\n"
         "counts an interpolated Kneser-Ney model of order N on TRAIN_DIR's songs instead, the baseline.\n"
         "MODEL may also be a bundled model's name ('melodist models'; 'default' = folk).\n\n"
         "  --context N          predict each symbol from the last N symbols fed from a fresh state (default:\n"
         "                       the model's, 64 for Keras imports: the seeds' way); 0 = carry the state\n"
         "  --device D           auto, cpu or cuda (default auto: LSTMs on the CPU kernel)\n"
         "  --songs N            only the first N songs\n"
         "  --count-end N        also score N '/' after each song: 1 = the end of the song; 64 = the targets of\n"
         "                       the seeds' file_dataset (songs between 64 '/'), which their Keras accuracy counted\n"
         "  --batch N            decoder rows at a time (default 512)\n"
         "  --floor P            probability of a symbol the model lacks (default 1e-6)\n"
         "  --split-of RUN_DIR   only the songs of DATASET_DIR that the 'melodist train' run in RUN_DIR held out\n"
         "                       for validation (its split by file, recomputed from its run.json)\n"
         "  --train-split-of RUN_DIR  the n-gram counts only the songs of TRAIN_DIR that RUN_DIR trained on\n"
         "  --json               print one JSON object (songs, symbols, loss_nats, accuracy, perplexity,\n"
         "                       missing_symbols, ...) instead of the table\n\n"
         "Exit status: 0 done, 1 an unreadable model or dataset, 2 bad usage.\n",
         &runEvaluateModel},
        {"predict", "print a model's next-symbol probabilities for a window of symbols (JSON)",
         "usage: melodist predict [--model NAME|FILE] --window \"SYMBOLS\" [--context N] [--device auto|cpu|cuda]\n\n"
         "Prints one JSON object, symbol -> probability, every symbol of the model in id order.\n\n"
         "  --model NAME|FILE  a bundled model ('melodist models'; default: default = folk) or a\n"
         "                   .melodist-model file (melodist import-keras or melodist train makes one)\n"
         "  --window TEXT    symbols in the model's encoding, e.g. \"67 _ 67 _ 65\"\n"
         "  --context N      feed the last N symbols from a zero state (default: the model's, 64 for\n"
         "                   Keras imports); 0 feeds the whole window from a zero state\n"
         "  --device D       auto (default: LSTMs on the CPU kernel, others on CUDA when there is one),\n"
         "                   cpu, or cuda (an error when there is no GPU)\n",
         &runPredict},
        {"generate", "continue a seed melody with a model and write MIDI (and text)",
         "usage: melodist generate [--model NAME|FILE] (--seed \"SYMBOLS\" | --seed-file FILE) [--steps N] [--min-steps N]\n"
         "                         [--temperature T] [--top-k K] [--top-p P] [--candidates N] [--context N]\n"
         "                         [--rng-seed S] [--key KEY] [--range LOW-HIGH] [--max-note-steps N]\n"
         "                         [--max-rest-ratio R] [--keep-key] [--device auto|cpu|cuda]\n"
         "                         [--out FILE.mid] [--text] [--stats]\n\n"
         "Samples up to N symbols after the seed (padded with the model's 64 '/' as in training); a\n"
         "candidate ends at its first '/'. Writes one MIDI file per candidate: FILE.mid, FILE-2.mid, ...\n"
         "A model trained in C major / A minor (the seeds', Keras imports) gets the seed moved there by\n"
         "the smallest interval and the melody moved back: the output is in the seed's key.\n"
         "A model of the chords notation (preprocess --encoding chords, e.g. piano) reads and writes\n"
         "tokens like \"60+64+67:1 62:1/2 R:1/2\" (pitches:quarter notes to the next onset); its seed's\n"
         "tokens it lacks become the nearest it has, and --key, --range and the step limits do not apply.\n\n"
         "  --model NAME|FILE  a bundled model ('melodist models'; default: default = folk) or a .melodist-model\n"
         "  --seed TEXT        the start, in the seeds' notation: \"67 _ 67 _ 65 64 _\" (MIDI, r rest, _ hold)\n"
         "  --seed-file FILE   the start from a .mid .krn .musicxml: its first part, one note at a time\n"
         "                     (the highest of a chord), on the 16th grid; what was changed goes to stderr.\n"
         "                     Chords models: every part, notes and chords on the model's grid\n"
         "  --steps N          most symbols to sample per candidate (default 500)\n"
         "  --min-steps N      no end of song ('/') before N symbols: each melody runs at least N steps\n"
         "                     (default 0: a melody ends where the model ends the song)\n"
         "  --temperature T    divide the logits by T (default 1; 0 = always the most likely symbol)\n"
         "  --top-k K          sample among the K most likely symbols (default 0: all)\n"
         "  --top-p P          sample among the most likely symbols holding mass P (default 1: all)\n"
         "  --candidates N     melodies generated together, as one batch (default 1)\n"
         "  --context N        predict from the last N symbols fed from a zero state (default: the\n"
         "                     model's, 64 for Keras imports); 0 = carry the state (fastest)\n"
         "  --rng-seed S       random seed (default 0): the same seed gives the same melodies\n"
         "  --key KEY          only the scale's pitches: \"C\", \"A minor\", \"F# harmonic minor\", \"D dorian\";\n"
         "                     also the seed's key (default: estimated from the seed)\n"
         "  --range LOW-HIGH   only pitches in the range: MIDI numbers (55-81) or names (G3-A5)\n"
         "  --max-note-steps N no note or rest longer than N steps (16 = a whole note)\n"
         "  --max-rest-ratio R at most this fraction of the generated steps are rests (0..1)\n"
         "  --keep-key         feed the seed in its own key (no move to C major / A minor)\n"
         "  --device D         auto (default), cpu or cuda; cuda without a GPU is an error\n"
         "  --out FILE.mid     MIDI file to write (default melody.mid)\n"
         "  --text             print each melody in the model's notation, one a line\n"
         "  --stats            print {\"generation_ms\", \"steps_per_s\", \"device\", \"seed_key\", \"transpose\", ...,\n"
         "                     \"polyphonic_share\": onsets of the sampled music where 2+ notes start together}\n"
         "                     on stderr (generation only, not start-up or loading)\n",
         &runGenerate},
        {"regenerate", "sample a region of a melody again, keeping what leads best into what follows",
         "usage: melodist regenerate [--model NAME|FILE] (--in FILE | --symbols \"SYMBOLS\") --from-step A --to-step B\n"
         "                           --out FILE.mid [--candidates N] [--keep N] [--temperature T] [--top-k K]\n"
         "                           [--top-p P] [--context N] [--rng-seed S] [--key KEY] [--range LOW-HIGH]\n"
         "                           [--max-note-steps N] [--max-rest-ratio R] [--keep-key]\n"
         "                           [--device auto|cpu|cuda] [--text] [--stats]\n\n"
         "Replaces steps A..B-1 (16th steps from 0, the first note of --in) with N sampled fills of the same\n"
         "length, scores each by the model's log-likelihood of the music after B, and writes the best:\n"
         "FILE.mid, and with --keep K the K best as FILE.mid, FILE-2.mid, ... The music before A and from B\n"
         "on is kept (a note sounding across B is struck again at B). Sampling options and constraints as\n"
         "for generate (they apply to the fill); --candidates defaults to 1, so give e.g. 8.\n\n"
         "  --model NAME|FILE  a bundled model ('melodist models'; default: default = folk) or a .melodist-model\n"
         "  --in FILE          the melody from a .mid .krn .musicxml (first part, one note at a time)\n"
         "  --symbols TEXT     the melody in the seeds' notation\n"
         "  --keep K           write the K best fills (default 1)\n"
         "  --text             print each written melody in the seeds' notation, one a line\n"
         "  --stats            print {\"scores\" (best first), \"device\", \"song_key\", \"transpose\", ...} on stderr\n",
         &runRegenerate},
        {"models", "list the bundled models (name, architecture, size, summary; which is the default)",
         "usage: melodist models [--json]\n\n"
         "Lists the .melodist-model files Melodist ships, from the first folder that exists of:\n"
         "$MELODIST_MODELS_DIR, <dir of melodist>/../share/melodist/models. '--model NAME' of generate,\n"
         "predict, regenerate, evaluate-model, sample-phrases and interpolate takes one by name;\n"
         "'--model default' (and no --model) is folk, German folk songs from the Essen collection.\n\n"
         "  --json   one JSON object: folder, searched, default, models [{name, path, card, architecture,\n"
         "           size_bytes, parameters, vocabulary_size, summary, weights_sha256, default}]\n",
         &runModels},
        {"model-info", "describe one model file: architecture, size, summary, the SHA-256 of its weights",
         "usage: melodist model-info MODEL [--json]\n\n"
         "MODEL is a .melodist-model file or a bundled model's name. weights_sha256 hashes the net's tensors\n"
         "(float32 little-endian, by name; optimizer state left out), as 'melodist train' reports it per rank.\n\n"
         "  --json   one JSON object (the fields of 'melodist models --json')\n",
         &runModelInfo},
        {"sample-phrases", "draw phrases from a VAE model's latent space and write MIDI (and text)",
         "usage: melodist sample-phrases --model VAE.melodist-model --count N [--rng-seed S] [--temperature T]\n"
         "                               [--out PREFIX] [--text]\n\n"
         "Draws N latents from the prior N(0, I) and decodes each into one phrase (the model's phrase\n"
         "length, after its '/'). Writes PREFIX-1.mid ... PREFIX-N.mid.\n\n"
         "  --count N          phrases to write (1..4096)\n"
         "  --rng-seed S       random seed (default 0): the same seed gives the same phrases\n"
         "  --temperature T    divide the logits by T (default 1; 0 = always the most likely symbol)\n"
         "  --out PREFIX       file name prefix (default phrase)\n"
         "  --text             print each phrase in the seeds' notation, one a line\n",
         MELODIST_TORCH_COMMAND(runSamplePhrases)},
        {"interpolate", "morph one phrase into another through a VAE model's latent space (MIDI)",
         "usage: melodist interpolate --model VAE.melodist-model --from \"SYMBOLS\"|A.mid --to \"SYMBOLS\"|B.mid\n"
         "                            --count N [--temperature T] [--rng-seed S] [--out PREFIX] [--text]\n\n"
         "Encodes both phrases (a music file: its first part on the 16th grid, moved to C major / A minor\n"
         "when the model's songs were; cut to the model's phrase length), and decodes N points of the\n"
         "spherical interpolation between their latent means, both ends included. Writes PREFIX-1.mid\n"
         "(near --from) ... PREFIX-N.mid (near --to).\n\n"
         "  --count N          phrases to write, both ends included (2..4096)\n"
         "  --temperature T    0 = the most likely symbol each step (default), else sample at T\n"
         "  --rng-seed S       random seed for sampling (default 0)\n"
         "  --out PREFIX       file name prefix (default phrase)\n"
         "  --text             print each phrase in the seeds' notation, one a line\n",
         MELODIST_TORCH_COMMAND(runInterpolate)},
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
         "                       [--sample-rate HZ] [--articulation normal|legato|staccato]\n\n"
         "Reads INPUT (.mid .midi .krn .musicxml .xml) and writes 16-bit stereo WAV, faster than real time\n"
         "and deterministic: the same input and options give the same bytes. Prints one line: the audio's\n"
         "length, the notes, the soundfont used and the time taken.\n\n"
         "  --soundfont FILE   the soundfont (default: $MELODIST_SOUNDFONT, else the best installed General\n"
         "                     MIDI font, else Melodist's built-in 'Melodist Soft')\n"
         "  --program N        General MIDI program 0..127 for every part (default: each part's own)\n"
         "  --tempo BPM        quarter notes per minute for the whole piece (default: the file's tempos)\n"
         "  --sample-rate HZ   8000..96000 (default 44100)\n"
         "  --articulation A   how long notes sound: normal (default) stops a note 60 ms before a note\n"
         "                     that follows at once (at most half its length), so repeated notes are heard\n"
         "                     as repeated; legato plays the written lengths; staccato half of each\n",
         &runRender},
        {"play", "play a music file through a soundfont to the audio output (FluidSynth, real time)",
         "usage: melodist play INPUT [--soundfont FILE.sf2] [--program N] [--tempo BPM]\n"
         "                     [--driver auto|pulseaudio|pipewire|alsa|jack] [--articulation normal|legato|staccato]\n\n"
         "Reads INPUT (.mid .midi .krn .musicxml .xml) and plays it to the end, printing the position once\n"
         "a second; Ctrl+C stops it (all notes off).\n\n"
         "  --soundfont FILE   the soundfont (default: as for render)\n"
         "  --program N        General MIDI program 0..127 for every part (default: each part's own)\n"
         "  --tempo BPM        quarter notes per minute for the whole piece (default: the file's tempos)\n"
         "  --driver NAME      the audio output; auto tries PulseAudio, PipeWire, ALSA, then JACK, among\n"
         "                     those FluidSynth has (default auto)\n"
         "  --articulation A   as for render (default normal)\n\n"
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

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Offline rendering of a Score to audio through a private FluidSynth synthesiser (no
// audio driver, reverb and chorus off), faster than real time and deterministic: the
// same score, soundfont and options always give the same samples, so the same WAV bytes.
// A free function: call it on any thread except the audio callback (it allocates and
// takes as long as the rendering); each call owns its own synthesiser; the caller owns
// the returned buffer.
//
//   RenderOptions options;
//   options.soundfontPath = defaultSoundfontPath();           // AudioInfo.h
//   Result<std::vector<float>> audio = renderScore(score, options);
//   if (!audio) { report(audio.error()); return; }           // names the soundfont, says what to do
//   Result<void> saved = writeWavFile("melody.wav", *audio, 2, options.sampleRate);  // WavWriter.h
//
// Timing: quarter notes become seconds through the score's tempo changes (120 BPM before
// the first one, or throughout when there is none), or at `tempoBpm` when it is set. Each
// note-on and note-off is sent after rendering exactly up to its sample position (offs
// before ons at the same position); FluidSynth itself starts them at its next internal
// 64-frame block, so an event lands 0..63 frames (under 1.5 ms at 44.1 kHz) after its
// exact time, the same way every run. Part i plays on MIDI channel i, skipping the drum
// channels (9, 25, ...). A program the soundfont lacks falls back to its bank 0 program 0
// (or its first preset), with a warning in the log. How long each note sounds is
// `articulation` (Articulation.h): by default a note followed at once by the next one stops
// 60 ms early, so repeated notes are heard as repeated. The audio lasts until the end of
// the last note or rest plus `tailSeconds`.

#include "engine/audio/Articulation.h"
#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <string>
#include <vector>

namespace melodist::engine {

struct RenderOptions {
    std::string soundfontPath;  // an .sf2/.sf3 file; see defaultSoundfontPath() in AudioInfo.h
    int program = -1;           // General MIDI program 0..127 for every part; -1: each part's own
    double tempoBpm = 0;        // quarter notes per minute for the whole score; 0: the score's tempo map
    int sampleRate = 44100;     // 8000..96000 Hz
    double tailSeconds = 1.5;   // rendered after the end, for the release
    Articulation articulation = Articulation::Normal;  // how long notes sound (Articulation.h)
};

// Interleaved stereo float samples (L R L R ...), nominally within [-1, 1].
Result<std::vector<float>> renderScore(const Score& score, const RenderOptions& options);

// Seconds from the start of `score` to `quarterNotes`, through its tempo changes, or at
// `tempoBpm` when it is > 0. What renderScore uses to place every event.
double scoreTimeToSeconds(const Score& score, Rational quarterNotes, double tempoBpm = 0);

}  // namespace melodist::engine

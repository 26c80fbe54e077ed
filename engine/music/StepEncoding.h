// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The seeds' step encoding of a melody, symbol for symbol as the tutorial
// "generating-melodies-with-rnn-lstm" (preprocess.py, music21) writes it: for each note
// or rest in order, its symbol (MIDI number, or "r") then "_" for every further
// sixteenth (step) it lasts; steps = floor(duration / step). Tied notes are encoded
// part by part ("60 _ _ _ 60 _"), as music21 keeps tied notes as separate objects.
// Songs are joined with 64 "/" symbols. Free functions, any thread.
//
//   std::vector<std::string> symbols = encodeSteps(score.parts[0]);   // {"67", "_", "r", ...}
//   std::string line = joinSymbols(symbols);                          // "67 _ r ..."
//   Result<Part> melody = decodeSteps(splitSymbols(generatedText));   // back to notes and rests

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace melodist::engine {

inline constexpr std::string_view kRestSymbol = "r";
inline constexpr std::string_view kHoldSymbol = "_";
inline constexpr std::string_view kSongDelimiterSymbol = "/";
// The seeds separate songs with SEQUENCE_LENGTH (64) delimiters, so every training
// window that crosses a song boundary sees a full run of "/".
inline constexpr int kSeedSequenceLength = 64;
inline constexpr Rational kSeedTimeStep = Rational(1, 4);  // a sixteenth note, in quarter notes

// Encodes a part in onset order. Where several notes start together (a chord), only
// the highest is encoded and lasts its own duration -- the seeds' music21 code has no
// chord branch; we keep the top voice, which is the melody in the common cases.
// A note or rest shorter than one step (a grace note, a 32nd) emits nothing, as int()
// truncation does in the seeds.
std::vector<std::string> encodeSteps(const Part& part, Rational step = kSeedTimeStep);

// Symbols joined with single spaces, as the seeds write one song.
std::string joinSymbols(std::span<const std::string> symbols);
// The MIDI number a pitch symbol ("67") stands for; nullopt for "r", "_", "/" or anything else.
std::optional<int> pitchOfSymbol(std::string_view symbol);
// Splits on any whitespace; empty pieces are dropped.
std::vector<std::string> splitSymbols(std::string_view text);

// The seeds' single-file dataset: each song, then `delimiterCount` "/" symbols, all
// separated by single spaces and without a trailing space (create_single_file_dataset).
std::string joinSongs(std::span<const std::string> encodedSongs, int delimiterCount = kSeedSequenceLength);

// Symbols back to a melody (one part of notes and rests, onsets from 0). Leading "/"
// are skipped and the first "/" after music ends the melody (the seeds' generator
// stops there). A "_" with nothing before it holds a rest. Unknown symbols and MIDI
// numbers outside 0..127 give an error that names the position and the symbol.
Result<Part> decodeSteps(std::span<const std::string> symbols, Rational step = kSeedTimeStep);

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The seeds' preprocessing of one song (preprocess.py of "generating-melodies-with-rnn-lstm"):
// keep it only if every note and rest lasts an acceptable duration, transpose it to
// C major / A minor, encode it in steps. Plus transposition shifts for augmentation.
// Free functions, any thread; the corpus pipeline calls them from worker threads.
//
//   SeedSong song = preprocessForSeeds(*readKernFile(path));
//   if (song.kept) lines.push_back(joinSymbols(song.symbols));
//   else ++skipped[song.reason];

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

// ACCEPTABLE_DURATIONS of the seeds, in quarter notes: 16th, 8th, dotted 8th, quarter,
// dotted quarter, half, dotted half, whole.
inline const std::vector<Rational> kSeedAcceptableDurations = {Rational(1, 4), Rational(1, 2), Rational(3, 4), Rational(1),
                                                               Rational(3, 2), Rational(2),    Rational(3),    Rational(4)};

// The first note or rest (tied notes: each written part, as music21 sees them) whose
// duration is not in `acceptable`; nullopt when all are (has_acceptable_durations).
struct UnacceptableDuration {
    Rational onset;
    Rational duration;
};
std::optional<UnacceptableDuration> firstUnacceptableDuration(const Part& part,
                                                              std::span<const Rational> acceptable = kSeedAcceptableDurations);

// The seeds' shift to C major / A minor, tonic spelled in octave 4 (music21's
// Interval(key.tonic, Pitch("C"|"A"))): major -> -tonic (G: -7, B: -11), minor -> 9 - tonic
// (e: +5, c: +9, b: -2).
int seedTranspositionShift(Key key);

// The key the seeds transpose from: the declared key (it always wins), else a
// Krumhansl-Schmuckler estimate. nullopt when neither exists (no notes).
struct SeedKey {
    Key key;
    bool estimated = false;
};
std::optional<SeedKey> seedKey(const Score& score);

// Every note moved by `semitones` (keys and signatures follow). Error if a note would
// leave MIDI 0..127.
Result<Score> transposeScore(const Score& score, int semitones);

// Up to `maxCount` extra shifts for augmentation, nearest keys first (+1, -1, +2, -2,
// ... +5, -5, +6: the 11 other keys), keeping every note within lowest..highest.
std::vector<int> augmentationShifts(const Score& score, int maxCount, int lowestPitch = 0, int highestPitch = 127);

enum class SeedSkipReason { None, UnacceptableDuration, NoNotes, OutOfRange };
std::string toString(SeedSkipReason reason);

struct SeedPreprocessOptions {
    std::vector<Rational> acceptableDurations = kSeedAcceptableDurations;
    int partIndex = 0;
    Rational step = Rational(1, 4);
    bool transpose = true;
};

// One song through the seeds' pipeline. `detail` says why a song was skipped.
struct SeedSong {
    bool kept = false;
    SeedSkipReason reason = SeedSkipReason::None;
    std::string detail;
    std::optional<SeedKey> key;
    int shift = 0;
    std::vector<std::string> symbols;  // the step encoding, when kept
};
SeedSong preprocessForSeeds(const Score& score, const SeedPreprocessOptions& options = {});

}  // namespace melodist::engine

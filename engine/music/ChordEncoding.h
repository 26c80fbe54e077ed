// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The piano seed's "notes and chords" encoding (a Classical-Piano-Composer-style LSTM
// reads and writes it): polyphonic music as one token per onset. Free functions over
// value types: any thread, no shared state.
//
// Token syntax, one token per onset, in time order:
//   note    <pitch>:<step>            64:1/2
//   chord   <p1>+<p2>+...:<step>      60+64+67:1      MIDI pitches ascending, no repeats
//   rest    R:<step>                  R:3/2
// <step> is the time in quarter notes from this token's start to the next token's start:
// a positive whole number or n/d in lowest terms (Rational::toString), a multiple of the
// grid. A rest stands for silence: nothing sounds (no earlier note is still held).
//
//   C major triad for a half note, an E eighth, an eighth of silence, a G quarter
//   (grid 1/4):  "60+64+67:2" "64:1/2" "R:1/2" "67:1"
//
// Encoding merges all parts, quantises every onset and end to the nearest multiple of
// the grid (half way rounds up; a note is at least one grid step long), and makes each
// group of notes starting together one token. A token's step runs to the next onset,
// or only to the end of the sound when every note has ended before the next onset (a
// rest token then fills the gap), or to the end of the sound for the last token. A
// piece that starts late starts with a rest. With maxStep > 0, longer steps are cut:
// the token keeps maxStep and rest tokens of at most maxStep follow (a bounded
// vocabulary for the LSTM); trailing silence is not encoded.
// Decoding is legato: each pitch of a token lasts its step. Rhythm (onsets) and pitches
// survive encode -> decode at grid precision, durations do not; encode(decode(t)) == t
// for every t that encode produced with the same options.

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace melodist::engine {

struct ChordEncodingOptions {
    Rational grid = Rational(1, 12);  // quarter notes; 1/12 keeps 16ths and eighth triplets. Must be > 0
    Rational maxStep = 0;             // 0: unbounded; else rounded down to a multiple of the grid (>= one grid)
};

// One parsed token; empty `pitches` is a rest.
struct ChordToken {
    std::vector<int> pitches;  // ascending, distinct, 0..127
    Rational step;             // > 0
    bool isRest() const { return pitches.empty(); }
    bool isChord() const { return pitches.size() > 1; }
    friend bool operator==(const ChordToken& a, const ChordToken& b) { return a.pitches == b.pitches && a.step == b.step; }
};

std::string formatChordToken(const ChordToken& token);
// The error names the token and says what is wrong with it.
Result<ChordToken> parseChordToken(std::string_view text);

// Tokens for all parts of `score` merged (drums are already left out by the readers).
std::vector<std::string> encodeChords(const Score& score, const ChordEncodingOptions& options = {});
std::vector<std::string> encodeChords(const Part& part, const ChordEncodingOptions& options = {});
// A part whose notes start at time 0 at the first token; the error names the token's index.
Result<Part> decodeChords(const std::vector<std::string>& tokens, int velocity = 80);

// Every pitch of every token moved by `semitones`; strings that are not chord tokens
// ("/") are kept. Error naming the token when a pitch leaves 0..127.
Result<std::vector<std::string>> transposeChordTokens(std::span<const std::string> tokens, int semitones);

// How polyphonic the onsets are: the distinct start times of notes (all parts merged),
// and those where two or more different pitches start together -- what the piano
// model's chords are measured by (`melodist generate --stats`, resources/models/piano.md).
struct OnsetPolyphony {
    int64_t onsets = 0;
    int64_t polyphonicOnsets = 0;
    double share() const { return onsets > 0 ? static_cast<double>(polyphonicOnsets) / static_cast<double>(onsets) : 0.0; }
    OnsetPolyphony& operator+=(const OnsetPolyphony& other) {
        onsets += other.onsets;
        polyphonicOnsets += other.polyphonicOnsets;
        return *this;
    }
};
OnsetPolyphony onsetPolyphony(const Score& score);
// The same counted on chord tokens: each note or chord token is one onset (rests and
// strings that are not chord tokens are not).
OnsetPolyphony onsetPolyphony(std::span<const std::string> tokens);

}  // namespace melodist::engine

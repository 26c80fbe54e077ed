// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Standard MIDI Files (SMF) to and from the Score model. Free functions over value
// types: any thread, no shared state; the caller owns what they return.
//
//   Result<Score> score = readMidiFile("chpn-p15.mid");
//   if (!score) { report(score.error()); return; }     // names the file, byte and value
//   Result<void> saved = writeMidiFile(*score, "copy.mid");  // read back: the same notes
//
// Reading (MidiReader.cpp): formats 0 and 1, and 2 (its tracks are independent
// sequences, laid one after the other). Times become exact quarter notes
// (ticks / PPQ). One Part per (track, channel) that has notes, in track then channel
// order; channel 10 (index 9, drums) is left out. Notes are ordered by onset, pitch,
// duration, velocity. Part.name is the track name,
// Part.program the channel's program at the part's first note (a program change in the
// part's own track wins over one in another track). Tempo, time signature and key
// signature metas become TempoChange, MeterChange and KeyChange{declared = true}
// (the last one wins where several share a tick); the first track's name is the
// title. Note-on with velocity 0 is a note-off. Several note-ons of one pitch on one
// channel before their note-offs are paired first-in first-out: the first note-off
// ends the earliest note, which is what a re-struck piano key means and keeps
// "on(t) off(t)" at one tick from making a zero-length note. A note-off with no note
// sounding is ignored; notes still sounding at the end of their track end there;
// notes that would last zero ticks are dropped. SysEx and unknown chunks are skipped.
// Running status is honoured (and, leniently, kept across meta and SysEx events).
// SMPTE divisions are converted through seconds at the file's first tempo (120 BPM
// when it has none) onto a 1/960 quarter-note grid; such a score gets that one tempo.
// A truncated or corrupt file gives an error naming the file and the byte offset.
//
// Writing (MidiWriter.cpp): SMF format 1. Track 1 is the conductor (title as track
// name, tempo, time signature, key signature); then one track per Part (name, program
// change, notes on Part.channel). The PPQ is the smallest multiple of the least common
// denominator of every time in the score that is >= 480, so every onset and duration
// is a whole number of ticks and write -> read gives back the same pitches, onsets,
// durations and velocities. Limits, where MIDI cannot say what the score says:
//   - a score whose times need a PPQ above 32767 is rounded to 960 ticks per quarter;
//   - of two notes of one pitch in one part where one starts inside the other and ends
//     before it, the reader gets the ends swapped (FIFO pairing, see above);
//   - meters whose denominator is not a power of two, free meters (numerator 0) and
//     undeclared (estimated) keys are not written; tiedParts and rests are not kept;
//   - notes with a pitch outside 0..127, a negative onset or a duration <= 0 are
//     skipped, velocities are clamped to 1..127, tempos are whole microseconds.
// The same score always gives the same bytes.

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <string>
#include <string_view>

namespace melodist::engine {

// Parses SMF bytes; `sourceName` (a file name) starts every error message.
Result<Score> readMidi(std::string_view bytes, const std::string& sourceName);
// Reads and parses the file at `path`.
Result<Score> readMidiFile(const std::string& path);

// SMF format 1 bytes for `score`.
std::string writeMidi(const Score& score);
// Writes `score` to `path` atomically (temporary file, fsync, rename).
Result<void> writeMidiFile(const Score& score, const std::string& path);

// The ticks per quarter note writeMidi uses for `score` (see above).
int midiTicksPerQuarter(const Score& score);

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Score model to MusicXML 3.1 (score-partwise, uncompressed), as MuseScore 3 and
// other notation programs open it. Free functions over value types: any thread, no
// shared state.
//
//   std::string xml = writeMusicXml(score);
//   Result<void> saved = writeMusicXmlFile(score, "melody.musicxml");
//
// One <part> per Part (part-name; midi-channel and midi-program from Part.channel and
// Part.program). Divisions are the least common multiple of every time's denominator,
// so every <duration> is a whole number and write -> read gives back the same
// pitches, onsets, durations and velocities (velocity as <note dynamics>). Measures
// follow the score's meters (4/4 when none; a meter change inside a measure ends it
// early; free meters are barred as 4/4 under <senza-misura/>). Each part gets its key
// signature (KeyChange.fifths, or derived from KeyChange.key when fifths is 0; none
// when the score has no key), a treble or bass clef by its mean pitch, and in the
// first part the tempo as a metronome mark with <sound tempo>. Notes that start
// together and last equally long are chords; overlapping notes go to further voices
// (padded with invisible rests); gaps in voice 1 are rests. Notes and rests are split
// at barlines, at tempo and key changes and where the source wrote ties (tiedParts),
// into drawable values (breve .. 1024th, dotted, double dotted; tuplets such as
// triplets with <time-modification> and a bracket), joined with ties. Pitches are
// spelled for the key in force (see PitchSpelling.h). Notes with a pitch outside
// 0..127, a negative onset or a duration <= 0 are skipped. Written rests
// (Part.rests) are not copied: rests are wherever voice 1 has no note. A score whose
// times need more than 1,000,000 divisions per quarter is rounded to 10080.
// The same score always gives the same bytes.

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <string>

namespace melodist::engine {

// MusicXML text (UTF-8) for `score`.
std::string writeMusicXml(const Score& score);
// Writes `score` to `path` atomically (temporary file, fsync, rename).
Result<void> writeMusicXmlFile(const Score& score, const std::string& path);

// The divisions per quarter note writeMusicXml uses for `score` (see above).
int64_t musicXmlDivisions(const Score& score);

}  // namespace melodist::engine

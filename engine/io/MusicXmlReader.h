// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MusicXML (uncompressed .musicxml / .xml, partwise or timewise) to the Score model.
// Free functions over value types: any thread, no shared state; the caller owns the
// Score.
//
//   Result<Score> score = readMusicXmlFile("song.musicxml");
//   if (!score) { report(score.error()); return; }   // names the file, line and value
//
// What is read: part-list (part-name, midi-program -> Part.program, midi-channel ->
// Part.channel; a part on MIDI channel 10 whose notes are all unpitched is left out,
// like the MIDI reader leaves out drums), divisions (may change anywhere), notes,
// rests and chords, <backup>/<forward> and voices, <tie> (or, when a note has none,
// <tied>) merged into one Note whose tiedParts are the written durations, transposing
// instruments (<transpose>) sounding at concert pitch, key (fifths + mode) ->
// KeyChange{declared}, time -> MeterChange (senza-misura -> 0), tempo from
// <sound tempo> or else a metronome mark -> TempoChange, velocity from
// <sound dynamics>, dynamics marks and <note dynamics>, work-title (else
// movement-title) -> title. Times are exact (duration / divisions).
// Left out: grace and cue notes (no time of their own / not played), unpitched notes,
// invisible rests (print-object="no"), repeats (read as written, not unrolled).
// A compressed .mxl gets an error that says to unzip it.

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <string>
#include <string_view>

namespace melodist::engine {

// Parses MusicXML text; `sourceName` (a file name) starts every error message.
Result<Score> readMusicXml(std::string_view text, const std::string& sourceName);
// Reads and parses the file at `path`.
Result<Score> readMusicXmlFile(const std::string& path);

}  // namespace melodist::engine

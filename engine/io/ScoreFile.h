// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reads a music file of any format Melodist knows, choosing the reader by content
// first and extension second: "MThd" is MIDI whatever the name, "<?xml" /
// "<score-partwise" is MusicXML, and text named .krn (or starting "**kern" / "!!!")
// is Humdrum kern. An empty file, binary data named .krn, a compressed .mxl and an
// unknown extension get errors that name the file and say what to do. Free functions;
// any thread; the caller owns the Score.
//
//   Result<Score> score = readScoreFile("erk/deut0567.krn");
//   if (!score) { report(score.error()); return; }

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <string>
#include <string_view>

namespace melodist::engine {

enum class ScoreFormat { Unknown, Kern, Midi, MusicXml, CompressedMusicXml };

const char* scoreFormatName(ScoreFormat format);  // "kern", "MIDI", "MusicXML", ...

// The format of `bytes` (the file's content) named `sourceName`; Unknown when neither
// content nor extension tells.
ScoreFormat detectScoreFormat(std::string_view bytes, const std::string& sourceName);

// Parses bytes already in memory; `sourceName` starts every error message.
Result<Score> readScoreBytes(std::string_view bytes, const std::string& sourceName);
// Reads and parses the file at `path`.
Result<Score> readScoreFile(const std::string& path);

}  // namespace melodist::engine

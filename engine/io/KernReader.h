// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Humdrum **kern reader: one **kern spine of a Humdrum file becomes a Score with one
// part (notes, written rests, key, meter and tempo changes, title from !!!OTL:).
// Free functions, any thread, no shared state; the caller owns the returned Score.
//
//   Result<Score> song = readKernFile("/data/essen/erk/deut0567.krn");
//   if (!song) { MELODIST_LOG_WARNING(song.error()); continue; }   // a corrupt file never crashes
//   for (const Note& note : song->parts[0].notes) use(note.pitch, note.onset, note.duration);
//
// What it reads: comments (! !! !!!), keys (*k[f#c#] signatures, *G: *g: *B-: *f#: keys),
// meters (*M3/4, *M6/8; *MX and *MFREI give numerator 0), tempo (*MM120), barlines,
// durations (4 8. 16.. 3 12 20 0=breve 00=longa, 3%2 rational), pitches (c = C4 = 60,
// cc = C5, C = C3, CC = C2; # ## - -- n), rests (r), ties ([ _ ] merged into one Note whose
// tiedParts keeps the written durations), chords (space-separated sub-tokens at one
// onset) and spine splits / joins (*^ *v *x *+ *-: the reader follows the first
// sub-spine). Phrase, slur, beam, articulation and ornament marks are ignored; grace
// notes (q, Q, P) are dropped. Errors name the source, the line and the token.

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <string>
#include <string_view>

namespace melodist::engine {

struct KernReadOptions {
    int spine = 0;  // which **kern spine, counted among the **kern spines only (0 = first)
};

// Reads Humdrum text; `sourceName` (usually the file name) starts every error message.
Result<Score> readKern(std::string_view text, const std::string& sourceName, const KernReadOptions& options = {});
// Reads a file with readFileBytes; errors name `path`.
Result<Score> readKernFile(const std::string& path, const KernReadOptions& options = {});

}  // namespace melodist::engine

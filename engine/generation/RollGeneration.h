// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RollGeneration: the studio's notes (placed anywhere in time, possibly overlapping)
// to the symbols a model reads, and the symbols it writes back to notes at the right
// time. The models speak the seeds' step notation (16th-note steps, StepEncoding.h) or
// chord tokens (ChordEncoding.h); both start at the first note, so each segment here
// remembers where its first symbol lies in the roll (`start`) and places what comes
// back from there.
//   Continue:   the notes up to `until` (the selection's end; all when not given) from
//               the first one's step on, silence before it dropped (seedFromScore's
//               rules: the highest note of an onset, a note cut where the next starts);
//               the continuation is placed at the seed's end.
//   Region:     a time span [start, end) to fill with regenerateRegion: `before` = the
//               notes before it from the first one's step, padded with a rest to the
//               span; `after` = the notes from its end on, silence at its start kept as
//               a rest, so the fill's surroundings are where they are in the roll.
// Free functions over value types; any thread (the studio calls them on its UI thread:
// they are linear in the notes).
//
//   GridSegment seed = continuationSeed(rollNotes, /*until=*/std::nullopt);
//   Result<GeneratedMelodies> out = generateMelodies(model, seed.symbols, options);
//   Result<std::vector<Note>> added = continuationNotes(seed, out->melodies[0]);   // after the seed
//   RollRegion region = rollRegion(otherNotes, Rational(4), Rational(8));
//   Result<RegeneratedRegion> fills = regenerateRegion(model, region.before.symbols, region.after.symbols,
//                                                      region.gapSteps(), options);
//   Result<std::vector<Note>> fill = regionFillNotes(region, fills->fills[0].symbols);   // in [4, 8)

#include "engine/core/Result.h"
#include "engine/generation/ChordGeneration.h"
#include "engine/generation/SeedFromScore.h"
#include "engine/model/MelodyModel.h"
#include "engine/music/Note.h"
#include "engine/music/StepEncoding.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

// Time on a grid of `step`: the largest multiple <= t, the smallest >= t, the nearest
// (halfway rounds up, as seedFromScore rounds onsets).
Rational floorToGrid(Rational t, Rational step);
Rational ceilToGrid(Rational t, Rational step);
Rational nearestOnGrid(Rational t, Rational step);

// Symbols of the step notation and where the first one lies in the roll.
struct GridSegment {
    std::vector<std::string> symbols;
    Rational start;                  // quarter notes
    Rational step = kSeedTimeStep;
    SeedReduction reduction;         // what the monophonic reduction changed (chords, overlaps, grid)
    Rational end() const { return start + step * Rational(static_cast<int64_t>(symbols.size())); }
};

// The notes starting in [from, to), cut at `to`, on the grid from `from` (on the grid):
// silence before the first note is a rest ("r _ _"), and a rest pads the end to `to`,
// so the segment lasts exactly to - from. Empty when from >= to.
GridSegment encodeNotesOnGrid(std::span<const Note> notes, Rational from, Rational to, Rational step = kSeedTimeStep);

// The seed for Continue: the notes starting before `until` (all when nullopt), from the
// first one's nearest step, cut at `until` (a rest pads up to it). Empty symbols when no
// note starts before `until`: the continuation then starts at `until` (or 0).
GridSegment continuationSeed(std::span<const Note> notes, std::optional<Rational> until, Rational step = kSeedTimeStep);

// A generated melody (the seed's symbols then the sampled ones, as generateMelodies
// returns it) to the notes that start at or after the seed's end, placed in the roll;
// notes reaching past `lengthLimit` quarter notes after the seed's end are cut there
// (none starts after it when the request asked for exactly that many steps).
Result<std::vector<Note>> continuationNotes(const GridSegment& seed, std::span<const std::string> melody,
                                            std::optional<Rational> lengthLimit = std::nullopt);

// The span [start, end) of the roll to refill, put on the grid outwards, and its
// surroundings from `notes` (the notes to keep: the caller leaves out those it replaces).
struct RollRegion {
    Rational start;
    Rational end;
    GridSegment before;  // from the first note's step to `start`
    GridSegment after;   // from `end` to the end of the last note (on the grid)
    int gapSteps() const { return static_cast<int>(((end - start) / before.step).floor()); }
};
RollRegion rollRegion(std::span<const Note> notes, Rational start, Rational end, Rational step = kSeedTimeStep);

// A fill of regenerateRegion (exactly gapSteps symbols) as notes in [region.start, region.end).
Result<std::vector<Note>> regionFillNotes(const RollRegion& region, std::span<const std::string> fill);

// ---- chord-notation models (the piano model) ----
struct ChordContinuationSeed {
    ChordSeed seed;    // tokens in the model's key, every one in its vocabulary; seed.shift moves back
    Rational start;    // the first token's place in the roll
    Rational end;      // where the continuation starts: start + the tokens' steps
};
// The notes starting before `until` (all when nullopt; every pitch: the model writes
// chords), cut at `until`, encoded on the model's grid and fitted to it (ChordGeneration.h).
// Error when no note is there to start from.
Result<ChordContinuationSeed> chordContinuationSeed(const MelodyModel& model, std::span<const Note> notes,
                                                    std::optional<Rational> until, bool normaliseKey);
// The sampled tokens after the seed's (melody = seed tokens then sampled ones) as notes
// in the user's key from the seed's end; cut `lengthLimit` quarter notes after it.
Result<std::vector<Note>> chordContinuationNotes(const ChordContinuationSeed& seed, std::span<const std::string> melody,
                                                 std::optional<Rational> lengthLimit = std::nullopt);

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A seed melody from a music file (--seed-file): the first part with notes, made
// monophonic and put on the seeds' step grid -- the highest note at each onset (the
// melody in the common cases), a note cut where the next one starts, onsets and ends
// rounded to the nearest step (a note lasts at least one), gaps as rests, silence before
// the first note dropped. `reduction` counts what was changed, so the CLI can tell the
// user. Free functions; any thread.
//
//   Result<ScoreSeed> seed = readSeedFile("theme.mid");
//   if (seed && seed->reduction.changed()) std::fprintf(stderr, "%s\n", seed->reduction.describe().c_str());
//   generateMelodies(model, seed->symbols, options);

#include "engine/core/Result.h"
#include "engine/music/Score.h"
#include "engine/music/StepEncoding.h"

#include <string>
#include <vector>

namespace melodist::engine {

struct SeedReduction {
    int partIndex = 0;          // the part used
    int partsIgnored = 0;       // other parts with notes
    int chordNotesDropped = 0;  // lower notes of chords (notes sharing an onset)
    int notesShortened = 0;     // cut where the next note starts (overlaps)
    int notesMerged = 0;        // dropped: their onset rounded onto the previous note's step
    int notesMoved = 0;         // onset or end not on the step grid
    Rational silenceDropped;    // quarter notes of silence before the first note

    bool changed() const {
        return partsIgnored > 0 || chordNotesDropped > 0 || notesShortened > 0 || notesMerged > 0 || notesMoved > 0 ||
               !silenceDropped.isZero();
    }
    // One line: "seed: used part 1 of 3; 12 lower chord notes dropped; ...".
    std::string describe() const;
};

struct ScoreSeed {
    std::vector<std::string> symbols;  // the seeds' step encoding
    SeedReduction reduction;
};

// Error when no part has notes.
Result<ScoreSeed> seedFromScore(const Score& score, Rational step = kSeedTimeStep);
// readScoreFile (MIDI, kern, MusicXML) then seedFromScore; errors name the file.
Result<ScoreSeed> readSeedFile(const std::string& path, Rational step = kSeedTimeStep);

}  // namespace melodist::engine

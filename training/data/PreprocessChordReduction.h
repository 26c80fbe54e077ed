// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The chord encoding's vocabulary reduction over a whole preprocessed corpus
// (`melodist preprocess --encoding chords --min-count N`): every token of every kept
// song is counted, tokens seen fewer than N times are replaced in the songs by the
// nearest frequent one (engine/music/ChordVocabulary.h), and what changed is described
// for manifest.json ("chord_vocabulary"). Runs on the preprocessing thread after the
// parallel part, before the dataset files are built; the output does not depend on the
// number of threads (counts and replacements ignore order).
//
//   Result<nlohmann::json> section = reduceChordSongs(report.outcomes, options.chordMinCount);
//   if (!section) return makeError(section.error());
//   manifest["chord_vocabulary"] = *section;

#include "engine/core/Result.h"
#include "training/data/PreprocessManifest.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace melodist::training {

// Rewrites the songs of `outcomes` in place; the section holds min_count, tokens before
// and after, occurrences and the share replaced, steps changed, the mean pitch distance
// of a replacement, the polyphonic share of the note and chord tokens before and after,
// and the 20 most frequent replacements. An error when no note or chord reaches minCount.
engine::Result<nlohmann::json> reduceChordSongs(std::vector<FileOutcome>& outcomes, uint64_t minCount);

}  // namespace melodist::training

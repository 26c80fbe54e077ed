// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Encodes one read score as dataset songs, by PreprocessOptions: the seeds' step
// encoding (filter durations, transpose to C major / A minor, steps) or the chord
// encoding (transpose, quantise, one token per onset), plus augmented copies. Or says
// why the song is skipped. A free function; worker threads call it concurrently.

#include "engine/music/Score.h"
#include "training/data/PreprocessManifest.h"
#include "training/data/PreprocessOptions.h"

#include <string>

namespace melodist::training {

// Kept (songs: the original, then options.augmentCopies transposed copies where the
// pitch range allows) or Skipped (category + a reason naming `sourceName`).
FileOutcome encodeSongs(const engine::Score& score, const std::string& sourceName, const PreprocessOptions& options);

}  // namespace melodist::training

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Whole-file reads and atomic writes. Saves never leave a half-written file: the data
// goes to a temporary file beside the target, is fsync'ed, then renamed over it (and
// the directory is fsync'ed), so a crash leaves either the old or the new file.
// Any thread except the audio callback.

#include "engine/core/Result.h"

#include <string>
#include <string_view>

namespace melodist::engine {

// Reads a file into memory; the error names the file and the reason.
Result<std::string> readFileBytes(const std::string& path);
// Writes `bytes` to `path` atomically (temp file, fsync, rename).
Result<void> writeFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace melodist::engine

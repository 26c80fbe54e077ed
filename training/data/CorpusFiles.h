// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The music files a preprocessing run reads: the inputs (files and folders, folders
// searched recursively for .krn .mid .midi .musicxml .xml .mxl; anything else there,
// such as Essen's CKSUM, is ignored), each with the size and modification time that
// decide whether a cached dataset is still up to date. Sorted by path (byte order),
// so the dataset's order never depends on the file system or the thread count.
// Called on the preprocessing thread; plain values.

#include "engine/core/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace melodist::training {

struct CorpusFile {
    std::string path;  // as found: the input joined with the path below it
    uint64_t sizeBytes = 0;
    int64_t mtimeNs = 0;  // modification time, nanoseconds since the epoch
    friend bool operator==(const CorpusFile&, const CorpusFile&) = default;
};

// True for the extensions a folder search picks up (case-insensitive).
bool isMusicFileName(const std::string& fileName);

// The music files of `inputs`, sorted, each read once, with only `path` filled: size
// and time come from statCorpusFile or from reading the file (one path lookup instead of
// two, in parallel). A file named explicitly is always taken (an unknown type then fails
// with a clear message when read); a missing input is an error naming it.
engine::Result<std::vector<CorpusFile>> listCorpusFiles(const std::vector<std::string>& inputs);

// Fills file.sizeBytes and file.mtimeNs from the file system.
engine::Result<void> statCorpusFile(CorpusFile& file);

// Reads the whole file and fills its size and time from the same open file.
engine::Result<std::string> readCorpusFile(CorpusFile& file);

// listCorpusFiles, then statCorpusFile for each.
engine::Result<std::vector<CorpusFile>> findCorpusFiles(const std::vector<std::string>& inputs);

}  // namespace melodist::training

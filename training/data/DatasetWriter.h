// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Builds and writes a preprocessed dataset's outputs (songs.txt, file_dataset,
// mapping.json, dataset.bin; see CorpusPreprocessor.h) from the per-file outcomes, in
// file order. Called on the preprocessing thread after the parallel part;
// manifest.json is the caller's, written last.

#include "engine/core/Result.h"
#include "training/data/PreprocessManifest.h"
#include "training/data/PreprocessOptions.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace melodist::training {

inline constexpr const char* kManifestFileName = "manifest.json";
inline constexpr const char* kDatasetOutputFiles[] = {"songs.txt", "file_dataset", "mapping.json", "dataset.bin"};

struct DatasetFiles {
    std::vector<std::pair<std::string, std::string>> files;  // (name in the output folder, bytes)
    size_t vocabularySize = 0;                               // "/" included
};

// The outputs' bytes; an error when the vocabulary outgrows dataset.bin's 16-bit ids.
engine::Result<DatasetFiles> buildDatasetFiles(const PreprocessOptions& options,
                                               const std::vector<FileOutcome>& outcomes);

// Writes every file into `dir` atomically, all at once: their fsyncs then share the
// file system's journal commits instead of waiting for one each.
engine::Result<void> writeFilesTogether(const std::string& dir,
                                        const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace melodist::training

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PreprocessManifest: manifest.json of a preprocessed dataset -- the options, every
// input file with its size, time and outcome (kept / skipped / failed and why), and
// summary counts. It is also the cache key: a dataset folder whose manifest has the
// same options and the same (path, size, mtime) list as the current inputs is up to
// date. Plain functions; the preprocessing thread calls them.

#include "training/data/CorpusFiles.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace melodist::training {

// Bumped whenever the same inputs and options would give a different dataset (a
// changed encoder or output layout), so old caches are rebuilt.
inline constexpr int kPreprocessPipelineVersion = 1;

enum class FileStatus { Kept, Skipped, Failed };
const char* fileStatusName(FileStatus status);

// What became of one input file.
struct FileOutcome {
    FileStatus status = FileStatus::Failed;
    std::string category;            // groups outcomes in the summary: "durations", "no notes", "MIDI", ...
    std::string reason;              // the full message (file, line, value); empty when kept
    std::vector<std::string> songs;  // kept: space-separated symbols, the original then augmented copies
    uint64_t steps = 0;              // symbols over all of `songs`
};

struct PreprocessSummary {
    size_t files = 0, kept = 0, skipped = 0, failed = 0;
    size_t songs = 0;    // kept songs, augmented copies included
    uint64_t steps = 0;  // symbols in songs.txt
    size_t vocabularySize = 0;
    double seconds = 0;
    bool upToDate = false;  // the cached dataset was reused
    nlohmann::json toJson() const;
    static PreprocessSummary fromJson(const nlohmann::json& json);
};

nlohmann::json makeManifest(const nlohmann::json& optionsFingerprint, const std::vector<std::string>& inputs,
                            const std::vector<CorpusFile>& files, const std::vector<FileOutcome>& outcomes,
                            const PreprocessSummary& summary);

// True when `manifest` was made from these options and exactly these files.
bool manifestMatches(const nlohmann::json& manifest, const nlohmann::json& optionsFingerprint,
                     const std::vector<CorpusFile>& files);

// The outcomes a manifest records (songs are not stored there), for an up-to-date run's report.
std::vector<FileOutcome> outcomesFromManifest(const nlohmann::json& manifest);

}  // namespace melodist::training

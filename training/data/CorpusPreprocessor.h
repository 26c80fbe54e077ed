// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Corpus preprocessing: music files (kern, MIDI, MusicXML; files and folders) in, a
// training dataset out -- what `melodist preprocess` and the studio's "Prepare corpus"
// run. Files are read, filtered, transposed and encoded on N threads; the output is
// byte-identical whatever N is, because files are sorted by path and results are
// assembled in that order. A corrupt file is reported (failed, with the reader's
// message) and never stops the run.
//
// Writes, into options.outputDir:
//   songs.txt      one encoded song per line (symbols separated by spaces), by source
//                  path; a song's augmented copies follow it
//   file_dataset   the seeds' single string: every song followed by 64 "/" symbols
//   mapping.json   the vocabulary, {"symbol": id, ...}, "/" included (seeds' format)
//   dataset.bin    the same songs as uint16 token ids (layout in DatasetBinary.h)
//   manifest.json  options, every file's outcome, summary counts (PreprocessManifest.h)
// When the folder already holds a manifest of the same options and the same files
// (path, size, mtime), nothing is recomputed (summary.upToDate); options.force rebuilds.
//
//   PreprocessOptions options{.inputs = {"corpora/essen-deutschl/erk"}, .outputDir = "data/erk"};
//   std::atomic<bool> cancel{false};
//   auto report = preprocessCorpus(options, [](size_t done, size_t total) { ... }, &cancel);
//   if (!report) { showError(report.error()); return; }
//
// Threads: call from one thread (the CLI's main thread, a studio worker); it blocks
// until done. `progress` is called on the pool's threads, one call at a time, with
// `done` increasing; it must be quick. Setting `cancel` stops the run between files
// and returns an error; the dataset folder then has no manifest, so no later run
// mistakes its contents for an up-to-date dataset.

#include "engine/core/Result.h"
#include "training/data/CorpusFiles.h"
#include "training/data/PreprocessManifest.h"
#include "training/data/PreprocessOptions.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace melodist::training {

struct PreprocessReport {
    PreprocessSummary summary;
    std::vector<CorpusFile> files;      // sorted by path
    std::vector<FileOutcome> outcomes;  // one per file, same order (songs left empty when up to date)
};

using PreprocessProgress = std::function<void(size_t done, size_t total)>;

engine::Result<PreprocessReport> preprocessCorpus(const PreprocessOptions& options,
                                                  const PreprocessProgress& progress = {},
                                                  const std::atomic<bool>* cancel = nullptr);

// Reads, filters and encodes one file (the work of one thread for one file), and fills
// its size and time from the same open file.
FileOutcome preprocessFile(CorpusFile& file, const PreprocessOptions& options);

}  // namespace melodist::training

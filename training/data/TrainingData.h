// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// TrainingData: a dataset folder made by `melodist preprocess` (dataset.bin, mapping.json,
// manifest.json) made ready for training -- the train/validation split by song and,
// per epoch, the batches of token ids. No LibTorch: the trainer turns a Batch into
// tensors. Value types and pure functions: any thread; the caller owns them. Every
// order comes from the seed alone (SplitMix64, no std:: distribution), so a run, a
// resumed run and every rank of a distributed run see the same batches.
//
// Two ways to cut songs into batches (BatchOptions::mode):
//   Windows: the seeds' stream -- each song preceded by `padding` "/" (the seeds' 64),
//     one "/" after the last -- cut into windows of sequenceLength symbols at a random
//     offset per epoch, each trained from a zero state, every position predicting the
//     next symbol. Targets "/" after an input "/" (inside the padding) teach nothing and
//     are ignored; the song's end ("/" after its last symbol) and its first symbol
//     (after the padding) are kept. Generation: --context sequenceLength, seed padded
//     with `padding` "/" -- exactly what a window's last position saw.
//   Songs: whole songs from a zero state with truncated back-propagation -- B songs of
//     similar length side by side, each "/" x padding + song, targets song + "/", cut
//     into chunks of sequenceLength; the state carries from chunk to chunk of the same
//     group and starts at zero with the next group. Generation: --context 0 (state
//     carried) from a zero state, seed padded with `padding` "/": what training saw.
//
//   Result<TrainingDataset> data = TrainingDataset::load("essen-data");
//   SongSplit split = splitBySong(*data, /*validationFraction=*/0.1, /*seed=*/1);
//   BatchPlan epoch(*data, split.train, {.mode = BatchMode::Windows}, /*epoch=*/0, /*shuffle=*/true);
//   for (size_t i = 0; i < epoch.size(); ++i) train(epoch.batch(i));

#include "engine/core/Result.h"
#include "engine/music/Vocabulary.h"
#include "training/data/DatasetBinary.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace melodist::training {

inline constexpr int64_t kIgnoreTarget = -100;  // LibTorch's cross-entropy default ignore_index

struct TrainingDataset {
    std::string dir;
    engine::Vocabulary vocabulary;
    DatasetBinary binary;
    nlohmann::json manifest;
    // Per song, its source file's index: an original and its augmented (transposed)
    // copies share one, so the split never puts a copy of a training song in validation.
    std::vector<uint32_t> songGroup;
    size_t groupCount = 0;

    // Errors name the file that is missing, damaged or inconsistent with the others.
    static engine::Result<TrainingDataset> load(const std::string& dir);
    size_t songCount() const { return binary.songCount(); }
    std::span<const uint16_t> song(size_t index) const;
    int delimiterId() const { return static_cast<int>(binary.delimiterId); }
};

struct SongSplit {
    std::vector<uint32_t> train, validation;  // song indices, ascending, disjoint
};
// Whole source files go to validation: round(fraction x files), at least one when the
// fraction is above 0 and there are two files or more, never all of them.
SongSplit splitBySong(const TrainingDataset& data, double validationFraction, uint64_t seed);

enum class BatchMode { Windows, Songs };
const char* batchModeName(BatchMode mode);

struct BatchOptions {
    BatchMode mode = BatchMode::Windows;
    int sequenceLength = 64;
    int batchSize = 64;       // rows over all ranks
    int padding = 64;         // "/" before each song (see above)
    int augmentTranspose = 0; // shift pitches by -N..N semitones per window or song (0: off)
    uint64_t seed = 0;
};

struct Batch {
    int64_t rows = 0, steps = 0;
    std::vector<int64_t> inputs;   // rows x steps, row-major
    std::vector<int64_t> targets;  // rows x steps, kIgnoreTarget where nothing is learnt
    int64_t targetCount = 0;       // targets not ignored
    bool startsSequence = true;    // Songs: false when the previous chunk's state carries over
    // Songs: each row's song (-1: none) and the position of the chunk's first step in
    // the row's "/" x padding + song sequence. Windows: each row's start in stream().
    std::vector<int64_t> rowSource;
    int64_t firstStep = 0;
};

// One epoch's batches, in order. `shuffle` (training) draws the window offset, the
// order and the transpositions from (seed, epoch); without it (validation) the order
// is fixed and nothing is transposed.
class BatchPlan {
public:
    BatchPlan(const TrainingDataset& data, std::vector<uint32_t> songs, const BatchOptions& options, uint64_t epoch,
              bool shuffle);

    size_t size() const;
    // Batch `index`; with world > 1 only the rows r with r % world == rank (every rank
    // gets the same number of batches and chunks; a rank may get no row of a last batch).
    Batch batch(size_t index, int rank = 0, int world = 1) const;
    // Batch `index` starts from a zero state (always with Windows; a new group with Songs).
    bool startsSequence(size_t index) const;
    const std::vector<uint16_t>& stream() const { return m_stream; }  // Windows only

private:
    struct Group {
        std::vector<uint32_t> songs;
        int64_t length = 0;  // longest padded sequence
        size_t firstBatch = 0;
    };
    void planWindows();
    void planSongs();
    int pickShift(std::span<const uint16_t> a, std::span<const uint16_t> b, uint64_t key) const;

    const TrainingDataset* m_data;
    std::vector<uint32_t> m_songs;
    BatchOptions m_options;
    uint64_t m_epoch;
    bool m_shuffle;
    std::vector<uint16_t> m_stream;         // Windows
    std::vector<int64_t> m_windowStarts;    // Windows, in epoch order
    std::vector<Group> m_groups;            // Songs, in epoch order
    size_t m_batchCount = 0;
    // Transposition: m_shifted[(k + N) * V + id] is id shifted by k semitones, or -1.
    std::vector<int32_t> m_shifted;
};

// Seeded mixing (SplitMix64): the same numbers on every platform.
uint64_t mixSeed(uint64_t a, uint64_t b);

}  // namespace melodist::training

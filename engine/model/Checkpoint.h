// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Checkpoint: one model in one `.melodist-model` file -- JSON metadata (architecture,
// encoding, vocabulary, default context, corpus, metrics, source) plus named float32
// tensors. Our own layout, independent of LibTorch's pickle archives, so every LibTorch
// version (and the LibTorch-free CLI) reads the same files. A value type: any thread;
// the caller owns it. Saves are atomic (writeFileAtomically).
//
// Layout (all integers little-endian; version 1):
//   0   "MLDMODEL"                      8 bytes, the magic
//   8   uint32 format version           kCheckpointFormatVersion
//   12  uint64 J                        length of the metadata
//   20  J bytes of UTF-8 JSON           the metadata object (has "format_version" too)
//       uint32 T                        tensor count, then T times:
//         uint32 n, n bytes name        "lstm.0.kernel"
//         uint32 rank, rank x uint64    the shape, row-major
//         zero bytes up to the next multiple of 64 (from the file start)
//         float32 x product(shape)      the data (mmap-able, SIMD-aligned)
//       uint32 CRC-32 (zlib's) of every byte before it
// Readers refuse a wrong magic, a version newer than theirs, a bad checksum (damage or
// truncation) and any size that runs past the end, with a message naming the file.
//
//   Checkpoint checkpoint{.metadata = {{"architecture", {{"type", "lstm"}}}}};
//   checkpoint.tensors.push_back({"dense.bias", {38}, bias});
//   Result<void> saved = saveCheckpoint(checkpoint, "model.melodist-model");
//   Result<Checkpoint> loaded = loadCheckpoint("model.melodist-model");

#include "engine/core/Result.h"
#include "engine/music/Vocabulary.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace melodist::engine {

inline constexpr std::string_view kCheckpointMagic = "MLDMODEL";
inline constexpr uint32_t kCheckpointFormatVersion = 1;
inline constexpr std::string_view kCheckpointExtension = ".melodist-model";

struct CheckpointTensor {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<float> values;  // row-major, product(shape) floats
};

struct Checkpoint {
    nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
    std::vector<CheckpointTensor> tensors;

    const CheckpointTensor* tensor(std::string_view name) const;  // nullptr when absent
};

// The file's bytes. Tensors whose values do not match their shape are a programming error.
std::string encodeCheckpoint(const Checkpoint& checkpoint);
// Parses bytes; `sourceName` (the file) starts every error message.
Result<Checkpoint> decodeCheckpoint(std::string_view bytes, const std::string& sourceName);

// The metadata's "vocabulary" (symbols in id order); errors say the file is damaged.
Result<Vocabulary> checkpointVocabulary(const Checkpoint& checkpoint, const std::string& sourceName);

Result<void> saveCheckpoint(const Checkpoint& checkpoint, const std::string& path);
Result<Checkpoint> loadCheckpoint(const std::string& path);

}  // namespace melodist::engine

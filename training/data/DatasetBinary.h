// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// DatasetBinary: the compact dataset `melodist preprocess` writes as dataset.bin, for
// the training pipeline to mmap or read in one go (no text parsing at start-up).
// Plain value type; any thread. The vocabulary's symbols are in mapping.json beside it.
//
// Layout, all integers little-endian, every array aligned to its element size:
//   offset  size            field
//   0       8               magic "MLDSET\0\0"
//   8       4   uint32      version (kDatasetBinaryVersion)
//   12      4   uint32      vocabularySize (token ids are < vocabularySize)
//   16      4   uint32      delimiterId: the id of "/", which the seeds put 64 times
//                           between songs; songs here are stored WITHOUT delimiters
//   20      4   uint32      reserved, 0
//   24      8   uint64      songCount
//   32      8   uint64      tokenCount
//   40      8 * (songCount + 1)  uint64 offsets: song i is tokens[offsets[i], offsets[i+1]);
//                           offsets[0] == 0, offsets[songCount] == tokenCount
//   ...     2 * tokenCount  uint16 tokens
// Total size: 40 + 8 * (songCount + 1) + 2 * tokenCount bytes, exactly.

#include "engine/core/Result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace melodist::training {

inline constexpr char kDatasetBinaryMagic[8] = {'M', 'L', 'D', 'S', 'E', 'T', '\0', '\0'};
inline constexpr uint32_t kDatasetBinaryVersion = 1;
inline constexpr size_t kDatasetBinaryHeaderBytes = 40;

struct DatasetBinary {
    uint32_t vocabularySize = 0;
    uint32_t delimiterId = 0;
    std::vector<uint64_t> offsets{0};  // songCount + 1 entries
    std::vector<uint16_t> tokens;

    size_t songCount() const { return offsets.size() - 1; }
    void appendSong(const std::vector<uint16_t>& songTokens);

    std::string toBytes() const;
    // `sourceName` names the file in errors (a wrong magic, a truncated file, an id out of range).
    static engine::Result<DatasetBinary> fromBytes(std::string_view bytes, const std::string& sourceName);
};

}  // namespace melodist::training

// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/DatasetBinary.h"

#include <bit>
#include <cstring>

namespace melodist::training {
namespace {

static_assert(std::endian::native == std::endian::little,
              "dataset.bin is little-endian; add byte swapping for this platform");

template <class T>
void put(std::string& out, size_t offset, T value) {
    std::memcpy(out.data() + offset, &value, sizeof value);
}

template <class T>
T get(std::string_view bytes, size_t offset) {
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof value);
    return value;
}

}  // namespace

void DatasetBinary::appendSong(const std::vector<uint16_t>& songTokens) {
    tokens.insert(tokens.end(), songTokens.begin(), songTokens.end());
    offsets.push_back(tokens.size());
}

std::string DatasetBinary::toBytes() const {
    const uint64_t songs = songCount();
    const size_t offsetsBytes = offsets.size() * sizeof(uint64_t);
    std::string out(kDatasetBinaryHeaderBytes + offsetsBytes + tokens.size() * sizeof(uint16_t), '\0');
    std::memcpy(out.data(), kDatasetBinaryMagic, sizeof kDatasetBinaryMagic);
    put<uint32_t>(out, 8, kDatasetBinaryVersion);
    put<uint32_t>(out, 12, vocabularySize);
    put<uint32_t>(out, 16, delimiterId);
    put<uint32_t>(out, 20, 0);
    put<uint64_t>(out, 24, songs);
    put<uint64_t>(out, 32, static_cast<uint64_t>(tokens.size()));
    std::memcpy(out.data() + kDatasetBinaryHeaderBytes, offsets.data(), offsetsBytes);
    if (!tokens.empty())
        std::memcpy(out.data() + kDatasetBinaryHeaderBytes + offsetsBytes, tokens.data(),
                    tokens.size() * sizeof(uint16_t));
    return out;
}

engine::Result<DatasetBinary> DatasetBinary::fromBytes(std::string_view bytes, const std::string& sourceName) {
    const std::string rerun = "; run 'melodist preprocess' again to rebuild it";
    if (bytes.size() < kDatasetBinaryHeaderBytes || std::memcmp(bytes.data(), kDatasetBinaryMagic, 8) != 0)
        return engine::makeError(sourceName + ": not a Melodist dataset (no MLDSET header)" + rerun);
    const uint32_t version = get<uint32_t>(bytes, 8);
    if (version != kDatasetBinaryVersion)
        return engine::makeError(sourceName + ": dataset version " + std::to_string(version) +
                                 ", this Melodist reads " + std::to_string(kDatasetBinaryVersion) + rerun);
    DatasetBinary dataset;
    dataset.vocabularySize = get<uint32_t>(bytes, 12);
    dataset.delimiterId = get<uint32_t>(bytes, 16);
    const uint64_t songs = get<uint64_t>(bytes, 24);
    const uint64_t tokenCount = get<uint64_t>(bytes, 32);
    // Checked in this order so the products below cannot overflow.
    const uint64_t available = bytes.size() - kDatasetBinaryHeaderBytes;
    if (songs >= available / 8 || tokenCount > available / 2 || (songs + 1) * 8 + tokenCount * 2 != available)
        return engine::makeError(sourceName + ": size " + std::to_string(bytes.size()) + " bytes does not match " +
                                 std::to_string(songs) + " songs and " + std::to_string(tokenCount) +
                                 " tokens (truncated?)" + rerun);
    dataset.offsets.resize(songs + 1);
    std::memcpy(dataset.offsets.data(), bytes.data() + kDatasetBinaryHeaderBytes, (songs + 1) * 8);
    dataset.tokens.resize(tokenCount);
    if (tokenCount > 0)
        std::memcpy(dataset.tokens.data(), bytes.data() + kDatasetBinaryHeaderBytes + (songs + 1) * 8, tokenCount * 2);
    if (dataset.offsets.front() != 0 || dataset.offsets.back() != tokenCount)
        return engine::makeError(sourceName + ": song offsets do not cover the tokens" + rerun);
    for (size_t i = 1; i < dataset.offsets.size(); ++i)
        if (dataset.offsets[i] < dataset.offsets[i - 1])
            return engine::makeError(sourceName + ": song " + std::to_string(i - 1) + " has a negative length" + rerun);
    for (size_t i = 0; i < dataset.tokens.size(); ++i)
        if (dataset.tokens[i] >= dataset.vocabularySize)
            return engine::makeError(sourceName + ": token " + std::to_string(i) + " has id " +
                                     std::to_string(dataset.tokens[i]) + ", outside the vocabulary of " +
                                     std::to_string(dataset.vocabularySize) + rerun);
    return dataset;
}

}  // namespace melodist::training

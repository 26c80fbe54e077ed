// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/Checkpoint.h"

#include "engine/core/Assert.h"
#include "engine/core/Checksum.h"
#include "engine/core/FileIO.h"

#include <bit>
#include <cstring>
#include <limits>

namespace melodist::engine {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the checkpoint reader and writer copy little-endian data as is; add byte swapping for this CPU");

constexpr size_t kTensorAlignment = 64;
constexpr uint32_t kMaxRank = 8;
constexpr uint32_t kMaxNameLength = 4096;

template <class T>
void append(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

// Reads forward through the bytes; every read checks that the data is there.
class Cursor {
public:
    explicit Cursor(std::string_view bytes) : m_bytes(bytes) {}
    size_t offset() const { return m_offset; }
    size_t remaining() const { return m_bytes.size() - m_offset; }
    template <class T>
    bool read(T& value) {
        if (remaining() < sizeof(T)) return false;
        std::memcpy(&value, m_bytes.data() + m_offset, sizeof(T));
        m_offset += sizeof(T);
        return true;
    }
    bool take(size_t count, std::string_view& out) {
        if (remaining() < count) return false;
        out = m_bytes.substr(m_offset, count);
        m_offset += count;
        return true;
    }

private:
    std::string_view m_bytes;
    size_t m_offset = 0;
};

std::string damaged(const std::string& source, const std::string& what) {
    return source + ": the model file is damaged (" + what +
           "); copy it again or re-create it (melodist import-keras, or a new training run)";
}

}  // namespace

const CheckpointTensor* Checkpoint::tensor(std::string_view name) const {
    for (const CheckpointTensor& t : tensors)
        if (t.name == name) return &t;
    return nullptr;
}

std::string encodeCheckpoint(const Checkpoint& checkpoint) {
    nlohmann::ordered_json metadata = checkpoint.metadata;
    metadata["format_version"] = kCheckpointFormatVersion;
    const std::string json = metadata.dump(1);
    std::string out(kCheckpointMagic);
    append<uint32_t>(out, kCheckpointFormatVersion);
    append<uint64_t>(out, json.size());
    out += json;
    append<uint32_t>(out, static_cast<uint32_t>(checkpoint.tensors.size()));
    for (const CheckpointTensor& tensor : checkpoint.tensors) {
        size_t count = 1;
        for (const int64_t d : tensor.shape) count *= static_cast<size_t>(d);
        MELODIST_ASSERT(count == tensor.values.size() && tensor.shape.size() <= kMaxRank) { continue; }
        append<uint32_t>(out, static_cast<uint32_t>(tensor.name.size()));
        out += tensor.name;
        append<uint32_t>(out, static_cast<uint32_t>(tensor.shape.size()));
        for (const int64_t d : tensor.shape) append<uint64_t>(out, static_cast<uint64_t>(d));
        out.append((kTensorAlignment - out.size() % kTensorAlignment) % kTensorAlignment, '\0');
        out.append(reinterpret_cast<const char*>(tensor.values.data()), tensor.values.size() * sizeof(float));
    }
    append<uint32_t>(out, crc32(out));
    return out;
}

Result<Checkpoint> decodeCheckpoint(std::string_view bytes, const std::string& sourceName) {
    if (bytes.substr(0, kCheckpointMagic.size()) != kCheckpointMagic.substr(0, bytes.size()) || bytes.empty())
        return makeError(sourceName + ": not a Melodist model (no " + std::string(kCheckpointMagic) +
                         " header); give a .melodist-model file, or convert a Keras model with melodist import-keras");
    Cursor cursor(bytes);
    std::string_view magic;
    uint32_t version = 0;
    uint64_t jsonLength = 0;
    if (!cursor.take(kCheckpointMagic.size(), magic) || !cursor.read(version) || !cursor.read(jsonLength))
        return makeError(damaged(sourceName, "truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the header"));
    if (version > kCheckpointFormatVersion)
        return makeError(sourceName + ": written by a newer Melodist (model format version " + std::to_string(version) +
                         ", this one reads up to " + std::to_string(kCheckpointFormatVersion) + "); update Melodist");
    if (version == 0) return makeError(damaged(sourceName, "format version 0"));
    if (bytes.size() < 4 + cursor.offset()) return makeError(damaged(sourceName, "truncated after the header"));
    uint32_t storedCrc = 0;
    std::memcpy(&storedCrc, bytes.data() + bytes.size() - 4, 4);
    const std::string_view body = bytes.substr(0, bytes.size() - 4);
    if (crc32(body) != storedCrc) return makeError(damaged(sourceName, "checksum mismatch: truncated or corrupt"));
    cursor = Cursor(body);
    (void)cursor.take(20, magic);

    Checkpoint checkpoint;
    std::string_view json;
    if (jsonLength > cursor.remaining() || !cursor.take(static_cast<size_t>(jsonLength), json))
        return makeError(damaged(sourceName, "metadata length runs past the end"));
    try {
        checkpoint.metadata = nlohmann::ordered_json::parse(json);
    } catch (const nlohmann::json::exception& e) {
        return makeError(damaged(sourceName, std::string("metadata is not JSON: ") + e.what()));
    }
    if (!checkpoint.metadata.is_object()) return makeError(damaged(sourceName, "metadata is not a JSON object"));
    uint32_t tensorCount = 0;
    if (!cursor.read(tensorCount)) return makeError(damaged(sourceName, "no tensor count"));
    for (uint32_t t = 0; t < tensorCount; ++t) {
        const std::string where = "tensor " + std::to_string(t + 1) + " of " + std::to_string(tensorCount);
        CheckpointTensor tensor;
        uint32_t nameLength = 0, rank = 0;
        std::string_view name;
        if (!cursor.read(nameLength) || nameLength > kMaxNameLength || !cursor.take(nameLength, name))
            return makeError(damaged(sourceName, where + ": bad name"));
        tensor.name = std::string(name);
        if (!cursor.read(rank) || rank > kMaxRank) return makeError(damaged(sourceName, where + ": bad rank"));
        uint64_t count = 1;
        for (uint32_t r = 0; r < rank; ++r) {
            uint64_t d = 0;
            if (!cursor.read(d) || (d != 0 && count > std::numeric_limits<uint32_t>::max() / d))
                return makeError(damaged(sourceName, where + " '" + tensor.name + "': bad shape"));
            count *= d;
            tensor.shape.push_back(static_cast<int64_t>(d));
        }
        std::string_view padding, data;
        if (!cursor.take((kTensorAlignment - cursor.offset() % kTensorAlignment) % kTensorAlignment, padding) ||
            count * sizeof(float) > cursor.remaining() || !cursor.take(static_cast<size_t>(count) * sizeof(float), data))
            return makeError(damaged(sourceName, where + " '" + tensor.name + "': data runs past the end"));
        tensor.values.resize(static_cast<size_t>(count));
        std::memcpy(tensor.values.data(), data.data(), data.size());
        checkpoint.tensors.push_back(std::move(tensor));
    }
    if (cursor.remaining() != 0)
        return makeError(damaged(sourceName, std::to_string(cursor.remaining()) + " unexpected bytes after the tensors"));
    return checkpoint;
}

Result<void> saveCheckpoint(const Checkpoint& checkpoint, const std::string& path) {
    return writeFileAtomically(path, encodeCheckpoint(checkpoint));
}

Result<Checkpoint> loadCheckpoint(const std::string& path) {
    Result<std::string> bytes = readFileBytes(path);
    if (!bytes) return makeError(bytes.error());
    return decodeCheckpoint(*bytes, path);
}

Result<Vocabulary> checkpointVocabulary(const Checkpoint& checkpoint, const std::string& sourceName) {
    std::vector<std::string> symbols;
    try {
        symbols = checkpoint.metadata.at("vocabulary").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception&) {
        return makeError(sourceName + ": metadata 'vocabulary' is not a list of symbols; the file is damaged");
    }
    nlohmann::ordered_json mapping = nlohmann::ordered_json::object();
    for (size_t id = 0; id < symbols.size(); ++id) mapping[symbols[id]] = id;
    Result<Vocabulary> vocabulary = Vocabulary::fromJson(mapping.dump(), sourceName + " (vocabulary)");
    if (!vocabulary) return makeError(vocabulary.error());
    if (vocabulary->size() != symbols.size())
        return makeError(sourceName + ": metadata 'vocabulary' lists a symbol twice; the file is damaged");
    return vocabulary;
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/TrainingData.h"

#include "engine/core/FileIO.h"
#include "engine/music/StepEncoding.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <optional>

namespace melodist::training {
namespace {

using engine::makeError;
using engine::Result;

// Fisher-Yates with SplitMix64 draws (the modulo's bias is below 2^-40 for our sizes).
template <class T>
void shuffleWith(std::vector<T>& items, uint64_t seed) {
    uint64_t state = seed;
    for (size_t i = items.size(); i > 1; --i) {
        state = mixSeed(state, i);
        std::swap(items[i - 1], items[state % i]);
    }
}

// The symbol shifted by `semitones`: MIDI numbers ("60") and chord tokens
// ("60+64+67:1/2", "64:1") move, everything else ("_", "r", "/", "R:1") stays.
std::optional<std::string> shiftedSymbol(const std::string& symbol, int semitones) {
    const size_t colon = symbol.find(':');
    const std::string_view pitches = std::string_view(symbol).substr(0, colon);
    if (pitches.empty() || pitches.front() < '0' || pitches.front() > '9') return symbol;
    std::string out;
    size_t start = 0;
    while (start <= pitches.size()) {
        const size_t plus = std::min(pitches.find('+', start), pitches.size());
        int pitch = -1;
        const auto [end, error] = std::from_chars(pitches.data() + start, pitches.data() + plus, pitch);
        if (error != std::errc() || end != pitches.data() + plus) return symbol;  // not a pitch list
        pitch += semitones;
        if (pitch < 0 || pitch > 127) return std::nullopt;
        out += (out.empty() ? "" : "+") + std::to_string(pitch);
        start = plus + 1;
    }
    if (colon != std::string::npos) out += symbol.substr(colon);
    return out;
}

Result<nlohmann::json> readJson(const std::string& path) {
    Result<std::string> bytes = engine::readFileBytes(path);
    if (!bytes) return makeError(bytes.error() + "; is this a dataset folder made by 'melodist preprocess'?");
    nlohmann::json json = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object())
        return makeError(path + ": not a JSON object; the dataset is damaged, run 'melodist preprocess --force'");
    return json;
}

}  // namespace

uint64_t mixSeed(uint64_t a, uint64_t b) {
    uint64_t z = a + 0x9E3779B97F4A7C15ull * (b + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

const char* batchModeName(BatchMode mode) { return mode == BatchMode::Songs ? "songs" : "windows"; }

Result<TrainingDataset> TrainingDataset::load(const std::string& dir) {
    TrainingDataset data;
    data.dir = dir;
    Result<nlohmann::json> manifest = readJson(dir + "/manifest.json");
    if (!manifest) return makeError(manifest.error());
    data.manifest = std::move(*manifest);
    Result<engine::Vocabulary> vocabulary = engine::Vocabulary::load(dir + "/mapping.json");
    if (!vocabulary) return makeError(vocabulary.error());
    data.vocabulary = std::move(*vocabulary);
    const std::string binaryPath = dir + "/dataset.bin";
    Result<std::string> bytes = engine::readFileBytes(binaryPath);
    if (!bytes) return makeError(bytes.error() + "; run 'melodist preprocess' to make it");
    Result<DatasetBinary> binary = DatasetBinary::fromBytes(*bytes, binaryPath);
    if (!binary) return makeError(binary.error());
    data.binary = std::move(*binary);

    const auto delimiter = data.vocabulary.idOf(engine::kSongDelimiterSymbol);
    if (data.binary.vocabularySize != data.vocabulary.size() || !delimiter ||
        static_cast<uint32_t>(*delimiter) != data.binary.delimiterId)
        return makeError(binaryPath + " does not match " + dir + "/mapping.json (vocabulary size or the id of '/'); " +
                         "run 'melodist preprocess --force' on the corpus");
    if (data.songCount() == 0) return makeError(binaryPath + " holds no song; preprocess a corpus with songs in it");

    // Songs are stored file by file: the manifest's kept files, each with its song count.
    const auto files = data.manifest.find("files");
    if (files == data.manifest.end() || !files->is_array())
        return makeError(dir + "/manifest.json has no 'files' list; run 'melodist preprocess --force'");
    for (const nlohmann::json& file : *files) {
        if (!file.is_object() || file.value("status", "") != "kept") continue;
        const size_t songs = file.value("songs", size_t{0});
        for (size_t i = 0; i < songs; ++i) data.songGroup.push_back(static_cast<uint32_t>(data.groupCount));
        ++data.groupCount;
    }
    if (data.songGroup.size() != data.songCount())
        return makeError(dir + "/manifest.json lists " + std::to_string(data.songGroup.size()) + " songs but " +
                         binaryPath + " holds " + std::to_string(data.songCount()) +
                         "; run 'melodist preprocess --force'");
    return data;
}

std::span<const uint16_t> TrainingDataset::song(size_t index) const {
    return std::span<const uint16_t>(binary.tokens).subspan(binary.offsets[index],
                                                            binary.offsets[index + 1] - binary.offsets[index]);
}

SongSplit splitBySong(const TrainingDataset& data, double validationFraction, uint64_t seed) {
    const size_t groups = data.groupCount;
    std::vector<uint32_t> order(groups);
    std::iota(order.begin(), order.end(), 0u);
    shuffleWith(order, mixSeed(seed, 0x5EED5117));
    size_t validationGroups = static_cast<size_t>(std::llround(validationFraction * static_cast<double>(groups)));
    if (validationFraction > 0 && groups >= 2) validationGroups = std::clamp<size_t>(validationGroups, 1, groups - 1);
    if (groups < 2) validationGroups = 0;
    std::vector<bool> isValidation(groups, false);
    for (size_t i = 0; i < validationGroups; ++i) isValidation[order[i]] = true;
    SongSplit split;
    for (size_t song = 0; song < data.songCount(); ++song)
        (isValidation[data.songGroup[song]] ? split.validation : split.train).push_back(static_cast<uint32_t>(song));
    return split;
}

BatchPlan::BatchPlan(const TrainingDataset& data, std::vector<uint32_t> songs, const BatchOptions& options,
                     uint64_t epoch, bool shuffle)
    : m_data(&data), m_songs(std::move(songs)), m_options(options), m_epoch(epoch), m_shuffle(shuffle) {
    m_options.sequenceLength = std::max(1, m_options.sequenceLength);
    m_options.batchSize = std::max(1, m_options.batchSize);
    m_options.padding = std::max(1, m_options.padding);  // at least the "/" that ends a song
    const int shifts = m_shuffle ? std::max(0, m_options.augmentTranspose) : 0;
    m_options.augmentTranspose = shifts;
    if (shifts > 0) {
        const auto& symbols = data.vocabulary.symbols();
        const size_t v = symbols.size();
        m_shifted.assign((2 * static_cast<size_t>(shifts) + 1) * v, -1);
        for (int k = -shifts; k <= shifts; ++k)
            for (size_t id = 0; id < v; ++id)
                if (const auto shifted = shiftedSymbol(symbols[id], k))
                    if (const auto shiftedId = data.vocabulary.idOf(*shifted))
                        m_shifted[static_cast<size_t>(k + shifts) * v + id] = *shiftedId;
    }
    if (m_options.mode == BatchMode::Windows)
        planWindows();
    else
        planSongs();
}

size_t BatchPlan::size() const { return m_batchCount; }

bool BatchPlan::startsSequence(size_t index) const {
    if (m_options.mode == BatchMode::Windows) return true;
    const auto group = std::upper_bound(m_groups.begin(), m_groups.end(), index,
                                        [](size_t i, const Group& g) { return i < g.firstBatch; });
    return std::prev(group)->firstBatch == index;
}

// A shift every symbol of `a` and `b` survives, drawn from `key`; 0 when off.
int BatchPlan::pickShift(std::span<const uint16_t> a, std::span<const uint16_t> b, uint64_t key) const {
    const int n = m_options.augmentTranspose;
    if (n == 0) return 0;
    const size_t v = m_data->vocabulary.size();
    std::vector<int> valid;
    for (int k = -n; k <= n; ++k) {
        const int32_t* table = m_shifted.data() + static_cast<size_t>(k + n) * v;
        const auto ok = [&](uint16_t id) { return table[id] >= 0; };
        if (std::all_of(a.begin(), a.end(), ok) && std::all_of(b.begin(), b.end(), ok)) valid.push_back(k);
    }
    return valid.empty() ? 0 : valid[mixSeed(key, 7) % valid.size()];
}

void BatchPlan::planWindows() {
    const uint16_t delimiter = static_cast<uint16_t>(m_data->delimiterId());
    for (uint32_t song : m_songs) {
        m_stream.insert(m_stream.end(), static_cast<size_t>(m_options.padding), delimiter);
        const auto tokens = m_data->song(song);
        m_stream.insert(m_stream.end(), tokens.begin(), tokens.end());
    }
    m_stream.push_back(delimiter);
    const int64_t length = static_cast<int64_t>(m_stream.size());
    const int64_t steps = m_options.sequenceLength;
    const int64_t offset = m_shuffle ? static_cast<int64_t>(mixSeed(m_options.seed, m_epoch * 2 + 1) % steps) : 0;
    for (int64_t start = offset; start + 1 < length; start += steps) {
        bool learns = false;  // a window inside the padding only teaches "/" after "/"
        for (int64_t j = start + 1; j <= std::min(start + steps, length - 1) && !learns; ++j)
            learns = m_stream[j] != delimiter || m_stream[j - 1] != delimiter;
        if (learns) m_windowStarts.push_back(start);
    }
    if (m_shuffle) shuffleWith(m_windowStarts, mixSeed(m_options.seed, m_epoch * 2 + 2));
    m_batchCount = (m_windowStarts.size() + m_options.batchSize - 1) / m_options.batchSize;
}

void BatchPlan::planSongs() {
    std::vector<uint32_t> order = m_songs;
    if (m_shuffle) shuffleWith(order, mixSeed(m_options.seed, m_epoch * 2 + 1));
    const auto paddedLength = [&](uint32_t song) {
        return static_cast<int64_t>(m_data->song(song).size()) + m_options.padding;
    };
    // Songs of similar length side by side (little padding), from buckets of 16 batches.
    const size_t rows = static_cast<size_t>(m_options.batchSize);
    const size_t bucket = rows * 16;
    for (size_t begin = 0; begin < order.size(); begin += bucket) {
        const auto first = order.begin() + static_cast<std::ptrdiff_t>(begin);
        const auto last = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), begin + bucket));
        std::stable_sort(first, last, [&](uint32_t a, uint32_t b) { return paddedLength(a) > paddedLength(b); });
        for (auto it = first; it < last; it += static_cast<std::ptrdiff_t>(std::min<size_t>(rows, last - it))) {
            Group group;
            group.songs.assign(it, it + static_cast<std::ptrdiff_t>(std::min<size_t>(rows, last - it)));
            group.length = paddedLength(group.songs.front());
            m_groups.push_back(std::move(group));
        }
    }
    if (m_shuffle) shuffleWith(m_groups, mixSeed(m_options.seed, m_epoch * 2 + 2));
    for (Group& group : m_groups) {
        group.firstBatch = m_batchCount;
        m_batchCount += static_cast<size_t>((group.length + m_options.sequenceLength - 1) / m_options.sequenceLength);
    }
}

Batch BatchPlan::batch(size_t index, int rank, int world) const {
    Batch batch;
    const uint16_t delimiter = static_cast<uint16_t>(m_data->delimiterId());
    const size_t v = m_data->vocabulary.size();
    const int n = m_options.augmentTranspose;
    const auto shift = [&](uint16_t id, int k) -> int64_t {
        return k == 0 ? id : m_shifted[static_cast<size_t>(k + n) * v + id];
    };
    // The row's sequence is `at(j)`, j from 0; its targets are at(j + 1); `end` is one past its last input.
    const auto addRow = [&](auto&& at, int64_t first, int64_t end, int k, int64_t source) {
        for (int64_t t = 0; t < batch.steps; ++t) {
            const int64_t j = first + t;
            const bool inside = j < end;
            const uint16_t input = inside ? at(j) : delimiter, target = inside ? at(j + 1) : delimiter;
            const bool learns = inside && (target != delimiter || input != delimiter);
            batch.inputs.push_back(shift(input, k));
            batch.targets.push_back(learns ? shift(target, k) : kIgnoreTarget);
            batch.targetCount += learns ? 1 : 0;
        }
        batch.rowSource.push_back(source);
        ++batch.rows;
    };

    if (m_options.mode == BatchMode::Windows) {
        const size_t begin = index * static_cast<size_t>(m_options.batchSize);
        const size_t end = std::min(m_windowStarts.size(), begin + static_cast<size_t>(m_options.batchSize));
        batch.steps = m_options.sequenceLength;
        const int64_t length = static_cast<int64_t>(m_stream.size());
        for (size_t w = begin + static_cast<size_t>(rank); w < end; w += static_cast<size_t>(world)) {
            const int64_t start = m_windowStarts[w];
            const int64_t stop = std::min(start + batch.steps, length - 1);
            const std::span<const uint16_t> window(m_stream.data() + start, static_cast<size_t>(stop + 1 - start));
            const int k = pickShift(window, {}, mixSeed(m_options.seed ^ m_epoch, static_cast<uint64_t>(start)));
            addRow([&](int64_t j) { return m_stream[static_cast<size_t>(j)]; }, start, stop, k, start);
        }
        return batch;
    }

    const auto group = std::prev(std::upper_bound(m_groups.begin(), m_groups.end(), index,
                                                  [](size_t i, const Group& g) { return i < g.firstBatch; }));
    batch.firstStep = static_cast<int64_t>(index - group->firstBatch) * m_options.sequenceLength;
    batch.steps = std::min<int64_t>(m_options.sequenceLength, group->length - batch.firstStep);
    batch.startsSequence = batch.firstStep == 0;
    const int64_t padding = m_options.padding;
    for (size_t r = static_cast<size_t>(rank); r < group->songs.size(); r += static_cast<size_t>(world)) {
        const uint32_t song = group->songs[r];
        const auto tokens = m_data->song(song);
        const int64_t songLength = static_cast<int64_t>(tokens.size());
        const auto at = [&](int64_t j) { return j < padding || j - padding >= songLength ? delimiter : tokens[j - padding]; };
        const int k = pickShift(tokens, {}, mixSeed(m_options.seed ^ m_epoch, song));
        addRow(at, batch.firstStep, padding + songLength, k, song);
    }
    return batch;
}

}  // namespace melodist::training

// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/DatasetWriter.h"
#include "training/data/SymbolLine.h"

#include "engine/core/FileIO.h"
#include "engine/music/StepEncoding.h"
#include "engine/music/Vocabulary.h"
#include "training/data/DatasetBinary.h"

#include <filesystem>
#include <limits>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace melodist::training {
namespace {

// Symbol -> id while the vocabulary grows. Nearly every symbol of the step encoding
// has one or two bytes ("_", "r", "67"): those go through a flat table, the rest
// (chord tokens) through a hash map -- this lookup runs once per symbol of the corpus.
class SymbolTable {
public:
    SymbolTable() : m_short(65536 + 256, kNone) {}

    uint32_t idOf(std::string_view symbol) {
        if (symbol.size() <= 2) {
            uint32_t& slot = m_short[shortIndex(symbol)];
            if (slot == kNone) slot = add(symbol);
            return slot;
        }
        const auto [it, inserted] = m_long.try_emplace(symbol, 0);
        if (inserted) it->second = add(symbol);
        return it->second;
    }
    const std::vector<std::string>& symbols() const { return m_symbols; }

private:
    static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
    static size_t shortIndex(std::string_view symbol) {
        const auto first = static_cast<unsigned char>(symbol[0]);
        return symbol.size() == 1 ? 65536 + first : (size_t{first} << 8 | static_cast<unsigned char>(symbol[1]));
    }
    uint32_t add(std::string_view symbol) {
        m_symbols.emplace_back(symbol);
        return static_cast<uint32_t>(m_symbols.size() - 1);
    }

    std::vector<uint32_t> m_short;
    std::unordered_map<std::string_view, uint32_t> m_long;  // views into the songs, which outlive the table
    std::vector<std::string> m_symbols;                     // index = provisional id, in order of appearance
};

}  // namespace

engine::Result<DatasetFiles> buildDatasetFiles(const PreprocessOptions& options,
                                               const std::vector<FileOutcome>& outcomes) {
    const std::string delimiter(engine::kSongDelimiterSymbol);
    std::string delimiterRun;
    for (int i = 0; i < options.delimiterLength; ++i) delimiterRun += i == 0 ? delimiter : " " + delimiter;

    size_t songCount = 0, textBytes = 0;
    for (const FileOutcome& outcome : outcomes)
        for (const std::string& song : outcome.songs) {
            ++songCount;
            textBytes += song.size() + 1;
        }
    std::string songsText;
    songsText.reserve(textBytes);
    std::string fileDataset;
    fileDataset.reserve(textBytes + songCount * (delimiterRun.size() + 2));
    // Tokens get provisional ids (order of appearance) in one pass; the vocabulary's
    // deterministic ids replace them once every symbol has been seen.
    SymbolTable table;
    table.idOf(delimiter);
    std::vector<uint32_t> provisional;
    std::vector<uint64_t> offsets{0};
    offsets.reserve(songCount + 1);
    for (const FileOutcome& outcome : outcomes)
        for (const std::string& song : outcome.songs) {
            songsText += song;
            songsText += '\n';
            // The seeds: songs += song + " " + "/ " * 64, then the last space cut.
            if (!fileDataset.empty()) fileDataset += ' ';
            fileDataset += song;
            if (!delimiterRun.empty()) {
                fileDataset += ' ';
                fileDataset += delimiterRun;
            }
            forEachSymbol(song, [&](std::string_view symbol) { provisional.push_back(table.idOf(symbol)); });
            offsets.push_back(provisional.size());
        }

    const engine::Vocabulary vocabulary = engine::Vocabulary::fromSymbols(table.symbols());
    if (vocabulary.size() > std::numeric_limits<uint16_t>::max())
        return engine::makeError("the dataset has " + std::to_string(vocabulary.size()) +
                                 " distinct symbols, more than dataset.bin's 16-bit ids hold; "
                                 "use a coarser --time-step or fewer files");
    std::vector<uint16_t> finalId(table.symbols().size());
    for (size_t i = 0; i < table.symbols().size(); ++i)
        finalId[i] = static_cast<uint16_t>(*vocabulary.idOf(table.symbols()[i]));

    DatasetBinary binary;
    binary.vocabularySize = static_cast<uint32_t>(vocabulary.size());
    binary.delimiterId = finalId[0];
    binary.offsets = std::move(offsets);
    binary.tokens.resize(provisional.size());
    for (size_t i = 0; i < provisional.size(); ++i) binary.tokens[i] = finalId[provisional[i]];

    DatasetFiles out;
    out.vocabularySize = vocabulary.size();
    out.files.emplace_back("songs.txt", std::move(songsText));
    out.files.emplace_back("file_dataset", std::move(fileDataset));
    out.files.emplace_back("mapping.json", vocabulary.toJson());
    out.files.emplace_back("dataset.bin", binary.toBytes());
    return out;
}

engine::Result<void> writeFilesTogether(const std::string& dir,
                                        const std::vector<std::pair<std::string, std::string>>& files) {
    std::vector<std::optional<engine::Result<void>>> results(files.size());
    {
        std::vector<std::jthread> writers;
        for (size_t i = 0; i < files.size(); ++i)
            writers.emplace_back([&, i] {
                results[i] = engine::writeFileAtomically((std::filesystem::path(dir) / files[i].first).string(),
                                                         files[i].second);
            });
    }  // the jthreads join here
    for (const auto& result : results)
        if (!result || !*result) return engine::makeError(result ? result->error() : "cannot write into " + dir);
    return {};
}

}  // namespace melodist::training

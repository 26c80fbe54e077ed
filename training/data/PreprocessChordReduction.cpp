// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/PreprocessChordReduction.h"
#include "training/data/SymbolLine.h"

#include "engine/music/ChordVocabulary.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace melodist::training {
namespace {

// Share of the note and chord tokens (rests left out) that are chords, weighted by count.
double polyphonicShare(const std::vector<std::pair<std::string, uint64_t>>& counts,
                       const std::map<std::string, std::string>& replacements) {
    uint64_t sounds = 0, chords = 0;
    for (const auto& [text, count] : counts) {
        const auto replaced = replacements.find(text);
        const engine::Result<engine::ChordToken> token =
            engine::parseChordToken(replaced == replacements.end() ? text : replaced->second);
        if (!token || token->isRest()) continue;
        sounds += count;
        chords += token->isChord() ? count : 0;
    }
    return sounds > 0 ? static_cast<double>(chords) / static_cast<double>(sounds) : 0.0;
}

}  // namespace

engine::Result<nlohmann::json> reduceChordSongs(std::vector<FileOutcome>& outcomes, uint64_t minCount) {
    std::unordered_map<std::string_view, uint64_t> tally;  // views into the songs, unchanged until the rewrite
    for (const FileOutcome& outcome : outcomes)
        for (const std::string& song : outcome.songs) forEachSymbol(song, [&](std::string_view symbol) { ++tally[symbol]; });
    std::vector<std::pair<std::string, uint64_t>> counts;
    counts.reserve(tally.size());
    for (const auto& [symbol, count] : tally) counts.emplace_back(symbol, count);
    std::sort(counts.begin(), counts.end());  // a fixed order for everything below

    engine::Result<engine::ChordVocabularyReduction> reduction = engine::reduceChordVocabulary(counts, minCount);
    if (!reduction) return engine::makeError("--min-count " + std::to_string(minCount) + ": " + reduction.error());
    const std::map<std::string, std::string>& replacements = reduction->replacements;

    if (!replacements.empty())
        for (FileOutcome& outcome : outcomes)
            for (std::string& song : outcome.songs) {
                std::string rewritten;
                rewritten.reserve(song.size());
                forEachSymbol(song, [&](std::string_view symbol) {
                    if (!rewritten.empty()) rewritten += ' ';
                    const auto replaced = replacements.find(std::string(symbol));
                    rewritten += replaced == replacements.end() ? symbol : std::string_view(replaced->second);
                });
                song = std::move(rewritten);
            }

    std::vector<std::pair<uint64_t, const std::pair<std::string, uint64_t>*>> replacedByCount;
    for (const auto& entry : counts)
        if (replacements.count(entry.first)) replacedByCount.emplace_back(entry.second, &entry);
    std::stable_sort(replacedByCount.begin(), replacedByCount.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    nlohmann::json examples = nlohmann::json::array();
    for (size_t i = 0; i < replacedByCount.size() && i < 20; ++i) {
        const auto& [count, entry] = replacedByCount[i];
        examples.push_back({{"token", entry->first}, {"replaced_by", replacements.at(entry->first)}, {"count", count}});
    }
    const auto share = [&](uint64_t part) {
        return reduction->occurrences > 0 ? static_cast<double>(part) / static_cast<double>(reduction->occurrences) : 0.0;
    };
    return nlohmann::json{
        {"min_count", minCount},
        {"tokens_before", reduction->tokensBefore},
        {"tokens_after", reduction->tokensAfter},
        {"occurrences", reduction->occurrences},
        {"occurrences_replaced", reduction->occurrencesReplaced},
        {"share_replaced", share(reduction->occurrencesReplaced)},
        {"share_step_changed", share(reduction->stepsChanged)},
        {"mean_pitch_distance",
         reduction->occurrencesReplaced > 0
             ? static_cast<double>(reduction->pitchDistanceSum) / static_cast<double>(reduction->occurrencesReplaced)
             : 0.0},
        {"polyphonic_share_before", polyphonicShare(counts, {})},
        {"polyphonic_share_after", polyphonicShare(counts, replacements)},
        {"top_replacements", std::move(examples)},
    };
}

}  // namespace melodist::training

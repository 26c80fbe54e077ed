// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/music/Vocabulary.h"

#include "engine/core/FileIO.h"
#include "engine/music/StepEncoding.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <set>

namespace melodist::engine {
namespace {

// Sort key of the deterministic order: specials, then MIDI numbers by pitch, then the rest.
std::pair<int, int> rankOf(const std::string& symbol) {
    if (symbol == kSongDelimiterSymbol) return {0, 0};
    if (symbol == kHoldSymbol) return {1, 0};
    if (symbol == kRestSymbol) return {2, 0};
    int pitch = 0;
    const auto [end, error] = std::from_chars(symbol.data(), symbol.data() + symbol.size(), pitch);
    if (error == std::errc() && end == symbol.data() + symbol.size() && pitch >= 0) return {3, pitch};
    return {4, 0};
}

}  // namespace

Vocabulary Vocabulary::fromSymbols(std::span<const std::string> symbols) {
    const std::set<std::string> distinct(symbols.begin(), symbols.end());
    Vocabulary vocabulary;
    vocabulary.m_symbols.assign(distinct.begin(), distinct.end());
    std::stable_sort(vocabulary.m_symbols.begin(), vocabulary.m_symbols.end(),
                     [](const std::string& a, const std::string& b) { return rankOf(a) < rankOf(b); });
    for (size_t i = 0; i < vocabulary.m_symbols.size(); ++i) vocabulary.m_ids[vocabulary.m_symbols[i]] = static_cast<int>(i);
    return vocabulary;
}

Result<Vocabulary> Vocabulary::fromJson(std::string_view json, const std::string& sourceName) {
    const nlohmann::json parsed = nlohmann::json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded() || !parsed.is_object())
        return makeError(sourceName + ": not a mapping.json (expected a JSON object of symbol -> id, like {\"60\": 0, \"_\": 1})");
    Vocabulary vocabulary;
    vocabulary.m_symbols.assign(parsed.size(), std::string());
    std::vector<bool> used(parsed.size(), false);
    for (const auto& [symbol, id] : parsed.items()) {
        if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() >= static_cast<int64_t>(parsed.size()))
            return makeError(sourceName + ": symbol '" + symbol + "' has id " + id.dump() + "; ids must be whole numbers 0.." +
                             std::to_string(parsed.size() - 1) + " (one per symbol)");
        const auto index = static_cast<size_t>(id.get<int64_t>());
        if (used[index])
            return makeError(sourceName + ": id " + std::to_string(index) + " is used twice (again by symbol '" + symbol +
                             "'); each symbol needs its own id");
        used[index] = true;
        vocabulary.m_symbols[index] = symbol;
        vocabulary.m_ids[symbol] = static_cast<int>(index);
    }
    return vocabulary;
}

Result<Vocabulary> Vocabulary::load(const std::string& path) {
    Result<std::string> bytes = readFileBytes(path);
    if (!bytes) return Error{bytes.error()};
    return fromJson(*bytes, path);
}

std::string Vocabulary::toJson() const {
    if (m_symbols.empty()) return "{}";
    std::string out = "{\n";
    for (size_t i = 0; i < m_symbols.size(); ++i) {
        // Python's json.dump escapes non-ASCII (ensure_ascii=True); so does this dump.
        out += "    " + nlohmann::json(m_symbols[i]).dump(-1, ' ', /*ensure_ascii=*/true) + ": " + std::to_string(i);
        out += i + 1 < m_symbols.size() ? ",\n" : "\n";
    }
    return out + "}";
}

Result<void> Vocabulary::save(const std::string& path) const { return writeFileAtomically(path, toJson()); }

std::optional<int> Vocabulary::idOf(std::string_view symbol) const {
    const auto found = m_ids.find(symbol);
    if (found == m_ids.end()) return std::nullopt;
    return found->second;
}

std::optional<std::string_view> Vocabulary::symbolOf(int id) const {
    if (id < 0 || static_cast<size_t>(id) >= m_symbols.size()) return std::nullopt;
    return m_symbols[static_cast<size_t>(id)];
}

Result<std::vector<int>> Vocabulary::toIds(std::span<const std::string> symbols) const {
    std::vector<int> ids;
    ids.reserve(symbols.size());
    for (size_t i = 0; i < symbols.size(); ++i) {
        const std::optional<int> id = idOf(symbols[i]);
        if (!id)
            return makeError("symbol " + std::to_string(i + 1) + " '" + symbols[i].substr(0, 20) +
                             "' is not in the vocabulary of " + std::to_string(size()) +
                             " symbols; transpose the melody into the model's range or use a model trained on it");
        ids.push_back(*id);
    }
    return ids;
}

}  // namespace melodist::engine

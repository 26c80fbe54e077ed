// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Vocabulary: the symbols of the step encoding ("60", "_", "r", "/") and their ids,
// the one-hot / embedding index of a model. Saved as the seeds' mapping.json: a JSON
// object symbol -> id, written like Python's json.dump(indent=4) in id order.
// A value type; any thread; the owner (a model, the preprocess command) keeps it.
//
// Ids of a vocabulary built here (fromSymbols) are deterministic: "/", "_", "r" first
// (0, 1, 2), then MIDI numbers in ascending pitch, then any other symbol in byte order.
// The seeds' ids come from Python's set() order, which changes from run to run, so a
// loaded mapping.json keeps its ids exactly: a seed model's output column i means the
// symbol that file maps to i.
//
//   Result<Vocabulary> seeds = Vocabulary::load("seed-models/velardo/mapping.json");
//   Result<std::vector<int>> ids = seeds->toIds(encodeSteps(melody));

#include "engine/core/Result.h"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace melodist::engine {

class Vocabulary {
public:
    Vocabulary() = default;

    // Every distinct symbol of `symbols`, in the deterministic order above.
    static Vocabulary fromSymbols(std::span<const std::string> symbols);
    // Parses a mapping.json object; ids must be 0..n-1, each used once.
    static Result<Vocabulary> fromJson(std::string_view json, const std::string& sourceName);
    static Result<Vocabulary> load(const std::string& path);

    // The mapping.json text (byte-identical to the seeds' json.dump(mapping, indent=4)).
    std::string toJson() const;
    Result<void> save(const std::string& path) const;  // atomic write

    size_t size() const { return m_symbols.size(); }
    std::optional<int> idOf(std::string_view symbol) const;
    std::optional<std::string_view> symbolOf(int id) const;
    const std::vector<std::string>& symbols() const { return m_symbols; }  // index = id
    // The ids of `symbols`; an unknown symbol is an error naming it and its position.
    Result<std::vector<int>> toIds(std::span<const std::string> symbols) const;

    friend bool operator==(const Vocabulary& a, const Vocabulary& b) { return a.m_symbols == b.m_symbols; }

private:
    std::vector<std::string> m_symbols;
    std::map<std::string, int, std::less<>> m_ids;
};

}  // namespace melodist::engine

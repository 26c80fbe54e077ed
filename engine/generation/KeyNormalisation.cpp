// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/KeyNormalisation.h"

#include "engine/music/KeyEstimation.h"
#include "engine/music/StepEncoding.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <vector>

namespace melodist::engine {
namespace {

std::optional<int> midiPitch(const std::string& symbol) { return pitchOfSymbol(symbol); }

// A "transpose" flag in `object` or its "options".
std::optional<bool> transposeFlag(const nlohmann::ordered_json& object) {
    if (!object.is_object()) return std::nullopt;
    if (const auto it = object.find("transpose"); it != object.end() && it->is_boolean()) return it->get<bool>();
    if (const auto it = object.find("options"); it != object.end()) return transposeFlag(*it);
    return std::nullopt;
}

// Semitones from a major tonic to C by the shorter way (0..6).
int smallestMoveToC(int tonic) {
    const int up = (12 - tonic % 12) % 12;
    return std::min(up, 12 - up);
}

// The tonics of the major scales holding the largest share of the durations.
std::vector<int> fullestMajorScales(const std::array<double, 12>& durations) {
    std::array<double, 12> held{};
    for (int tonic = 0; tonic < 12; ++tonic) {
        const std::array<bool, 12> scale = ScaleKey{tonic, ScaleMode::Major}.pitchClasses();
        for (size_t pc = 0; pc < 12; ++pc) held[static_cast<size_t>(tonic)] += scale[pc] ? durations[pc] : 0.0;
    }
    const double most = *std::max_element(held.begin(), held.end());
    std::vector<int> tonics;
    for (int tonic = 0; tonic < 12; ++tonic)
        if (held[static_cast<size_t>(tonic)] >= most - 1e-9) tonics.push_back(tonic);
    return tonics;
}

}  // namespace

bool modelIsKeyNormalised(const nlohmann::ordered_json& metadata) {
    const nlohmann::ordered_json encoding = metadata.value("encoding", nlohmann::ordered_json::object());
    if (encoding.is_object()) {
        if (const auto it = encoding.find("transposition"); it != encoding.end()) {
            if (it->is_boolean()) return it->get<bool>();
            if (it->is_string()) {
                const std::string value = it->get<std::string>();
                return !(value == "none" || value == "off" || value == "original" || value.empty());
            }
        }
        if (const std::optional<bool> flag = transposeFlag(encoding)) return *flag;
    }
    for (const char* key : {"preprocess", "preprocessing", "dataset", "corpus"})
        if (const auto it = metadata.find(key); it != metadata.end())
            if (const std::optional<bool> flag = transposeFlag(*it)) return *flag;
    const auto source = metadata.find("source");
    return source != metadata.end() && source->is_string() && source->get<std::string>().starts_with("imported from Keras");
}

Result<KeyTransposition> chooseKeyTransposition(std::span<const std::string> symbols, const std::optional<ScaleKey>& givenKey,
                                                const Vocabulary& vocabulary) {
    KeyTransposition out;
    if (givenKey) {
        out.key = givenKey;
    } else {
        std::vector<std::string> steps;  // only the step symbols: the estimate reads the notes
        for (const std::string& symbol : symbols)
            if (midiPitch(symbol) || symbol == kRestSymbol || symbol == kHoldSymbol) steps.push_back(symbol);
        Result<Part> part = decodeSteps(steps);
        if (!part || part->notes.empty()) return out;
        Score score;
        score.parts.push_back(std::move(*part));
        const std::array<double, 12> durations = pitchClassDurations(score);
        const std::optional<KeyEstimate> estimate = estimateKey(durations);
        if (!estimate) return out;
        out.key = scaleKeyOf(estimate->key);
        out.estimated = true;
        // What the move must get right is the key signature. A short seed can fool the
        // estimate (G G G F E E E: "E minor", though F is not in it), so the estimate is
        // kept only when its scale holds as much of the seed as any major scale does;
        // otherwise the fullest scale nearest to C major wins.
        const std::vector<int> fullest = fullestMajorScales(durations);
        if (std::find(fullest.begin(), fullest.end(), out.key->parentMajorTonic()) == fullest.end())
            out.key = ScaleKey{*std::min_element(fullest.begin(), fullest.end(),
                                                 [](int a, int b) { return smallestMoveToC(a) < smallestMoveToC(b); }),
                               ScaleMode::Major};
    }
    const int up = (12 - out.key->parentMajorTonic()) % 12;  // 0..11 semitones up to C
    std::vector<int> shifts = {up, up - 12};
    std::stable_sort(shifts.begin(), shifts.end(), [](int a, int b) { return std::abs(a) != std::abs(b) ? std::abs(a) < std::abs(b) : a < b; });
    int lowest = 128, highest = -1;
    for (const std::string& symbol : vocabulary.symbols())
        if (const std::optional<int> pitch = midiPitch(symbol)) {
            lowest = std::min(lowest, *pitch);
            highest = std::max(highest, *pitch);
        }
    std::string firstMissing;
    for (const int shift : shifts) {
        bool fits = true;
        for (const std::string& symbol : symbols) {
            const std::optional<int> pitch = midiPitch(symbol);
            if (pitch && !vocabulary.idOf(std::to_string(*pitch + shift))) {
                if (firstMissing.empty()) firstMissing = symbol;
                fits = false;
                break;
            }
        }
        if (fits) {
            out.shift = shift;
            return out;
        }
    }
    return makeError("the model was trained in C major / A minor, and the seed's pitch '" + firstMissing + "' (in " + out.key->name() +
                     ") moved there by " + std::to_string(shifts.front()) + " semitones is not one the model knows (" +
                     std::to_string(lowest - shifts.front()) + ".." + std::to_string(highest - shifts.front()) +
                     " in the seed's key); move the seed into that range");
}

Result<std::vector<std::string>> transposeSymbols(std::span<const std::string> symbols, int semitones) {
    std::vector<std::string> out;
    out.reserve(symbols.size());
    for (const std::string& symbol : symbols) {
        const std::optional<int> pitch = midiPitch(symbol);
        if (!pitch || semitones == 0) {
            out.push_back(symbol);
            continue;
        }
        const int moved = *pitch + semitones;
        if (moved < 0 || moved > 127)
            return makeError("pitch " + symbol + " moved by " + std::to_string(semitones) + " semitones leaves MIDI 0..127");
        out.push_back(std::to_string(moved));
    }
    return out;
}

}  // namespace melodist::engine

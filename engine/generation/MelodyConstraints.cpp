// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/MelodyConstraints.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace melodist::engine {
namespace {

struct ModeInfo {
    ScaleMode mode;
    const char* name;                // as name() writes it
    std::array<int, 7> steps;        // semitones above the tonic
    int parentOffset;                // semitones from the tonic up to the parent major's tonic
};

constexpr std::array<ModeInfo, 9> kModes = {{
    {ScaleMode::Major, "major", {0, 2, 4, 5, 7, 9, 11}, 0},
    {ScaleMode::NaturalMinor, "minor", {0, 2, 3, 5, 7, 8, 10}, 3},
    {ScaleMode::HarmonicMinor, "harmonic minor", {0, 2, 3, 5, 7, 8, 11}, 3},
    {ScaleMode::MelodicMinor, "melodic minor", {0, 2, 3, 5, 7, 9, 11}, 3},
    {ScaleMode::Dorian, "dorian", {0, 2, 3, 5, 7, 9, 10}, 10},
    {ScaleMode::Phrygian, "phrygian", {0, 1, 3, 5, 7, 8, 10}, 8},
    {ScaleMode::Lydian, "lydian", {0, 2, 4, 6, 7, 9, 11}, 7},
    {ScaleMode::Mixolydian, "mixolydian", {0, 2, 4, 5, 7, 9, 10}, 5},
    {ScaleMode::Locrian, "locrian", {0, 1, 3, 5, 6, 8, 10}, 1},
}};

const ModeInfo& infoOf(ScaleMode mode) {
    for (const ModeInfo& info : kModes)
        if (info.mode == mode) return info;
    return kModes[0];
}

constexpr std::array<const char*, 12> kTonicNames = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

std::string lowerCollapsed(std::string_view text) {  // lower case, single spaces, trimmed
    std::string out;
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// A letter a..g then '#' / 'b' accidentals; the pitch class and how many chars were read.
std::optional<std::pair<int, size_t>> readPitchClass(std::string_view text) {
    static constexpr std::array<int, 7> kLetters = {9, 11, 0, 2, 4, 5, 7};  // a b c d e f g
    if (text.empty() || text[0] < 'a' || text[0] > 'g') return std::nullopt;
    int pc = kLetters[static_cast<size_t>(text[0] - 'a')];
    size_t i = 1;
    for (; i < text.size() && (text[i] == '#' || text[i] == 'b'); ++i) pc += text[i] == '#' ? 1 : -1;
    return std::pair{((pc % 12) + 12) % 12, i};
}

}  // namespace

std::array<bool, 12> ScaleKey::pitchClasses() const {
    std::array<bool, 12> in{};
    for (const int step : infoOf(mode).steps) in[static_cast<size_t>((tonic + step) % 12)] = true;
    return in;
}

std::string ScaleKey::name() const { return std::string(kTonicNames[static_cast<size_t>(((tonic % 12) + 12) % 12)]) + " " + infoOf(mode).name; }

int ScaleKey::parentMajorTonic() const { return (tonic + infoOf(mode).parentOffset) % 12; }

ScaleKey scaleKeyOf(Key key) { return {((key.tonic % 12) + 12) % 12, key.mode == Mode::Major ? ScaleMode::Major : ScaleMode::NaturalMinor}; }

Result<ScaleKey> parseScaleKey(std::string_view text) {
    const std::string s = lowerCollapsed(text);
    const auto bad = [&] {
        return makeError("key '" + std::string(text) + "' is not a key: give a tonic (C, F#, Bb, ...) and optionally a mode: "
                         "major, minor (or m), harmonic minor, melodic minor, dorian, phrygian, lydian, mixolydian, locrian "
                         "(e.g. \"A minor\", \"D dorian\")");
    };
    const std::optional<std::pair<int, size_t>> tonic = readPitchClass(s);
    if (!tonic) return bad();
    std::string rest = s.substr(tonic->second);
    int tonicPc = tonic->first;
    if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
    for (const auto& [word, shift] : {std::pair{"sharp", 1}, std::pair{"flat", -1}}) {
        const std::string w = word;
        if (rest == w || rest.starts_with(w + " ")) {
            tonicPc = (tonicPc + shift + 12) % 12;
            rest.erase(0, std::min(rest.size(), w.size() + 1));
        }
    }
    static const std::vector<std::pair<std::string, ScaleMode>> kModeWords = {
        {"", ScaleMode::Major},           {"major", ScaleMode::Major},          {"maj", ScaleMode::Major},
        {"ionian", ScaleMode::Major},     {"m", ScaleMode::NaturalMinor},       {"min", ScaleMode::NaturalMinor},
        {"minor", ScaleMode::NaturalMinor}, {"natural minor", ScaleMode::NaturalMinor}, {"aeolian", ScaleMode::NaturalMinor},
        {"harmonic minor", ScaleMode::HarmonicMinor}, {"melodic minor", ScaleMode::MelodicMinor},
        {"dorian", ScaleMode::Dorian},    {"phrygian", ScaleMode::Phrygian},    {"lydian", ScaleMode::Lydian},
        {"mixolydian", ScaleMode::Mixolydian}, {"locrian", ScaleMode::Locrian}};
    for (const auto& [word, mode] : kModeWords)
        if (rest == word) return ScaleKey{tonicPc, mode};
    return bad();
}

Result<int> parsePitch(std::string_view text) {
    const std::string s = lowerCollapsed(text);
    const auto bad = [&] {
        return makeError("pitch '" + std::string(text) + "' is neither a MIDI number 0..127 nor a note name like C4 (= 60), F#3 or Bb5");
    };
    if (s.empty()) return bad();
    int value = -1;
    if (std::isdigit(static_cast<unsigned char>(s[0]))) {
        const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (error != std::errc() || end != s.data() + s.size() || value < 0 || value > 127) return bad();
        return value;
    }
    // The letter's pitch class without wrapping (Cb4 = 59, B#3 = 60).
    static constexpr std::array<int, 7> kLetters = {9, 11, 0, 2, 4, 5, 7};
    if (s[0] < 'a' || s[0] > 'g') return bad();
    int semitone = kLetters[static_cast<size_t>(s[0] - 'a')];
    size_t i = 1;
    for (; i < s.size() && (s[i] == '#' || s[i] == 'b'); ++i) semitone += s[i] == '#' ? 1 : -1;
    int octave = 0;
    const auto [end, error] = std::from_chars(s.data() + i, s.data() + s.size(), octave);
    if (i == s.size() || error != std::errc() || end != s.data() + s.size()) return bad();
    value = 12 * (octave + 1) + semitone;
    if (value < 0 || value > 127) return makeError("pitch '" + std::string(text) + "' is MIDI " + std::to_string(value) + ", outside 0..127");
    return value;
}

Result<PitchRange> parsePitchRange(std::string_view text) {
    // The separator is a '-' after a digit: "C-1-G9" has octave -1 before it.
    size_t dash = std::string_view::npos;
    for (size_t i = 1; i < text.size(); ++i)
        if (text[i] == '-' && std::isdigit(static_cast<unsigned char>(text[i - 1]))) {
            dash = i;
            break;
        }
    if (dash == std::string_view::npos)
        return makeError("range '" + std::string(text) + "' is not LOW-HIGH: give MIDI numbers (55-81) or note names (G3-A5)");
    Result<int> low = parsePitch(text.substr(0, dash));
    if (!low) return makeError("range '" + std::string(text) + "': " + low.error());
    Result<int> high = parsePitch(text.substr(dash + 1));
    if (!high) return makeError("range '" + std::string(text) + "': " + high.error());
    if (*low > *high) return makeError("range '" + std::string(text) + "' runs downwards; give the lower pitch first");
    return PitchRange{*low, *high};
}

}  // namespace melodist::engine

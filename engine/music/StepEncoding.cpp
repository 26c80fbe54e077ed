// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/music/StepEncoding.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

namespace melodist::engine {
namespace {

// One encoded event: a note (pitch >= 0) or a rest, lasting `parts` written durations.
struct StepEvent {
    Rational onset;
    int pitch = -1;
    std::vector<Rational> parts;
};

void appendEvent(std::vector<std::string>& out, const std::string& symbol, Rational duration, Rational step) {
    const int64_t steps = (duration / step).floor();
    for (int64_t i = 0; i < steps; ++i) out.push_back(i == 0 ? symbol : std::string(kHoldSymbol));
}

}  // namespace

std::vector<std::string> encodeSteps(const Part& part, Rational step) {
    std::vector<StepEvent> events;
    events.reserve(part.notes.size() + part.rests.size());
    for (const Rest& rest : part.rests) events.push_back({rest.onset, -1, {rest.duration}});
    for (const Note& note : part.notes)
        events.push_back({note.onset, note.pitch, note.tiedParts.empty() ? std::vector<Rational>{note.duration} : note.tiedParts});
    // Rests first at a shared onset, then the highest note first, so the chord's top wins.
    std::stable_sort(events.begin(), events.end(), [](const StepEvent& a, const StepEvent& b) {
        if (a.onset != b.onset) return a.onset < b.onset;
        return (a.pitch < 0 ? 1000 : a.pitch) > (b.pitch < 0 ? 1000 : b.pitch);
    });

    std::vector<std::string> out;
    if (step <= Rational(0)) return out;
    std::optional<Rational> lastNoteOnset;
    for (const StepEvent& event : events) {
        if (event.pitch >= 0) {
            if (lastNoteOnset == event.onset) continue;  // a lower chord note
            lastNoteOnset = event.onset;
        }
        const std::string symbol = event.pitch < 0 ? std::string(kRestSymbol) : std::to_string(event.pitch);
        for (const Rational& written : event.parts) appendEvent(out, symbol, written, step);
    }
    return out;
}

std::string joinSymbols(std::span<const std::string> symbols) {
    std::string out;
    for (const std::string& symbol : symbols) {
        if (!out.empty()) out += ' ';
        out += symbol;
    }
    return out;
}

std::optional<int> pitchOfSymbol(std::string_view symbol) {
    int pitch = -1;
    const auto [end, error] = std::from_chars(symbol.data(), symbol.data() + symbol.size(), pitch);
    if (error != std::errc() || end != symbol.data() + symbol.size() || pitch < 0 || pitch > 127) return std::nullopt;
    return pitch;
}

std::vector<std::string> splitSymbols(std::string_view text) {
    std::vector<std::string> out;
    size_t i = 0;
    auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (i < text.size()) {
        while (i < text.size() && isSpace(text[i])) ++i;
        const size_t begin = i;
        while (i < text.size() && !isSpace(text[i])) ++i;
        if (i > begin) out.emplace_back(text.substr(begin, i - begin));
    }
    return out;
}

std::string joinSongs(std::span<const std::string> encodedSongs, int delimiterCount) {
    // Exactly the seeds' string building: song + " " + "/ " * n for each, then drop the last char.
    std::string delimiter;
    for (int i = 0; i < delimiterCount; ++i) (delimiter += kSongDelimiterSymbol) += ' ';
    std::string out;
    for (const std::string& song : encodedSongs) out += song + " " + delimiter;
    if (!out.empty()) out.pop_back();
    return out;
}

Result<Part> decodeSteps(std::span<const std::string> symbols, Rational step) {
    Part part;
    part.name = "Melody";
    Rational time;
    int currentPitch = -2;  // -2 nothing yet, -1 a rest, else the sounding MIDI pitch
    Rational currentOnset, currentLength;
    auto flush = [&] {
        if (currentPitch == -1) part.rests.push_back(Rest{.onset = currentOnset, .duration = currentLength});
        if (currentPitch < 0) return;
        Note note;
        note.pitch = currentPitch;
        note.onset = currentOnset;
        note.duration = currentLength;
        part.notes.push_back(std::move(note));
    };
    auto start = [&](int pitch) {
        flush();
        currentPitch = pitch;
        currentOnset = time;
        currentLength = step;
    };
    for (size_t i = 0; i < symbols.size(); ++i) {
        const std::string& symbol = symbols[i];
        if (symbol == kSongDelimiterSymbol) {
            if (currentPitch == -2) continue;  // the delimiters before a seed
            break;
        }
        if (symbol == kHoldSymbol) {
            if (currentPitch == -2) start(-1);
            else currentLength += step;
        } else if (symbol == kRestSymbol) {
            start(-1);
        } else {
            int pitch = -1;
            const auto [end, error] = std::from_chars(symbol.data(), symbol.data() + symbol.size(), pitch);
            if (error != std::errc() || end != symbol.data() + symbol.size())
                return makeError("step symbol " + std::to_string(i + 1) + " '" + symbol.substr(0, 20) +
                                 "' is not a MIDI number, 'r', '_' or '/'; the text is not in the seeds' step encoding");
            if (pitch < 0 || pitch > 127)
                return makeError("step symbol " + std::to_string(i + 1) + " is MIDI pitch " + symbol +
                                 ", outside 0..127");
            start(pitch);
        }
        time += step;
    }
    flush();
    return part;
}

}  // namespace melodist::engine

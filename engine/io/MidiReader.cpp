// SPDX-License-Identifier: GPL-3.0-or-later
// Standard MIDI File reader: bytes -> Score (see MidiFile.h for what it keeps and why).
// Pass 1 walks every track and collects raw events in ticks (the tempo needed for SMPTE
// files may sit in any track); pass 2 turns ticks into quarter notes and builds parts.
#include "engine/io/MidiFile.h"

#include "engine/core/FileIO.h"
#include "engine/io/MidiTrackParser.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

namespace melodist::engine {
namespace {

using namespace midi;

Result<RawFile> parseFile(std::string_view bytes, const std::string& source) {
    if (bytes.substr(0, 4) != "MThd")
        return makeError(source + ": not a Standard MIDI File (it starts with bytes '" + hexBytes(bytes.substr(0, 4)) +
                         "', not 'MThd' = 4d 54 68 64); choose a .mid file");
    if (bytes.size() < 14)
        return makeError(source + ": the file ends at byte " + std::to_string(bytes.size()) +
                         ", inside the 14-byte MIDI header; the file is truncated, copy or download it again");
    const uint32_t headerLength = readBigEndian(bytes, 4, 4);
    if (headerLength < 6)
        return makeError(source + ": the MIDI header at byte 0 declares " + std::to_string(headerLength) +
                         " bytes, fewer than the 6 it needs; the file is corrupt");
    RawFile file;
    file.format = static_cast<int>(readBigEndian(bytes, 8, 2));
    const uint32_t trackCount = readBigEndian(bytes, 10, 2);
    const uint32_t division = readBigEndian(bytes, 12, 2);
    if (file.format > 2)
        return makeError(source + ": byte 8: MIDI file format " + std::to_string(file.format) +
                         " is unknown (0, 1 and 2 exist); the file is corrupt or not a Standard MIDI File");
    if (division & 0x8000) {
        const int framesPerSecond = -static_cast<int8_t>(division >> 8);
        const int ticksPerFrame = static_cast<int>(division & 0xff);
        if ((framesPerSecond != 24 && framesPerSecond != 25 && framesPerSecond != 29 && framesPerSecond != 30) ||
            ticksPerFrame == 0)
            return makeError(source + ": byte 12: SMPTE time division " + std::to_string(framesPerSecond) +
                             " frames per second, " + std::to_string(ticksPerFrame) +
                             " ticks per frame is not valid; the file is corrupt");
        file.ticksPerQuarter = 0;
        file.smpteTicksPerSecond = (framesPerSecond == 29 ? 30000.0 / 1001.0 : framesPerSecond) * ticksPerFrame;
    } else if (division == 0) {
        return makeError(source + ": byte 12: 0 ticks per quarter note; the file is corrupt");
    } else {
        file.ticksPerQuarter = static_cast<int>(division);
    }

    size_t offset = 8 + static_cast<size_t>(headerLength);
    int64_t tick = 0;
    while (file.tracks.size() < trackCount) {
        if (offset + 8 > bytes.size())
            return makeError(source + ": the header declares " + std::to_string(trackCount) + " tracks but the file ends at byte " +
                             std::to_string(bytes.size()) + " after " + std::to_string(file.tracks.size()) +
                             "; the file is truncated, copy or download it again");
        const std::string_view id = bytes.substr(offset, 4);
        const size_t length = readBigEndian(bytes, offset + 4, 4);
        const size_t begin = offset + 8;
        offset = begin + length;
        if (id != "MTrk") continue;  // unknown chunks are for other programs: skip them
        MidiTrackParser parser(bytes, source, file.tracks.size(), begin, begin + length);
        Result<int64_t> end = parser.parse(file, file.format == 2 ? tick : 0);
        if (!end) return makeError(end.error());
        tick = *end;  // format 2: the next sequence starts where this one ended
    }
    return file;
}

// Ticks -> quarter notes: exact for PPQ files; SMPTE through seconds at one tempo.
class TickClock {
public:
    explicit TickClock(const RawFile& file) : m_ticksPerQuarter(file.ticksPerQuarter) {
        if (m_ticksPerQuarter > 0) return;
        uint32_t micros = kDefaultMicrosPerQuarter;
        if (!file.tempos.empty())
            micros = std::min_element(file.tempos.begin(), file.tempos.end(), [](const RawTempo& a, const RawTempo& b) {
                         return a.tick < b.tick;
                     })->microsPerQuarter;
        m_microsPerQuarter = micros;
        m_quartersPerTick = 1e6 / (file.smpteTicksPerSecond * micros);
    }
    Rational at(int64_t tick) const {
        if (m_ticksPerQuarter > 0) return Rational(tick, m_ticksPerQuarter);
        const double grid = std::min(static_cast<double>(kMaxTick / 2), std::round(static_cast<double>(tick) * m_quartersPerTick * kSmpteGrid));
        return Rational(static_cast<int64_t>(grid), kSmpteGrid);
    }
    bool isSmpte() const { return m_ticksPerQuarter == 0; }
    uint32_t smpteMicrosPerQuarter() const { return m_microsPerQuarter; }

private:
    int m_ticksPerQuarter;
    uint32_t m_microsPerQuarter = kDefaultMicrosPerQuarter;
    double m_quartersPerTick = 0;
};

// The channel's program at `tick`: the part's own track first, then any track; the first
// program change when none comes before the first note.
int programFor(const std::vector<RawProgram>& programs, size_t track, int channel, int64_t tick) {
    const RawProgram* best[4] = {nullptr, nullptr, nullptr, nullptr};  // own<=, any<=, own first, any first
    for (const RawProgram& change : programs) {
        if (change.channel != channel) continue;
        const bool own = change.track == track;
        if (change.tick <= tick) {
            if (own && (!best[0] || change.tick >= best[0]->tick)) best[0] = &change;
            if (!best[1] || change.tick >= best[1]->tick) best[1] = &change;
        }
        if (own && (!best[2] || change.tick < best[2]->tick)) best[2] = &change;
        if (!best[3] || change.tick < best[3]->tick) best[3] = &change;
    }
    for (const RawProgram* change : best)
        if (change) return change->program;
    return 0;
}

// Sorts by tick (file order within a tick) and keeps the last event of each tick.
template <class T>
std::vector<T> lastPerTick(std::vector<T> events) {
    std::stable_sort(events.begin(), events.end(), [](const T& a, const T& b) { return a.tick < b.tick; });
    std::vector<T> kept;
    for (const T& event : events) {
        if (!kept.empty() && kept.back().tick == event.tick) kept.back() = event;
        else kept.push_back(event);
    }
    return kept;
}

Score buildScore(const RawFile& file) {
    const TickClock clock(file);
    Score score;
    if (!file.tracks.empty()) score.title = file.tracks.front().name;
    for (size_t t = 0; t < file.tracks.size(); ++t) {
        const RawTrack& track = file.tracks[t];
        std::map<int, std::vector<const RawNote*>> byChannel;
        for (const RawNote& note : track.notes)
            if (note.channel != kDrumChannel) byChannel[note.channel].push_back(&note);
        for (auto& [channel, notes] : byChannel) {
            // Notes of one pitch and onset differ only by length and velocity: order them by
            // those, so a part's note order is the same however the file listed its events.
            std::sort(notes.begin(), notes.end(), [](const RawNote* a, const RawNote* b) {
                return std::tie(a->onTick, a->pitch, a->offTick, a->velocity) <
                       std::tie(b->onTick, b->pitch, b->offTick, b->velocity);
            });
            Part part;
            part.name = track.name.empty() ? track.instrument : track.name;
            part.channel = channel;
            int64_t firstTick = notes.front()->onTick;
            for (const RawNote* raw : notes) firstTick = std::min(firstTick, raw->onTick);
            part.program = programFor(file.programs, t, channel, firstTick);
            part.notes.reserve(notes.size());
            for (const RawNote* raw : notes) {
                const Rational onset = clock.at(raw->onTick);
                Rational duration = clock.at(raw->offTick) - onset;
                if (duration <= Rational(0)) duration = Rational(1, kSmpteGrid);  // SMPTE rounding only
                part.notes.push_back(Note{.pitch = raw->pitch, .onset = onset, .duration = duration, .velocity = raw->velocity, .tiedParts = {}});
            }
            score.parts.push_back(std::move(part));
        }
    }
    if (clock.isSmpte()) {
        score.tempos.push_back({.onset = 0, .bpm = 60e6 / clock.smpteMicrosPerQuarter()});
    } else {
        for (const RawTempo& tempo : lastPerTick(file.tempos))
            score.tempos.push_back({.onset = clock.at(tempo.tick), .bpm = 60e6 / tempo.microsPerQuarter});
    }
    for (const RawMeter& meter : lastPerTick(file.meters))
        score.meters.push_back({.onset = clock.at(meter.tick), .numerator = meter.numerator, .denominator = meter.denominator});
    for (const RawKey& key : lastPerTick(file.keys)) {
        const int majorTonic = ((key.fifths * 7) % 12 + 12) % 12;
        const Key named{.tonic = key.minor ? (majorTonic + 9) % 12 : majorTonic, .mode = key.minor ? Mode::Minor : Mode::Major};
        score.keys.push_back({.onset = clock.at(key.tick), .key = named, .declared = true, .fifths = key.fifths});
    }
    score.sort();
    return score;
}

}  // namespace

Result<Score> readMidi(std::string_view bytes, const std::string& sourceName) {
    Result<RawFile> file = parseFile(bytes, sourceName);
    if (!file) return makeError(file.error());
    return buildScore(*file);
}

Result<Score> readMidiFile(const std::string& path) {
    Result<std::string> bytes = readFileBytes(path);
    if (!bytes) return makeError(bytes.error());
    return readMidi(*bytes, path);
}

}  // namespace melodist::engine
// SPDX-License-Identifier: GPL-3.0-or-later
// Standard MIDI File writer: Score -> SMF format 1 bytes (see MidiFile.h). Events of a
// track are sorted by (tick, kind, pitch, ...) so the bytes depend only on the score.
#include "engine/io/MidiFile.h"

#include "engine/core/FileIO.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace melodist::engine {
namespace {

constexpr int kMinTicksPerQuarter = 480;
constexpr int kMaxTicksPerQuarter = 32767;        // the largest PPQ an SMF header can hold
constexpr int kFallbackTicksPerQuarter = 960;
constexpr int64_t kMaxTick = int64_t(1) << 40;    // as the reader: nothing real gets near
constexpr uint32_t kMaxDelta = 0x0fffffff;        // the largest 4-byte variable-length number

// Ranks order events that share a tick: names and programs first, then metas, then
// note-offs before note-ons, so a re-struck pitch ends before it starts again.
enum Rank { kName, kProgram, kMeter, kKey, kTempo, kNoteOff, kNoteOn };

struct TrackEvent {
    int64_t tick = 0;
    int rank = 0;
    int pitch = 0;
    int64_t endTick = 0;  // note-ons of one pitch and tick: the shorter first, for the reader's FIFO pairing
    std::string data;     // status byte onward (meta: ff type length data)
};

bool writable(const Note& note) {
    return note.pitch >= 0 && note.pitch <= 127 && note.onset >= Rational(0) && note.duration > Rational(0);
}

int64_t toTick(Rational time, int ticksPerQuarter) {
    if (time < Rational(0)) return 0;
    // Round half up in 128 bits: exact when the denominator divides the PPQ.
    const RationalWide scaled = static_cast<RationalWide>(time.num()) * ticksPerQuarter;
    const RationalWide tick = (2 * scaled + time.den()) / (2 * static_cast<RationalWide>(time.den()));
    return tick > kMaxTick ? kMaxTick : static_cast<int64_t>(tick);
}

void appendVariableLength(std::string& out, uint32_t value) {
    char buffer[4];
    int count = 0;
    do {
        buffer[count++] = static_cast<char>(value & 0x7f);
        value >>= 7;
    } while (value && count < 4);
    for (int i = count - 1; i >= 0; --i) out += static_cast<char>(buffer[i] | (i ? 0x80 : 0));
}

void appendBigEndian(std::string& out, uint32_t value, int count) {
    for (int i = count - 1; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

std::string meta(int type, std::string_view data) {
    std::string event = {'\xff', static_cast<char>(type)};
    appendVariableLength(event, static_cast<uint32_t>(std::min<size_t>(data.size(), kMaxDelta)));
    event += data.substr(0, kMaxDelta);
    return event;
}

// The key signature's sharps (+) or flats (-): the one the file declared when it names
// this key, else the usual one (-6 Gb .. +5 B major).
int fifthsFor(const KeyChange& change) {
    const int majorTonic = change.key.mode == Mode::Minor ? (change.key.tonic + 3) % 12 : change.key.tonic;
    if (change.fifths >= -7 && change.fifths <= 7 && ((change.fifths * 7) % 12 + 12) % 12 == majorTonic)
        return change.fifths;
    for (int fifths = -6; fifths <= 5; ++fifths)
        if (((fifths * 7) % 12 + 12) % 12 == majorTonic) return fifths;
    return 0;
}

// One MTrk chunk: events sorted, running status for channel messages, end of track.
std::string trackChunk(std::vector<TrackEvent> events) {
    std::stable_sort(events.begin(), events.end(), [](const TrackEvent& a, const TrackEvent& b) {
        if (a.tick != b.tick) return a.tick < b.tick;
        if (a.rank != b.rank) return a.rank < b.rank;
        if (a.pitch != b.pitch) return a.pitch < b.pitch;
        return a.endTick < b.endTick;
    });
    std::string body;
    int64_t tick = 0;
    char runningStatus = 0;
    const auto advanceTo = [&](int64_t target) {
        int64_t delta = target - tick;
        while (delta > kMaxDelta) {  // a gap too long for one delta: bridge it with empty text events
            appendVariableLength(body, kMaxDelta);
            body += meta(0x01, {});
            delta -= kMaxDelta;
            runningStatus = 0;
        }
        appendVariableLength(body, static_cast<uint32_t>(delta));
        tick = target;
    };
    for (const TrackEvent& event : events) {
        advanceTo(event.tick);
        const char status = event.data[0];
        const bool channelMessage = static_cast<uint8_t>(status) < 0xf0;
        body += (channelMessage && status == runningStatus) ? event.data.substr(1) : event.data;
        runningStatus = channelMessage ? status : 0;  // metas cancel running status (SMF 1.0)
    }
    advanceTo(tick);
    body += meta(0x2f, {});
    std::string chunk = "MTrk";
    appendBigEndian(chunk, static_cast<uint32_t>(body.size()), 4);
    return chunk + body;
}

std::string conductorTrack(const Score& score, int ticksPerQuarter) {
    std::vector<TrackEvent> events;
    if (!score.title.empty()) events.push_back({0, kName, 0, 0, meta(0x03, score.title)});
    for (const TempoChange& tempo : score.tempos) {
        if (!(tempo.bpm > 0) || !std::isfinite(tempo.bpm)) continue;
        const double micros = std::clamp(std::round(60e6 / tempo.bpm), 1.0, double(0xffffff));
        std::string data;
        appendBigEndian(data, static_cast<uint32_t>(micros), 3);
        events.push_back({toTick(tempo.onset, ticksPerQuarter), kTempo, 0, 0, meta(0x51, data)});
    }
    for (const MeterChange& meter : score.meters) {
        const int denominator = meter.denominator;
        if (meter.numerator <= 0 || meter.numerator > 255 || denominator <= 0 || denominator > 1024 ||
            (denominator & (denominator - 1)))
            continue;  // MIDI holds only n / 2^k
        const int power = std::countr_zero(static_cast<unsigned>(denominator));
        const std::string data = {static_cast<char>(meter.numerator), static_cast<char>(power), 24, 8};
        events.push_back({toTick(meter.onset, ticksPerQuarter), kMeter, 0, 0, meta(0x58, data)});
    }
    for (const KeyChange& key : score.keys) {
        if (!key.declared) continue;  // an estimate is not the file's key signature
        const std::string data = {static_cast<char>(fifthsFor(key)), key.key.mode == Mode::Minor ? '\x01' : '\x00'};
        events.push_back({toTick(key.onset, ticksPerQuarter), kKey, 0, 0, meta(0x59, data)});
    }
    return trackChunk(std::move(events));
}

std::string partTrack(const Part& part, int ticksPerQuarter) {
    const int channel = std::clamp(part.channel, 0, 15);
    std::vector<TrackEvent> events;
    events.reserve(2 * part.notes.size() + 2);
    if (!part.name.empty()) events.push_back({0, kName, 0, 0, meta(0x03, part.name)});
    events.push_back({0, kProgram, 0, 0, {static_cast<char>(0xc0 | channel), static_cast<char>(std::clamp(part.program, 0, 127))}});
    const char noteOn = static_cast<char>(0x90 | channel);
    for (const Note& note : part.notes) {
        if (!writable(note)) continue;
        const int64_t on = toTick(note.onset, ticksPerQuarter);
        const int64_t off = std::max(on + 1, toTick(note.end(), ticksPerQuarter));  // rounding never makes it vanish
        const char pitch = static_cast<char>(note.pitch);
        const char velocity = static_cast<char>(std::clamp(note.velocity, 1, 127));
        events.push_back({on, kNoteOn, note.pitch, off, {noteOn, pitch, velocity}});
        events.push_back({off, kNoteOff, note.pitch, 0, {noteOn, pitch, 0}});  // note-on velocity 0: runs on
    }
    return trackChunk(std::move(events));
}

}  // namespace

int midiTicksPerQuarter(const Score& score) {
    int64_t common = 1;  // least common denominator, or > kMaxTicksPerQuarter when too large
    const auto include = [&common](Rational time) {
        if (common > kMaxTicksPerQuarter) return;
        common = time.den() > kMaxTicksPerQuarter ? time.den() : std::lcm(common, time.den());
    };
    for (const Part& part : score.parts) {
        for (const Note& note : part.notes) {
            if (!writable(note)) continue;
            include(note.onset);
            include(note.duration);
        }
    }
    for (const TempoChange& tempo : score.tempos) include(tempo.onset);
    for (const MeterChange& meter : score.meters) include(meter.onset);
    for (const KeyChange& key : score.keys) include(key.onset);
    if (common > kMaxTicksPerQuarter) return kFallbackTicksPerQuarter;
    const int64_t multiple = (kMinTicksPerQuarter + common - 1) / common;
    return static_cast<int>(common * multiple);
}

std::string writeMidi(const Score& score) {
    const int ticksPerQuarter = midiTicksPerQuarter(score);
    const size_t partCount = std::min<size_t>(score.parts.size(), 0xfffe);
    std::string bytes = "MThd";
    appendBigEndian(bytes, 6, 4);
    appendBigEndian(bytes, 1, 2);  // format 1
    appendBigEndian(bytes, static_cast<uint32_t>(partCount + 1), 2);
    appendBigEndian(bytes, static_cast<uint32_t>(ticksPerQuarter), 2);
    bytes += conductorTrack(score, ticksPerQuarter);
    for (size_t i = 0; i < partCount; ++i) bytes += partTrack(score.parts[i], ticksPerQuarter);
    return bytes;
}

Result<void> writeMidiFile(const Score& score, const std::string& path) {
    return writeFileAtomically(path, writeMidi(score));
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the MIDI reader (MidiReader.cpp): the raw events of a Standard MIDI File
// in ticks, and MidiTrackParser, which fills them in from one MTrk chunk. Any thread;
// a parser lives for one track of one readMidi call, which owns it.

#include "engine/core/Result.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace melodist::engine::midi {

// Far beyond any piece (2^40 ticks is 72 years at 480 PPQ and 120 BPM); stops a corrupt
// file's deltas from overflowing the time arithmetic.
constexpr int64_t kMaxTick = int64_t(1) << 40;
constexpr int kDrumChannel = 9;
constexpr int kSmpteGrid = 960;  // SMPTE times land on 1/960 quarter note (~0.5 ms at 120 BPM)
constexpr uint32_t kDefaultMicrosPerQuarter = 500000;

struct RawNote {
    int64_t onTick = 0;
    int64_t offTick = 0;
    int channel = 0;
    int pitch = 0;
    int velocity = 0;
};

struct Sounding {
    int64_t onTick = 0;
    int velocity = 0;
};

struct RawTrack {
    std::string name;
    std::string instrument;
    std::vector<RawNote> notes;
};

struct RawProgram {
    int64_t tick = 0;
    size_t track = 0;
    int channel = 0;
    int program = 0;
};

struct RawTempo {
    int64_t tick = 0;
    uint32_t microsPerQuarter = kDefaultMicrosPerQuarter;
};

struct RawMeter {
    int64_t tick = 0;
    int numerator = 4;
    int denominator = 4;
};

struct RawKey {
    int64_t tick = 0;
    int fifths = 0;
    bool minor = false;
};

struct RawFile {
    int format = 1;
    int ticksPerQuarter = 480;     // 0 for SMPTE
    double smpteTicksPerSecond = 0;
    std::vector<RawTrack> tracks;
    std::vector<RawProgram> programs;
    std::vector<RawTempo> tempos;  // in file order; stable-sorted by tick later
    std::vector<RawMeter> meters;
    std::vector<RawKey> keys;
};

// Big-endian unsigned number of `count` bytes at `offset` (the caller checks the bounds).
uint32_t readBigEndian(std::string_view bytes, size_t offset, int count);
// "4d 54 68 64": bytes for an error message.
std::string hexBytes(std::string_view bytes);

// Walks one MTrk chunk body. Every read is bounds-checked against `limit` (the declared
// end, or the end of the file when that comes first), so corrupt data gives an error.
class MidiTrackParser {
public:
    MidiTrackParser(std::string_view bytes, const std::string& source, size_t trackIndex, size_t begin, size_t declaredEnd)
        : m_bytes(bytes), m_source(source), m_track(trackIndex), m_offset(begin), m_declaredEnd(declaredEnd),
          m_limit(std::min(declaredEnd, bytes.size())) {}

    // Appends the track's notes, programs and metas to `file`; returns the track's end tick.
    Result<int64_t> parse(RawFile& file, int64_t startTick);

private:
    std::optional<Error> need(size_t count) const;
    std::optional<Error> readVariableLength(uint32_t& value);
    std::optional<Error> handleMeta(RawFile& file, RawTrack& track, int type, std::string_view data, size_t at);
    void noteOn(int channel, int pitch, int velocity);
    void noteOff(RawTrack& track, int channel, int pitch);
    Error corrupt(size_t at, const std::string& what) const {
        return makeError(m_source + ": track " + std::to_string(m_track + 1) + ", byte " + std::to_string(at) + ": " +
                         what + "; the file is corrupt, export it again from the program that made it");
    }

    std::string_view m_bytes;
    const std::string& m_source;
    size_t m_track;
    size_t m_offset;
    size_t m_declaredEnd;
    size_t m_limit;
    int64_t m_tick = 0;
    std::map<int, std::vector<Sounding>> m_sounding;  // key channel * 128 + pitch, oldest first
};

}  // namespace melodist::engine::midi

// SPDX-License-Identifier: GPL-3.0-or-later
// Walks one MTrk chunk of a Standard MIDI File into raw events (see MidiTrackParser.h).
#include "engine/io/MidiTrackParser.h"

#include <algorithm>

namespace melodist::engine::midi {
namespace {

// MIDI text has no declared encoding: keep valid UTF-8, read anything else as Latin-1
// (the usual encoding of older files, e.g. the copyright sign 0xa9), so names are UTF-8.
std::string midiTextToUtf8(std::string_view text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
    bool valid = true;
    for (size_t i = 0; i < text.size() && valid;) {
        const auto byte = static_cast<uint8_t>(text[i]);
        const size_t length = byte < 0x80 ? 1 : (byte >> 5) == 6 ? 2 : (byte >> 4) == 14 ? 3 : (byte >> 3) == 30 ? 4 : 0;
        valid = length > 0 && i + length <= text.size();
        for (size_t k = 1; valid && k < length; ++k) valid = (static_cast<uint8_t>(text[i + k]) >> 6) == 2;
        i += length;
    }
    if (valid) return std::string(text);
    std::string utf8;
    for (const char c : text) {
        const auto byte = static_cast<uint8_t>(c);
        if (byte < 0x80) {
            utf8 += c;
        } else {
            utf8 += static_cast<char>(0xc0 | (byte >> 6));
            utf8 += static_cast<char>(0x80 | (byte & 0x3f));
        }
    }
    return utf8;
}

}  // namespace

uint32_t readBigEndian(std::string_view bytes, size_t offset, int count) {
    uint32_t value = 0;
    for (int i = 0; i < count; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[offset + static_cast<size_t>(i)]);
    return value;
}

std::string hexBytes(std::string_view bytes) {
    static const char* const kDigits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (i) out += ' ';
        const auto byte = static_cast<uint8_t>(bytes[i]);
        out += kDigits[byte >> 4];
        out += kDigits[byte & 15];
    }
    return out;
}


std::optional<Error> MidiTrackParser::need(size_t count) const {
    if (m_offset + count <= m_limit) return std::nullopt;
    if (m_limit < m_declaredEnd)
        return makeError(m_source + ": track " + std::to_string(m_track + 1) + " ends at byte " +
                         std::to_string(m_bytes.size()) + ", " + std::to_string(m_declaredEnd - m_bytes.size()) +
                         " bytes before its declared length; the file is truncated, copy or download it again");
    return corrupt(m_offset, "an event runs past the end of the track (its declared length ends at byte " +
                                 std::to_string(m_declaredEnd) + ")");
}

std::optional<Error> MidiTrackParser::readVariableLength(uint32_t& value) {
    const size_t start = m_offset;
    value = 0;
    for (int i = 0; i < 4; ++i) {
        if (auto error = need(1)) return error;
        const auto byte = static_cast<uint8_t>(m_bytes[m_offset++]);
        value = (value << 7) | (byte & 0x7f);
        if (!(byte & 0x80)) return std::nullopt;
    }
    return corrupt(start, "a variable-length number is longer than 4 bytes (" +
                              hexBytes(m_bytes.substr(start, 4)) + ")");
}

void MidiTrackParser::noteOn(int channel, int pitch, int velocity) {
    m_sounding[channel * 128 + pitch].push_back({m_tick, velocity});
}

void MidiTrackParser::noteOff(RawTrack& track, int channel, int pitch) {
    auto found = m_sounding.find(channel * 128 + pitch);
    if (found == m_sounding.end() || found->second.empty()) return;  // nothing sounding: ignore
    const Sounding oldest = found->second.front();
    found->second.erase(found->second.begin());
    if (m_tick > oldest.onTick) track.notes.push_back({oldest.onTick, m_tick, channel, pitch, oldest.velocity});
}

std::optional<Error> MidiTrackParser::handleMeta(RawFile& file, RawTrack& track, int type, std::string_view data,
                                             size_t at) {
    switch (type) {
    case 0x03:
        if (track.name.empty()) track.name = midiTextToUtf8(data);
        break;
    case 0x04:
        if (track.instrument.empty()) track.instrument = midiTextToUtf8(data);
        break;
    case 0x51: {
        if (data.size() < 3) return corrupt(at, "a tempo event has " + std::to_string(data.size()) + " bytes, not 3");
        const uint32_t micros = readBigEndian(data, 0, 3);
        if (micros > 0) file.tempos.push_back({m_tick, micros});  // 0 is meaningless: ignored
        break;
    }
    case 0x58:
        // A time signature that MIDI cannot mean (numerator 0, denominator 2^31) is ignored.
        if (data.size() >= 2 && data[0] != 0 && static_cast<uint8_t>(data[1]) <= 10)
            file.meters.push_back({m_tick, static_cast<uint8_t>(data[0]), 1 << static_cast<uint8_t>(data[1])});
        break;
    case 0x59:
        if (data.size() >= 2) {
            const int fifths = static_cast<int8_t>(data[0]);
            const int mode = static_cast<uint8_t>(data[1]);
            if (fifths >= -7 && fifths <= 7 && mode <= 1) file.keys.push_back({m_tick, fifths, mode == 1});
        }
        break;
    default:
        break;  // text, markers, sequencer-specific, ...: not part of the score
    }
    return std::nullopt;
}

Result<int64_t> MidiTrackParser::parse(RawFile& file, int64_t startTick) {
    RawTrack track;
    m_tick = startTick;
    uint8_t runningStatus = 0;
    bool endOfTrack = false;
    while (!endOfTrack && m_offset < m_limit) {
        uint32_t delta = 0;
        if (auto error = readVariableLength(delta)) return *error;
        m_tick += delta;
        if (m_tick > kMaxTick) return corrupt(m_offset, "time has run past " + std::to_string(kMaxTick) + " ticks");
        if (auto error = need(1)) return *error;
        const size_t eventStart = m_offset;
        auto status = static_cast<uint8_t>(m_bytes[m_offset]);
        if (status & 0x80) {
            ++m_offset;
        } else if (runningStatus) {
            status = runningStatus;  // running status: the data byte is read below
        } else {
            return corrupt(eventStart, "data byte " + std::to_string(status) + " with no status byte before it");
        }

        if (status == 0xff) {
            if (auto error = need(1)) return *error;
            const int type = static_cast<uint8_t>(m_bytes[m_offset++]);
            uint32_t length = 0;
            if (auto error = readVariableLength(length)) return *error;
            if (auto error = need(length)) return *error;
            const std::string_view data = m_bytes.substr(m_offset, length);
            m_offset += length;
            if (type == 0x2f) endOfTrack = true;
            else if (auto error = handleMeta(file, track, type, data, eventStart)) return *error;
        } else if (status == 0xf0 || status == 0xf7) {
            uint32_t length = 0;
            if (auto error = readVariableLength(length)) return *error;
            if (auto error = need(length)) return *error;
            m_offset += length;  // SysEx: device settings, not music
        } else if (status >= 0xf0) {
            return corrupt(eventStart, "status byte " + std::to_string(status) +
                                           " is a real-time or common message, which a MIDI file cannot hold");
        } else {
            runningStatus = status;
            const int kind = status & 0xf0;
            const int channel = status & 0x0f;
            const size_t dataCount = (kind == 0xc0 || kind == 0xd0) ? 1 : 2;
            if (auto error = need(dataCount)) return *error;
            const int data1 = static_cast<uint8_t>(m_bytes[m_offset]) & 0x7f;
            const int data2 = dataCount == 2 ? static_cast<uint8_t>(m_bytes[m_offset + 1]) & 0x7f : 0;
            m_offset += dataCount;
            if (kind == 0x90 && data2 > 0) noteOn(channel, data1, data2);
            else if (kind == 0x80 || kind == 0x90) noteOff(track, channel, data1);
            else if (kind == 0xc0) file.programs.push_back({m_tick, file.tracks.size(), channel, data1});
        }
    }
    if (!endOfTrack && m_limit < m_declaredEnd) {
        if (auto error = need(m_declaredEnd - m_offset)) return *error;  // cut off mid-track
    }
    for (auto& [key, notes] : m_sounding) {  // still sounding at the end of the track: end them there
        for (const Sounding& sounding : notes)
            if (m_tick > sounding.onTick) track.notes.push_back({sounding.onTick, m_tick, key / 128, key % 128, sounding.velocity});
    }
    file.tracks.push_back(std::move(track));
    return m_tick;
}

}  // namespace melodist::engine::midi

// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/audio/WavWriter.h"

#include "engine/core/FileIO.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace melodist::engine {
namespace {

void putU16(std::string& out, uint32_t value) {
    out.push_back(static_cast<char>(value & 0xff));
    out.push_back(static_cast<char>((value >> 8) & 0xff));
}
void putU32(std::string& out, uint32_t value) {
    putU16(out, value & 0xffff);
    putU16(out, value >> 16);
}

}  // namespace

std::string encodeWav16(const std::vector<float>& interleaved, int channels, int sampleRate) {
    constexpr uint32_t kBytesPerSample = 2;
    const auto dataBytes = static_cast<uint32_t>(interleaved.size() * kBytesPerSample);
    std::string out;
    out.reserve(44 + dataBytes);
    out += "RIFF";
    putU32(out, 36 + dataBytes);
    out += "WAVEfmt ";
    putU32(out, 16);  // fmt chunk size
    putU16(out, 1);   // PCM
    putU16(out, static_cast<uint32_t>(channels));
    putU32(out, static_cast<uint32_t>(sampleRate));
    putU32(out, static_cast<uint32_t>(sampleRate) * static_cast<uint32_t>(channels) * kBytesPerSample);
    putU16(out, static_cast<uint32_t>(channels) * kBytesPerSample);
    putU16(out, 16);  // bits per sample
    out += "data";
    putU32(out, dataBytes);
    for (const float sample : interleaved) {
        // NaN becomes silence rather than an undefined conversion.
        const double scaled = std::isnan(sample) ? 0.0 : std::round(static_cast<double>(sample) * 32767.0);
        const auto value = static_cast<int16_t>(std::clamp(scaled, -32768.0, 32767.0));
        putU16(out, static_cast<uint16_t>(value));
    }
    return out;
}

Result<void> writeWavFile(const std::string& path, const std::vector<float>& interleaved, int channels,
                          int sampleRate) {
    if (channels < 1 || sampleRate < 1)
        return makeError(path + ": cannot write a WAV file with " + std::to_string(channels) + " channels at " +
                         std::to_string(sampleRate) + " Hz");
    return writeFileAtomically(path, encodeWav16(interleaved, channels, sampleRate));
}

}  // namespace melodist::engine

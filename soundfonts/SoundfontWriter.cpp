// SPDX-License-Identifier: GPL-3.0-or-later
#include "soundfonts/SoundfontWriter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace melodist::soundfont {
namespace {

constexpr uint32_t kZeroPointsAfterSample = 46;  // SF2 2.04 section 6.1
constexpr uint32_t kMinLoopMargin = 8;           // loop at least 8 points inside the sample
constexpr uint32_t kMinLoopLength = 32;
constexpr uint16_t kMonoSample = 1;

void putU8(std::string& out, uint32_t value) { out.push_back(static_cast<char>(value & 0xff)); }
void putU16(std::string& out, uint32_t value) {
    putU8(out, value);
    putU8(out, value >> 8);
}
void putU32(std::string& out, uint32_t value) {
    putU16(out, value & 0xffff);
    putU16(out, value >> 16);
}
// A fixed-size name field: cut to `size - 1` characters, padded with zeros.
void putName(std::string& out, const std::string& name, size_t size) {
    const std::string cut = name.substr(0, size - 1);
    out += cut;
    out.append(size - cut.size(), '\0');
}
// A zero-terminated string whose length (terminator included) is even.
std::string zstr(const std::string& text) {
    std::string out = text + '\0';
    if (out.size() % 2) out.push_back('\0');
    return out;
}
std::string chunk(const char id[4], const std::string& body) {
    std::string out(id, 4);
    putU32(out, static_cast<uint32_t>(body.size()));
    out += body;
    if (body.size() % 2) out.push_back('\0');
    return out;
}
std::string list(const char type[4], const std::string& body) { return chunk("LIST", std::string(type, 4) + body); }

void putGenerator(std::string& out, Generator oper, uint16_t amount) {
    putU16(out, static_cast<uint16_t>(oper));
    putU16(out, amount);
}
uint16_t range(int low, int high) {
    return static_cast<uint16_t>(std::clamp(low, 0, 127) | (std::clamp(high, 0, 127) << 8));
}
void putBag(std::string& out, size_t generatorIndex) {
    putU16(out, static_cast<uint32_t>(generatorIndex));
    putU16(out, 0);  // no modulators
}
std::string terminalModulator() { return std::string(10, '\0'); }

}  // namespace

int16_t secondsToTimecents(double seconds) {
    if (seconds <= 0.001) return -12000;  // "instantaneous" in the SF2 sense
    return static_cast<int16_t>(std::clamp(std::lround(1200.0 * std::log2(seconds)), -12000L, 8000L));
}

SoundfontWriter::SoundfontWriter(std::string bankName) : m_bankName(std::move(bankName)) {}

int SoundfontWriter::addSample(Sample sample) {
    const auto size = static_cast<uint32_t>(sample.data.size());
    if (size == 0) throw std::invalid_argument("SoundfontWriter: sample '" + sample.name + "' has no data");
    const bool looped = sample.loopStart != 0 || sample.loopEnd != 0;
    if (looped && (sample.loopStart < kMinLoopMargin || sample.loopEnd + kMinLoopMargin > size ||
                   sample.loopEnd < sample.loopStart + kMinLoopLength))
        throw std::invalid_argument("SoundfontWriter: sample '" + sample.name + "' loop " +
                                    std::to_string(sample.loopStart) + ".." + std::to_string(sample.loopEnd) +
                                    " must lie 8 points inside its " + std::to_string(size) +
                                    " points and be at least 32 long");
    if (sample.pitchCorrectionCents < -99 || sample.pitchCorrectionCents > 99 || sample.rootKey < 0 ||
        sample.rootKey > 127 || sample.sampleRate < 400)
        throw std::invalid_argument("SoundfontWriter: sample '" + sample.name + "' root key, correction or rate out of range");
    m_samples.push_back(std::move(sample));
    return static_cast<int>(m_samples.size()) - 1;
}

int SoundfontWriter::addInstrument(Instrument instrument) {
    for (const InstrumentZone& zone : instrument.zones)
        if (zone.sampleIndex < 0 || zone.sampleIndex >= static_cast<int>(m_samples.size()))
            throw std::invalid_argument("SoundfontWriter: instrument '" + instrument.name + "' uses sample " +
                                        std::to_string(zone.sampleIndex) + ", not added");
    if (instrument.zones.empty())
        throw std::invalid_argument("SoundfontWriter: instrument '" + instrument.name + "' has no zones");
    m_instruments.push_back(std::move(instrument));
    return static_cast<int>(m_instruments.size()) - 1;
}

void SoundfontWriter::addPreset(Preset preset) {
    if (preset.instrumentIndex < 0 || preset.instrumentIndex >= static_cast<int>(m_instruments.size()))
        throw std::invalid_argument("SoundfontWriter: preset '" + preset.name + "' uses instrument " +
                                    std::to_string(preset.instrumentIndex) + ", not added");
    if (preset.bank < 0 || preset.bank > 128 || preset.program < 0 || preset.program > 127)
        throw std::invalid_argument("SoundfontWriter: preset '" + preset.name + "' bank or program out of range");
    m_presets.push_back(std::move(preset));
}

std::string SoundfontWriter::bytes() const {
    // INFO
    std::string ifil;
    putU16(ifil, 2);
    putU16(ifil, 1);
    const std::string info = list("INFO", chunk("ifil", ifil) + chunk("isng", zstr("EMU8000")) +
                                              chunk("INAM", zstr(m_bankName.substr(0, 255))) +
                                              chunk("ISFT", zstr("Melodist")));

    // sdta: the samples one after the other, each followed by 46 zero points.
    std::string smpl, shdr;
    uint32_t position = 0;
    for (const Sample& sample : m_samples) {
        for (const int16_t point : sample.data) putU16(smpl, static_cast<uint16_t>(point));
        smpl.append(kZeroPointsAfterSample * 2, '\0');
        const auto size = static_cast<uint32_t>(sample.data.size());
        const bool looped = sample.loopStart != 0 || sample.loopEnd != 0;
        putName(shdr, sample.name, 20);
        putU32(shdr, position);
        putU32(shdr, position + size);
        putU32(shdr, position + (looped ? sample.loopStart : 0));
        putU32(shdr, position + (looped ? sample.loopEnd : size));
        putU32(shdr, static_cast<uint32_t>(sample.sampleRate));
        putU8(shdr, static_cast<uint32_t>(sample.rootKey));
        putU8(shdr, static_cast<uint8_t>(static_cast<int8_t>(sample.pitchCorrectionCents)));
        putU16(shdr, 0);  // no linked sample
        putU16(shdr, kMonoSample);
        position += size + kZeroPointsAfterSample;
    }
    putName(shdr, "EOS", 46);
    const std::string sdta = list("sdta", chunk("smpl", smpl));

    // Instruments: an optional global zone (no SampleId), then one zone per sample range.
    std::string inst, ibag, igen;
    size_t bagCount = 0, generatorCount = 0;
    auto addBag = [&](const std::vector<GeneratorValue>& generators, const InstrumentZone* zone) {
        putBag(ibag, generatorCount);
        ++bagCount;
        if (zone) {
            putGenerator(igen, Generator::KeyRange, range(zone->keyLow, zone->keyHigh));
            ++generatorCount;
        }
        for (const GeneratorValue& value : generators) {
            if (value.oper == Generator::KeyRange || value.oper == Generator::SampleId ||
                value.oper == Generator::Instrument)
                continue;
            putGenerator(igen, value.oper, static_cast<uint16_t>(value.amount));
            ++generatorCount;
        }
        if (zone) {
            putGenerator(igen, Generator::SampleId, static_cast<uint16_t>(zone->sampleIndex));
            ++generatorCount;
        }
    };
    for (const Instrument& instrument : m_instruments) {
        putName(inst, instrument.name, 20);
        putU16(inst, static_cast<uint32_t>(bagCount));
        if (!instrument.globalGenerators.empty()) addBag(instrument.globalGenerators, nullptr);
        for (const InstrumentZone& zone : instrument.zones) addBag(zone.generators, &zone);
    }
    putName(inst, "EOI", 20);
    putU16(inst, static_cast<uint32_t>(bagCount));
    putBag(ibag, generatorCount);
    putU32(igen, 0);

    // Presets: one zone each, pointing at its instrument.
    std::string phdr, pbag, pgen;
    for (size_t i = 0; i < m_presets.size(); ++i) {
        const Preset& preset = m_presets[i];
        putName(phdr, preset.name, 20);
        putU16(phdr, static_cast<uint32_t>(preset.program));
        putU16(phdr, static_cast<uint32_t>(preset.bank));
        putU16(phdr, static_cast<uint32_t>(i));  // bag index
        putU32(phdr, 0);                          // library, genre, morphology: reserved
        putU32(phdr, 0);
        putU32(phdr, 0);
        putBag(pbag, i);
        putGenerator(pgen, Generator::Instrument, static_cast<uint16_t>(preset.instrumentIndex));
    }
    putName(phdr, "EOP", 20);
    putU16(phdr, 0);  // program
    putU16(phdr, 0);  // bank
    putU16(phdr, static_cast<uint32_t>(m_presets.size()));
    putU32(phdr, 0);
    putU32(phdr, 0);
    putU32(phdr, 0);
    putBag(pbag, m_presets.size());
    putU32(pgen, 0);

    const std::string pdta = list("pdta", chunk("phdr", phdr) + chunk("pbag", pbag) + chunk("pmod", terminalModulator()) +
                                              chunk("pgen", pgen) + chunk("inst", inst) + chunk("ibag", ibag) +
                                              chunk("imod", terminalModulator()) + chunk("igen", igen) +
                                              chunk("shdr", shdr));
    return chunk("RIFF", "sfbk" + info + sdta + pdta);
}

}  // namespace melodist::soundfont

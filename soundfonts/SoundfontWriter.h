// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SoundfontWriter: builds a minimal, valid SoundFont 2.01 file (RIFF 'sfbk') in memory:
// INFO (ifil 2.01, isng, INAM), sdta/smpl (16-bit mono samples, each followed by the 46
// zero points the spec asks for) and pdta (phdr pbag pmod pgen inst ibag imod igen shdr,
// each with its terminal record). No modulators are written: FluidSynth's default
// modulators (velocity, pitch wheel, ...) apply. Used by the build tool
// melodist-make-soundfont (make_soundfont.cpp) and by tests; any one thread at a time;
// the caller owns the writer and the bytes it returns. Not part of the engine (no Qt,
// no FluidSynth): it only writes bytes.
//
//   SoundfontWriter writer("Melodist");
//   const int sample = writer.addSample({.name = "C4", .data = pcm, .rootKey = 60,
//                                        .loopStart = 4410, .loopEnd = 8820});
//   const int instrument = writer.addInstrument({.name = "Soft", .zones = {{.sampleIndex = sample}}});
//   writer.addPreset({.name = "Melodist Soft", .instrumentIndex = instrument});
//   std::string sf2 = writer.bytes();

#include <cstdint>
#include <string>
#include <vector>

namespace melodist::soundfont {

// SF2 generator operators used here (SoundFont 2.04 section 8.1.2).
enum class Generator : uint16_t {
    InitialFilterFc = 8,     // cents, 1500..13500
    Pan = 17,                // 0.1 %, -500..500
    DelayVolEnv = 33,        // timecents (1200 * log2(seconds))
    AttackVolEnv = 34,
    HoldVolEnv = 35,
    DecayVolEnv = 36,
    SustainVolEnv = 37,      // centibels of attenuation, 0..1440
    ReleaseVolEnv = 38,
    Instrument = 41,         // preset zones only, always last
    KeyRange = 43,           // always first
    VelRange = 44,
    InitialAttenuation = 48, // centibels
    SampleId = 53,           // instrument zones only, always last
    SampleModes = 54,        // 0 no loop, 1 loop continuously, 3 loop until release then play on
    OverridingRootKey = 58,
};

struct GeneratorValue {
    Generator oper;
    int16_t amount = 0;
};

// Converts seconds to SF2 timecents (1200 * log2(seconds)), clamped to the SF2 range.
int16_t secondsToTimecents(double seconds);

struct Sample {
    std::string name;             // up to 20 characters (longer names are cut)
    std::vector<int16_t> data;    // mono PCM
    int sampleRate = 44100;
    int rootKey = 60;             // MIDI key at which the data plays unchanged
    int pitchCorrectionCents = 0; // -99..99, added when the data is a little off its root key
    uint32_t loopStart = 0;       // index of the first point of the loop
    uint32_t loopEnd = 0;         // index of the first point after the loop; 0 with loopStart 0: no loop
};

struct InstrumentZone {
    int keyLow = 0, keyHigh = 127;
    int sampleIndex = 0;                     // from addSample
    std::vector<GeneratorValue> generators;  // besides KeyRange and SampleId, written in order
};

struct Instrument {
    std::string name;
    std::vector<GeneratorValue> globalGenerators;  // apply to every zone unless a zone overrides them
    std::vector<InstrumentZone> zones;
};

struct Preset {
    std::string name;
    int bank = 0;
    int program = 0;
    int instrumentIndex = 0;  // from addInstrument
};

class SoundfontWriter {
public:
    explicit SoundfontWriter(std::string bankName);

    // Each throws std::invalid_argument for a value the format cannot hold (an empty sample,
    // a loop outside the data or shorter than 32 points, an index out of range): these are
    // programming errors in the caller, which builds the font from its own code.
    int addSample(Sample sample);
    int addInstrument(Instrument instrument);
    void addPreset(Preset preset);

    // The whole .sf2 file. Same inputs, same bytes.
    std::string bytes() const;

private:
    std::string m_bankName;
    std::vector<Sample> m_samples;
    std::vector<Instrument> m_instruments;
    std::vector<Preset> m_presets;
};

}  // namespace melodist::soundfont

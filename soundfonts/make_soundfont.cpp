// SPDX-License-Identifier: GPL-3.0-or-later
// melodist-make-soundfont OUT.sf2: writes Melodist's built-in soundfont, "Melodist Soft"
// (bank 0, program 0; also bank 128 program 0 for the percussion channel), synthesised here so tests and a minimal install always have a
// sound without any General MIDI font. Run at build time (soundfonts/CMakeLists.txt).
//
// The tone: a few harmonics that start bright and settle within 0.4 s to a mellow,
// steady spectrum, which is then looped. Each sample's loop holds a whole number of
// periods of every harmonic, so it is seamless, and starts where every harmonic is at
// phase 0 (a zero crossing). One sample per octave (C1..C7), each played within half an
// octave of its root. Soft attack, slow decay to -20 dB, moderate release.
#include "soundfonts/SoundfontWriter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>

namespace {

using namespace melodist::soundfont;

constexpr int kSampleRate = 44100;
constexpr double kSettleSeconds = 0.4;     // bright attack spectrum -> steady spectrum
constexpr double kLoopTargetSeconds = 0.1; // loop length aimed at (whole periods)
constexpr double kPeak = 0.7;              // of full scale, leaves room for interpolation
constexpr int kRoots[] = {24, 36, 48, 60, 72, 84, 96};
// Amplitudes of harmonics 1..8: at the onset, and once settled.
constexpr double kBright[] = {1.0, 0.55, 0.35, 0.22, 0.14, 0.09, 0.06, 0.04};
constexpr double kMellow[] = {1.0, 0.30, 0.12, 0.05, 0.025, 0.012, 0.006, 0.003};

Sample synthesise(int rootKey) {
    const double target = 440.0 * std::pow(2.0, (rootKey - 69) / 12.0);
    // k periods in exactly `loop` points: the played frequency k * rate / loop is within a
    // fraction of a cent of the target; the rest goes into the pitch correction.
    const int periods = std::max(1, static_cast<int>(std::lround(target * kLoopTargetSeconds)));
    const int loop = static_cast<int>(std::lround(periods * static_cast<double>(kSampleRate) / target));
    const double frequency = periods * static_cast<double>(kSampleRate) / loop;
    const int correction = static_cast<int>(std::lround(-1200.0 * std::log2(frequency / target)));
    const int loopCount = static_cast<int>(std::ceil(kSettleSeconds * kSampleRate / loop));
    const int loopStart = loopCount * loop, loopEnd = loopStart + loop;
    const int size = loopEnd + 16;  // a little past the loop, for interpolation

    // Leave out harmonics that would alias when the sample is played half an octave up.
    const double nyquistMargin = 0.45 * kSampleRate / std::pow(2.0, 6.0 / 12.0);
    std::vector<double> wave(static_cast<size_t>(size));
    for (int h = 1; h <= 8 && h * frequency < nyquistMargin; ++h) {
        const double tau = 0.3 / h;  // higher harmonics settle sooner
        const double settledWeight = std::exp(-kSettleSeconds / tau);
        for (int i = 0; i < size; ++i) {
            const double t = static_cast<double>(i) / kSampleRate;
            // 1 at the onset, exactly 0 from loopStart on (t >= kSettleSeconds there).
            const double w = t < kSettleSeconds ? (std::exp(-t / tau) - settledWeight) / (1.0 - settledWeight) : 0.0;
            const double amplitude = kMellow[h - 1] + (kBright[h - 1] - kMellow[h - 1]) * w;
            // Phase from the point index modulo the loop, so the loop repeats bit-exactly.
            const double phase = 2.0 * std::numbers::pi * h * periods * (i % loop) / loop;
            wave[static_cast<size_t>(i)] += amplitude * std::sin(phase);
        }
    }
    double peak = 0;
    for (const double value : wave) peak = std::max(peak, std::abs(value));
    Sample sample;
    sample.name = "Soft " + std::to_string(rootKey);
    sample.sampleRate = kSampleRate;
    sample.rootKey = rootKey;
    sample.pitchCorrectionCents = correction;
    sample.loopStart = static_cast<uint32_t>(loopStart);
    sample.loopEnd = static_cast<uint32_t>(loopEnd);
    sample.data.reserve(wave.size());
    for (const double value : wave)
        sample.data.push_back(static_cast<int16_t>(std::lround(value / peak * kPeak * 32767.0)));
    return sample;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: melodist-make-soundfont OUT.sf2\n");
        return 2;
    }
    SoundfontWriter writer("Melodist Soft");
    Instrument instrument;
    instrument.name = "Melodist Soft";
    instrument.globalGenerators = {
        {Generator::AttackVolEnv, secondsToTimecents(0.025)},
        {Generator::HoldVolEnv, secondsToTimecents(0.02)},
        {Generator::DecayVolEnv, secondsToTimecents(12.0)},  // time for 96 dB: -20 dB after 2.5 s
        {Generator::SustainVolEnv, 200},                     // centibels
        {Generator::ReleaseVolEnv, secondsToTimecents(0.35)},
        {Generator::SampleModes, 1},                         // loop continuously, through the release
    };
    const int rootCount = static_cast<int>(std::size(kRoots));
    for (int i = 0; i < rootCount; ++i) {
        InstrumentZone zone;
        zone.sampleIndex = writer.addSample(synthesise(kRoots[i]));
        zone.keyLow = i == 0 ? 0 : kRoots[i] - 6;
        zone.keyHigh = i == rootCount - 1 ? 127 : kRoots[i] + 5;
        instrument.zones.push_back(zone);
    }
    const int soft = writer.addInstrument(instrument);
    writer.addPreset({.name = "Melodist Soft", .bank = 0, .program = 0, .instrumentIndex = soft});
    // FluidSynth gives MIDI channel 10 bank 128 (percussion) and warns when a font has no
    // such preset; the same soft tone there keeps it quiet and channel 10 audible.
    writer.addPreset({.name = "Melodist Soft Ch10", .bank = 128, .program = 0, .instrumentIndex = soft});

    const std::filesystem::path out(argv[1]);
    std::error_code error;
    if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path(), error);
    const std::string bytes = writer.bytes();
    const std::filesystem::path temporary = out.string() + ".tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!file.flush()) {
            std::fprintf(stderr, "melodist-make-soundfont: cannot write %s\n", temporary.c_str());
            return 1;
        }
    }
    std::filesystem::rename(temporary, out, error);
    if (error) {
        std::fprintf(stderr, "melodist-make-soundfont: cannot rename %s to %s: %s\n", temporary.c_str(), out.c_str(),
                     error.message().c_str());
        return 1;
    }
    return 0;
}

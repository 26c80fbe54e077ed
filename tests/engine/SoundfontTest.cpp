// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in soundfont (soundfonts/make_soundfont.cpp, generated at build time) and the
// SF2 writer behind it, checked through FluidSynth itself.
#include "soundfonts/SoundfontWriter.h"

#include <fluidsynth.h>

#include <QFile>
#include <QtTest>

#include "tests/common/TestSupport.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

using namespace melodist::soundfont;

namespace {

constexpr int kRate = 44100;

QStringList g_fluidMessages;
void collectMessage(int level, const char* message, void*) {
    g_fluidMessages << QStringLiteral("[%1] %2").arg(level).arg(QString::fromUtf8(message));
}

// A private synthesiser with the built-in font loaded, no audio driver.
struct Synth {
    fluid_settings_t* settings = new_fluid_settings();
    fluid_synth_t* synth = nullptr;
    int fontId = FLUID_FAILED;
    Synth() {
        fluid_settings_setnum(settings, "synth.sample-rate", kRate);
        fluid_settings_setint(settings, "synth.reverb.active", 0);
        fluid_settings_setint(settings, "synth.chorus.active", 0);
        synth = new_fluid_synth(settings);
        fontId = fluid_synth_sfload(synth, melodist::test::builtInSoundfontForTests().toUtf8().constData(), 1);
    }
    ~Synth() {
        delete_fluid_synth(synth);
        delete_fluid_settings(settings);
    }
    std::vector<float> render(double seconds) {  // left channel
        std::vector<float> left(static_cast<size_t>(seconds * kRate)), right(left.size());
        fluid_synth_write_float(synth, static_cast<int>(left.size()), left.data(), 0, 1, right.data(), 0, 1);
        return left;
    }
};

double rmsDb(const std::vector<float>& samples, size_t from, size_t count) {
    double sum = 0;
    for (size_t i = from; i < from + count && i < samples.size(); ++i) sum += double(samples[i]) * samples[i];
    return 10.0 * std::log10(sum / double(count) + 1e-20);
}

// Goertzel power of `frequency` over the samples, Hann-windowed (little leakage from nearby pitches).
double powerAt(const std::vector<float>& samples, size_t from, size_t count, double frequency) {
    const double coefficient = 2.0 * std::cos(2.0 * std::numbers::pi * frequency / kRate);
    double s1 = 0, s2 = 0;
    for (size_t i = from; i < from + count; ++i) {
        const double hann = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * double(i - from) / double(count));
        const double s0 = hann * samples[i] + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

}  // namespace

class SoundfontTest : public QObject {
    Q_OBJECT
private slots:
    void builtInFontLoadsInFluidSynthWithoutAnyWarning() {
        // GIVEN FluidSynth's warnings and errors collected
        QVERIFY2(QFile::exists(melodist::test::builtInSoundfontForTests()), qPrintable(melodist::test::builtInSoundfontForTests()));
        g_fluidMessages.clear();
        for (int level : {FLUID_PANIC, FLUID_ERR, FLUID_WARN}) fluid_set_log_function(level, collectMessage, nullptr);
        // WHEN the font is loaded
        int fontId = FLUID_FAILED;
        QString presetName;
        {
            Synth synth;
            fontId = synth.fontId;
            if (fontId >= 0)
                if (fluid_preset_t* preset =
                        fluid_sfont_get_preset(fluid_synth_get_sfont_by_id(synth.synth, fontId), 0, 0))
                    presetName = QString::fromUtf8(fluid_preset_get_name(preset));
            fluid_synth_noteon(synth.synth, 0, 60, 100);
            synth.render(0.1);
        }
        for (int level : {FLUID_PANIC, FLUID_ERR, FLUID_WARN}) fluid_set_log_function(level, fluid_default_log_function, nullptr);
        // THEN it loads, nothing was said, and bank 0 program 0 is "Melodist Soft"
        QVERIFY2(fontId >= 0, qPrintable(g_fluidMessages.join('\n')));
        QVERIFY2(g_fluidMessages.isEmpty(), qPrintable(g_fluidMessages.join('\n')));
        QCOMPARE(presetName, QStringLiteral("Melodist Soft"));
    }

    void notesAcrossTheKeyboardSoundAtTheirPitch() {
        // GIVEN the font, and one key in each sample's range (and at both ends of a range)
        for (int key : {30, 36, 53, 54, 60, 69, 81, 90, 100}) {
            Synth synth;
            QVERIFY(synth.fontId >= 0);
            // WHEN the key is held
            fluid_synth_noteon(synth.synth, 0, key, 100);
            const std::vector<float> audio = synth.render(1.5);
            // THEN it is loud, and its fundamental is far stronger than a semitone either side
            const double frequency = 440.0 * std::pow(2.0, (key - 69) / 12.0);
            const size_t from = kRate / 2, count = kRate;
            const double level = rmsDb(audio, from, count);
            QVERIFY2(level > -45.0, qPrintable(QStringLiteral("key %1: %2 dBFS").arg(key).arg(level)));
            const double at = powerAt(audio, from, count, frequency);
            const double below = powerAt(audio, from, count, frequency / std::pow(2.0, 1.0 / 12.0));
            const double above = powerAt(audio, from, count, frequency * std::pow(2.0, 1.0 / 12.0));
            QVERIFY2(at > 100.0 * below && at > 100.0 * above,
                     qPrintable(QStringLiteral("key %1: %2 vs %3 / %4").arg(key).arg(at).arg(below).arg(above)));
        }
    }

    void aHeldNoteSustainsThroughItsLoopThenFadesToSilenceAfterRelease() {
        // GIVEN a note held for 3 s, far longer than its sample
        Synth synth;
        QVERIFY(synth.fontId >= 0);
        fluid_synth_noteon(synth.synth, 0, 64, 100);
        const std::vector<float> held = synth.render(3.0);
        // WHEN it is released
        fluid_synth_noteoff(synth.synth, 0, 64);
        const std::vector<float> released = synth.render(1.0);
        // THEN it still sounds at the end of the hold, 6..25 dB softer than at the start (a soft
        // decay), and is silent (below -60 dBFS, here at FluidSynth's default gain) 0.3 s after the release
        const double start = rmsDb(held, 0, 2205), end = rmsDb(held, held.size() - 2205, 2205);
        const double after = rmsDb(released, size_t(0.3 * kRate), 2205);
        qInfo("held note: %.1f dBFS at the start, %.1f dBFS after 3 s, %.1f dBFS 0.3 s after release", start, end, after);
        QVERIFY2(end > start - 25.0, qPrintable(QStringLiteral("%1 vs %2").arg(end).arg(start)));
        QVERIFY2(end < start - 6.0, qPrintable(QStringLiteral("%1 vs %2").arg(end).arg(start)));
        QVERIFY2(after < -60.0, qPrintable(QString::number(after)));
    }

    void writerProducesRiffSizesThatAddUp() {
        // GIVEN a one-sample font built with the writer
        SoundfontWriter writer("Test");
        std::vector<int16_t> data(200);
        for (size_t i = 0; i < data.size(); ++i) data[i] = int16_t(10000 * std::sin(2 * std::numbers::pi * i / 50.0));
        const int sample = writer.addSample({.name = "sine", .data = data, .rootKey = 60, .loopStart = 50, .loopEnd = 150});
        Instrument instrument;
        instrument.name = "I";
        instrument.zones.emplace_back().sampleIndex = sample;
        writer.addPreset({.name = "P", .bank = 0, .program = 0, .instrumentIndex = writer.addInstrument(instrument)});
        // WHEN it is written
        const std::string bytes = writer.bytes();
        // THEN the RIFF size covers the file, and the sample data holds the points plus 46 zeros
        QCOMPARE(bytes.substr(0, 4), std::string("RIFF"));
        QCOMPARE(bytes.substr(8, 4), std::string("sfbk"));
        const auto u32 = [&](size_t at) {
            return uint32_t(uint8_t(bytes[at])) | uint32_t(uint8_t(bytes[at + 1])) << 8 |
                   uint32_t(uint8_t(bytes[at + 2])) << 16 | uint32_t(uint8_t(bytes[at + 3])) << 24;
        };
        QCOMPARE(size_t(u32(4)) + 8, bytes.size());
        const size_t smpl = bytes.find("smpl");
        QVERIFY(smpl != std::string::npos);
        QCOMPARE(u32(smpl + 4), uint32_t((200 + 46) * 2));
        QCOMPARE(bytes.size() % 2, size_t(0));
    }

    void writerRejectsALoopOutsideItsSample() {
        // GIVEN a sample whose loop ends past its data, WHEN added, THEN it is refused
        SoundfontWriter writer("Test");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 writer.addSample({.name = "bad", .data = std::vector<int16_t>(100), .loopStart = 10, .loopEnd = 99}));
        Instrument withoutSample;
        withoutSample.name = "I";
        withoutSample.zones.emplace_back().sampleIndex = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, writer.addInstrument(withoutSample));
    }
};

QTEST_GUILESS_MAIN(SoundfontTest)
#include "SoundfontTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Offline rendering (engine/audio/OfflineRenderer.h) and WAV encoding, with the built-in
// soundfont: loudness rises at every onset, silence after the release, byte-identical
// reruns, tempo maps and overrides, articulation (which notes sound how long).
#include "engine/audio/OfflineRenderer.h"
#include "engine/audio/WavWriter.h"
#include "engine/io/MidiFile.h"
#include "tests/common/TestSupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <vector>

using namespace melodist::engine;
using melodist::test::makeNote;

namespace {

constexpr int kRate = 44100;
constexpr size_t kWindow = kRate / 20;  // 50 ms

RenderOptions builtInOptions() {
    RenderOptions options;
    options.soundfontPath =
        (melodist::test::builtInSoundfontForTests())
            .toStdString();
    options.sampleRate = kRate;
    return options;
}

// Ten notes of different lengths and velocities, with rests between some of them, at 120 BPM.
Score melody() {
    Score score;
    score.tempos.push_back({.onset = 0, .bpm = 120});
    score.parts.emplace_back().name = "Melody";
    const struct { int pitch; Rational onset, duration; int velocity; } notes[] = {
        {60, 0, 1, 90},   {64, 2, Rational(1, 2), 70},      {67, 3, Rational(3, 4), 100}, {72, 4, 2, 80},
        {71, 7, Rational(1, 2), 60}, {69, 8, Rational(1, 4), 110}, {67, 9, Rational(3, 2), 85},
        {62, 11, 1, 75},  {65, 13, Rational(1, 2), 95},     {60, 14, 2, 90}};
    for (const auto& n : notes) score.parts[0].notes.push_back(makeNote(n.pitch, n.onset, n.duration, n.velocity));
    return score;
}

// RMS in dBFS of the mid channel ((L+R)/2) over [fromFrame, fromFrame + frames).
double rmsDb(const std::vector<float>& stereo, int64_t fromFrame, size_t frames) {
    double sum = 0;
    for (size_t i = 0; i < frames; ++i) {
        const size_t frame = size_t(fromFrame) + i;
        const double mid = 0.5 * (stereo[2 * frame] + stereo[2 * frame + 1]);
        sum += mid * mid;
    }
    return 10.0 * std::log10(sum / double(frames) + 1e-20);
}

uint32_t u32(const std::string& bytes, size_t at) {
    return uint32_t(uint8_t(bytes[at])) | uint32_t(uint8_t(bytes[at + 1])) << 8 | uint32_t(uint8_t(bytes[at + 2])) << 16 |
           uint32_t(uint8_t(bytes[at + 3])) << 24;
}
uint16_t u16(const std::string& bytes, size_t at) { return uint16_t(uint8_t(bytes[at]) | uint8_t(bytes[at + 1]) << 8); }

}  // namespace

class OfflineRendererTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    Score m_melody;  // read back from a MIDI file, as a user's file would be

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const std::string path = m_dir.filePath(QStringLiteral("melody.mid")).toStdString();
        QVERIFY(writeMidiFile(melody(), path).ok());
        Result<Score> read = readMidiFile(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        m_melody = *read;
        QCOMPARE(m_melody.noteCount(), size_t(10));
    }

    void loudnessRisesAtEveryOnsetAndIsSilentAfterTheLastRelease() {
        // GIVEN the melody, WHEN rendered with the built-in font
        const Result<std::vector<float>> audio = renderScore(m_melody, builtInOptions());
        QVERIFY2(audio.ok(), audio.ok() ? "" : audio.error().c_str());
        // THEN it lasts until the last note's end (8 s at 120 BPM) plus the 1.5 s tail
        QCOMPARE(audio->size(), size_t(2 * std::llround((8.0 + 1.5) * kRate)));
        // and the 50 ms after each onset are louder than the 50 ms before it
        for (const Note& note : m_melody.parts[0].notes) {
            const auto onset = int64_t(std::llround(scoreTimeToSeconds(m_melody, note.onset) * kRate));
            const double before = onset >= int64_t(kWindow) ? rmsDb(*audio, onset - int64_t(kWindow), kWindow) : -200.0;
            const double after = rmsDb(*audio, onset, kWindow);
            qInfo("onset %5.2f s pitch %d velocity %3d: %6.1f dBFS before, %6.1f dBFS after", double(onset) / kRate,
                  note.pitch, note.velocity, before, after);
            QVERIFY2(after > before + 3.0, qPrintable(melodist::test::describe(note) +
                                                      QStringLiteral(": %1 -> %2 dBFS").arg(before).arg(after)));
            QVERIFY2(after > -40.0, qPrintable(QString::number(after)));
        }
        // and from 0.5 s after the last note-off on, every window is below -60 dBFS
        const auto lastOff = int64_t(8.0 * kRate);
        double loudestTail = -200.0;
        for (int64_t from = lastOff + kRate / 2; from + int64_t(kWindow) <= int64_t(audio->size() / 2); from += kWindow)
            loudestTail = std::max(loudestTail, rmsDb(*audio, from, kWindow));
        qInfo("loudest 50 ms window from 0.5 s after the last release: %.1f dBFS", loudestTail);
        QVERIFY2(loudestTail < -60.0, qPrintable(QString::number(loudestTail)));
        // and nothing clips
        float peak = 0;
        for (const float sample : *audio) peak = std::max(peak, std::abs(sample));
        qInfo("peak %.3f (%.1f dBFS)", double(peak), 20.0 * std::log10(double(peak)));
        QVERIFY(peak < 1.0f && peak > 0.01f);
    }

    void renderingTwiceGivesTheSameWavBytes() {
        // GIVEN the melody, WHEN it is rendered and encoded twice
        const auto first = renderScore(m_melody, builtInOptions());
        const auto second = renderScore(m_melody, builtInOptions());
        QVERIFY(first.ok() && second.ok());
        // THEN the bytes are identical
        const std::string a = encodeWav16(*first, 2, kRate), b = encodeWav16(*second, 2, kRate);
        QCOMPARE(a.size(), b.size());
        QVERIFY(a == b);
    }

    void tempoOverrideScalesTheDuration() {
        // GIVEN the melody (16 quarters long) at its own 120 BPM, and overridden to 60 and 240 BPM
        RenderOptions options = builtInOptions();
        options.tailSeconds = 0;
        const auto own = renderScore(m_melody, options);
        options.tempoBpm = 60;
        const auto slow = renderScore(m_melody, options);
        options.tempoBpm = 240;
        const auto fast = renderScore(m_melody, options);
        QVERIFY(own.ok() && slow.ok() && fast.ok());
        // THEN half the tempo doubles the length and twice the tempo halves it
        QCOMPARE(own->size(), size_t(2 * 8 * kRate));
        QCOMPARE(slow->size(), 2 * own->size());
        QCOMPARE(fast->size(), own->size() / 2);
    }

    void tempoChangesInTheScoreMoveLaterNotes() {
        // GIVEN 120 BPM for four quarters, then 60 BPM
        Score score = melody();
        score.tempos.push_back({.onset = 4, .bpm = 60});
        // WHEN times are converted
        // THEN quarter 4 is at 2 s, quarter 8 at 2 + 4 = 6 s, and the end (16) at 14 s
        QCOMPARE(scoreTimeToSeconds(score, 4), 2.0);
        QCOMPARE(scoreTimeToSeconds(score, 8), 6.0);
        QCOMPARE(scoreTimeToSeconds(score, Rational(1, 2)), 0.25);
        RenderOptions options = builtInOptions();
        options.tailSeconds = 0;
        const auto audio = renderScore(score, options);
        QVERIFY(audio.ok());
        QCOMPARE(audio->size(), size_t(2 * 14 * kRate));
    }

    void wavHeaderReadsBackAsSixteenBitStereo() {
        // GIVEN a few samples, one beyond full scale
        const std::vector<float> samples = {0.0f, 0.5f, -0.5f, 1.0f, -1.0f, 2.0f, -2.0f, 0.25f};
        // WHEN encoded and written
        const QString path = m_dir.filePath(QStringLiteral("tiny.wav"));
        QVERIFY(writeWavFile(path.toStdString(), samples, 2, 22050).ok());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const std::string bytes = file.readAll().toStdString();
        // THEN the header says PCM, 2 channels, 22050 Hz, 16 bits, and the samples are rounded and clipped
        QCOMPARE(bytes.size(), size_t(44 + 16));
        QCOMPARE(bytes.substr(0, 4), std::string("RIFF"));
        QCOMPARE(u32(bytes, 4), uint32_t(bytes.size() - 8));
        QCOMPARE(bytes.substr(8, 8), std::string("WAVEfmt "));
        QCOMPARE(u16(bytes, 20), uint16_t(1));
        QCOMPARE(u16(bytes, 22), uint16_t(2));
        QCOMPARE(u32(bytes, 24), uint32_t(22050));
        QCOMPARE(u32(bytes, 28), uint32_t(22050 * 4));
        QCOMPARE(u16(bytes, 32), uint16_t(4));
        QCOMPARE(u16(bytes, 34), uint16_t(16));
        QCOMPARE(bytes.substr(36, 4), std::string("data"));
        QCOMPARE(u32(bytes, 40), uint32_t(16));
        const int16_t expected[] = {0, 16384, -16384, 32767, -32767, 32767, -32768, 8192};
        for (size_t i = 0; i < 8; ++i) QCOMPARE(int16_t(u16(bytes, 44 + 2 * i)), expected[i]);
    }

    void aMissingSoundfontIsAnErrorNamingIt() {
        // GIVEN a soundfont path that does not exist
        RenderOptions options = builtInOptions();
        options.soundfontPath = "/nonexistent/font.sf2";
        // WHEN rendering, THEN the error names the path and says what to do
        const auto audio = renderScore(m_melody, options);
        QVERIFY(!audio.ok());
        QVERIFY2(QString::fromStdString(audio.error()).startsWith(QStringLiteral("/nonexistent/font.sf2: soundfont not found")),
                 audio.error().c_str());
        // and a file that is not a soundfont is refused by FluidSynth, also by name
        const QString notFont = m_dir.filePath(QStringLiteral("melody.mid"));
        options.soundfontPath = notFont.toStdString();
        const auto refused = renderScore(m_melody, options);
        QVERIFY(!refused.ok());
        QVERIFY2(QString::fromStdString(refused.error()).contains(QStringLiteral("cannot load")), refused.error().c_str());
    }

    void articulationShortensOnlyNotesTheirPartFollowsAtOnce() {
        // GIVEN at 120 BPM (a quarter = 0.5 s): C4 D4 quarters joined, E4 an eighth then an
        // eighth rest, F4 and F4 again (the first F4 written a quarter but overlapped by the
        // second after an eighth), a 32nd G4 joined to a 32nd A4; and in a second part a
        // half-note C3, a D3 starting under it, then C3 again at the half note's end
        Score score;
        score.tempos.push_back({.onset = 0, .bpm = 120});
        score.parts.emplace_back().name = "Melody";
        for (const Note& note : {makeNote(60, 0, 1), makeNote(62, 1, 1), makeNote(64, 2, Rational(1, 2)),
                                 makeNote(65, 3, 1), makeNote(65, Rational(7, 2), Rational(1, 2)),
                                 makeNote(67, 4, Rational(1, 8)), makeNote(69, Rational(33, 8), Rational(1, 8))})
            score.parts[0].notes.push_back(note);
        score.parts.emplace_back().name = "Bass";
        score.parts[1].notes = {makeNote(48, 0, 2), makeNote(48, 2, 1), makeNote(50, Rational(1, 2), 1)};
        const auto offsOf = [&](Articulation articulation) {
            std::vector<double> offs;
            for (const SoundingNote& note : soundingNotes(score, 0, articulation)) offs.push_back(note.offSeconds);
            return offs;
        };
        // WHEN articulated normally
        const std::vector<double> normal = offsOf(Articulation::Normal);
        // THEN a note followed at once stops 60 ms before the next onset; E4 (a rest after it)
        // and the last note of a part keep their length; the overlapped F4 ends 60 ms before
        // its repetition; the 32nd G4 (62.5 ms) keeps half its length; the bass C3 is followed at
        // once by C3 (the D3 starting under it does not count); the D3 ends a rest before C3
        const std::vector<double> expectedNormal = {0.44, 0.94, 1.25, 1.69, 1.94, 2.03125, 2.125,
                                                    0.94, 0.75, 1.5};
        QCOMPARE(normal.size(), expectedNormal.size());
        for (size_t i = 0; i < normal.size(); ++i)
            QVERIFY2(std::abs(normal[i] - expectedNormal[i]) < 1e-9,
                     qPrintable(QStringLiteral("note %1: off %2 s, expected %3 s").arg(i).arg(normal[i]).arg(expectedNormal[i])));
        // and legato keeps the written lengths, but the first F4 still ends where the second starts
        const std::vector<double> legato = offsOf(Articulation::Legato);
        const std::vector<double> expectedLegato = {0.5, 1.0, 1.25, 1.75, 2.0, 2.0625, 2.125, 1.0, 0.75, 1.5};
        QCOMPARE(legato.size(), expectedLegato.size());
        for (size_t i = 0; i < legato.size(); ++i) QCOMPARE(legato[i], expectedLegato[i]);
        // and staccato halves each of those
        const std::vector<double> staccato = offsOf(Articulation::Staccato);
        const std::vector<double> ons = {0, 0.5, 1.0, 1.5, 1.75, 2.0, 2.0625, 0, 0.25, 1.0};
        QCOMPARE(staccato.size(), ons.size());
        for (size_t i = 0; i < staccato.size(); ++i) QCOMPARE(staccato[i], ons[i] + (expectedLegato[i] - ons[i]) / 2);
        // and the names round-trip, anything else is refused
        for (Articulation a : {Articulation::Normal, Articulation::Legato, Articulation::Staccato})
            QVERIFY(parseArticulation(articulationName(a)) == a);
        QVERIFY(!parseArticulation("tenuto"));
    }

    void aThirtySecondMelodyRendersFasterThanRealTime() {
        // GIVEN 60 notes a quarter apart at 120 BPM (30 s; the last one ends at 29.875 s)
        Score score;
        score.parts.emplace_back().name = "Long";
        for (int i = 0; i < 60; ++i)
            score.parts[0].notes.push_back(makeNote(60 + (i * 5) % 19, i, Rational(3, 4), 70 + i % 40));
        // WHEN rendered
        QElapsedTimer timer;
        timer.start();
        const auto audio = renderScore(score, builtInOptions());
        const qint64 ms = timer.elapsed();
        QVERIFY(audio.ok());
        // THEN it takes well under its own length
        qInfo("30 s melody (+1.5 s tail) rendered in %lld ms", ms);
        QCOMPARE(audio->size(), size_t(2 * std::llround((29.875 + 1.5) * kRate)));
        QVERIFY2(ms < 15000, qPrintable(QString::number(ms)));
    }
};

QTEST_GUILESS_MAIN(OfflineRendererTest)
#include "OfflineRendererTest.moc"

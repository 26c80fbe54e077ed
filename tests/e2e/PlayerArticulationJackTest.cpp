// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: live playback articulates as the WAV does (engine/audio/Articulation.h is
// shared by Player and OfflineRenderer). A private JACK server (dummy driver, 256 frames at
// 48 kHz), the Player on FluidSynth's JACK driver with the built-in font, and a capture
// client. The seeds' opening "67 _ 67 _ 67 _ _ 65 64 _ 64 _ 64 _ _" (no rest between
// notes) must rise at every onset by >= 1 dB (RMS of the 50 ms from the onset over the
// 50 ms before it) when played normally, and must not when played legato. Skips without jackd.
#include "engine/audio/Player.h"
#include "tests/common/TestSupport.h"
#include "tests/e2e/JackCapture.h"
#include "tests/e2e/JackTestServer.h"

#include <QtTest>

#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

using namespace melodist::engine;
using melodist::test::JackCapture;

namespace {

constexpr int kRate = 48000;
constexpr int kPeriod = 256;
constexpr size_t kWindow = kRate / 20;  // 50 ms
constexpr double kRiseDb = 1.0;

// 67 e, 67 e, 67 dotted e, 65 s, 64 e, 64 e, 64 dotted e at 120 BPM: 2 s, onsets in quarters.
Score seedOpening() {
    Score score;
    score.tempos.push_back({.onset = 0, .bpm = 120});
    score.parts.emplace_back().name = "Seed";
    const struct { int pitch; Rational onset, duration; } notes[] = {
        {67, 0, Rational(1, 2)},           {67, Rational(1, 2), Rational(1, 2)}, {67, 1, Rational(3, 4)},
        {65, Rational(7, 4), Rational(1, 4)}, {64, 2, Rational(1, 2)},          {64, Rational(5, 2), Rational(1, 2)},
        {64, 3, Rational(3, 4)}};
    for (const auto& n : notes) score.parts[0].notes.push_back(melodist::test::makeNote(n.pitch, n.onset, n.duration, 90));
    return score;
}

}  // namespace

class PlayerArticulationJackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const QString why = m_server.start(QStringLiteral("melodist-artic"), kRate, kPeriod,
                                           [this] { return m_capture.open("melodist-capture"); });
        if (!why.isEmpty()) QSKIP(qPrintable(why));
    }

    void cleanupTestCase() {
        m_capture.close();
        m_server.stop();
    }

    void normalPlaybackRisesAtEveryOnsetAndLegatoDoesNot() {
        // GIVEN the Player on JACK, recorded by the capture client
        PlayerOptions options;
        options.driver = "jack";
        options.soundfontPath = melodist::test::builtInSoundfontForTests().toStdString();
        options.clientName = "melodist-player";
        options.jackAutoConnect = false;
        options.effects = false;  // dry, as the offline renderer
        auto player = Player::open(options);
        QVERIFY2(player.ok(), player.ok() ? "" : player.error().c_str());
        QCOMPARE((*player)->articulation(), Articulation::Normal);
        QVERIFY(m_capture.activate(9.0, "melodist-player"));
        const Score score = seedOpening();
        m_capture.recording.store(true, std::memory_order_release);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QVERIFY(m_capture.started.load(std::memory_order_acquire));

        // WHEN it plays the melody normally, then legato
        std::vector<size_t> playIndex;
        for (Articulation articulation : {Articulation::Normal, Articulation::Legato}) {
            (*player)->setArticulation(articulation);
            playIndex.push_back(m_capture.indexOf(m_capture.frameTime()));
            const Result<void> started = (*player)->play(score);
            QVERIFY2(started.ok(), started.ok() ? "" : started.error().c_str());
            for (int wait = 0; wait < 200 && (*player)->isPlaying(); ++wait)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            QVERIFY(!(*player)->isPlaying());
            std::this_thread::sleep_for(std::chrono::milliseconds(700));  // the release
        }
        m_capture.recording.store(false, std::memory_order_release);
        const size_t end = m_capture.endIndex.load(std::memory_order_acquire);

        // THEN played normally every onset rises by >= 1 dB; played legato, some do not
        for (size_t pass = 0; pass < 2; ++pass) {
            const size_t first = m_capture.firstAbove(playIndex[pass], end, 1e-5f);  // onset 0
            QVERIFY2(first + size_t(2.2 * kRate) < end, "the melody was not recorded");
            int missed = 0;
            double minRise = 1e9;
            for (const Note& note : score.parts[0].notes) {
                const size_t onset = first + size_t(std::llround(note.onset.toDouble() * 0.5 * kRate));
                const double before = onset >= first + kWindow ? m_capture.rms(onset - kWindow, onset) : 0.0;
                const double after = m_capture.rms(onset, onset + kWindow);
                const double rise = 20.0 * std::log10((after + 1e-10) / (before + 1e-10));
                minRise = std::min(minRise, rise);
                missed += rise < kRiseDb;
            }
            qInfo("%s: rise min %.2f dB, %d of 7 onsets under %.0f dB", pass == 0 ? "normal" : "legato", minRise,
                  missed, kRiseDb);
            if (pass == 0) QCOMPARE(missed, 0);
            else QVERIFY2(missed > 0, "legato playback rose at every onset: the check cannot tell the difference");
        }
    }

private:
    melodist::test::JackTestServer m_server;  // declared first: the capture client closes before it stops
    JackCapture m_capture;
};

QTEST_GUILESS_MAIN(PlayerArticulationJackTest)
#include "PlayerArticulationJackTest.moc"

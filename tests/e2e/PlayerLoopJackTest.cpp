// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: a loop region in the Player. A private JACK server (dummy driver, 256
// frames at 48 kHz), the Player on FluidSynth's JACK driver and a capture client of the
// test's own. A two-note loop must sound at its note times in every pass, the note after
// the loop never, the polled position must stay inside the loop, and stop() must end it.
// Skips when jackd is not installed or cannot start.
#include "engine/audio/Player.h"
#include "tests/common/TestSupport.h"
#include "tests/e2e/JackCapture.h"
#include "tests/e2e/JackTestServer.h"

#include <QtTest>

#include <chrono>
#include <cmath>
#include <thread>

using namespace melodist::engine;
using melodist::test::JackCapture;

namespace {

constexpr int kRate = 48000;
constexpr int kPeriod = 256;
// At 120 BPM: A at quarter 0 and B at quarter 1 (0.5 s apart), each held 0.2 s; the loop
// is quarters 0..2 (1 s a pass). C at quarter 2.5 is after the loop: it must never sound.
constexpr double kPassSeconds = 1.0;
constexpr double kNoteSeconds[] = {0.0, 0.5};
constexpr double kHoldSeconds = 0.2;
constexpr double kAfterLoopSeconds = 1.25;
constexpr int kPasses = 3;

}  // namespace

class PlayerLoopJackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const QString why = m_server.start(QStringLiteral("melodist-loop"), kRate, kPeriod,
                                           [this] { return m_capture.open("melodist-capture"); });
        if (!why.isEmpty()) QSKIP(qPrintable(why));
    }

    void cleanupTestCase() {
        m_capture.close();
        m_server.stop();
    }

    void aTwoNoteLoopSoundsAtItsNoteTimesInEveryPass() {
        // GIVEN a Player on JACK with a loop over quarters 0..2, recorded by a capture client
        PlayerOptions options;
        options.driver = "jack";
        options.soundfontPath = (melodist::test::builtInSoundfontForTests()).toStdString();
        options.clientName = "melodist-player";
        options.jackAutoConnect = false;
        options.effects = false;  // no reverb tail in the silences
        auto player = Player::open(options);
        QVERIFY2(player.ok(), player.ok() ? "" : player.error().c_str());
        QVERIFY(!(*player)->setLoop(Rational(2), Rational(1)).ok());  // not a region
        QVERIFY((*player)->setLoop(Rational(0), Rational(2)).ok());
        QVERIFY((*player)->hasLoop());
        QVERIFY(m_capture.activate(9.0, "melodist-player"));

        Score score;
        score.tempos.push_back({.onset = 0, .bpm = 120});
        score.parts.emplace_back().name = "Melody";
        score.parts[0].notes.push_back(melodist::test::makeNote(60, Rational(0), Rational(2, 5), 100));
        score.parts[0].notes.push_back(melodist::test::makeNote(67, Rational(1), Rational(2, 5), 100));
        score.parts[0].notes.push_back(melodist::test::makeNote(72, Rational(5, 2), Rational(1, 5), 100));

        // WHEN it plays for 3.3 passes, then stops
        m_capture.recording.store(true, std::memory_order_release);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QVERIFY(m_capture.started.load(std::memory_order_acquire));
        const jack_nframes_t playFrame = m_capture.frameTime();
        const Result<void> started = (*player)->play(score);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().c_str());
        std::this_thread::sleep_for(std::chrono::milliseconds(2300));
        const double polledQuarters = (*player)->positionQuarters();
        const double clockSeconds = double(m_capture.frameTime() - playFrame) / kRate;
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        const bool playingPastScoreEnd = (*player)->isPlaying();
        (*player)->stop();
        const bool playingAfterStop = (*player)->isPlaying();
        const jack_nframes_t stopFrame = m_capture.frameTime();
        std::this_thread::sleep_for(std::chrono::milliseconds(1200));
        // and then plays A and a note D held from quarter 1.5 to 3, across the loop's end
        Score across;
        across.tempos.push_back({.onset = 0, .bpm = 120});
        across.parts.emplace_back().name = "Across";
        across.parts[0].notes.push_back(melodist::test::makeNote(60, Rational(0), Rational(2, 5), 100));
        across.parts[0].notes.push_back(melodist::test::makeNote(48, Rational(3, 2), Rational(3, 2), 100));
        const jack_nframes_t acrossFrame = m_capture.frameTime();
        QVERIFY((*player)->play(across).ok());
        std::this_thread::sleep_for(std::chrono::milliseconds(1700));
        (*player)->stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        m_capture.recording.store(false, std::memory_order_release);
        const size_t end = m_capture.endIndex.load(std::memory_order_acquire);

        // THEN it still plays past the score's end and not after stop()
        QVERIFY(playingPastScoreEnd);
        QVERIFY(!playingAfterStop);
        // and the polled position is inside the loop, where the audio clock says
        const double expectedQuarters = std::fmod(clockSeconds, kPassSeconds) * 2;
        qInfo("polled %.3f quarters at %.3f s of audio (expected %.3f in the loop)", polledQuarters, clockSeconds,
              expectedQuarters);
        QVERIFY2(polledQuarters >= 0 && polledQuarters < 2, qPrintable(QString::number(polledQuarters)));
        QVERIFY2(std::fabs(polledQuarters - expectedQuarters) < 0.05, qPrintable(QString::number(polledQuarters)));

        // and every pass sounds both notes at their times, with silence after each
        const size_t playIndex = m_capture.indexOf(playFrame);
        const size_t first = m_capture.firstAbove(playIndex, end, 0.002f);
        QVERIFY2(first < end, "no sound was recorded at all");
        QVERIFY2(end > first + size_t((kPasses * kPassSeconds + 1) * kRate), qPrintable(QString::number(end)));
        const auto at = [&](double seconds) { return first + static_cast<size_t>(seconds * kRate); };
        double inside0 = 0;
        for (int pass = 0; pass < kPasses; ++pass) {
            for (double noteSeconds : kNoteSeconds) {
                const double onset = pass * kPassSeconds + noteSeconds;
                const size_t attack = m_capture.firstAbove(onset > 0 ? at(onset - 0.02) : first, end, 0.002f);
                const double offsetMs = (double(attack) - double(at(onset))) * 1000.0 / kRate;
                const double inside = m_capture.rms(at(onset + 0.03), at(onset + kHoldSeconds - 0.01));
                const double gap = m_capture.rms(at(onset + kHoldSeconds + 0.2), at(onset + 0.495));
                if (pass == 0 && noteSeconds == 0) inside0 = inside;
                const QString what = QStringLiteral("pass %1 note at %2 s: onset %3 ms off, rms %4 inside, %5 after")
                                         .arg(pass).arg(noteSeconds).arg(offsetMs).arg(inside).arg(gap);
                qInfo("%s", qPrintable(what));
                QVERIFY2(std::fabs(offsetMs) < 3.0, qPrintable(what));
                QVERIFY2(inside > 0.02, qPrintable(what));
                QVERIFY2(inside > 30.0 * gap, qPrintable(what));
            }
        }
        // and the note after the loop's end never sounds (where it would, only A's release fades)
        const double afterLoop = m_capture.rms(at(kAfterLoopSeconds + 0.02), at(kAfterLoopSeconds + 0.09));
        qInfo("rms where the note after the loop would sound: %g (a note: %g)", afterLoop, inside0);
        QVERIFY2(afterLoop < 0.2 * inside0, qPrintable(QString::number(afterLoop)));
        // and stop() ends the loop: silence once the release has faded
        const size_t stopIndex = m_capture.indexOf(stopFrame);
        const double afterStop = m_capture.rms(stopIndex + size_t(0.6 * kRate), stopIndex + size_t(1.1 * kRate));
        QVERIFY2(afterStop < 0.01 * inside0, qPrintable(QString::number(afterStop)));
        // and a note still sounding at the loop's end is released there: D sounds from 0.75 s,
        // but 1.40..1.49 s (pass 2, 0.2 s after A's release, D's own end at 1.5 s) is quiet
        const size_t acrossFirst = m_capture.firstAbove(m_capture.indexOf(acrossFrame), end, 0.002f);
        QVERIFY(acrossFirst < end);
        const auto acrossAt = [&](double seconds) { return acrossFirst + static_cast<size_t>(seconds * kRate); };
        const double held = m_capture.rms(acrossAt(0.80), acrossAt(0.95));
        const double afterEnd = m_capture.rms(acrossAt(1.40), acrossAt(1.49));
        qInfo("note across the loop's end: rms %g while held, %g after the loop's end", held, afterEnd);
        QVERIFY2(held > 0.02, qPrintable(QString::number(held)));
        QVERIFY2(afterEnd < held / 30.0, qPrintable(QString::number(afterEnd)));
    }

private:
    melodist::test::JackTestServer m_server;  // declared first: the clients close before it stops
    JackCapture m_capture;
};

QTEST_GUILESS_MAIN(PlayerLoopJackTest)
#include "PlayerLoopJackTest.moc"

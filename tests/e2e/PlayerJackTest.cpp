// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: a private JACK server (dummy driver, 256 frames at 48 kHz), the Player on
// FluidSynth's JACK driver, and a JACK client of the test's own that records the
// player's output ports. Four notes with silences between must sound, in order, at
// their times; the latency from play() to the first sound is measured. Skips when
// jackd is not installed or cannot start.
#include "engine/audio/Player.h"
#include "tests/common/TestSupport.h"
#include "tests/e2e/JackCapture.h"
#include "tests/e2e/JackTestServer.h"

#include <QtTest>

#include <jack/jack.h>

#include <chrono>
#include <cmath>
#include <thread>

using namespace melodist::engine;
using melodist::test::JackCapture;

namespace {

constexpr int kRate = 48000;
constexpr int kPeriod = 256;
// Four quarters at 120 BPM (0.5 s apart), each held 0.4 quarters (0.2 s), then 0.3 s of silence.
constexpr int kPitches[] = {60, 64, 67, 72};
constexpr double kSpacingSeconds = 0.5;
constexpr double kHoldSeconds = 0.2;

}  // namespace

class PlayerJackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        // A private server: never the user's, never another test run's.
        const QString why = m_server.start(QStringLiteral("melodist-play"), kRate, kPeriod,
                                           [this] { return m_capture.open("melodist-capture"); });
        if (!why.isEmpty()) QSKIP(qPrintable(why));
    }

    void cleanupTestCase() {
        m_capture.close();
        m_server.stop();  // runs after a failure too
    }

    void fourNotesSoundInOrderAtTheirTimesWithSilenceBetween() {
        // GIVEN a capture client recording the Player's JACK output ports
        QCOMPARE(m_capture.rate(), kRate);

        PlayerOptions options;
        options.driver = QStringLiteral("jack").toStdString();
        options.soundfontPath = (melodist::test::builtInSoundfontForTests()).toStdString();
        options.clientName = "melodist-player";
        options.jackAutoConnect = false;
        options.effects = false;  // no reverb tail in the silences
        auto player = Player::open(options);
        QVERIFY2(player.ok(), player.ok() ? "" : player.error().c_str());
        QCOMPARE(QString::fromStdString((*player)->driverName()), QStringLiteral("jack"));
        QCOMPARE((*player)->sampleRate(), kRate);
        QStringList portNames;  // listed by a short-lived client: JackCapture keeps its own to itself
        jack_status_t status;
        jack_client_t* lister = jack_client_open("melodist-ports", JackNoStartServer, &status);
        QVERIFY(lister);
        if (const char** ports = jack_get_ports(lister, "melodist-player:", nullptr, JackPortIsOutput)) {
            for (const char** port = ports; *port; ++port) portNames << QString::fromUtf8(*port);
            jack_free(ports);
        }
        jack_client_close(lister);
        QCOMPARE(portNames, QStringList({QStringLiteral("melodist-player:left"), QStringLiteral("melodist-player:right")}));
        QVERIFY(m_capture.activate(6.0, "melodist-player"));  // registers, activates and connects left and right

        Score score;
        score.tempos.push_back({.onset = 0, .bpm = 120});
        score.parts.emplace_back().name = "Melody";
        for (int i = 0; i < 4; ++i)
            score.parts[0].notes.push_back(melodist::test::makeNote(kPitches[i], Rational(i), Rational(2, 5), 100));

        // WHEN it plays after 0.3 s of recording
        m_capture.recording.store(true, std::memory_order_release);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QVERIFY(m_capture.started.load(std::memory_order_acquire));
        const jack_nframes_t playFrame = m_capture.frameTime();
        const Result<void> started = (*player)->play(score);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().c_str());
        QVERIFY((*player)->isPlaying());
        QCOMPARE((*player)->durationSeconds(), 4 * kSpacingSeconds - kSpacingSeconds + 0.4 * 0.5);
        std::this_thread::sleep_for(std::chrono::milliseconds(800));
        const double polledSeconds = (*player)->positionSeconds();
        const double polledQuarters = (*player)->positionQuarters();
        const double clockSeconds = double(m_capture.frameTime() - playFrame) / kRate;
        for (int wait = 0; wait < 100 && (*player)->isPlaying(); ++wait)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        QVERIFY(!(*player)->isPlaying());
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the last silence
        m_capture.recording.store(false, std::memory_order_release);
        const size_t end = m_capture.endIndex.load(std::memory_order_acquire);

        // THEN the position the UI polls follows the audio clock (within 2 periods + 1 ms)
        QVERIFY2(std::fabs(polledSeconds - clockSeconds) < 2.0 * kPeriod / kRate + 0.001,
                 qPrintable(QStringLiteral("position %1 s, JACK clock %2 s").arg(polledSeconds).arg(clockSeconds)));
        QVERIFY2(std::fabs(polledQuarters - polledSeconds * 2) < 1e-9, qPrintable(QString::number(polledQuarters)));

        // and the first sound comes within two periods of play()
        const size_t playIndex = m_capture.indexOf(playFrame);
        QVERIFY2(playIndex > size_t(0.2 * kRate), qPrintable(QString::number(playIndex)));
        QCOMPARE(m_capture.rms(0, static_cast<size_t>(0.2 * kRate)), 0.0);  // before play: digital silence
        const size_t first = m_capture.firstAbove(playIndex, end, 1e-5f);
        QVERIFY2(first < end, "no sound was recorded at all");
        const double latencyMs = double(first - playIndex) * 1000.0 / kRate;
        qInfo("play() to first non-silent frame: %.2f ms (JACK dummy, %d frames at %d Hz = %.2f ms a period)", latencyMs,
              kPeriod, kRate, kPeriod * 1000.0 / kRate);
        QVERIFY2(latencyMs < 2.0 * kPeriod * 1000.0 / kRate + 1.0, qPrintable(QString::number(latencyMs)));
        QVERIFY2(end > first + size_t(4 * kSpacingSeconds * kRate), qPrintable(QString::number(end)));

        // and each note sounds at its time, loud inside and near silent in the gap after it
        const auto at = [&](double seconds) { return first + static_cast<size_t>(seconds * kRate); };
        const size_t attack = m_capture.firstAbove(first, end, 0.002f);
        for (int i = 0; i < 4; ++i) {
            const double onset = i * kSpacingSeconds;
            const size_t searchFrom = first + static_cast<size_t>((onset - 0.02) * kRate) * (i > 0);
            const size_t noteAttack = m_capture.firstAbove(searchFrom, end, 0.002f);
            const double offsetMs = (double(noteAttack) - double(attack) - onset * kRate) * 1000.0 / kRate;
            const double inside = m_capture.rms(at(onset + 0.03), at(onset + kHoldSeconds - 0.01));
            const double gap = m_capture.rms(at(onset + kHoldSeconds + 0.2), at(onset + kSpacingSeconds - 0.005));
            const QString what = QStringLiteral("note %1: rms %2 inside, %3 in the gap after, onset %4 ms off")
                                     .arg(i).arg(inside).arg(gap).arg(offsetMs);
            qInfo("%s", qPrintable(what));
            QVERIFY2(std::fabs(offsetMs) < 3.0, qPrintable(what));  // attacks cross the threshold at the tone's first peak
            QVERIFY2(inside > 0.02, qPrintable(what));
            QVERIFY2(inside > 30.0 * gap, qPrintable(what));
        }
    }

private:
    melodist::test::JackTestServer m_server;  // declared first: the capture client closes before it stops
    JackCapture m_capture;
};

QTEST_GUILESS_MAIN(PlayerJackTest)
#include "PlayerJackTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: MIDI thru. A private JACK server (dummy driver, 256 frames at 48 kHz),
// `melodist record --thru --driver jack` on its virtual MIDI input, an RtMidi output of
// the test's own playing into it, and a capture client recording the thru player's
// audio ports. Each note must sound within a few periods of being sent; the latency from
// sending to the first non-silent frame is measured. Skips without jackd.
#include "tests/e2e/JackCapture.h"
#include "tests/e2e/JackTestServer.h"
#include "tests/e2e/RtMidiJack.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"

#include <rtmidi/RtMidi.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

using melodist::test::JackCapture;

namespace {

constexpr int kRate = 48000;
constexpr int kPeriod = 256;
constexpr int kPitches[] = {60, 64, 67, 72};
constexpr auto kSpacing = std::chrono::milliseconds(500);
constexpr auto kHold = std::chrono::milliseconds(200);

}  // namespace

class MidiThruJackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const QString why = m_server.start(QStringLiteral("melodist-thru"), kRate, kPeriod,
                                           [this] { return m_capture.open("melodist-capture"); });
        if (!why.isEmpty()) QSKIP(qPrintable(why));
    }

    void cleanupTestCase() {
        m_capture.close();
        m_server.stop();
    }

    void notesSentToTheVirtualInputSoundAtOnceOnThePlayersOutput() {
        // GIVEN `melodist record --thru` on JACK, its audio recorded by a capture client
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess record;
        record.start(qEnvironmentVariable("MELODIST_BIN_DIR") + QStringLiteral("/melodist"),
                     {QStringLiteral("record"), QStringLiteral("--api"), QStringLiteral("jack"), QStringLiteral("--thru"),
                      QStringLiteral("--driver"), QStringLiteral("jack"), QStringLiteral("--soundfont"),
                      melodist::test::builtInSoundfontForTests(),
                      QStringLiteral("--seconds"), QStringLiteral("4"),
                      QStringLiteral("--out"), dir.filePath(QStringLiteral("thru.mid"))});
        QString out;
        while (!out.contains(QStringLiteral("recording from")) && record.waitForReadyRead(10000))
            out += QString::fromUtf8(record.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("thru: notes sound through jack")),
                 qPrintable(out + QString::fromUtf8(record.readAllStandardError())));
        QVERIFY2(m_capture.activate(6.0, "melodist-thru"), "cannot connect to melodist-thru:left/right");

        std::string warning;
        RtMidiOut sender(RtMidi::UNIX_JACK, "melodist-e2e-sender");
        sender.setErrorCallback(&melodist::test::collectRtMidiWarning, &warning);
        int target = -1;
        for (unsigned int i = 0; i < sender.getPortCount(); ++i)
            if (sender.getPortName(i).rfind("melodist:in", 0) == 0) target = static_cast<int>(i);
        QVERIFY2(target >= 0, "no melodist:in port");
        sender.openPort(static_cast<unsigned int>(target), "out");
        QVERIFY2(warning.empty(), warning.c_str());

        // WHEN four notes are sent, 0.5 s apart, each held 0.2 s
        m_capture.recording.store(true, std::memory_order_release);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QVERIFY(m_capture.started.load(std::memory_order_acquire));
        std::vector<jack_nframes_t> sentFrames;
        const auto start = std::chrono::steady_clock::now();
        for (size_t i = 0; i < std::size(kPitches); ++i) {
            const auto onset = start + kSpacing * static_cast<int>(i);
            std::this_thread::sleep_until(onset);
            const unsigned char noteOn[3] = {0x90, static_cast<unsigned char>(kPitches[i]), 100};
            sentFrames.push_back(m_capture.frameTime());
            sender.sendMessage(noteOn, sizeof noteOn);
            std::this_thread::sleep_until(onset + kHold);
            const unsigned char noteOff[3] = {0x80, static_cast<unsigned char>(kPitches[i]), 0};
            sender.sendMessage(noteOff, sizeof noteOff);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        m_capture.recording.store(false, std::memory_order_release);
        const size_t end = m_capture.endIndex.load(std::memory_order_acquire);
        QVERIFY2(record.waitForFinished(15000), "melodist record did not finish");
        out += QString::fromUtf8(record.readAllStandardOutput());
        QCOMPARE(record.exitCode(), 0);
        QVERIFY2(out.contains(QStringLiteral("recorded 4 notes")), qPrintable(out));

        // THEN nothing sounds before the first note, and each note sounds within a few periods
        const size_t firstSent = m_capture.indexOf(sentFrames.front());
        const double before = m_capture.rms(0, firstSent);
        QVERIFY2(before < 1e-6, qPrintable(QStringLiteral("rms %1 before the first note, first sound at frame %2 of %3")
                                               .arg(before).arg(m_capture.firstAbove(0, end, 1e-5f)).arg(firstSent)));
        const double periodMs = kPeriod * 1000.0 / kRate;
        std::vector<double> latenciesMs;
        for (size_t i = 0; i < sentFrames.size(); ++i) {
            const size_t sent = m_capture.indexOf(sentFrames[i]);
            const size_t sound = m_capture.firstAbove(sent, std::min(end, sent + size_t(0.1 * kRate)), 1e-5f);
            QVERIFY2(sound < end && sound < sent + size_t(0.1 * kRate), qPrintable(QStringLiteral("note %1: no sound").arg(i)));
            latenciesMs.push_back(double(sound - sent) * 1000.0 / kRate);
            const double inside = m_capture.rms(sound + size_t(0.03 * kRate), sound + size_t(0.15 * kRate));
            QVERIFY2(inside > 0.01, qPrintable(QStringLiteral("note %1: rms %2").arg(i).arg(inside)));
        }
        std::sort(latenciesMs.begin(), latenciesMs.end());
        qInfo("MIDI send to first non-silent frame: min %.2f ms, max %.2f ms over %zu notes (JACK dummy, %d frames "
              "at %d Hz = %.2f ms a period); rms before the first note %g",
              latenciesMs.front(), latenciesMs.back(), latenciesMs.size(), kPeriod, kRate, periodMs, before);
        QVERIFY2(latenciesMs.back() < 4 * periodMs + 2.0, qPrintable(QString::number(latenciesMs.back())));
    }

private:
    melodist::test::JackTestServer m_server;  // declared first: the clients close before it stops
    JackCapture m_capture;
};

QTEST_GUILESS_MAIN(MidiThruJackTest)
#include "MidiThruJackTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: a private JACK server (dummy driver), `melodist record` on its virtual
// port, and a real JACK MIDI client (an RtMidi output opened here) playing a phrase
// into it. The MIDI file written must hold the phrase, in order, on the grid. Skips
// when jackd is not installed or cannot start.
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/io/MidiFile.h"
#include "tests/e2e/JackTestServer.h"
#include "tests/e2e/RtMidiJack.h"

#include <rtmidi/RtMidi.h>

#include <chrono>
#include <memory>
#include <thread>

#include <unistd.h>

using melodist::engine::Rational;

namespace {

// Eighth notes at 120 BPM (0.25 s apart), each held 0.2 s: on a 16th grid every onset
// is two steps after the last, and every length 0.4 quarters -> 2 steps.
constexpr int kPitches[] = {67, 64, 65, 62, 60, 72, 71, 67};
constexpr int kVelocities[] = {100, 80, 90, 70, 110, 60, 85, 95};
constexpr auto kSpacing = std::chrono::milliseconds(250);
constexpr auto kHold = std::chrono::milliseconds(200);

}  // namespace

class MidiRecordJackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        // A private server: never the user's, never another test run's. Ready when an
        // RtMidi JACK client can connect without a warning.
        const QString why = m_jack.start(QStringLiteral("melodist-test"), 48000, 256, &melodist::test::rtMidiJackReady);
        if (!why.isEmpty()) QSKIP(qPrintable(why));
    }

    void cleanupTestCase() { m_jack.stop(); }  // runs after a failure too

    void aPhrasePlayedIntoTheVirtualPortIsWrittenInOrderOnTheGrid() {
        // GIVEN `melodist record` listening on its virtual JACK port
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString midiPath = dir.filePath(QStringLiteral("recorded.mid"));
        QProcess record;
        record.start(qEnvironmentVariable("MELODIST_BIN_DIR") + QStringLiteral("/melodist"),
                     {QStringLiteral("record"), QStringLiteral("--api"), QStringLiteral("jack"), QStringLiteral("--seconds"),
                      QStringLiteral("3"), QStringLiteral("--out"), midiPath, QStringLiteral("--tempo"),
                      QStringLiteral("120"), QStringLiteral("--grid"), QStringLiteral("1/4")});
        QString out;
        while (!out.contains(QStringLiteral("recording from")) && record.waitForReadyRead(10000))
            out += QString::fromUtf8(record.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("recording from melodist:in (virtual JACK port) for 3 s")),
                 qPrintable(out + QString::fromUtf8(record.readAllStandardError())));

        // WHEN a JACK MIDI client connects to it and plays the phrase
        std::string warning;
        RtMidiOut sender(RtMidi::UNIX_JACK, "melodist-e2e-sender");
        sender.setErrorCallback(&melodist::test::collectRtMidiWarning, &warning);
        int target = -1;
        QStringList ports;
        for (unsigned int i = 0; i < sender.getPortCount(); ++i) {
            ports << QString::fromStdString(sender.getPortName(i));
            if (ports.last().startsWith(QStringLiteral("melodist:in"))) target = static_cast<int>(i);
        }
        QVERIFY2(target >= 0, qPrintable(QStringLiteral("no melodist:in among: ") + ports.join(QStringLiteral(", "))));
        sender.openPort(static_cast<unsigned int>(target), "out");
        QVERIFY2(warning.empty(), warning.c_str());
        const auto start = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
        for (size_t i = 0; i < std::size(kPitches); ++i) {
            const auto onset = start + kSpacing * static_cast<int>(i);
            std::this_thread::sleep_until(onset);
            const unsigned char noteOn[3] = {0x90, static_cast<unsigned char>(kPitches[i]),
                                             static_cast<unsigned char>(kVelocities[i])};
            sender.sendMessage(noteOn, sizeof noteOn);
            std::this_thread::sleep_until(onset + kHold);
            const unsigned char noteOff[3] = {0x80, static_cast<unsigned char>(kPitches[i]), 0};
            sender.sendMessage(noteOff, sizeof noteOff);
        }
        QVERIFY2(record.waitForFinished(15000), "melodist record did not finish");
        out += QString::fromUtf8(record.readAllStandardOutput());
        const QString err = QString::fromUtf8(record.readAllStandardError());
        QCOMPARE(record.exitCode(), 0);

        // THEN it reports the eight notes and how far off the grid they arrived
        QVERIFY2(out.contains(QStringLiteral("recorded 8 notes")), qPrintable(out + err));
        const QRegularExpressionMatch jitter =
            QRegularExpression(QStringLiteral("by ([0-9.]+) ms on average, ([0-9.]+) ms at most")).match(out);
        QVERIFY2(jitter.hasMatch(), qPrintable(out));
        qInfo("onset jitter through JACK (dummy driver, 256 frames at 48 kHz = 5.3 ms): mean %s ms, max %s ms",
              qPrintable(jitter.captured(1)), qPrintable(jitter.captured(2)));
        QVERIFY2(jitter.captured(2).toDouble() < 40.0, qPrintable(out));  // a 16th at 120 BPM is 125 ms

        // and the MIDI file holds the phrase: pitches and velocities in order, onsets
        // 1/2 quarter apart from the first note (the melody starts there), lengths 1/2
        const auto score = melodist::engine::readMidiFile(midiPath.toStdString());
        QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
        QCOMPARE(score->parts.size(), size_t(1));
        const auto& notes = score->parts[0].notes;
        QCOMPARE(notes.size(), std::size(kPitches));
        for (size_t i = 0; i < notes.size(); ++i) {
            QCOMPARE(notes[i].pitch, kPitches[i]);
            QCOMPARE(notes[i].velocity, kVelocities[i]);
            QCOMPARE(notes[i].onset - notes[0].onset, Rational(static_cast<int64_t>(i), 2));
            QCOMPARE(notes[i].duration, Rational(1, 2));
        }
        QCOMPARE(notes[0].onset, Rational(0));
        QCOMPARE(score->tempos.front().bpm, 120.0);
    }

private:
    melodist::test::JackTestServer m_jack;
};

QTEST_GUILESS_MAIN(MidiRecordJackTest)
#include "MidiRecordJackTest.moc"

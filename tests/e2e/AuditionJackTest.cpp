// SPDX-License-Identifier: GPL-3.0-or-later
// The studio's audition on a real output: a private JACK server (dummy driver, 256 frames
// at 48 kHz) and the AudioController on FluidSynth's JACK driver. Playing the roll moves
// the playhead forward (the piano roll's setPlayheadQuarters gets it, -1 at the end); the
// UI thread keeps a 10 ms timer within 50 ms during playback (the latency probe),
// also while 10,000 notes are queued; the loop region repeats; a candidate plays from the
// bar before it. Skips when jackd is not installed or cannot start.
#include "ui/audition/AudioController.h"
#include "ui/document/ProjectDocument.h"
#include "ui/pianoroll/PianoRollView.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <jack/jack.h>

#include "tests/common/TestSupport.h"
#include "tests/e2e/JackTestServer.h"
#include "tests/ui/GenerationLatencyProbe.h"

using namespace melodist;
using engine::Rational;

namespace {

constexpr int kRate = 48000;
constexpr int kPeriod = 256;

bool jackClientOpens() {
    jack_status_t status;
    jack_client_t* client = jack_client_open("melodist-audition-probe", JackNoStartServer, &status);
    if (!client) return false;
    jack_client_close(client);
    return true;
}

engine::PlayerOptions jackOutput() {
    engine::PlayerOptions options;
    options.driver = "jack";
    options.soundfontPath = test::builtInSoundfontForTests().toStdString();
    options.clientName = "melodist-audition";
    options.jackAutoConnect = false;
    return options;
}

std::vector<engine::ProjectNote> quarterNotes(int count, Rational from = 0) {
    std::vector<engine::ProjectNote> notes;
    for (int i = 0; i < count; ++i) notes.push_back({.note = test::makeNote(60 + (i * 5) % 24, from + Rational(i), 1)});
    return notes;
}

void setTempo(ui::ProjectDocument& document, double bpm) {
    engine::Project project = document.settings();
    project.tempoBpm = bpm;
    document.changeSettings(project, QStringLiteral("tempo"));
}

}  // namespace

class AuditionJackTest : public QObject {
    Q_OBJECT

    test::JackTestServer m_server;

private slots:
    void initTestCase() {
        const QString why = m_server.start(QStringLiteral("melodist-audition"), kRate, kPeriod, jackClientOpens);
        if (!why.isEmpty()) QSKIP(qPrintable(why));
    }

    void cleanupTestCase() { m_server.stop(); }

    void playingTheRollMovesThePlayheadWithoutBlockingTheUi() {
        // GIVEN 16 quarter notes at 240 BPM (4 s), the roll, and the audition on JACK
        ui::ProjectDocument document;
        document.addNotes(quarterNotes(16), QStringLiteral("seed"));
        setTempo(document, 240);
        ui::PianoRollView roll(&document);
        ui::AudioController audio(&document);
        audio.setPlayerOptions(jackOutput());
        std::vector<double> playhead;
        audio.setPlayheadSink([&](double quarters) {
            roll.setPlayheadQuarters(quarters);
            playhead.push_back(quarters);
        });
        // WHEN Play runs for 1.5 s, a 10 ms timer watching the UI thread
        test::LatencyProbe probe;
        probe.start();
        audio.play();
        QTRY_VERIFY_WITH_TIMEOUT(audio.isPlaying(), 10000);
        QCOMPARE(audio.driverName(), QStringLiteral("jack"));
        QTest::qWait(1500);
        probe.stop();
        // THEN the playhead went forward through the song, and the roll shows it
        QVERIFY2(playhead.size() > 20, qPrintable(QString::number(playhead.size())));
        for (size_t i = 1; i < playhead.size(); ++i) QVERIFY(playhead[i] >= playhead[i - 1]);
        QVERIFY2(playhead.back() > 3.0 && playhead.back() < 16.0, qPrintable(QString::number(playhead.back())));
        QCOMPARE(roll.playheadQuarters(), playhead.back());
        qInfo("UI thread during playback: largest gap between 10 ms ticks %.1f ms", probe.maxGapMs());
        QVERIFY2(probe.maxGapMs() < 50.0, qPrintable(QString::number(probe.maxGapMs())));
        // AND Stop hides it
        QSignalSpy playing(&audio, &ui::AudioController::playingChanged);
        audio.stop();
        QCOMPARE(playing.count(), 1);
        QVERIFY(!audio.isPlaying());
        QCOMPARE(playhead.back(), -1.0);
        QVERIFY(roll.playheadQuarters() < 0);
    }

    void theSongEndsByItself() {
        ui::ProjectDocument document;
        document.addNotes(quarterNotes(2), QStringLiteral("seed"));
        setTempo(document, 240);  // 0.5 s
        ui::AudioController audio(&document);
        audio.setPlayerOptions(jackOutput());
        QSignalSpy playing(&audio, &ui::AudioController::playingChanged);
        audio.play();
        QTRY_VERIFY_WITH_TIMEOUT(audio.isPlaying(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!audio.isPlaying(), 5000);
        QCOMPARE(playing.count(), 2);
        QCOMPARE(audio.positionQuarters(), -1.0);
    }

    void theLoopRegionRepeats() {
        // GIVEN 8 notes, the loop region [0, 2), looping on
        ui::ProjectDocument document;
        document.addNotes(quarterNotes(8), QStringLiteral("seed"));
        setTempo(document, 240);  // the loop lasts 0.5 s
        engine::Project project = document.settings();
        project.loop = engine::LoopRegion{Rational(0), Rational(2)};
        document.changeSettings(project, QStringLiteral("loop"));
        ui::AudioController audio(&document);
        audio.setPlayerOptions(jackOutput());
        audio.loopAction()->trigger();
        QVERIFY(audio.isLooping());
        std::vector<double> playhead;
        audio.setPlayheadSink([&](double quarters) { playhead.push_back(quarters); });
        // WHEN it plays for 1.6 s (three passes)
        audio.play();
        QTRY_VERIFY_WITH_TIMEOUT(audio.isPlaying(), 10000);
        QTest::qWait(1600);
        QVERIFY(audio.isPlaying());  // a loop never ends by itself
        audio.stop();
        // THEN the playhead stayed in the region and jumped back at least twice
        int jumps = 0;
        for (size_t i = 0; i + 1 < playhead.size(); ++i) {
            QVERIFY2(playhead[i] >= 0.0 && playhead[i] < 2.05, qPrintable(QString::number(playhead[i])));
            if (playhead[i + 1] >= 0 && playhead[i + 1] < playhead[i]) ++jumps;
        }
        QVERIFY2(jumps >= 2, qPrintable(QString::number(jumps)));
    }

    void aCandidatePlaysFromTheBarBeforeIt() {
        // GIVEN three bars of seed and a candidate for bar 4
        ui::ProjectDocument document;
        document.addNotes(quarterNotes(12), QStringLiteral("seed"));
        setTempo(document, 240);
        ui::AudioController audio(&document);
        audio.setPlayerOptions(jackOutput());
        std::vector<double> playhead;
        audio.setPlayheadSink([&](double quarters) { playhead.push_back(quarters); });
        ui::Candidate candidate;
        candidate.notes = {{.note = test::makeNote(72, 12, 2), .generated = true}};
        candidate.start = 12;
        candidate.end = 16;
        // WHEN it is auditioned
        audio.auditionCandidate(candidate);
        QTRY_VERIFY_WITH_TIMEOUT(audio.isPlaying(), 10000);
        QTest::qWait(300);
        audio.stop();
        // THEN playback started in bar 3 (quarter 8), in the roll's time
        QVERIFY(playhead.size() > 2);
        QVERIFY2(playhead.front() >= 8.0 && playhead.front() < 9.0, qPrintable(QString::number(playhead.front())));
    }

    void tenThousandNotesQueueWithoutBlockingTheUi() {
        // GIVEN an open output and 10,000 notes
        ui::ProjectDocument document;
        document.addNotes(quarterNotes(2), QStringLiteral("warm-up"));
        ui::AudioController audio(&document);
        audio.setPlayerOptions(jackOutput());
        audio.play();
        QTRY_VERIFY_WITH_TIMEOUT(audio.isPlaying(), 10000);
        audio.stop();
        std::vector<engine::ProjectNote> many;
        for (int i = 0; i < 10000; ++i)
            many.push_back({.note = test::makeNote(48 + (i * 7) % 36, Rational(i, 4), Rational(1, 4))});
        document.replaceAllNotes(many, QStringLiteral("many"));
        // WHEN Play queues them all, the UI thread watched
        test::LatencyProbe probe;
        probe.start();
        QElapsedTimer clock;
        clock.start();
        audio.play();
        const double playMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        QVERIFY(audio.isPlaying());
        QTest::qWait(300);
        probe.stop();
        audio.stop();
        // THEN (measured, reported) the call and the UI thread's largest gap
        qInfo("AudioController::play of 10,000 notes on the UI thread: %.1f ms; largest 10 ms tick gap %.1f ms", playMs,
              probe.maxGapMs());
        QVERIFY2(probe.maxGapMs() < 50.0, qPrintable(QString::number(probe.maxGapMs())));
    }
};

QTEST_MAIN(AuditionJackTest)
#include "AuditionJackTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Audition without a sound card (offscreen): when no audio output opens, the transport
// says "No audio output: ..." and everything keeps working -- Play tries again, keys and
// candidates do not crash; the transport's tempo, instrument, soundfont and loop controls
// edit the project (undoably) and the controller. (Playback on a real output:
// tests/e2e/AuditionJackTest.cpp.)
#include "ui/audition/AudioController.h"
#include "ui/audition/TransportBar.h"
#include "ui/document/ProjectDocument.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QMainWindow>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

#include "tests/common/TestSupport.h"

using namespace melodist;
using engine::Rational;

namespace {

engine::ProjectNote seedNote(int pitch, Rational onset, Rational duration) {
    return {.note = test::makeNote(pitch, onset, duration), .generated = false};
}

// An output that cannot open: JACK with a server name nobody runs.
engine::PlayerOptions noOutput() {
    engine::PlayerOptions options;
    options.driver = "jack";
    return options;
}

}  // namespace

class AuditionTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        qputenv("JACK_DEFAULT_SERVER", QByteArray("melodist-nobody-") + QByteArray::number(QCoreApplication::applicationPid()));
        qputenv("JACK_NO_START_SERVER", "1");
    }

    void withoutAnAudioOutputTheTransportSaysSoAndKeepsWorking() {
        // GIVEN a roll with notes and a transport whose output cannot open
        ui::ProjectDocument document;
        document.addNotes({seedNote(60, 0, 1), seedNote(62, 1, 1)}, QStringLiteral("seed"));
        ui::AudioController audio(&document);
        audio.setPlayerOptions(noOutput());
        QMainWindow window;
        auto* transport = new ui::TransportBar(&audio, &document, &window);
        window.addToolBar(transport);
        window.show();
        QSignalSpy messages(&audio, &ui::AudioController::statusMessage);
        // WHEN Play is pressed (its button)
        auto* play = qobject_cast<QToolButton*>(transport->widgetForAction(audio.playAction()));
        QVERIFY(play);
        QTest::mouseClick(play, Qt::LeftButton);
        // THEN the output opens off the UI thread and fails with a reason, shown on the transport
        QCOMPARE(audio.state(), ui::AudioController::State::Opening);
        QTRY_COMPARE_WITH_TIMEOUT(audio.state(), ui::AudioController::State::Unavailable, 10000);
        QVERIFY2(audio.unavailableReason().startsWith(QStringLiteral("No audio output: ")), qPrintable(audio.unavailableReason()));
        QVERIFY2(audio.unavailableReason().contains(QStringLiteral("JACK")), qPrintable(audio.unavailableReason()));
        auto* status = window.findChild<QLabel*>(QStringLiteral("transportStatus"));
        QCOMPARE(status->property("fullText").toString(), audio.unavailableReason());
        QVERIFY(status->text().startsWith(QStringLiteral("No audio output")));  // elided to the transport's width
        QVERIFY(status->toolTip().contains(audio.unavailableReason()));
        QVERIFY(!messages.isEmpty());
        QVERIFY(!audio.isPlaying());
        QCOMPARE(audio.positionQuarters(), -1.0);
        // AND keys, stop and another Play neither crash nor block; Play tries again
        audio.noteOn(60);
        audio.noteOff(60);
        audio.stop();
        audio.play();
        QCOMPARE(audio.state(), ui::AudioController::State::Opening);
        QTRY_COMPARE_WITH_TIMEOUT(audio.state(), ui::AudioController::State::Unavailable, 10000);
        // AND editing still works
        document.addNote(seedNote(64, 2, 1));
        QCOMPARE(document.notes().size(), size_t(3));
    }

    void auditioningACandidateWithoutOutputIsHarmless() {
        ui::ProjectDocument document;
        document.addNotes({seedNote(60, 0, 1)}, QStringLiteral("seed"));
        ui::AudioController audio(&document);
        audio.setPlayerOptions(noOutput());
        ui::Candidate candidate;
        candidate.notes = {{.note = test::makeNote(62, 1, 1), .generated = true}};
        candidate.start = 1;
        candidate.end = 5;
        audio.auditionCandidate(candidate);
        QTRY_COMPARE_WITH_TIMEOUT(audio.state(), ui::AudioController::State::Unavailable, 10000);
        QVERIFY(!audio.isPlaying());
    }

    void nothingToPlaySaysSo() {
        ui::ProjectDocument document;
        ui::AudioController audio(&document);
        audio.setPlayerOptions(noOutput());
        QSignalSpy messages(&audio, &ui::AudioController::statusMessage);
        audio.play();
        QCOMPARE(audio.state(), ui::AudioController::State::Closed);  // no output opened for nothing
        QVERIFY(messages.last().at(0).toString().startsWith(QStringLiteral("Nothing to play")));
    }

    void transportControlsEditTheProject() {
        // GIVEN a transport over a project
        ui::ProjectDocument document;
        ui::AudioController audio(&document);
        audio.setPlayerOptions(noOutput());
        QMainWindow window;
        window.addToolBar(new ui::TransportBar(&audio, &document, &window));
        window.show();
        auto* tempo = window.findChild<QSpinBox*>(QStringLiteral("transportTempo"));
        auto* instrument = window.findChild<QComboBox*>(QStringLiteral("transportInstrument"));
        auto* soundfont = window.findChild<QToolButton*>(QStringLiteral("transportSoundfont"));
        QVERIFY(tempo && instrument && soundfont);
        QCOMPARE(instrument->count(), 128);
        QCOMPARE(instrument->itemText(73), QStringLiteral("74 Flute"));
        QVERIFY(!tempo->toolTip().isEmpty() && !instrument->toolTip().isEmpty() && !soundfont->toolTip().isEmpty());
        // WHEN tempo and instrument change
        tempo->setValue(90);
        tempo->setValue(92);  // one step while spinning
        instrument->setCurrentIndex(73);
        emit instrument->activated(73);
        // THEN the project has them, one undo step each
        QCOMPARE(document.settings().tempoBpm, 92.0);
        QCOMPARE(document.settings().program, 73);
        QCOMPARE(document.undoStack()->count(), 2);
        document.undoStack()->undo();
        QCOMPARE(instrument->currentIndex(), 0);
        // AND a soundfont set in the project shows on the button; Default clears it
        engine::Project project = document.settings();
        project.soundfont = "/tmp/Some.sf2";
        document.changeSettings(project, QStringLiteral("soundfont"));
        QVERIFY(soundfont->text().contains(QStringLiteral("Some.sf2")));
        window.findChild<QAction*>(QStringLiteral("actionSoundfontDefault"))->trigger();
        QCOMPARE(document.settings().soundfont, std::string());
        // AND L toggles looping
        QVERIFY(!audio.isLooping());
        QCOMPARE(audio.loopAction()->shortcut(), QKeySequence(Qt::Key_L));
        QCOMPARE(audio.playAction()->shortcut(), QKeySequence(Qt::Key_Space));
        audio.loopAction()->trigger();
        QVERIFY(audio.isLooping());
    }
};

QTEST_MAIN(AuditionTest)
#include "AuditionTest.moc"

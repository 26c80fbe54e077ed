// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: the studio's status bar follows MIDI inputs coming and going. A private
// JACK server (the MIDI system the studio picks where there is no ALSA sequencer; with
// one, the test's port is opened on ALSA instead), a MainWindow on the offscreen platform,
// and a virtual MIDI output opened by the test: an input port to the studio. The window's
// MidiPortWatcher reports it on its own thread; the label must change on the UI thread.
// Skips without jackd.
#include "engine/midi/MidiInfo.h"
#include "tests/e2e/JackTestServer.h"
#include "tests/e2e/RtMidiJack.h"
#include "ui/MainWindow.h"

#include <QLabel>
#include <QStatusBar>
#include <QtTest>

#include <rtmidi/RtMidi.h>

#include <memory>

using namespace melodist;

class StudioMidiWatchJackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const QString why = m_server.start(QStringLiteral("melodist-studio-watch"), 48000, 256, &test::rtMidiJackReady);
        if (!why.isEmpty()) QSKIP(qPrintable(why));
    }

    void cleanupTestCase() { m_server.stop(); }

    void midiStatusFollowsAnInputAppearingAndDisappearing() {
        const auto api = engine::chooseMidiApi(engine::MidiApi::Auto);
        QVERIFY2(api.ok(), api.ok() ? "" : api.error().c_str());
        // GIVEN the studio, once its start-up probe has reported
        ui::MainWindow window;
        window.show();
        auto* midi = window.findChild<QLabel*>(QStringLiteral("statusMidi"));
        QVERIFY(midi != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(!midi->text().contains(QStringLiteral("checking")), 20000);
        QVERIFY2(midi->text().startsWith(QStringLiteral("MIDI: ")), qPrintable(midi->text()));
        const QString before = midi->text();
        QVERIFY(!midi->toolTip().contains(QStringLiteral("melodist-e2e-keys")));

        // WHEN a program opens a virtual MIDI output on the same MIDI system
        std::string warning;
        auto keys = std::make_unique<RtMidiOut>(*api == engine::MidiApi::Jack ? RtMidi::UNIX_JACK : RtMidi::LINUX_ALSA,
                                                "melodist-e2e-keys");
        keys->setErrorCallback(&test::collectRtMidiWarning, &warning);
        keys->openVirtualPort("out");
        QVERIFY2(warning.empty(), warning.c_str());

        // THEN the MIDI status names the new input (the label counts it, the tooltip lists it)
        QTRY_VERIFY_WITH_TIMEOUT(midi->toolTip().contains(QStringLiteral("melodist-e2e-keys")), 5000);
        qInfo("MIDI status: '%s' -> '%s'; message '%s'", qPrintable(before), qPrintable(midi->text()),
              qPrintable(window.statusBar()->currentMessage()));
        QVERIFY(midi->text() != before);
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("melodist-e2e-keys")),
                 qPrintable(window.statusBar()->currentMessage()));

        // WHEN it closes the port  THEN the status is back to what it was
        keys.reset();
        QTRY_VERIFY_WITH_TIMEOUT(!midi->toolTip().contains(QStringLiteral("melodist-e2e-keys")), 5000);
        QCOMPARE(midi->text(), before);
        // and the window's destructor stops the watcher (the test ends without a hang or a late callback)
    }

private:
    test::JackTestServer m_server;
};

QTEST_MAIN(StudioMidiWatchJackTest)
#include "StudioMidiWatchJackTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist record` run as a process: usage errors and a machine without MIDI.
// (Recording itself is tested end to end with a real JACK server: e2e/MidiRecordJackTest.)
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"

#include <unistd.h>

using melodist::test::ProcessRun;
using melodist::test::runMelodist;

class RecordCliTest : public QObject {
    Q_OBJECT
private slots:
    void withoutAnOutputFileItIsAUsageError() {
        // GIVEN / WHEN record without --out
        const ProcessRun run = runMelodist({QStringLiteral("record"), QStringLiteral("--seconds"), QStringLiteral("1")});
        // THEN exit 2, naming the missing option
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--out")), qPrintable(run.err));
    }

    void aMalformedGridOrApiIsAUsageError() {
        const QStringList base = {QStringLiteral("record"), QStringLiteral("--seconds"), QStringLiteral("1"),
                                  QStringLiteral("--out"), QStringLiteral("x.mid")};
        // WHEN the grid is not a positive step THEN exit 2 with the grids it takes
        ProcessRun run = runMelodist(base + QStringList{QStringLiteral("--grid"), QStringLiteral("1/0")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--grid")), qPrintable(run.err));
        run = runMelodist(base + QStringList{QStringLiteral("--api"), QStringLiteral("coreaudio")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--api is jack, alsa or auto")), qPrintable(run.err));
        run = runMelodist(base + QStringList{QStringLiteral("--strength"), QStringLiteral("1.5")});
        QCOMPARE(run.exitCode, 2);
    }

    void withoutAnAlsaSequencerItSaysNoMidiInputAndWritesNothing() {
        // GIVEN a machine without /dev/snd/seq
        if (::access("/dev/snd/seq", R_OK | W_OK) == 0) QSKIP("this machine has an ALSA sequencer");
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("never.mid"));
        // WHEN recording from ALSA
        const ProcessRun run = runMelodist({QStringLiteral("record"), QStringLiteral("--api"), QStringLiteral("alsa"),
                                            QStringLiteral("--seconds"), QStringLiteral("1"), QStringLiteral("--out"), out});
        // THEN exit 1 with a clear message, no crash, no file
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("no MIDI input available: no ALSA sequencer")), qPrintable(run.err));
        QVERIFY(!run.err.contains(QStringLiteral("terminate called")));
        QVERIFY(!QFileInfo::exists(out));
    }
};

QTEST_GUILESS_MAIN(RecordCliTest)
#include "RecordCliTest.moc"

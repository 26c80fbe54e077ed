// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real `melodist` executable as a user would and checks what it prints.
#include <QProcess>
#include <QtTest>

#include "tests/common/TestSupport.h"

using melodist::test::ProcessRun;
using melodist::test::runMelodist;

class CliTest : public QObject {
    Q_OBJECT
private slots:
    void versionNamesEveryLibraryAndTheBlasInUse() {
        const ProcessRun run = runMelodist({QStringLiteral("--version")});
        QCOMPARE(run.exitCode, 0);
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 5, qPrintable(run.out));
        QVERIFY(lines[0].startsWith(QStringLiteral("Melodist ")));
        QVERIFY(lines[1].startsWith(QStringLiteral("LibTorch ")));
        QVERIFY(lines[1].contains(QStringLiteral("CUDA")) || lines[1].contains(QStringLiteral("CPU")));
        QVERIFY(lines[2].startsWith(QStringLiteral("BLAS: ")));
        QVERIFY(run.out.contains(QStringLiteral("FluidSynth")));
        QVERIFY(run.out.contains(QStringLiteral("RtMidi")));
        // `melodist version` is the same command
        QCOMPARE(runMelodist({QStringLiteral("version")}).out.split('\n')[2], lines[2]);
    }

    void helpListsEverySubcommand() {
        const ProcessRun run = runMelodist({QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(QStringLiteral("usage: melodist COMMAND")));
        for (const char* command : {"version", "midi-ports", "help"})
            QVERIFY2(run.out.contains(QStringLiteral("\n  %1 ").arg(QLatin1String(command))), command);
    }

    void unknownCommandIsAUsageErrorThatSaysWhatToDo() {
        const ProcessRun run = runMelodist({QStringLiteral("genrate")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(QStringLiteral("no command 'genrate'")));
        QVERIFY(run.err.contains(QStringLiteral("melodist --help")));
    }

    void misspelledOptionIsNamedWithASuggestion() {
        const ProcessRun run = runMelodist({QStringLiteral("version"), QStringLiteral("--verbose")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("unknown option --verbose")), qPrintable(run.err));
    }

    void midiPortsWithoutAMidiSystemExitsWithAClearMessage() {
        const ProcessRun run = runMelodist({QStringLiteral("midi-ports")});
        if (run.exitCode == 0) QSKIP("this machine has a MIDI system");
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("no MIDI input available")), qPrintable(run.err));
        QVERIFY(!run.err.contains(QStringLiteral("terminate called")));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "CliTest.moc"

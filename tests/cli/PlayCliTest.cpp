// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist play` without any audio output, run as a process the way a user runs it:
// one clear line and exit 1, never a crash or a library's own error output.
#include "engine/io/MidiFile.h"
#include "tests/common/TestSupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace melodist::engine;
using melodist::test::ProcessRun;
using melodist::test::runMelodist;

namespace {

bool hasSoundCard() {
    return !QDir(QStringLiteral("/dev/snd")).entryList({QStringLiteral("pcmC*p")}, QDir::System).isEmpty();
}

// What no raw library or runtime message may leave on stderr.
void verifyNoRawErrors(const QString& err) {
    for (const char* raw : {"terminate called", "fluidsynth:", "ALSA lib", "Cannot connect to server", "JACK server is not running",
                            "Segmentation", "Aborted"})
        QVERIFY2(!err.contains(QLatin1String(raw)), qPrintable(err));
}

}  // namespace

class PlayCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_midi;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // No PulseAudio or PipeWire socket (an empty runtime dir), and a JACK server name
        // that nothing runs: the outcome cannot depend on the machine's sound servers.
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("runtime")));
        qputenv("XDG_RUNTIME_DIR", m_dir.filePath(QStringLiteral("runtime")).toUtf8());
        qunsetenv("PULSE_SERVER");
        qunsetenv("PIPEWIRE_REMOTE");
        qputenv("JACK_DEFAULT_SERVER", QStringLiteral("melodist-none-%1").arg(::getpid()).toUtf8());
        qputenv("JACK_NO_START_SERVER", "1");
        Score score;
        score.parts.emplace_back().name = "Tune";
        for (int i = 0; i < 4; ++i)
            score.parts[0].notes.push_back(melodist::test::makeNote(60 + 2 * i, Rational(i), Rational(1, 2)));
        m_midi = m_dir.filePath(QStringLiteral("tune.mid"));
        QVERIFY(writeMidiFile(score, m_midi.toStdString()).ok());
    }

    void withoutAnyAudioOutputItSaysWhatWasTriedAndExits1() {
        if (hasSoundCard()) QSKIP("this machine has a sound card: ALSA would open");
        // WHEN the tune is played with the automatic driver choice
        const ProcessRun run = runMelodist({QStringLiteral("play"), m_midi, QStringLiteral("--soundfont"), melodist::test::builtInSoundfontForTests()}, 30000);
        // THEN it fails with one line naming each output it looked for
        QCOMPARE(run.exitCode, 1);
        const QStringList lines = run.err.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith(QStringLiteral("melodist play: no audio output available: ")), qPrintable(run.err));
        QVERIFY2(lines[0].contains(QStringLiteral("alsa: no sound card")), qPrintable(run.err));
        QVERIFY2(lines[0].contains(QStringLiteral("jack: no JACK server running")), qPrintable(run.err));
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
        verifyNoRawErrors(run.err);
    }

    void jackWithoutAServerFailsCleanly() {
        // WHEN JACK is asked for by name and no server of that name runs
        const ProcessRun run = runMelodist({QStringLiteral("play"), m_midi, QStringLiteral("--driver"), QStringLiteral("jack"),
                                            QStringLiteral("--soundfont"), melodist::test::builtInSoundfontForTests()}, 30000);
        // THEN exactly one line says so
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err, QStringLiteral("melodist play: no audio output available: jack: no JACK server running "
                                         "(server 'melodist-none-%1')\n").arg(::getpid()));
        verifyNoRawErrors(run.err);
    }

    void badOptionsAreUsageErrors() {
        // WHEN the driver is unknown, or the file is missing
        const ProcessRun driver = runMelodist({QStringLiteral("play"), m_midi, QStringLiteral("--driver"), QStringLiteral("coreaudio")});
        const ProcessRun missing = runMelodist({QStringLiteral("play"), m_dir.filePath(QStringLiteral("none.mid"))});
        // THEN the first is bad usage (2), the second a failure (1) naming the file
        QCOMPARE(driver.exitCode, 2);
        QVERIFY2(driver.err.contains(QStringLiteral("--driver is auto, pulseaudio, pipewire, alsa or jack")), qPrintable(driver.err));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("none.mid")), qPrintable(missing.err));
    }
};

QTEST_GUILESS_MAIN(PlayCliTest)
#include "PlayCliTest.moc"

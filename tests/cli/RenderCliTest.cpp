// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist render`, run as a process the way a user runs it.
#include "engine/audio/AudioInfo.h"
#include "engine/io/MidiFile.h"
#include "tests/common/TestSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace melodist::engine;
using melodist::test::ProcessRun;
using melodist::test::runMelodist;

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class RenderCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_midi;

    QString out(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        qunsetenv("MELODIST_SOUNDFONT");
        Score score;
        score.tempos.push_back({.onset = 0, .bpm = 90});
        score.parts.emplace_back().name = "Tune";
        for (int i = 0; i < 8; ++i)
            score.parts[0].notes.push_back(melodist::test::makeNote(60 + 2 * (i % 5), Rational(3 * i, 2), Rational(3, 2), 80));
        m_midi = out("tune.mid");
        QVERIFY(writeMidiFile(score, m_midi.toStdString()).ok());
    }

    void rendersAWavAndPrintsOneLine() {
        // WHEN the tune (12 quarters at 90 BPM = 8 s) is rendered with the built-in font
        const ProcessRun run = runMelodist({QStringLiteral("render"), m_midi, QStringLiteral("--out"), out("tune.wav"),
                                            QStringLiteral("--soundfont"), melodist::test::builtInSoundfontForTests()});
        // THEN one line names the output, the length with its 1.5 s tail, the notes and the font
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith(QStringLiteral("render: %1: 9.50 s of audio, 8 notes, soundfont %2, 44100 Hz; ")
                                         .arg(out("tune.wav"), melodist::test::builtInSoundfontForTests())),
                 qPrintable(lines[0]));
        // and the file is a 16-bit stereo WAV of that length
        const QByteArray wav = readAll(out("tune.wav"));
        QVERIFY(wav.startsWith("RIFF"));
        QCOMPARE(wav.size(), 44 + qsizetype(9.5 * 44100) * 4);
    }

    void tempoAndSampleRateOptionsChangeTheFile() {
        // WHEN rendered at 180 BPM (twice as fast) and 22050 Hz
        const ProcessRun run = runMelodist({QStringLiteral("render"), m_midi, QStringLiteral("--out"), out("fast.wav"),
                                            QStringLiteral("--soundfont"), melodist::test::builtInSoundfontForTests(), QStringLiteral("--tempo"),
                                            QStringLiteral("180"), QStringLiteral("--sample-rate"), QStringLiteral("22050")});
        // THEN it is 4 s plus the tail, at the rate asked for
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral(": 5.50 s of audio, 8 notes,")), qPrintable(run.out));
        QCOMPARE(readAll(out("fast.wav")).size(), 44 + qsizetype(5.5 * 22050) * 4);
    }

    void withoutSoundfontItUsesTheDefaultOne() {
        // GIVEN $MELODIST_SOUNDFONT naming the built-in font
        qputenv("MELODIST_SOUNDFONT", melodist::test::builtInSoundfontForTests().toUtf8());
        // WHEN rendered without --soundfont
        const ProcessRun run = runMelodist({QStringLiteral("render"), m_midi, QStringLiteral("--out"), out("env.wav")});
        qunsetenv("MELODIST_SOUNDFONT");
        // THEN that font is used
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("soundfont ") + melodist::test::builtInSoundfontForTests()), qPrintable(run.out));
    }

    void aCopiedInstallFindsItsBuiltInFontBesideTheExecutable() {
        // GIVEN melodist copied into an install-like tree: bin/melodist, share/melodist/soundfonts/
        const QString root = out("prefix");
        QVERIFY(QDir().mkpath(root + QStringLiteral("/bin")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/share/melodist/soundfonts")));
        QVERIFY(QFile::copy(qEnvironmentVariable("MELODIST_BIN_DIR") + QStringLiteral("/melodist"),
                            root + QStringLiteral("/bin/melodist")));
        const QString font = root + QStringLiteral("/share/melodist/soundfonts/melodist-soft.sf2");
        QVERIFY(QFile::copy(melodist::test::builtInSoundfontForTests(), font));
        // WHEN it renders without --soundfont
        const QByteArray binDir = qgetenv("MELODIST_BIN_DIR");
        qputenv("MELODIST_BIN_DIR", (root + QStringLiteral("/bin")).toUtf8());
        const ProcessRun run = runMelodist({QStringLiteral("render"), m_midi, QStringLiteral("--out"), out("copy.wav")});
        qputenv("MELODIST_BIN_DIR", binDir);
        // THEN it uses the best installed General MIDI font, or when there is none its own
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const std::vector<std::string> installed = findInstalledSoundfonts();
        const QString expected = installed.empty() ? QFileInfo(font).canonicalFilePath()
                                                   : QString::fromStdString(installed.front());
        QVERIFY2(run.out.contains(QStringLiteral("soundfont %1,").arg(expected)), qPrintable(run.out + expected));
    }

    void missingFilesAreClearErrors() {
        // WHEN the soundfont does not exist
        ProcessRun run = runMelodist({QStringLiteral("render"), m_midi, QStringLiteral("--out"), out("x.wav"),
                                      QStringLiteral("--soundfont"), out("nope.sf2")});
        // THEN the error names it, and no WAV is written
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(out("nope.sf2") + QStringLiteral(": soundfont not found")), qPrintable(run.err));
        QVERIFY(!QFile::exists(out("x.wav")));
        // WHEN the music file does not exist, THEN the error names it
        run = runMelodist({QStringLiteral("render"), out("nope.mid"), QStringLiteral("--out"), out("x.wav"),
                           QStringLiteral("--soundfont"), melodist::test::builtInSoundfontForTests()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(out("nope.mid")), qPrintable(run.err));
        // WHEN --out is missing, THEN it is a usage error
        run = runMelodist({QStringLiteral("render"), m_midi});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--out")), qPrintable(run.err));
        // WHEN --program is out of range, THEN it is a usage error
        run = runMelodist({QStringLiteral("render"), m_midi, QStringLiteral("--out"), out("x.wav"),
                           QStringLiteral("--program"), QStringLiteral("128")});
        QCOMPARE(run.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(RenderCliTest)
#include "RenderCliTest.moc"

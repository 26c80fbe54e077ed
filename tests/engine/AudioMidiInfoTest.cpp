// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/audio/AudioInfo.h"
#include "engine/midi/MidiInfo.h"

#include <fluidsynth.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>

using namespace melodist::engine;

class AudioMidiInfoTest : public QObject {
    Q_OBJECT
private slots:
    void fluidSynthRuntimeIsTheMajorVersionWeBuiltAgainst() {
        const QString version = QString::fromStdString(fluidSynthVersion());
        QVERIFY2(version.startsWith(QStringLiteral("%1.").arg(FLUIDSYNTH_VERSION_MAJOR)), qPrintable(version));
    }

    void soundfontSearchPrefersGeneralMidiFontsThenOthersByName() {
        // GIVEN a user folder with two unknown fonts, one known GM font and a non-font
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const char* name : {"zeta.sf2", "alpha.sf3", "TimGM6mb.sf2", "notes.txt"}) {
            QFile file(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("RIFF");
        }
        qputenv("MELODIST_SOUNDFONT_PATH", dir.path().toUtf8());
        // WHEN we search
        const auto fonts = findInstalledSoundfonts();
        qunsetenv("MELODIST_SOUNDFONT_PATH");
        // THEN the GM font comes first, the others follow by name, the text file is ignored
        QStringList ours;
        for (const std::string& font : fonts)
            if (QString::fromStdString(font).startsWith(dir.path())) ours << QFileInfo(QString::fromStdString(font)).fileName();
        QCOMPARE(ours, (QStringList{QStringLiteral("TimGM6mb.sf2"), QStringLiteral("alpha.sf3"), QStringLiteral("zeta.sf2")}));
    }

    void midiPortsAreListedOrTheirAbsenceIsExplained() {
        // On a machine without /dev/snd/seq and without JACK this is an error, never a throw.
        const auto ports = listMidiInputPorts();
        if (!ports) {
            QVERIFY2(QString::fromStdString(ports.error()).startsWith(QStringLiteral("no MIDI input available")),
                     ports.error().c_str());
        }
        QVERIFY(!rtMidiCompiledApis().empty());
    }
};

QTEST_GUILESS_MAIN(AudioMidiInfoTest)
#include "AudioMidiInfoTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// engine/music/GeneralMidi: the 128 program names and 16 families of General MIDI 1.
#include "engine/music/GeneralMidi.h"

#include <QtTest>

#include <set>
#include <string>

using namespace melodist::engine;

class GeneralMidiTest : public QObject {
    Q_OBJECT
private slots:
    void namesAreTheGeneralMidiSoundSet() {
        QCOMPARE(generalMidiProgramName(0), std::string_view("Acoustic Grand Piano"));
        QCOMPARE(generalMidiProgramName(40), std::string_view("Violin"));
        QCOMPARE(generalMidiProgramName(73), std::string_view("Flute"));
        QCOMPARE(generalMidiProgramName(127), std::string_view("Gunshot"));
        QCOMPARE(generalMidiProgramName(-1), std::string_view());
        QCOMPARE(generalMidiProgramName(128), std::string_view());
        std::set<std::string_view> distinct;
        for (int p = 0; p < kGeneralMidiProgramCount; ++p) {
            QVERIFY(!generalMidiProgramName(p).empty());
            distinct.insert(generalMidiProgramName(p));
        }
        QCOMPARE(distinct.size(), size_t(128));
    }

    void familiesAreEightProgramsEach() {
        QCOMPARE(generalMidiFamilyName(0), std::string_view("Piano"));
        QCOMPARE(generalMidiFamilyName(7), std::string_view("Piano"));
        QCOMPARE(generalMidiFamilyName(8), std::string_view("Chromatic Percussion"));
        QCOMPARE(generalMidiFamilyName(73), std::string_view("Pipe"));
        QCOMPARE(generalMidiFamilyName(127), std::string_view("Sound Effects"));
    }

    void namesAreFoundIgnoringCase() {
        QCOMPARE(findGeneralMidiProgram("flute"), std::optional<int>(73));
        QCOMPARE(findGeneralMidiProgram("ACOUSTIC GRAND PIANO"), std::optional<int>(0));
        QCOMPARE(findGeneralMidiProgram("Lead 8 (bass + lead)"), std::optional<int>(87));
        QVERIFY(!findGeneralMidiProgram("kazoo"));
    }
};

QTEST_GUILESS_MAIN(GeneralMidiTest)
#include "GeneralMidiTest.moc"

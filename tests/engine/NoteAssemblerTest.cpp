// SPDX-License-Identifier: GPL-3.0-or-later
// NoteAssembler: MIDI note-on/off messages with times into notes.
#include <QtTest>

#include "engine/music/NoteAssembler.h"

using melodist::engine::NoteAssembler;
using melodist::engine::TimedNote;

namespace {
void send(NoteAssembler& assembler, double seconds, unsigned char status, unsigned char data1, unsigned char data2) {
    const unsigned char bytes[3] = {status, data1, data2};
    assembler.addMessage(seconds, bytes, 3);
}
}  // namespace

class NoteAssemblerTest : public QObject {
    Q_OBJECT
private slots:
    void pairsNoteOnAndOffKeepingTheVelocity() {
        // GIVEN C4 on at 0.5 s (velocity 100), E4 on at 0.6 s (velocity 40), both released
        NoteAssembler assembler;
        send(assembler, 0.5, 0x90, 60, 100);
        send(assembler, 0.6, 0x91, 64, 40);
        send(assembler, 0.75, 0x80, 60, 64);
        // WHEN E4 ends with a note-on of velocity 0 (running-status keyboards do this)
        send(assembler, 0.9, 0x91, 64, 0);
        // THEN two notes, by onset, with their lengths, velocities and channels
        const std::vector<TimedNote> notes = assembler.notes();
        QCOMPARE(notes.size(), size_t(2));
        QCOMPARE(notes[0].pitch, 60);
        QCOMPARE(notes[0].onsetSeconds, 0.5);
        QCOMPARE(notes[0].durationSeconds, 0.25);
        QCOMPARE(notes[0].velocity, 100);
        QCOMPARE(notes[1].pitch, 64);
        QVERIFY(std::abs(notes[1].durationSeconds - 0.3) < 1e-12);
        QCOMPARE(notes[1].velocity, 40);
        QCOMPARE(notes[1].channel, 1);
        QCOMPARE(assembler.heldCount(), size_t(0));
    }

    void notesStillHeldEndWhenTheRecordingStops() {
        // GIVEN G4 pressed at 1 s and never released
        NoteAssembler assembler;
        send(assembler, 1.0, 0x90, 67, 70);
        QCOMPARE(assembler.heldCount(), size_t(1));
        QVERIFY(assembler.notes().empty());
        // WHEN the recording stops at 3 s
        assembler.endHeldNotes(3.0);
        // THEN the note lasts until then
        const std::vector<TimedNote> notes = assembler.notes();
        QCOMPARE(notes.size(), size_t(1));
        QCOMPARE(notes[0].durationSeconds, 2.0);
        QCOMPARE(assembler.heldCount(), size_t(0));
    }

    void aReStruckKeyEndsTheEarliestNoteFirst() {
        // GIVEN C4 struck twice before any release
        NoteAssembler assembler;
        send(assembler, 0.0, 0x90, 60, 50);
        send(assembler, 1.0, 0x90, 60, 90);
        // WHEN the two note-offs come
        send(assembler, 1.5, 0x80, 60, 0);
        send(assembler, 2.0, 0x80, 60, 0);
        // THEN the first off ends the first note (FIFO, as the MIDI file reader pairs)
        const std::vector<TimedNote> notes = assembler.notes();
        QCOMPARE(notes.size(), size_t(2));
        QCOMPARE(notes[0].velocity, 50);
        QCOMPARE(notes[0].durationSeconds, 1.5);
        QCOMPARE(notes[1].velocity, 90);
        QCOMPARE(notes[1].durationSeconds, 1.0);
    }

    void ignoresStrayNoteOffsAndOtherMessages() {
        // GIVEN a note-off with nothing sounding, a control change, a pitch bend and a short message
        NoteAssembler assembler;
        send(assembler, 0.1, 0x80, 60, 0);
        send(assembler, 0.2, 0xB0, 64, 127);
        send(assembler, 0.3, 0xE0, 0, 64);
        const unsigned char shortMessage[2] = {0x90, 60};
        assembler.addMessage(0.4, shortMessage, 2);
        // WHEN the recording stops THEN there are no notes, and the stray note-off was counted
        assembler.endHeldNotes(1.0);
        QVERIFY(assembler.notes().empty());
        QCOMPARE(assembler.ignoredNoteOffs(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(NoteAssemblerTest)
#include "NoteAssemblerTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The **kern reader on hand-made fixtures (tests/data/kern) and on broken input.
// Expected values are worked out by hand from the kern rules, not copied from output.
#include "engine/io/KernReader.h"

#include <QtTest/QtTest>

using namespace melodist::engine;

namespace {

std::string fixture(const char* name) {
    return qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/kern/" + name;
}

Score readFixture(const char* name, KernReadOptions options = {}) {
    Result<Score> score = readKernFile(fixture(name), options);
    if (!score) qFatal("%s", score.error().c_str());
    return std::move(score).value();
}

}  // namespace

class KernReaderTest : public QObject {
    Q_OBJECT

private slots:
    void tiedNotesMergeIntoOneNoteWithTheirWrittenParts() {
        // GIVEN a G major song with [2dd 4dd] tied across a barline
        // WHEN it is read
        const Score score = readFixture("ties_dots_rests.krn");
        // THEN the tie is one D5 of 3 quarters starting on beat 3, written as 2 + 1
        const std::vector<Note>& notes = score.parts.at(0).notes;
        QCOMPARE(notes.size(), size_t(7));
        QCOMPARE(notes[3].pitch, 74);
        QVERIFY(notes[3].onset == Rational(3));
        QVERIFY(notes[3].duration == Rational(3));
        QVERIFY((notes[3].tiedParts == std::vector<Rational>{2, 1}));
        QVERIFY(notes[0].tiedParts.empty());
    }

    void dottedNotesAndRestsGetExactDurationsAndOnsets() {
        // GIVEN {4.g 8a 4b [2dd 4dd] 8r 16cc 16b 2.g}
        const Score score = readFixture("ties_dots_rests.krn");
        const Part& part = score.parts.at(0);
        // THEN pitches, onsets and durations follow the kern rules (4. = 3/2, 8 = 1/2, 16 = 1/4)
        const std::vector<int> pitches{67, 69, 71, 74, 72, 71, 67};
        const std::vector<Rational> onsets{0, Rational(3, 2), 2, 3, Rational(13, 2), Rational(27, 4), 7};
        const std::vector<Rational> durations{Rational(3, 2), Rational(1, 2), 1, 3, Rational(1, 4), Rational(1, 4), 3};
        for (size_t i = 0; i < pitches.size(); ++i) {
            QCOMPARE(part.notes[i].pitch, pitches[i]);
            QVERIFY2(part.notes[i].onset == onsets[i], part.notes[i].onset.toString().c_str());
            QVERIFY2(part.notes[i].duration == durations[i], part.notes[i].duration.toString().c_str());
        }
        QCOMPARE(part.rests.size(), size_t(1));
        QVERIFY(part.rests[0].onset == Rational(6) && part.rests[0].duration == Rational(1, 2));
        QVERIFY(score.endTime() == Rational(10));
    }

    void keyMeterAndTitleComeFromInterpretationsAndReferenceRecords() {
        const Score score = readFixture("ties_dots_rests.krn");
        QCOMPARE(score.title, std::string("Hand-made fixture: ties, dots and rests"));
        QCOMPARE(score.keys.size(), size_t(1));
        QVERIFY((score.keys[0].key == Key{7, Mode::Major}));
        QVERIFY(score.keys[0].declared);
        QCOMPARE(score.keys[0].fifths, 1);
        QCOMPARE(score.meters.size(), size_t(1));
        QCOMPARE(score.meters[0].numerator, 3);
        QCOMPARE(score.meters[0].denominator, 4);
    }

    void minorKeysAndTripletsAreRead() {
        // GIVEN *d: with 12d 12e 12f (eighth triplets) then 4a 2d
        const Score score = readFixture("triplets.krn");
        // THEN d minor with one flat, and each triplet lasts a third of a quarter
        QVERIFY(score.declaredKey() == (Key{2, Mode::Minor}));
        QCOMPARE(score.keys[0].fifths, -1);
        const std::vector<Note>& notes = score.parts[0].notes;
        QCOMPARE(notes.size(), size_t(5));
        QVERIFY(notes[1].onset == Rational(1, 3) && notes[2].onset == Rational(2, 3));
        QVERIFY(notes[2].duration == Rational(1, 3));
        QVERIFY(notes[3].onset == Rational(1) && notes[4].onset == Rational(2));
    }

    void splitSpineIsFollowedByItsFirstSubSpine() {
        // GIVEN a first **kern spine that splits (*^) into a8 b-8 | cc8 dd8, has a grace
        // note (8qg), joins (*v) and ends with the chord "2f 2a 2cc"
        const Score score = readFixture("spines_chord_grace.krn");
        // THEN we read f4, a4, b-4, cc (grace dropped) and three chord notes at quarter 3
        const std::vector<Note>& notes = score.parts[0].notes;
        const std::vector<int> pitches{65, 69, 70, 72, 65, 69, 72};
        QCOMPARE(notes.size(), pitches.size());
        for (size_t i = 0; i < pitches.size(); ++i) QCOMPARE(notes[i].pitch, pitches[i]);
        QVERIFY(notes[3].onset == Rational(2));
        for (size_t i = 4; i < 7; ++i) QVERIFY(notes[i].onset == Rational(3) && notes[i].duration == Rational(2));
        QCOMPARE(score.meters.at(0).numerator, 0);  // *MX
        QCOMPARE(score.tempos.at(0).bpm, 96.0);
        QVERIFY(score.declaredKey() == (Key{5, Mode::Major}));
    }

    void secondKernSpineIsChosenByIndexSkippingOtherSpineTypes() {
        // GIVEN the same file, asking for **kern spine 1 (the **dynam spine is not counted)
        const Score score = readFixture("spines_chord_grace.krn", {.spine = 1});
        // THEN the bass line 4F 4C 4F 2FF comes through the split and join of spine 0
        const std::vector<Note>& notes = score.parts[0].notes;
        QCOMPARE(notes.size(), size_t(4));
        QCOMPARE(notes[0].pitch, 53);
        QCOMPARE(notes[1].pitch, 48);
        QCOMPARE(notes[2].pitch, 53);
        QCOMPARE(notes[3].pitch, 41);
        QVERIFY(notes[3].onset == Rational(3) && notes[3].duration == Rational(2));
    }

    void pitchSpellingsAndOddDurationsFollowKernRules() {
        const Score score = readFixture("pitches_durations.krn");
        const std::vector<Note>& notes = score.parts[0].notes;
        // CC C c cc ccc# d-- e## fn BB- then c as breve, 20, 3%2, 8.., 16
        const std::vector<int> pitches{36, 48, 60, 72, 85, 60, 66, 65, 46, 60, 60, 60, 60, 60};
        QCOMPARE(notes.size(), pitches.size());
        std::vector<int> read;
        for (const Note& note : notes) read.push_back(note.pitch);
        QCOMPARE(read, pitches);
        QVERIFY(notes[9].duration == Rational(8));
        QVERIFY(notes[10].onset == Rational(17) && notes[10].duration == Rational(1, 5));
        QVERIFY(notes[11].duration == Rational(8, 3));
        QVERIFY(notes[12].duration == Rational(7, 8));
        QVERIFY(notes[13].onset == Rational(2489, 120));
        QCOMPARE(score.meters.at(0).numerator, 0);  // *MFREI4/4
        QVERIFY(!score.declaredKey());
    }

    void unreadableDurationNamesFileLineAndToken() {
        // GIVEN a note without a duration number on line 4
        const Result<Score> score = readKern("**kern\n*M2/4\n4c\nc#\n*-\n", "song.krn");
        // THEN the error says where and what
        QVERIFY(!score);
        QVERIFY2(score.error().rfind("song.krn line 4: cannot read the duration of kern token 'c#'", 0) == 0,
                 score.error().c_str());
    }

    void tokenWithoutPitchOrRestIsAnError() {
        const Result<Score> score = readKern("**kern\n4xyz\n*-\n", "odd.krn");
        QVERIFY(!score);
        QVERIFY2(score.error().find("odd.krn line 2") != std::string::npos, score.error().c_str());
        QVERIFY(score.error().find("'4xyz'") != std::string::npos);
    }

    void binaryAndEmptyInputGiveClearErrors() {
        const std::string binary("\x7f" "ELF\0\0\x01\x02", 8);
        const Result<Score> fromBinary = readKern(binary, "a.out");
        QVERIFY(!fromBinary);
        QVERIFY2(fromBinary.error().find("NUL") != std::string::npos, fromBinary.error().c_str());
        const Result<Score> fromEmpty = readKern(" \n\n", "empty.krn");
        QVERIFY(!fromEmpty);
        QVERIFY2(fromEmpty.error().find("empty") != std::string::npos, fromEmpty.error().c_str());
        const Result<Score> noHeader = readKern("4c\n4d\n", "plain.txt");
        QVERIFY(!noHeader);
        QVERIFY2(noHeader.error().find("plain.txt line 1") != std::string::npos, noHeader.error().c_str());
    }

    void missingSpineAndWrongFieldCountAreErrors() {
        const Result<Score> noSecond = readKern("**kern\n4c\n*-\n", "one.krn", {.spine = 1});
        QVERIFY(!noSecond);
        QVERIFY2(noSecond.error().find("spine 1 does not exist") != std::string::npos, noSecond.error().c_str());
        const Result<Score> ragged = readKern("**kern\t**kern\n4c\t4e\n4d\n*-\t*-\n", "ragged.krn");
        QVERIFY(!ragged);
        QVERIFY2(ragged.error().find("ragged.krn line 3") != std::string::npos, ragged.error().c_str());
    }

    void rhythmTooFineToRepresentIsAnErrorNotAnOverflow() {
        // GIVEN durations 1/999983, 1/999979, ... of a whole note: their common grid is too fine for 64-bit time
        const Result<Score> score = readKern("**kern\n999983c\n999979c\n999961c\n999959c\n*-\n", "primes.krn");
        QVERIFY(!score);
        QVERIFY2(score.error().find("primes.krn line 3") != std::string::npos, score.error().c_str());
    }

    void missingFileNamesThePath() {
        const Result<Score> score = readKernFile("/nonexistent/deut9999.krn");
        QVERIFY(!score);
        QVERIFY(score.error().find("/nonexistent/deut9999.krn") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(KernReaderTest)
#include "KernReaderTest.moc"

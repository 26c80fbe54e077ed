// SPDX-License-Identifier: GPL-3.0-or-later
// MusicXML reader on hand-written files, its error messages, pitch spelling, and the
// writer -> reader round trip. The MuseScore peer check is MuseScoreRoundTripTest.
#include "engine/io/MusicXmlReader.h"
#include "engine/io/MusicXmlWriter.h"
#include "engine/io/PitchSpelling.h"

#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include "tests/common/TestSupport.h"

using melodist::test::describe;
using melodist::test::Lcg;
using melodist::test::makeNote;

#include <cstdint>
#include <vector>

using namespace melodist::engine;

namespace {

QString dataPath(const char* name) { return qEnvironmentVariable("MELODIST_TEST_DATA") + "/musicxml/" + name; }

// Two parts over meter, key and tempo changes: a melody with dotted values, rests,
// triplets and notes across barlines, and an accompaniment of chords over held bass
// notes (two voices).
Score makeRichScore() {
    Score score;
    score.title = "Round <trip> & back";
    Part melody;
    melody.name = "Flute";
    melody.program = 73;
    melody.channel = 0;
    Lcg random(20240611);
    const Rational lengths[] = {Rational(1, 4), Rational(1, 2), Rational(3, 4), 1, Rational(3, 2), 2};
    Rational time;
    int pitch = 67;
    while (time < 36) {
        if (random.below(8) == 0) {  // a triplet group of eighths
            for (int i = 0; i < 3; ++i) melody.notes.push_back(makeNote(pitch + i, time + Rational(i, 3), Rational(1, 3), 50 + 10 * i));
            time += 1;
            continue;
        }
        const Rational length = lengths[random.below(6)];
        if (random.below(6) == 0) {
            time += length;  // a rest
            continue;
        }
        pitch = std::clamp(pitch + random.below(9) - 4, 55, 84);
        melody.notes.push_back(makeNote(pitch, time, length, 40 + random.below(80)));
        time += length;
    }
    Part piano;
    piano.name = "Piano";
    piano.program = 0;
    piano.channel = 1;
    for (int bar = 0; bar < 8; ++bar) {
        const Rational start = Rational(bar * 4);
        piano.notes.push_back(makeNote(36 + bar, start, 4, 70));
        for (int beat = 0; beat < 4; beat += 2)
            for (int p : {48, 52, 55}) piano.notes.push_back(makeNote(p + bar, start + beat, Rational(3, 2), 60));
    }
    score.parts = {melody, piano};
    score.meters = {{0, 4, 4}, {16, 3, 4}, {25, 6, 8}};
    score.keys = {{0, {10, Mode::Major}, true, -2}, {16, {6, Mode::Minor}, true, 3}};
    score.tempos = {{0, 90.0}, {8, 132.5}};
    score.sort();
    return score;
}

}  // namespace

class MusicXmlTest : public QObject {
    Q_OBJECT
private slots:
    void readsHandWrittenScoreWithChordsVoicesTiesAndDivisionChanges() {
        // GIVEN a two-part C minor score written by hand (see the comment in the file)
        // WHEN it is read
        const Result<Score> score = readMusicXmlFile(dataPath("hand_written_two_parts.musicxml").toStdString());
        QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
        // THEN the title, parts and MIDI settings are those of the part-list
        QCOMPARE(QString::fromStdString(score->title), QStringLiteral("Hand Written"));
        QCOMPARE(score->parts.size(), size_t(2));
        QCOMPARE(QString::fromStdString(score->parts[0].name), QStringLiteral("Flute"));
        QCOMPARE(score->parts[0].program, 73);
        QCOMPARE(score->parts[0].channel, 0);
        QCOMPARE(score->parts[1].program, 42);
        QCOMPARE(score->parts[1].channel, 2);
        // AND three flats minor is C minor, 3/4, dotted quarter = 60 is 90 quarters a minute
        QCOMPARE(score->keys.size(), size_t(1));
        QCOMPARE(score->keys[0].key, (Key{0, Mode::Minor}));
        QCOMPARE(score->keys[0].fifths, -3);
        QVERIFY(score->keys[0].declared);
        QCOMPARE(score->meters.size(), size_t(1));
        QCOMPARE(score->meters[0].numerator, 3);
        QCOMPARE(score->meters[0].denominator, 4);
        QCOMPARE(score->tempos.size(), size_t(2));
        QCOMPARE(score->tempos[0].bpm, 90.0);
        QVERIFY(score->tempos[1].onset == Rational(5));
        QCOMPARE(score->tempos[1].bpm, 120.0);
        // AND the flute's notes: chord, second voice (after <backup>), the grace note
        // dropped, the tie across the barline merged, triplets after divisions 2 -> 6
        std::vector<Note> flute = {makeNote(60, 0, 2),           makeNote(72, 0, 1),
                                   makeNote(75, 0, 1),           makeNote(67, 1, Rational(1, 2)),
                                   makeNote(70, 2, 2),           makeNote(74, 4, Rational(1, 3)),
                                   makeNote(75, Rational(13, 3), Rational(1, 3)), makeNote(77, Rational(14, 3), Rational(1, 3)),
                                   makeNote(79, 5, 1, 45)};
        flute[4].tiedParts = {1, 1};
        QCOMPARE(score->parts[0].notes.size(), flute.size());
        for (size_t i = 0; i < flute.size(); ++i)
            QVERIFY2(score->parts[0].notes[i] == flute[i], qPrintable(describe(score->parts[0].notes[i])));
        QCOMPARE(score->parts[0].rests.size(), size_t(1));
        QVERIFY(score->parts[0].rests[0] == (Rest{Rational(3, 2), Rational(1, 2)}));
        // AND the cello's tie written only as <tied> is merged; forte plays at 96
        QCOMPARE(score->parts[1].notes.size(), size_t(2));
        Note held = makeNote(48, 0, 4);
        held.tiedParts = {3, 1};
        QVERIFY2(score->parts[1].notes[0] == held, qPrintable(describe(score->parts[1].notes[0])));
        QVERIFY2(score->parts[1].notes[1] == makeNote(43, 4, 2, 96), qPrintable(describe(score->parts[1].notes[1])));
    }

    void readsTimewiseScoreLikePartwise() {
        // GIVEN a score-timewise file
        // WHEN it is read
        const Result<Score> score = readMusicXmlFile(dataPath("timewise.musicxml").toStdString());
        QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
        // THEN its one part has F#4, then G4 tied over the barline, then a rest
        QCOMPARE(QString::fromStdString(score->title), QStringLiteral("Timewise"));
        QCOMPARE(score->parts.size(), size_t(1));
        QCOMPARE(QString::fromStdString(score->parts[0].name), QStringLiteral("Oboe"));
        QCOMPARE(score->parts[0].notes.size(), size_t(2));
        QVERIFY(score->parts[0].notes[0] == makeNote(66, 0, Rational(1, 2)));
        Note tied = makeNote(67, Rational(1, 2), Rational(5, 2));
        tied.tiedParts = {Rational(3, 2), 1};
        QVERIFY2(score->parts[0].notes[1] == tied, qPrintable(describe(score->parts[0].notes[1])));
        QVERIFY(score->parts[0].rests.at(0) == (Rest{3, 1}));
        QCOMPARE(score->keys.at(0).key, (Key{7, Mode::Major}));
        QCOMPARE(score->tempos.at(0).bpm, 72.0);
        QCOMPARE(score->meters.at(0).numerator, 2);
    }

    void badInputGivesErrorNamingFileLineAndValue() {
        // GIVEN broken files
        const std::string header = "<?xml version=\"1.0\"?>\n<score-partwise>\n<part-list><score-part id=\"P1\"/></part-list>\n"
                                   "<part id=\"P1\"><measure>\n<attributes><divisions>1</divisions></attributes>\n";
        struct Case {
            std::string text;
            std::vector<std::string> mentions;
        };
        const std::vector<Case> cases = {
            {"<score-partwise><part>", {"bad.musicxml", "line 1", "not well-formed"}},
            {"<?xml version=\"1.0\"?>\n<html/>", {"bad.musicxml", "line 2", "<html>"}},
            {header + "<note><pitch><step>C</step><octave>12</octave></pitch><duration>1</duration></note>\n</measure></part></score-partwise>",
             {"bad.musicxml", "line 6", "<octave>", "\"12\"", "-2..10"}},
            {header + "<note><pitch><step>H</step><octave>4</octave></pitch><duration>1</duration></note>\n</measure></part></score-partwise>",
             {"line 6", "\"H\""}},
            {header + "<note><pitch><step>C</step><octave>4</octave></pitch><duration>x</duration></note>\n</measure></part></score-partwise>",
             {"line 6", "<duration>", "\"x\""}},
            {std::string("PK\x03\x04rest of a zip", 18), {"bad.musicxml", "unzip"}},
        };
        for (const Case& c : cases) {
            // WHEN each is read
            const Result<Score> score = readMusicXml(c.text, "bad.musicxml");
            // THEN it fails with a message that names the place and the value
            QVERIFY(!score.ok());
            for (const std::string& mention : c.mentions)
                QVERIFY2(score.error().find(mention) != std::string::npos, (score.error() + " lacks " + mention).c_str());
        }
    }

    void spellsPitchesForTheKey() {
        // GIVEN pitches in sharp, flat and minor keys; WHEN spelled; THEN as a musician writes them
        const auto spelled = [](int pitch, int fifths, Mode mode) {
            const SpelledPitch s = spellPitch(pitch, fifths, mode);
            return QString(QChar(s.step)) + QString::number(s.alter) + QString::number(s.octave);
        };
        QCOMPARE(spelled(66, 1, Mode::Major), QStringLiteral("F14"));    // F#4 in G major
        QCOMPARE(spelled(70, -1, Mode::Major), QStringLiteral("B-14"));  // Bb4 in F major
        QCOMPARE(spelled(68, 0, Mode::Minor), QStringLiteral("G14"));    // G#4 leading tone of A minor
        QCOMPARE(spelled(61, -1, Mode::Minor), QStringLiteral("C14"));   // C#4 leading tone of D minor
        QCOMPARE(spelled(71, -6, Mode::Major), QStringLiteral("C-15"));  // Cb5 in Gb major
        QCOMPARE(spelled(65, 6, Mode::Major), QStringLiteral("E14"));    // E#4 in F# major
        QCOMPARE(spelled(65, 1, Mode::Major), QStringLiteral("F04"));    // F natural in G major
        QCOMPARE(spelled(63, -3, Mode::Major), QStringLiteral("E-14"));  // Eb4 in Eb major
        QCOMPARE(fifthsForKey({2, Mode::Minor}), -1);
        QCOMPARE(fifthsForKey({4, Mode::Major}), 4);
        QCOMPARE(keyFromFifths(-4, Mode::Minor), (Key{5, Mode::Minor}));
    }

    void writerSplitsAtBarlinesWithTiesAndWholeDurations() {
        // GIVEN a 3/4 melody in F major with a note across the barline and a triplet
        Score score;
        Part part;
        part.notes = {makeNote(70, 0, Rational(1, 3)), makeNote(69, Rational(1, 3), Rational(1, 3)),
                      makeNote(67, Rational(2, 3), Rational(1, 3)), makeNote(65, 1, Rational(5, 2))};
        score.parts = {part};
        score.meters = {{0, 3, 4}};
        score.keys = {{0, {5, Mode::Major}, true, -1}};
        // WHEN written
        const std::string xml = writeMusicXml(score);
        // THEN every measure's durations add up to 3 quarters of whole divisions, the
        // long note is tied over the barline, the triplet is bracketed, Bb is B flat
        QXmlStreamReader reader(QByteArray::fromStdString(xml));
        int64_t divisions = 0, measureTotal = 0;
        std::vector<int64_t> measureTotals;
        int tieStarts = 0, tieStops = 0, tupletStarts = 0, timeModifications = 0;
        bool bFlat = false;
        QString step;
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.isEndElement() && reader.name() == QLatin1String("measure")) measureTotals.push_back(std::exchange(measureTotal, 0));
            if (!reader.isStartElement()) continue;
            const QStringView name = reader.name();
            if (name == QLatin1String("divisions")) divisions = reader.readElementText().toLongLong();
            else if (name == QLatin1String("duration")) measureTotal += reader.readElementText().toLongLong();
            else if (name == QLatin1String("tie")) (reader.attributes().value("type") == QLatin1String("start") ? tieStarts : tieStops)++;
            else if (name == QLatin1String("tuplet") && reader.attributes().value("type") == QLatin1String("start")) ++tupletStarts;
            else if (name == QLatin1String("time-modification")) ++timeModifications;
            else if (name == QLatin1String("step")) step = reader.readElementText();
            else if (name == QLatin1String("alter") && step == QLatin1String("B")) bFlat = reader.readElementText() == QLatin1String("-1");
        }
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        QCOMPARE(divisions % 3, int64_t(0));  // thirds and halves of a quarter must be whole
        QCOMPARE(divisions % 2, int64_t(0));
        QCOMPARE(measureTotals, (std::vector<int64_t>{3 * divisions, 3 * divisions}));
        QVERIFY(tieStarts >= 1);
        QCOMPARE(tieStarts, tieStops);
        QCOMPARE(tupletStarts, 1);
        QCOMPARE(timeModifications, 3);
        QVERIFY(bFlat);
    }

    void writeThenReadGivesBackTheScore() {
        // GIVEN a two-part score with meter, key and tempo changes, chords, voices and triplets
        const Score original = makeRichScore();
        QTemporaryDir dir;
        const std::string path = dir.filePath("rich.musicxml").toStdString();
        // WHEN written to a file and read back
        const Result<void> saved = writeMusicXmlFile(original, path);
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().c_str());
        const Result<Score> read = readMusicXmlFile(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        // THEN title, parts, notes (pitch, onset, duration, velocity), meters, keys and tempos are the same
        QCOMPARE(read->title, original.title);
        QCOMPARE(read->parts.size(), original.parts.size());
        for (size_t p = 0; p < original.parts.size(); ++p) {
            const Part& a = original.parts[p];
            const Part& b = read->parts[p];
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.program, a.program);
            QCOMPARE(b.channel, a.channel);
            QCOMPARE(b.notes.size(), a.notes.size());
            for (size_t i = 0; i < a.notes.size(); ++i) {
                Note back = b.notes[i];
                Rational sum;
                for (const Rational& tied : back.tiedParts) sum += tied;
                QVERIFY(back.tiedParts.empty() || sum == back.duration);
                back.tiedParts.clear();
                QVERIFY2(back == a.notes[i], qPrintable(describe(back) + " != " + describe(a.notes[i])));
            }
        }
        QCOMPARE(read->meters.size(), original.meters.size());
        for (size_t i = 0; i < original.meters.size(); ++i) {
            QVERIFY(read->meters[i].onset == original.meters[i].onset);
            QCOMPARE(read->meters[i].numerator, original.meters[i].numerator);
            QCOMPARE(read->meters[i].denominator, original.meters[i].denominator);
        }
        QCOMPARE(read->keys.size(), original.keys.size());
        for (size_t i = 0; i < original.keys.size(); ++i) {
            QVERIFY(read->keys[i].onset == original.keys[i].onset);
            QCOMPARE(read->keys[i].key, original.keys[i].key);
            QCOMPARE(read->keys[i].fifths, original.keys[i].fifths);
        }
        QCOMPARE(read->tempos.size(), original.tempos.size());
        for (size_t i = 0; i < original.tempos.size(); ++i) {
            QVERIFY(read->tempos[i].onset == original.tempos[i].onset);
            QCOMPARE(read->tempos[i].bpm, original.tempos[i].bpm);
        }
        // AND writing is deterministic
        QCOMPARE(writeMusicXml(original), writeMusicXml(original));
    }

    void tieIsNotCutBySamePitchInAnotherVoice() {
        // GIVEN (a case the fuzzer found) in 3/4, B4 tied over the barline in voice 2
        // while voice 1, written first in the next measure, plays another B4 later
        Score score;
        Part part;
        part.notes = {makeNote(60, Rational(3, 2), 2), makeNote(71, Rational(5, 2), 1), makeNote(71, Rational(9, 2), 1)};
        score.parts = {part};
        score.meters = {{0, 3, 4}};
        // WHEN written and read back
        const Result<Score> read = readMusicXml(writeMusicXml(score), "voices");
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        // THEN the tied B4 is one note again
        QCOMPARE(read->parts.at(0).notes.size(), size_t(3));
        Note tied = read->parts[0].notes[1];
        QCOMPARE(tied.tiedParts.size(), size_t(2));
        tied.tiedParts.clear();
        QVERIFY2(tied == part.notes[1], qPrintable(describe(tied)));
    }

    void writesEmptyScoreAsOneMeasureRest() {
        // GIVEN an empty score; WHEN written and read back; THEN one part with one rest and no notes
        const Result<Score> read = readMusicXml(writeMusicXml(Score{}), "empty");
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        QCOMPARE(read->parts.size(), size_t(1));
        QVERIFY(read->parts[0].notes.empty());
        QVERIFY(read->parts[0].rests.at(0) == (Rest{0, 4}));
    }
};

QTEST_GUILESS_MAIN(MusicXmlTest)
#include "MusicXmlTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The peer check for the MusicXML writer: MuseScore 3 opens what we write and plays it
// back as MIDI with the same notes. Melodies like generated ones (a seeded random walk
// over 16th..half values with rests, a triplet, notes across barlines, a key with
// flats or sharps) are written, converted by `musescore3 -o out.mid in.musicxml`, and
// the MIDI is read back with readMidiFile and compared note by note.
//
// Tolerated, and only this: MuseScore 3 ends every note one tick early (480 ticks
// per quarter; measured: a written quarter plays 479 ticks). Its MIDI rendering
// (libmscore/rendermidi.cpp, collectNote) computes `off = on + (ticks * e.len())/1000 - 1`
// for every note's play event, so a note-off never meets the next note-on at one tick.
// Tied notes play as one note (tieLen is added to the first), as our reader merges
// them. Skipped when musescore3 is not installed.
#include "engine/io/MidiFile.h"
#include "engine/io/MusicXmlWriter.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"

using melodist::test::describe;
using melodist::test::Lcg;
using melodist::test::makeNote;

#include <algorithm>
#include <cstdint>

using namespace melodist::engine;

namespace {

constexpr int kMuseScoreTicksPerQuarter = 480;

// A melody as the generator makes them: `count` notes of a seeded random walk in the
// scale of `key`, 16th to half values (dotted too), some rests, one triplet group.
Score generatedMelody(uint32_t seed, int count, int tonic, int fifths, MeterChange meter, double bpm) {
    Lcg random(seed);
    const Rational lengths[] = {Rational(1, 4), Rational(1, 2), Rational(3, 4), 1, Rational(3, 2), 2};
    const int scale[] = {0, 2, 4, 5, 7, 9, 11};
    Part part;
    part.name = "Melody";
    part.program = 73;
    Rational time;
    int degree = 7;
    bool tripletDone = false;
    while (static_cast<int>(part.notes.size()) < count) {
        if (!tripletDone && part.notes.size() >= static_cast<size_t>(count / 2) && time.den() == 1) {
            for (int i = 0; i < 3; ++i)
                part.notes.push_back(makeNote(60 + tonic + scale[(degree + i) % 7] + 12 * ((degree + i) / 7 - 1),
                                              time + Rational(i, 3), Rational(1, 3), 80));
            time += 1;
            tripletDone = true;
            continue;
        }
        const Rational length = lengths[random.below(6)];
        if (random.below(7) == 0) {
            time += length;  // a rest
            continue;
        }
        degree = std::clamp(degree + random.below(5) - 2, 0, 13);
        part.notes.push_back(makeNote(60 + tonic + scale[degree % 7] + 12 * (degree / 7 - 1), time, length, 80));
        time += length;
    }
    Score score;
    score.title = "Generated";
    score.parts = {part};
    score.meters = {meter};
    score.keys = {{0, {tonic, Mode::Major}, true, fifths}};
    score.tempos = {{0, bpm}};
    return score;
}

// Writes `score`, has MuseScore convert it to MIDI, and reads that back.
Result<Score> throughMuseScore(const Score& score, const QTemporaryDir& dir, const QString& name) {
    const QString xmlPath = dir.filePath(name + ".musicxml");
    const QString midiPath = dir.filePath(name + ".mid");
    const Result<void> saved = writeMusicXmlFile(score, xmlPath.toStdString());
    if (!saved) return makeError(saved.error());
    QProcess museScore;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    museScore.setProcessEnvironment(environment);
    museScore.setProcessChannelMode(QProcess::MergedChannels);
    museScore.start(QStringLiteral("musescore3"), {QStringLiteral("-o"), midiPath, xmlPath});
    if (!museScore.waitForFinished(60000) || museScore.exitCode() != 0)
        return makeError("musescore3 failed on " + xmlPath.toStdString() + ": " + museScore.readAll().toStdString());
    return readMidiFile(midiPath.toStdString());
}

// Same pitches and onsets; each duration the written one or one MuseScore tick less.
void compareNotes(const Part& written, const Part& played) {
    std::vector<Note> expected = written.notes, actual = played.notes;
    const auto order = [](const Note& a, const Note& b) { return a.onset < b.onset || (a.onset == b.onset && a.pitch < b.pitch); };
    std::sort(expected.begin(), expected.end(), order);
    std::sort(actual.begin(), actual.end(), order);
    QCOMPARE(actual.size(), expected.size());
    const Rational tick(1, kMuseScoreTicksPerQuarter);
    for (size_t i = 0; i < expected.size(); ++i) {
        const QString where = QStringLiteral("note %1: wrote %2, MuseScore played %3").arg(i).arg(describe(expected[i]), describe(actual[i]));
        QVERIFY2(actual[i].pitch == expected[i].pitch, qPrintable(where));
        QVERIFY2(actual[i].onset == expected[i].onset, qPrintable(where));
        QVERIFY2(actual[i].duration <= expected[i].duration && actual[i].duration >= expected[i].duration - tick, qPrintable(where));
    }
}

}  // namespace

class MuseScoreRoundTripTest : public QObject {
    Q_OBJECT
private slots:
    void init() {
        if (QStandardPaths::findExecutable(QStringLiteral("musescore3")).isEmpty())
            QSKIP("musescore3 is not on PATH (Debian: apt-get install musescore3)");
    }

    void generatedMelodiesPlayBackAsWritten_data() {
        QTest::addColumn<uint>("seed");
        QTest::addColumn<int>("tonic");
        QTest::addColumn<int>("fifths");
        QTest::addColumn<int>("beats");
        QTest::addColumn<int>("beatType");
        QTest::newRow("E-flat major 4/4") << 7u << 3 << -3 << 4 << 4;
        QTest::newRow("A major 3/4") << 11u << 9 << 3 << 3 << 4;
        QTest::newRow("B-flat major 6/8") << 23u << 10 << -2 << 6 << 8;
    }

    void generatedMelodiesPlayBackAsWritten() {
        QFETCH(uint, seed);
        QFETCH(int, tonic);
        QFETCH(int, fifths);
        QFETCH(int, beats);
        QFETCH(int, beatType);
        // GIVEN a generated-like melody of 28 notes
        const Score melody = generatedMelody(seed, 28, tonic, fifths, MeterChange{0, beats, beatType}, 100.0);
        bool crossesBarline = false;
        const Rational bar(beats * 4, beatType);
        for (const Note& note : melody.parts[0].notes)
            crossesBarline = crossesBarline || (note.onset / bar).floor() != ((note.end() - Rational(1, 1000)) / bar).floor();
        QVERIFY(crossesBarline);
        QTemporaryDir dir;
        // WHEN MuseScore opens our MusicXML and exports MIDI
        const Result<Score> played = throughMuseScore(melody, dir, QStringLiteral("melody"));
        QVERIFY2(played.ok(), played.ok() ? "" : played.error().c_str());
        // THEN it plays the same notes, in the same key, meter, tempo and instrument
        QCOMPARE(played->parts.size(), size_t(1));
        compareNotes(melody.parts[0], played->parts[0]);
        QCOMPARE(played->parts[0].program, 73);
        QCOMPARE(played->keys.at(0).fifths, fifths);
        QCOMPARE(played->meters.at(0).numerator, beats);
        QCOMPARE(played->meters.at(0).denominator, beatType);
        QVERIFY(std::abs(played->tempos.at(0).bpm - 100.0) < 0.01);
    }

    void chordsVoicesAndTwoPartsPlayBackAsWritten() {
        // GIVEN a melody over a part of chords on held bass notes (a second voice) in D minor 3/4
        Score score = generatedMelody(5, 20, 2, -1, MeterChange{0, 3, 4}, 84.0);
        score.keys = {{0, {2, Mode::Minor}, true, -1}};
        Part accompaniment;
        accompaniment.name = "Piano";
        accompaniment.channel = 1;
        for (int bar = 0; bar < 6; ++bar) {
            const Rational start(bar * 3);
            accompaniment.notes.push_back(makeNote(38 + (bar % 3) * 2, start, 3, 80));
            for (int p : {50, 53, 57}) accompaniment.notes.push_back(makeNote(p + (bar % 2), start + 1, 2, 80));
        }
        accompaniment.notes.push_back(makeNote(49, 18, Rational(3, 2), 80));  // C#: raised leading tone
        score.parts.push_back(accompaniment);
        QTemporaryDir dir;
        // WHEN it goes through MuseScore
        const Result<Score> played = throughMuseScore(score, dir, QStringLiteral("parts"));
        QVERIFY2(played.ok(), played.ok() ? "" : played.error().c_str());
        // THEN both parts play as written
        QCOMPARE(played->parts.size(), size_t(2));
        compareNotes(score.parts[0], played->parts[0]);
        compareNotes(score.parts[1], played->parts[1]);
    }
};

QTEST_GUILESS_MAIN(MuseScoreRoundTripTest)
#include "MuseScoreRoundTripTest.moc"

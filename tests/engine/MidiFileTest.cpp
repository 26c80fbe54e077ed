// SPDX-License-Identifier: GPL-3.0-or-later
// Standard MIDI File reader and writer on hand-made bytes: every fixture is spelled out
// byte by byte below (or under tests/data/midi/, described in its README), so each
// expectation follows from the SMF specification, not from our own output.
#include "engine/io/MidiFile.h"

#include <QtTest>

#include <cstdio>
#include <filesystem>
#include <initializer_list>

using namespace melodist::engine;

namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (const int value : values) out += static_cast<char>(value);
    return out;
}

std::string chunk(const std::string& id, const std::string& body) {
    const auto size = static_cast<uint32_t>(body.size());
    return id + bytes({int(size >> 24), int((size >> 16) & 0xff), int((size >> 8) & 0xff), int(size & 0xff)}) + body;
}

std::string header(int format, int tracks, int division) {
    return chunk("MThd", bytes({0, format, 0, tracks, division >> 8, division & 0xff}));
}

const std::string kEndOfTrack = bytes({0x00, 0xff, 0x2f, 0x00});

std::string dataPath(const std::string& name) {
    return qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/midi/" + name;
}

}  // namespace

class MidiFileTest : public QObject {
    Q_OBJECT
private slots:
    void runningStatusReadsEveryNote() {
        // GIVEN a format 0 file at 96 PPQ: C4 on, then E4 and G4 on with running status,
        // one quarter later all three off with running status (velocity 0)
        const std::string track = bytes({0x00, 0x90, 60, 100, 0x00, 64, 90, 0x00, 67, 80,  //
                                         0x60, 60, 0, 0x00, 64, 0, 0x00, 67, 0}) + kEndOfTrack;
        const std::string file = header(0, 1, 96) + chunk("MTrk", track);
        // WHEN
        const Result<Score> score = readMidi(file, "triad.mid");
        // THEN one part with a C major triad, one quarter long, velocities kept
        QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
        QCOMPARE(score->parts.size(), size_t(1));
        const auto& notes = score->parts[0].notes;
        QCOMPARE(notes.size(), size_t(3));
        QCOMPARE(notes[0].pitch, 60);
        QCOMPARE(notes[1].pitch, 64);
        QCOMPARE(notes[2].pitch, 67);
        QCOMPARE(notes[1].velocity, 90);
        for (const Note& note : notes) {
            QVERIFY(note.onset == Rational(0));
            QVERIFY(note.duration == Rational(1));
        }
    }

    void noteOnWithVelocityZeroAndNoteOffBothEndNotes() {
        // GIVEN 480 PPQ: D4 ended by note-on velocity 0 after an eighth, F4 by 0x80 after a dotted quarter
        const std::string track = bytes({0x00, 0x90, 62, 70, 0x81, 0x70, 0x90, 62, 0,  // 240 ticks
                                         0x00, 0x90, 65, 71, 0x85, 0x50, 0x80, 65, 64}) + kEndOfTrack;  // 720 ticks
        // WHEN
        const Result<Score> score = readMidi(header(0, 1, 480) + chunk("MTrk", track), "offs.mid");
        // THEN
        QVERIFY(score.ok());
        const auto& notes = score->parts.at(0).notes;
        QCOMPARE(notes.size(), size_t(2));
        QVERIFY(notes[0].duration == Rational(1, 2));
        QVERIFY(notes[1].onset == Rational(1, 2));
        QVERIFY(notes[1].duration == Rational(3, 2));
        QCOMPARE(notes[1].velocity, 71);
    }

    void overlappingSamePitchNotesPairFirstInFirstOut() {
        // GIVEN A4 struck at 0 and again at 1 before any note-off; offs at 2 and 3 quarters
        const std::string track = bytes({0x00, 0x90, 69, 50, 0x60, 0x90, 69, 60, 0x60, 0x80, 69, 0,
                                         0x60, 0x80, 69, 0}) + kEndOfTrack;
        // WHEN
        const Result<Score> score = readMidi(header(0, 1, 96) + chunk("MTrk", track), "restrike.mid");
        // THEN the first off ends the earliest note: 0-2 (velocity 50) and 1-3 (velocity 60)
        QVERIFY(score.ok());
        const auto& notes = score->parts.at(0).notes;
        QCOMPARE(notes.size(), size_t(2));
        QVERIFY(notes[0].onset == Rational(0) && notes[0].duration == Rational(2));
        QCOMPARE(notes[0].velocity, 50);
        QVERIFY(notes[1].onset == Rational(1) && notes[1].duration == Rational(2));
        QCOMPARE(notes[1].velocity, 60);
    }

    void reStrikeAtTheSameTickDoesNotMakeAnEmptyNote() {
        // GIVEN B3 on at 0; at tick 96 a new on comes BEFORE the off of the old one
        const std::string track = bytes({0x00, 0x90, 59, 80, 0x60, 0x90, 59, 81, 0x00, 0x80, 59, 0,
                                         0x60, 0x80, 59, 0}) + kEndOfTrack;
        // WHEN
        const Result<Score> score = readMidi(header(0, 1, 96) + chunk("MTrk", track), "restrike2.mid");
        // THEN two quarter notes, back to back
        QVERIFY(score.ok());
        const auto& notes = score->parts.at(0).notes;
        QCOMPARE(notes.size(), size_t(2));
        QVERIFY(notes[0].duration == Rational(1) && notes[1].onset == Rational(1) && notes[1].duration == Rational(1));
    }

    void drumChannelIsLeftOutAndChannelsBecomeParts() {
        // GIVEN format 0: piano on channel 1 (program 0), strings on channel 3 (program 48), drums on channel 10
        const std::string track = bytes({0x00, 0xc2, 48, 0x00, 0x90, 60, 90, 0x00, 0x92, 55, 70, 0x00, 0x99, 36, 127,
                                         0x60, 0x80, 60, 0, 0x00, 0x82, 55, 0, 0x00, 0x89, 36, 0}) + kEndOfTrack;
        // WHEN
        const Result<Score> score = readMidi(header(0, 1, 96) + chunk("MTrk", track), "band.mid");
        // THEN two parts in channel order, no drums
        QVERIFY(score.ok());
        QCOMPARE(score->parts.size(), size_t(2));
        QCOMPARE(score->parts[0].channel, 0);
        QCOMPARE(score->parts[0].program, 0);
        QCOMPARE(score->parts[1].channel, 2);
        QCOMPARE(score->parts[1].program, 48);
        QCOMPARE(score->noteCount(), size_t(2));
    }

    void tempoMeterAndKeyMetasBecomeScoreChanges() {
        // GIVEN a conductor track: name, 6/8, 3 flats minor (C minor), 100 BPM (600000 us), then
        // at 4 quarters 2 sharps major (D major) and 3/4; a piano track named "Right hand"
        const std::string conductor = bytes({0x00, 0xff, 0x03, 5, 'S', 'o', 'n', 'a', 't',
                                             0x00, 0xff, 0x58, 4, 6, 3, 24, 8,
                                             0x00, 0xff, 0x59, 2, 0xfd, 1,
                                             0x00, 0xff, 0x51, 3, 0x09, 0x27, 0xc0,
                                             0x83, 0x00, 0xff, 0x59, 2, 2, 0,  // 384 ticks
                                             0x00, 0xff, 0x58, 4, 3, 2, 24, 8}) + kEndOfTrack;
        const std::string piano = bytes({0x00, 0xff, 0x03, 10, 'R', 'i', 'g', 'h', 't', ' ', 'h', 'a', 'n', 'd',
                                         0x00, 0x90, 72, 64, 0x60, 0x90, 72, 0}) + kEndOfTrack;
        // WHEN
        const Result<Score> score =
            readMidi(header(1, 2, 96) + chunk("MTrk", conductor) + chunk("MTrk", piano), "sonata.mid");
        // THEN
        QVERIFY(score.ok());
        QCOMPARE(score->title, std::string("Sonat"));
        QCOMPARE(score->parts.size(), size_t(1));
        QCOMPARE(score->parts[0].name, std::string("Right hand"));
        QCOMPARE(score->tempos.size(), size_t(1));
        QCOMPARE(score->tempos[0].bpm, 100.0);
        QCOMPARE(score->meters.size(), size_t(2));
        QCOMPARE(score->meters[0].numerator, 6);
        QCOMPARE(score->meters[0].denominator, 8);
        QVERIFY(score->meters[1].onset == Rational(4));
        QCOMPARE(score->meters[1].denominator, 4);
        QCOMPARE(score->keys.size(), size_t(2));
        QCOMPARE(score->keys[0].fifths, -3);
        QVERIFY(score->keys[0].declared);
        QVERIFY((score->keys[0].key == Key{0, Mode::Minor}));
        QVERIFY((score->keys[1].key == Key{2, Mode::Major}));
        QVERIFY(score->keys[1].onset == Rational(4));
    }

    void formatOneTracksBecomePartsAndFormatTwoTracksFollowEachOther() {
        // GIVEN the same two tracks of one quarter note each, as format 1 and as format 2
        const std::string first = bytes({0x00, 0x90, 60, 80, 0x60, 0x80, 60, 0}) + kEndOfTrack;
        const std::string second = bytes({0x00, 0x90, 48, 80, 0x60, 0x80, 48, 0}) + kEndOfTrack;
        const std::string body = chunk("MTrk", first) + chunk("MTrk", second);
        // WHEN
        const Result<Score> together = readMidi(header(1, 2, 96) + body, "f1.mid");
        const Result<Score> sequence = readMidi(header(2, 2, 96) + body, "f2.mid");
        // THEN format 1 plays both at 0; format 2 plays the second after the first
        QVERIFY(together.ok() && sequence.ok());
        QCOMPARE(together->parts.size(), size_t(2));
        QVERIFY(together->parts[1].notes.at(0).onset == Rational(0));
        QCOMPARE(sequence->parts.size(), size_t(2));
        QVERIFY(sequence->parts[1].notes.at(0).onset == Rational(1));
    }

    void sysexUnknownChunksAndHangingNotesAreHandled() {
        // GIVEN an unknown chunk before the track, a SysEx, and a note never turned off
        const std::string track = bytes({0x00, 0xf0, 3, 0x7e, 0x7f, 0xf7, 0x00, 0x90, 64, 80,
                                         0x60, 0x90, 67, 80, 0x60, 0x80, 67, 0,
                                         0x60, 0xff, 0x2f, 0x00});  // end of track at 3 quarters
        const std::string file = header(1, 1, 96) + chunk("XFIH", "vendor data") + chunk("MTrk", track);
        // WHEN
        const Result<Score> score = readMidi(file, "hanging.mid");
        // THEN E4 lasts until the end of its track
        QVERIFY(score.ok());
        const auto& notes = score->parts.at(0).notes;
        QCOMPARE(notes.size(), size_t(2));
        QCOMPARE(notes[0].pitch, 64);
        QVERIFY(notes[0].duration == Rational(3));
    }

    void smpteDivisionConvertsThroughSeconds() {
        // GIVEN 25 frames/s x 40 ticks = 1000 ticks/s, at the default 120 BPM; a note of 1000 ticks at tick 500
        const std::string track = bytes({0x83, 0x74, 0x90, 60, 80, 0x87, 0x68, 0x80, 60, 0}) + kEndOfTrack;
        // WHEN
        const Result<Score> score = readMidi(header(0, 1, (0xe7 << 8) | 40) + chunk("MTrk", track), "smpte.mid");
        // THEN half a second is one quarter note at 120 BPM
        QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
        const Note& note = score->parts.at(0).notes.at(0);
        QVERIFY(note.onset == Rational(1));
        QVERIFY(note.duration == Rational(2));
        QCOMPARE(score->tempos.at(0).bpm, 120.0);
    }

    void truncatedFileNamesFileTrackAndByte() {
        // GIVEN a track whose length says 30 bytes, cut after 12
        const std::string track = bytes({0x00, 0x90, 60, 80, 0x60, 0x80, 60, 0, 0x00, 0x90, 62, 80});
        const std::string body = bytes({0, 0, 0, 30});
        const std::string file = header(0, 1, 96) + "MTrk" + body + track;
        // WHEN
        const Result<Score> score = readMidi(file, "prelude.mid");
        // THEN
        QVERIFY(!score.ok());
        const QString message = QString::fromStdString(score.error());
        QVERIFY2(message.contains("prelude.mid") && message.contains("track 1") && message.contains("byte 34") &&
                     message.contains("18 bytes before") && message.contains("truncated"),
                 qPrintable(message));
    }

    void missingTrackAndMissingStatusAreErrors() {
        // GIVEN a header that promises 2 tracks with only 1; and a data byte with no status before it
        const std::string good = chunk("MTrk", bytes({0x00, 0x90, 60, 80, 0x60, 0x80, 60, 0}) + kEndOfTrack);
        const std::string noStatus = chunk("MTrk", bytes({0x00, 60, 80}) + kEndOfTrack);
        // WHEN
        const Result<Score> short1 = readMidi(header(1, 2, 96) + good, "short.mid");
        const Result<Score> bad = readMidi(header(0, 1, 96) + noStatus, "bad.mid");
        // THEN
        QVERIFY(!short1.ok());
        QVERIFY2(short1.error().find("declares 2 tracks") != std::string::npos, short1.error().c_str());
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().find("bad.mid: track 1, byte 23") != std::string::npos, bad.error().c_str());
    }

    void fileThatIsNotMidiIsRejectedClearly() {
        // GIVEN a text file and an empty file
        // WHEN
        const Result<Score> text = readMidi("<?xml version=\"1.0\"?><score-partwise/>", "song.xml");
        const Result<Score> empty = readMidi("", "empty.mid");
        // THEN
        QVERIFY(!text.ok() && !empty.ok());
        QVERIFY2(text.error().find("song.xml: not a Standard MIDI File") == 0, text.error().c_str());
        QVERIFY(text.error().find("3c 3f 78 6d") != std::string::npos);
        QVERIFY(empty.error().find("empty.mid") == 0);
    }

    void everyTruncationOfAValidFileGivesAScoreOrAnError() {
        // GIVEN a valid two-track file
        Score score;
        score.parts.push_back({.name = "A", .program = 5, .channel = 1, .notes = {}, .rests = {}});
        for (int i = 0; i < 20; ++i)
            score.parts[0].notes.push_back(Note{.pitch = 50 + i, .onset = Rational(i, 3), .duration = 1, .velocity = 60, .tiedParts = {}});
        const std::string file = writeMidi(score);
        // WHEN / THEN every prefix parses without crashing, and only the whole file succeeds
        for (size_t cut = 0; cut < file.size(); ++cut)
            QVERIFY2(!readMidi(file.substr(0, cut), "cut.mid").ok(), qPrintable(QString::number(cut)));
        QVERIFY(readMidi(file, "whole.mid").ok());
    }

    void writeThenReadIsExactWithTripletsAndQuintuplets() {
        // GIVEN two parts with triplet, quintuplet and dotted times, several tempos, meters and keys
        Score score;
        score.title = "Étude";
        score.parts.push_back({.name = "Right", .program = 0, .channel = 0, .notes = {}, .rests = {}});
        score.parts.push_back({.name = "Left", .program = 40, .channel = 3, .notes = {}, .rests = {}});
        const Rational times[] = {0, Rational(1, 3), Rational(2, 3), 1, Rational(6, 5), Rational(7, 5), Rational(11, 4)};
        for (size_t i = 0; i < std::size(times); ++i) {
            score.parts[0].notes.push_back(Note{.pitch = 60 + int(i), .onset = times[i], .duration = Rational(1, 3), .velocity = 30 + int(i), .tiedParts = {}});
            score.parts[1].notes.push_back(Note{.pitch = 40, .onset = times[i], .duration = Rational(3, 2), .velocity = 90, .tiedParts = {}});
        }
        score.parts[1].notes.push_back(Note{.pitch = 40, .onset = times[6], .duration = Rational(1, 5), .velocity = 91, .tiedParts = {}});
        score.tempos = {{.onset = 0, .bpm = 75.0}, {.onset = Rational(8, 3), .bpm = 60e6 / 400000}};
        score.meters = {{.onset = 0, .numerator = 3, .denominator = 4}, {.onset = 3, .numerator = 7, .denominator = 8}};
        score.keys = {{.onset = 0, .key = {9, Mode::Minor}, .declared = true, .fifths = 0},
                      {.onset = 3, .key = {6, Mode::Major}, .declared = true, .fifths = -6}};
        score.sort();
        // Notes of one pitch and onset come back shortest first (the reader's order)
        std::swap(score.parts[1].notes[6], score.parts[1].notes[7]);
        QVERIFY(score.parts[1].notes[6].duration == Rational(1, 5));
        // WHEN
        const std::string first = writeMidi(score);
        const Result<Score> back = readMidi(first, "roundtrip.mid");
        // THEN
        QVERIFY(back.ok());
        QCOMPARE(midiTicksPerQuarter(score) % 60, 0);
        QCOMPARE(back->title, score.title);
        QCOMPARE(back->parts.size(), score.parts.size());
        for (size_t p = 0; p < score.parts.size(); ++p) {
            QCOMPARE(back->parts[p].name, score.parts[p].name);
            QCOMPARE(back->parts[p].program, score.parts[p].program);
            QCOMPARE(back->parts[p].channel, score.parts[p].channel);
            QCOMPARE(back->parts[p].notes.size(), score.parts[p].notes.size());
            for (size_t i = 0; i < score.parts[p].notes.size(); ++i)
                QVERIFY2(back->parts[p].notes[i] == score.parts[p].notes[i], qPrintable(QString("part %1 note %2: %3 at %4 for %5").arg(p).arg(i).arg(back->parts[p].notes[i].pitch).arg(QString::fromStdString(back->parts[p].notes[i].onset.toString())).arg(QString::fromStdString(back->parts[p].notes[i].duration.toString()))));
        }
        QCOMPARE(back->tempos.size(), size_t(2));
        QCOMPARE(back->tempos[0].bpm, 75.0);
        QVERIFY(back->tempos[1].onset == Rational(8, 3));
        QCOMPARE(back->meters.size(), size_t(2));
        QCOMPARE(back->meters[1].numerator, 7);
        QCOMPARE(back->keys.size(), size_t(2));
        QVERIFY((back->keys[0].key == Key{9, Mode::Minor}));
        QCOMPARE(back->keys[1].fifths, -6);
        // and the bytes are the same every time, and again after a round trip
        QCOMPARE(writeMidi(score), first);
        QCOMPARE(writeMidi(*back), first);
    }

    void timesTooFineForAnyPpqAreRoundedNotLost() {
        // GIVEN a note at 1/65537 (a prime above the largest PPQ, 32767)
        Score score;
        score.parts.push_back({});
        score.parts[0].notes.push_back(Note{.pitch = 60, .onset = Rational(1, 65537), .duration = Rational(1, 65537), .velocity = 80, .tiedParts = {}});
        // WHEN
        const Result<Score> back = readMidi(writeMidi(score), "fine.mid");
        // THEN it is written at 960 PPQ, one tick long
        QCOMPARE(midiTicksPerQuarter(score), 960);
        QVERIFY(back.ok());
        QVERIFY(back->parts.at(0).notes.at(0).duration == Rational(1, 960));
    }

    void fileFunctionsWriteAtomicallyAndNameTheFileOnError() {
        // GIVEN
        const QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/out.mid";
        Score score;
        score.parts.push_back({});
        score.parts[0].notes.push_back(Note{.pitch = 70, .onset = 1, .duration = 1, .velocity = 80, .tiedParts = {}});
        // WHEN
        const Result<void> saved = writeMidiFile(score, path);
        const Result<Score> loaded = readMidiFile(path);
        const Result<Score> missing = readMidiFile(dir.path().toStdString() + "/missing.mid");
        // THEN
        QVERIFY(saved.ok());
        QVERIFY(loaded.ok());
        QVERIFY(loaded->parts.at(0).notes == score.parts[0].notes);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().find("missing.mid") != std::string::npos);
    }

    void handMadeFixtureFilesRead() {
        // GIVEN the files in tests/data/midi (bytes listed in its README.md)
        if (!std::filesystem::exists(dataPath("README.md"))) QSKIP("MELODIST_TEST_DATA/midi not found");
        // WHEN
        const Result<Score> format0 = readMidiFile(dataPath("format0-running-status.mid"));
        const Result<Score> format1 = readMidiFile(dataPath("format1-two-tracks.mid"));
        const Result<Score> truncated = readMidiFile(dataPath("truncated.mid"));
        const Result<Score> notMidi = readMidiFile(dataPath("not-midi.mid"));
        // THEN
        QVERIFY2(format0.ok(), format0.ok() ? "" : format0.error().c_str());
        QCOMPARE(format0->noteCount(), size_t(4));
        QCOMPARE(format0->tempos.at(0).bpm, 80.0);
        QVERIFY2(format1.ok(), format1.ok() ? "" : format1.error().c_str());
        QCOMPARE(format1->parts.size(), size_t(2));
        QVERIFY(!truncated.ok());
        QVERIFY(truncated.error().find("truncated") != std::string::npos);
        QVERIFY(!notMidi.ok());
        QVERIFY(notMidi.error().find("not a Standard MIDI File") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(MidiFileTest)
#include "MidiFileTest.moc"

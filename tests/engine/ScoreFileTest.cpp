// SPDX-License-Identifier: GPL-3.0-or-later
// readScoreFile / readScoreBytes: the right reader by content and extension, and clear
// errors for files that are none of the formats.
#include "engine/io/MidiFile.h"
#include "engine/io/ScoreFile.h"

#include <QtTest>

using namespace melodist::engine;

namespace {

constexpr std::string_view kKern = "**kern\n*M2/4\n*C:\n=1\n4c\n4e\n=2\n2g\n*-\n";

constexpr std::string_view kMusicXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="3.1">
  <part-list><score-part id="P1"><part-name>Melody</part-name></score-part></part-list>
  <part id="P1"><measure number="1">
    <attributes><divisions>1</divisions></attributes>
    <note><pitch><step>D</step><octave>4</octave></pitch><duration>2</duration></note>
  </measure></part>
</score-partwise>
)";

std::string midiBytes() {
    Score score;
    score.parts.resize(1);
    Note note;
    note.pitch = 64;
    score.parts[0].notes.push_back(note);
    return writeMidi(score);
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

class ScoreFileTest : public QObject {
    Q_OBJECT
private slots:
    void eachFormatGoesToItsReader() {
        // GIVEN kern, MIDI and MusicXML content under their usual names
        auto kern = readScoreBytes(kKern, "song.krn");
        auto midi = readScoreBytes(midiBytes(), "song.mid");
        auto xml = readScoreBytes(kMusicXml, "song.musicxml");
        // THEN each reads as that format
        QVERIFY2(kern.ok(), kern.ok() ? "" : kern.error().c_str());
        QCOMPARE(kern->parts.at(0).notes.size(), size_t{3});
        QCOMPARE(kern->parts[0].notes[0].pitch, 60);
        QVERIFY2(midi.ok(), midi.ok() ? "" : midi.error().c_str());
        QCOMPARE(midi->parts.at(0).notes.at(0).pitch, 64);
        QVERIFY2(xml.ok(), xml.ok() ? "" : xml.error().c_str());
        QCOMPARE(xml->parts.at(0).notes.at(0).pitch, 62);
    }

    void contentWinsOverAMisleadingName() {
        // GIVEN MIDI bytes named .krn, MusicXML named .txt, kern without an extension
        QCOMPARE(detectScoreFormat(midiBytes(), "renamed.krn"), ScoreFormat::Midi);
        QCOMPARE(detectScoreFormat(kMusicXml, "export.txt"), ScoreFormat::MusicXml);
        QCOMPARE(detectScoreFormat(kKern, "song"), ScoreFormat::Kern);
        // THEN they are read by what they are
        QVERIFY(readScoreBytes(midiBytes(), "renamed.krn").ok());
        QVERIFY(readScoreBytes(kMusicXml, "export.txt").ok());
        QVERIFY(readScoreBytes(kKern, "song").ok());
        QCOMPARE(detectScoreFormat(kKern, "SONG.KRN"), ScoreFormat::Kern);
    }

    void emptyBinaryAndUnknownFilesGetClearErrors() {
        auto empty = readScoreBytes("", "corpus/empty.krn");
        QVERIFY(!empty.ok());
        QVERIFY2(contains(empty.error(), "corpus/empty.krn") && contains(empty.error(), "empty"),
                 empty.error().c_str());

        auto binary = readScoreBytes(std::string_view("\x00\x01\x02\x03\x04\x05 data", 11), "corpus/photo.krn");
        QVERIFY(!binary.ok());
        QVERIFY2(contains(binary.error(), "corpus/photo.krn: not a kern file") && contains(binary.error(), "binary"),
                 binary.error().c_str());

        auto unknown = readScoreBytes("X:1\nT:tune\nK:G\nGABc|\n", "tune.abc");
        QVERIFY(!unknown.ok());
        QVERIFY2(contains(unknown.error(), "'.abc'") && contains(unknown.error(), ".krn"), unknown.error().c_str());

        auto notMidi = readScoreBytes("hello", "song.mid");
        QVERIFY(!notMidi.ok());
        QVERIFY2(contains(notMidi.error(), "MThd"), notMidi.error().c_str());

        auto zipped = readScoreBytes(std::string_view("PK\x03\x04rest", 8), "song.mxl");
        QVERIFY(!zipped.ok());
        QVERIFY2(contains(zipped.error(), "unzip"), zipped.error().c_str());

        auto missing = readScoreFile("/nonexistent/song.krn");
        QVERIFY(!missing.ok());
        QVERIFY2(contains(missing.error(), "/nonexistent/song.krn"), missing.error().c_str());
    }

    void aStrayControlByteInKernTextIsLeftToTheReader() {
        // GIVEN kern text with one backspace inside a token, as Essen's erk/deut1328.krn has
        const std::string text = "**kern\n*M2/4\n=1\n4c\n4.B\b8G\n*-\n";
        // THEN it is not called binary: the kern reader decides
        auto score = readScoreBytes(text, "deut1328.krn");
        QVERIFY(score.ok() || !contains(score.error(), "binary"));
    }
};

QTEST_GUILESS_MAIN(ScoreFileTest)
#include "ScoreFileTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The "notes and chords" token encoding: syntax, quantisation, rests, merging of parts,
// bounded steps, decode -> encode round trips, transposition and the share of polyphonic onsets.
#include "engine/music/ChordEncoding.h"

#include <QtTest>

using namespace melodist::engine;

namespace {

Note note(int pitch, Rational onset, Rational duration) {
    return Note{.pitch = pitch, .onset = onset, .duration = duration, .velocity = 80, .tiedParts = {}};
}

std::vector<std::string> tokens(std::initializer_list<const char*> texts) {
    return std::vector<std::string>(texts.begin(), texts.end());
}

}  // namespace

class ChordEncodingTest : public QObject {
    Q_OBJECT
private slots:
    void headerExampleEncodesAsDocumented() {
        // GIVEN a C major triad (half note), an E eighth, an eighth of silence, a G quarter
        Part part;
        for (const int pitch : {67, 60, 64}) part.notes.push_back(note(pitch, 0, 2));
        part.notes.push_back(note(64, 2, Rational(1, 2)));
        part.notes.push_back(note(67, 3, 1));
        // WHEN
        const auto encoded = encodeChords(part, {.grid = Rational(1, 4), .maxStep = 0});
        // THEN
        QCOMPARE(encoded, tokens({"60+64+67:2", "64:1/2", "R:1/2", "67:1"}));
    }

    void heldNotesFillTheStepAndLateStartBeginsWithARest() {
        // GIVEN a bass held for 4 quarters under two melody notes that leave gaps, starting at beat 1
        Score score;
        score.parts.resize(2);
        score.parts[0].notes = {note(72, 1, Rational(1, 2)), note(74, 3, Rational(1, 2))};
        score.parts[1].notes = {note(48, 1, 4)};
        // WHEN
        const auto encoded = encodeChords(score);
        // THEN parts are merged; no rest while the bass sounds; a rest before the first onset
        QCOMPARE(encoded, tokens({"R:1", "48+72:2", "74:2"}));
    }

    void onsetsAreQuantisedToTheGridAndMergeIntoChords() {
        // GIVEN a rolled chord (onsets 0, 1/100, 1/50) and a note at 0.97 quarter notes
        Part part;
        part.notes = {note(60, 0, 1), note(64, Rational(1, 100), 1), note(67, Rational(1, 50), 1),
                      note(60, Rational(97, 100), 1)};
        // WHEN
        const auto coarse = encodeChords(part, {.grid = Rational(1, 4), .maxStep = 0});
        const auto fine = encodeChords(part, {.grid = Rational(1, 480), .maxStep = 0});
        // THEN at 1/4 the roll is one chord and the late note is on beat 2; at 1/480 it stays rolled
        QCOMPARE(coarse, tokens({"60+64+67:1", "60:1"}));
        QCOMPARE(fine.size(), size_t(4));
        QCOMPARE(fine[0], std::string("60:1/96"));
    }

    void tripletsSurviveTheDefaultGrid() {
        // GIVEN eighth triplets
        Part part;
        for (int i = 0; i < 3; ++i) part.notes.push_back(note(60 + 2 * i, Rational(i, 3), Rational(1, 3)));
        // WHEN
        const auto encoded = encodeChords(part);
        // THEN
        QCOMPARE(encoded, tokens({"60:1/3", "62:1/3", "64:1/3"}));
    }

    void maxStepBoundsTheVocabulary() {
        // GIVEN a 6-quarter note, a 5-quarter gap, and a note
        Part part;
        part.notes = {note(60, 0, 6), note(62, 11, 1)};
        // WHEN steps are bounded by 2 quarter notes
        const auto encoded = encodeChords(part, {.grid = Rational(1, 4), .maxStep = 2});
        // THEN the long note keeps 2 and the silence after it is cut into rests of at most 2
        QCOMPARE(encoded, tokens({"60:2", "R:2", "R:2", "R:2", "R:2", "R:1", "62:1"}));
        // and the encoding is a fixed point of decode -> encode
        const Result<Part> decoded = decodeChords(encoded);
        QVERIFY(decoded.ok());
        QCOMPARE(encodeChords(*decoded, {.grid = Rational(1, 4), .maxStep = 2}), encoded);
    }

    void decodeThenEncodeRoundTripsPitchesAndOnsets() {
        // GIVEN a polyphonic part with chords, held notes, rests and triplets
        Part part;
        part.notes = {note(48, 0, 4),          note(64, 0, 1),         note(67, 0, 1),         note(65, 1, Rational(1, 3)),
                      note(64, Rational(4, 3), Rational(1, 3)),        note(62, Rational(5, 3), Rational(1, 3)),
                      note(60, 2, Rational(1, 2)), note(55, 6, 2),      note(59, 6, 2),         note(62, 6, 2)};
        // WHEN
        const auto encoded = encodeChords(part);
        const Result<Part> decoded = decodeChords(encoded, 64);
        // THEN onsets and pitches come back, each note lasting until the next onset; re-encoding is identical
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().c_str());
        QCOMPARE(decoded->notes.size(), part.notes.size());
        std::vector<std::pair<Rational, int>> original, back;
        for (const Note& n : part.notes) original.emplace_back(n.onset, n.pitch);
        for (const Note& n : decoded->notes) back.emplace_back(n.onset, n.pitch);
        const auto byTime = [](const auto& a, const auto& b) { return a.first < b.first || (a.first == b.first && a.second < b.second); };
        std::sort(original.begin(), original.end(), byTime);
        std::sort(back.begin(), back.end(), byTime);
        QVERIFY(original == back);
        QCOMPARE(decoded->notes.front().velocity, 64);
        QCOMPARE(encodeChords(*decoded), encoded);
    }

    void tokensParseAndFormatBothWays() {
        // GIVEN / WHEN
        const Result<ChordToken> chord = parseChordToken("60+64+67:3/2");
        const Result<ChordToken> rest = parseChordToken("R:1/12");
        // THEN
        QVERIFY(chord.ok() && rest.ok());
        QCOMPARE(chord->pitches, (std::vector<int>{60, 64, 67}));
        QVERIFY(chord->step == Rational(3, 2));
        QVERIFY(chord->isChord());
        QVERIFY(rest->isRest());
        QCOMPARE(formatChordToken(*chord), std::string("60+64+67:3/2"));
        QCOMPARE(formatChordToken(*rest), std::string("R:1/12"));
    }

    void malformedTokensAreRejectedWithTheirIndex() {
        // GIVEN tokens that break each rule
        for (const char* bad : {"64", "64:0", "64:-1", "128:1", "67+64:1", "64+64:1", "x:1", "64:1/0", "64:abc",
                                "R:1/99999999", "+64:1", "64+:1", ":1", "64:99999"}) {
            // WHEN
            const Result<Part> decoded = decodeChords({"60:1", bad});
            // THEN
            QVERIFY2(!decoded.ok(), bad);
            QVERIFY2(decoded.error().find("token 1") == 0, decoded.error().c_str());
        }
    }

    void emptyInputGivesNoTokens() {
        // GIVEN / WHEN / THEN
        QVERIFY(encodeChords(Part{}).empty());
        const Result<Part> decoded = decodeChords({});
        QVERIFY(decoded.ok() && decoded->notes.empty());
    }

    void transposingMovesEveryPitchAndKeepsOtherSymbols() {
        // GIVEN a chord, a rest, a note and the song delimiter
        const auto given = tokens({"60+64+67:1", "R:1/2", "72:1/4", "/"});
        // WHEN moved down a tone
        const Result<std::vector<std::string>> moved = transposeChordTokens(given, -2);
        // THEN pitches move, steps, rests and "/" stay
        QVERIFY(moved.ok());
        QCOMPARE(*moved, tokens({"58+62+65:1", "R:1/2", "70:1/4", "/"}));
        // AND a pitch leaving MIDI 0..127 is an error naming the token
        const Result<std::vector<std::string>> tooHigh = transposeChordTokens(tokens({"120+127:1"}), 1);
        QVERIFY(!tooHigh.ok());
        QVERIFY2(tooHigh.error().find("120+127:1") != std::string::npos, tooHigh.error().c_str());
    }

    void onsetPolyphonyCountsOnsetsWhereTwoPitchesStartTogether() {
        // GIVEN a triad, a single note, a doubled unison (two parts, one pitch) and a dyad in another part
        Score score;
        score.parts.resize(2);
        for (const int pitch : {60, 64, 67}) score.parts[0].notes.push_back(note(pitch, 0, 1));
        score.parts[0].notes.push_back(note(62, 1, 1));
        score.parts[0].notes.push_back(note(65, 2, 1));
        score.parts[1].notes.push_back(note(65, 2, 1));
        score.parts[1].notes.push_back(note(48, 3, 1));
        score.parts[1].notes.push_back(note(55, 3, 1));
        // WHEN
        const OnsetPolyphony fromNotes = onsetPolyphony(score);
        // THEN 4 onsets, 2 with different pitches starting together (the unison is one pitch)
        QCOMPARE(fromNotes.onsets, int64_t{4});
        QCOMPARE(fromNotes.polyphonicOnsets, int64_t{2});
        QCOMPARE(fromNotes.share(), 0.5);
        // AND counted on tokens: rests and other symbols are no onsets; it agrees with the decoded notes
        const auto encoded = tokens({"60+64+67:1", "R:1", "62:1", "48+55:1", "/"});
        const OnsetPolyphony fromTokens = onsetPolyphony(encoded);
        QCOMPARE(fromTokens.onsets, int64_t{3});
        QCOMPARE(fromTokens.polyphonicOnsets, int64_t{2});
        Score decoded;
        decoded.parts.push_back(*decodeChords({"60+64+67:1", "R:1", "62:1", "48+55:1"}));
        QCOMPARE(onsetPolyphony(decoded).polyphonicOnsets, fromTokens.polyphonicOnsets);
        QCOMPARE(onsetPolyphony(Score{}).share(), 0.0);
    }
};

QTEST_GUILESS_MAIN(ChordEncodingTest)
#include "ChordEncodingTest.moc"

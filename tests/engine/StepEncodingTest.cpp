// SPDX-License-Identifier: GPL-3.0-or-later
// The seeds' step encoding, duration filter, transposition, vocabulary and key
// estimation. Expected encodings are worked out by hand from the seeds' rules
// (symbol, then "_" per further sixteenth; tied parts separately; major -> C, minor -> A).
#include "engine/core/FileIO.h"
#include "engine/io/KernReader.h"
#include "engine/music/KeyEstimation.h"
#include "engine/music/SeedPreprocessing.h"
#include "engine/music/StepEncoding.h"
#include "engine/music/Vocabulary.h"

#include <QtTest/QtTest>

using namespace melodist::engine;

namespace {

Score readFixture(const char* name) {
    const std::string path = qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/kern/" + name;
    Result<Score> score = readKernFile(path);
    if (!score) qFatal("%s", score.error().c_str());
    return std::move(score).value();
}

Score melodyOf(std::initializer_list<int> pitches) {
    Score score;
    score.parts.push_back(Part{});
    Rational onset;
    for (const int pitch : pitches) {
        Note note;
        note.pitch = pitch;
        note.onset = onset;
        score.parts[0].notes.push_back(note);
        onset += 1;
    }
    return score;
}

}  // namespace

class StepEncodingTest : public QObject {
    Q_OBJECT

private slots:
    void tiedPartsDotsAndRestsEncodeAsTheSeedsDo() {
        // GIVEN G major {4.g 8a 4b [2dd 4dd] 8r 16cc 16b 2.g}
        // WHEN it goes through the seeds' pipeline (G -> C: down 7 semitones)
        const SeedSong song = preprocessForSeeds(readFixture("ties_dots_rests.krn"));
        // THEN each tied part is its own symbol, as music21 keeps tied notes apart
        QVERIFY(song.kept);
        QCOMPARE(song.shift, -7);
        QCOMPARE(joinSymbols(song.symbols),
                 std::string("60 _ _ _ _ _ 62 _ 64 _ _ _ 67 _ _ _ _ _ _ _ 67 _ _ _ r _ 65 64 60 _ _ _ _ _ _ _ _ _ _ _"));
    }

    void chordEncodesItsTopNoteAndGraceNoteNothing() {
        // GIVEN F major 4f 8a 8b- (8qg) 4cc then the chord 2f 2a 2cc (F -> C: down 5)
        const SeedSong song = preprocessForSeeds(readFixture("spines_chord_grace.krn"));
        QVERIFY(song.kept);
        QCOMPARE(joinSymbols(song.symbols), std::string("60 _ _ _ 64 _ 65 _ 67 _ _ _ 67 _ _ _ _ _ _ _"));
    }

    void songWithTripletsIsSkippedByTheDurationFilter() {
        const SeedSong song = preprocessForSeeds(readFixture("triplets.krn"));
        QVERIFY(!song.kept);
        QVERIFY(song.reason == SeedSkipReason::UnacceptableDuration);
        const auto bad = firstUnacceptableDuration(readFixture("triplets.krn").parts[0]);
        QVERIFY(bad && bad->onset == Rational(0) && bad->duration == Rational(1, 3));
    }

    void durationFilterChecksEachTiedPartNotTheSum() {
        // GIVEN a note tied 4 + 1 quarters (5 is not acceptable, 4 and 1 are)
        Part part;
        Note note;
        note.duration = 5;
        note.tiedParts = {4, 1};
        part.notes.push_back(note);
        QVERIFY(!firstUnacceptableDuration(part));
        // WHEN it is one written note of 5 quarters THEN it is rejected
        part.notes[0].tiedParts.clear();
        QVERIFY(firstUnacceptableDuration(part).has_value());
    }

    void seedShiftMovesMajorToCAndMinorToA() {
        QCOMPARE(seedTranspositionShift({0, Mode::Major}), 0);
        QCOMPARE(seedTranspositionShift({7, Mode::Major}), -7);
        QCOMPARE(seedTranspositionShift({11, Mode::Major}), -11);
        QCOMPARE(seedTranspositionShift({9, Mode::Minor}), 0);
        QCOMPARE(seedTranspositionShift({4, Mode::Minor}), 5);
        QCOMPARE(seedTranspositionShift({0, Mode::Minor}), 9);
        QCOMPARE(seedTranspositionShift({11, Mode::Minor}), -2);
    }

    void undeclaredKeyIsEstimated() {
        // GIVEN C E G C G E C: only the C major triad
        const Score score = melodyOf({60, 64, 67, 72, 67, 64, 60});
        const std::optional<SeedKey> key = seedKey(score);
        QVERIFY(key && key->estimated);
        QVERIFY((key->key == Key{0, Mode::Major}));
    }

    void keyProfilesThemselvesAreRecognised() {
        // GIVEN the Krumhansl-Kessler profiles rotated to D major and to A minor
        std::array<double, 12> dMajor{}, aMinor{};
        for (int pc = 0; pc < 12; ++pc) {
            dMajor[static_cast<size_t>((pc + 2) % 12)] = kKrumhanslKesslerMajor[static_cast<size_t>(pc)];
            aMinor[static_cast<size_t>((pc + 9) % 12)] = kKrumhanslKesslerMinor[static_cast<size_t>(pc)];
        }
        const auto d = estimateKey(dMajor), a = estimateKey(aMinor);
        QVERIFY(d && (d->key == Key{2, Mode::Major}) && d->correlation > 0.999);
        QVERIFY(a && (a->key == Key{9, Mode::Minor}) && a->correlation > 0.999);
        QVERIFY(!estimateKey(Score{}));
    }

    void augmentationShiftsStayInRangeNearestFirst() {
        const Score score = melodyOf({60, 72});
        QCOMPARE(augmentationShifts(score, 4), (std::vector<int>{1, -1, 2, -2}));
        QCOMPARE(augmentationShifts(score, 4, 0, 73), (std::vector<int>{1, -1, -2, -3}));
        QCOMPARE(augmentationShifts(score, 20), (std::vector<int>{1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6}));
        QVERIFY(!transposeScore(melodyOf({120}), 10));
        QCOMPARE(transposeScore(melodyOf({60}), 10)->parts[0].notes[0].pitch, 70);
    }

    void decodingTurnsSymbolsBackIntoNotesAndRests() {
        // GIVEN seed-style text: delimiters, then r _ 60 _ _ _ 62, then the end marker
        const Result<Part> part = decodeSteps(splitSymbols("/ / r _ 60 _ _ _ 62 / 64"));
        QVERIFY(part);
        QCOMPARE(part->rests.size(), size_t(1));
        QVERIFY(part->rests[0].duration == Rational(1, 2));
        QCOMPARE(part->notes.size(), size_t(2));
        QVERIFY(part->notes[0].pitch == 60 && part->notes[0].onset == Rational(1, 2) && part->notes[0].duration == Rational(1));
        QVERIFY(part->notes[1].pitch == 62 && part->notes[1].onset == Rational(3, 2) &&
                part->notes[1].duration == Rational(1, 4));
        QVERIFY(!decodeSteps(splitSymbols("60 x")));
        QVERIFY(!decodeSteps(splitSymbols("128 _")));
    }

    void encodingThenDecodingKeepsTheMelody() {
        const Score score = readFixture("ties_dots_rests.krn");
        const Result<Part> decoded = decodeSteps(encodeSteps(score.parts[0]));
        QVERIFY(decoded);
        // Tied notes come back as their written parts: 7 notes + 1 more for the tie.
        QCOMPARE(decoded->notes.size(), size_t(8));
        QCOMPARE(encodeSteps(*decoded), encodeSteps(score.parts[0]));
    }

    void songsAreJoinedWithDelimitersLikeTheSeedsFile() {
        const std::vector<std::string> songs{"60 _", "r"};
        QCOMPARE(joinSongs(songs, 2), std::string("60 _ / / r / /"));
        // Each song, a space, 64 "/ " (128 chars); the final space dropped.
        QCOMPARE(joinSongs(songs).size(), size_t(4 + 1 + 2 * (1 + 128) - 1));
    }

    void vocabularyOrderIsDeterministic() {
        const std::vector<std::string> symbols{"62", "_", "r", "60", "/", "_", "100"};
        const Vocabulary vocabulary = Vocabulary::fromSymbols(symbols);
        QCOMPARE(vocabulary.symbols(), (std::vector<std::string>{"/", "_", "r", "60", "62", "100"}));
        QCOMPARE(vocabulary.toJson(), std::string("{\n    \"/\": 0,\n    \"_\": 1,\n    \"r\": 2,\n    \"60\": 3,\n"
                                                  "    \"62\": 4,\n    \"100\": 5\n}"));
        const Result<Vocabulary> back = Vocabulary::fromJson(vocabulary.toJson(), "mapping.json");
        QVERIFY(back && *back == vocabulary);
        QVERIFY(!vocabulary.toIds(std::vector<std::string>{"60", "61"}));
    }

    void brokenMappingFilesAreRejected() {
        QVERIFY(!Vocabulary::fromJson("[1, 2]", "m.json"));
        QVERIFY(!Vocabulary::fromJson("{\"60\": 0, \"62\": 0}", "m.json"));
        QVERIFY(!Vocabulary::fromJson("{\"60\": 0, \"62\": 5}", "m.json"));
        QVERIFY(!Vocabulary::fromJson("{\"60\": \"0\"}", "m.json"));
        QVERIFY(!Vocabulary::fromJson("{\"60\": 0,", "m.json"));
    }

    void seedsMappingKeepsItsIdsAndSavesByteIdentical() {
        const QString shared = qEnvironmentVariable("MELODIST_SHARED_DIR");
        const std::string path = shared.toStdString() + "/seed-models/velardo/mapping.json";
        if (shared.isEmpty() || !QFile::exists(QString::fromStdString(path)))
            QSKIP("needs ../shared/seed-models/velardo/mapping.json (set MELODIST_SHARED_DIR)");
        const Result<Vocabulary> seeds = Vocabulary::load(path);
        QVERIFY(seeds);
        QCOMPARE(seeds->size(), size_t(38));
        QCOMPARE(seeds->idOf("57"), std::optional<int>(0));
        QCOMPARE(seeds->idOf("/"), std::optional<int>(9));
        QCOMPARE(seeds->idOf("_"), std::optional<int>(13));
        QCOMPARE(seeds->idOf("47"), std::optional<int>(37));
        QCOMPARE(seeds->toJson(), *readFileBytes(path));
    }
};

QTEST_GUILESS_MAIN(StepEncodingTest)
#include "StepEncodingTest.moc"

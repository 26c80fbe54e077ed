// SPDX-License-Identifier: GPL-3.0-or-later
// What a composer asks of generation: key/scale, range, longest note and rest ratio
// masks (parsed, checked up front, honoured by every sample), key normalisation of
// models trained in C major / A minor, and seeds read from music files.
#include "engine/generation/ConstraintMask.h"
#include "engine/generation/KeyNormalisation.h"
#include "engine/generation/MelodyGenerator.h"
#include "engine/generation/SeedFromScore.h"
#include "engine/music/KeyEstimation.h"

#include <QtTest/QtTest>

#include "tests/common/TestSupport.h"
#include "tests/engine/GenerationTestModels.h"

using namespace melodist::engine;
using melodist::test::makeNote;
using melodist::test::pitchOf;
using melodist::test::randomMelodyModel;

namespace {

const nlohmann::ordered_json kTransposedEncoding = {{"encoding", {{"type", "steps"}, {"transposition", "seeds"}}}};

GeneratedMelodies generate(const MelodyModel& model, const std::vector<std::string>& seed, const GenerationOptions& options) {
    Result<GeneratedMelodies> out = generateMelodies(model, seed, options);
    if (!out) qFatal("%s", out.error().c_str());
    return std::move(*out);
}

// The symbols after the seed, per candidate.
std::vector<std::string> continuation(const std::vector<std::string>& melody, size_t seedLength) {
    return {melody.begin() + static_cast<ptrdiff_t>(seedLength), melody.end()};
}

}  // namespace

class GenerationConstraintsTest : public QObject {
    Q_OBJECT

private slots:
    void keysAndRangesParseInTheirCommonSpellings() {
        // WHEN keys are parsed THEN tonic and mode come out, and the scale is right
        QCOMPARE(*parseScaleKey("C"), (ScaleKey{0, ScaleMode::Major}));
        QCOMPARE(*parseScaleKey("A minor"), (ScaleKey{9, ScaleMode::NaturalMinor}));
        QCOMPARE(*parseScaleKey("f#m"), (ScaleKey{6, ScaleMode::NaturalMinor}));
        QCOMPARE(*parseScaleKey("Bb major"), (ScaleKey{10, ScaleMode::Major}));
        QCOMPARE(*parseScaleKey("E flat harmonic  minor"), (ScaleKey{3, ScaleMode::HarmonicMinor}));
        QCOMPARE(*parseScaleKey("D dorian"), (ScaleKey{2, ScaleMode::Dorian}));
        QCOMPARE(parseScaleKey("a harmonic minor")->pitchClasses(),
                 (std::array<bool, 12>{true, false, true, false, true, true, false, false, true, true, false, true}));  // G#, no G
        QCOMPARE(parseScaleKey("D dorian")->parentMajorTonic(), 0);
        QCOMPARE(parseScaleKey("E minor")->parentMajorTonic(), 7);
        QCOMPARE(parseScaleKey("F# harmonic minor")->name(), std::string("F# harmonic minor"));
        QVERIFY(parseScaleKey("H major").error().find("dorian") != std::string::npos);  // lists what is accepted
        QVERIFY(!parseScaleKey("C blues").ok());
        // AND ranges take MIDI numbers or scientific pitch names
        QCOMPARE(parsePitchRange("55-81")->lowest, 55);
        QCOMPARE(parsePitchRange("G3-A5")->highest, 81);
        QCOMPARE(parsePitchRange("G3-A5")->lowest, 55);
        QCOMPARE(parsePitchRange("C-1-Bb3")->lowest, 0);
        QCOMPARE(parsePitchRange("C-1-Bb3")->highest, 58);
        QCOMPARE(*parsePitch("B#3"), 60);
        QVERIFY(parsePitchRange("81-55").error().find("downwards") != std::string::npos);
        QVERIFY(!parsePitchRange("G3").ok());
        QVERIFY(!parsePitchRange("55-200").ok());
    }

    void everySampleHonoursKeyRangeLongestNoteAndRests() {
        for (const int context : {0, 12}) {
            // GIVEN a model, a hot temperature (so without the mask much would break the rules) and constraints
            const MelodyModel model = randomMelodyModel(context);
            const std::vector<std::string> seed = splitSymbols("62 _ 66 _ _ _ _ _ _ _ 61");  // ends on a pitch outside D major
            GenerationOptions options{.steps = 300, .sampling = {.temperature = 2.0f}, .candidates = 6, .rngSeed = 8};
            options.constraints = {.key = *parseScaleKey("D major"), .range = PitchRange{62, 74}, .maxNoteSteps = 4, .maxRestRatio = 0.1};
            // WHEN it generates
            const GeneratedMelodies out = generate(model, seed, options);
            const std::array<bool, 12> scale = options.constraints.key->pitchClasses();
            size_t checked = 0;
            for (const std::vector<std::string>& melody : out.melodies) {
                const std::vector<std::string> generated = continuation(melody, seed.size());
                checked += generated.size();
                int run = 0, rests = 0;
                bool inRest = false;
                // THEN every pitch is in D major and 62..74, no note or rest lasts over 4 steps, rests stay <= 10 %
                for (size_t i = 0; i < generated.size(); ++i) {
                    const std::string& s = generated[i];
                    const int pitch = pitchOf(s);
                    if (pitch >= 0) {
                        QVERIFY2(scale[static_cast<size_t>(pitch % 12)] && pitch >= 62 && pitch <= 74, s.c_str());
                        run = 1;
                        inRest = false;
                    } else if (s == "r") {
                        run = 1;
                        inRest = true;
                    } else {
                        QCOMPARE(s, std::string("_"));
                        ++run;
                    }
                    rests += inRest ? 1 : 0;
                    QVERIFY2(run <= 4, qPrintable(QStringLiteral("run of %1 at %2").arg(run).arg(i)));
                    QVERIFY(rests <= 0.1 * static_cast<double>(i + 1) + 1e-9);
                }
            }
            QVERIFY2(checked > 300, "the melodies should be long enough to mean something");
        }
    }

    void aMinimumLengthKeepsTheSongGoing() {
        // GIVEN a model that ends songs ("/" is merely unlikely) and a hot temperature
        const MelodyModel model = randomMelodyModel(0);
        const std::vector<std::string> seed = splitSymbols("60 _ 62 _");
        GenerationOptions options{.steps = 200, .sampling = {.temperature = 3.0f}, .candidates = 12, .rngSeed = 3};
        // WHEN it generates without a minimum, THEN some melodies end early at their "/"
        size_t shorter = 0;
        for (const std::vector<std::string>& melody : generate(model, seed, options).melodies)
            shorter += continuation(melody, seed.size()).size() < 200 ? 1 : 0;
        QVERIFY2(shorter > 0, "the model should end some songs by itself");
        // AND with --min-steps 150 none ends before 150 symbols
        options.minSteps = 150;
        for (const std::vector<std::string>& melody : generate(model, seed, options).melodies)
            QVERIFY(continuation(melody, seed.size()).size() >= 150);
        // AND with the minimum equal to the steps every melody has exactly that many
        options.minSteps = 200;
        for (const std::vector<std::string>& melody : generate(model, seed, options).melodies)
            QCOMPARE(continuation(melody, seed.size()).size(), size_t{200});
    }

    void theSeedsTailCountsTowardsTheLongestNote() {
        // GIVEN a seed ending in a note already held 4 steps and a limit of 4
        const MelodyModel model = randomMelodyModel(0);
        GenerationOptions options{.steps = 1, .sampling = {.temperature = 1.0f}, .candidates = 30};
        options.constraints.maxNoteSteps = 4;
        const std::vector<std::string> seed = splitSymbols("60 _ _ _");
        // WHEN one symbol is sampled THEN it never holds the note further
        for (const auto& melody : generate(model, seed, options).melodies)
            if (melody.size() > seed.size()) QVERIFY(melody.back() != "_");
    }

    void impossibleOrInapplicableConstraintsAreErrorsUpFront() {
        const MelodyModel model = randomMelodyModel(0);
        const std::vector<std::string> seed = splitSymbols("60 _ 62");
        // GIVEN a range the vocabulary (55..79) cannot reach WHEN generating THEN an error says why
        GenerationOptions options;
        options.constraints.range = PitchRange{90, 100};
        Result<GeneratedMelodies> out = generateMelodies(model, seed, options);
        QVERIFY(!out.ok());
        QVERIFY2(out.error().find("no pitch the model knows (55..79)") != std::string::npos, out.error().c_str());
        // AND a key whose notes are all outside a narrow range
        options.constraints = {.key = *parseScaleKey("C major"), .range = PitchRange{61, 61}};
        QVERIFY(!generateMelodies(model, seed, options).ok());
        // GIVEN a vocabulary of chord symbols WHEN a constraint is asked THEN it says it cannot be applied
        const MelodyModel chords = randomMelodyModel(0, {"/", "60+64:1", "R:1", "62:1/2"});
        options = {};
        options.constraints.maxRestRatio = 0.5;
        out = generateMelodies(chords, splitSymbols("60+64:1"), options);
        QVERIFY(!out.ok());
        QVERIFY2(out.error().find("cannot be applied") != std::string::npos, out.error().c_str());
        // AND without constraints it generates
        QVERIFY(generateMelodies(chords, splitSymbols("60+64:1"), {.steps = 5}).ok());
    }

    void whetherAModelWasTrainedInCMajorComesFromItsMetadata() {
        QVERIFY(modelIsKeyNormalised({{"encoding", {{"transposition", "seeds"}}}}));
        QVERIFY(!modelIsKeyNormalised({{"encoding", {{"transposition", "none"}}}}));
        QVERIFY(modelIsKeyNormalised({{"encoding", {{"type", "steps"}, {"transpose", true}}}}));
        QVERIFY(!modelIsKeyNormalised({{"encoding", {{"type", "steps"}, {"options", {{"transpose", false}}}}}}));
        QVERIFY(modelIsKeyNormalised({{"preprocess", {{"transpose", true}}}}));
        QVERIFY(modelIsKeyNormalised({{"source", "imported from Keras model.h5 (sha256 00)"}}));
        QVERIFY(!modelIsKeyNormalised({{"source", "trained by Melodist"}}));
    }

    void transpositionsAreTheSmallestMoveToCMajorOrAMinor() {
        const Vocabulary vocabulary = Vocabulary::fromSymbols(melodist::test::testVocabulary());
        const auto shiftFor = [&](const char* key) {
            return chooseKeyTransposition(splitSymbols("64 _ 67"), *parseScaleKey(key), vocabulary)->shift;
        };
        QCOMPARE(shiftFor("D major"), -2);
        QCOMPARE(shiftFor("G major"), 5);
        QCOMPARE(shiftFor("F# major"), -6);  // a tritone either way: down
        QCOMPARE(shiftFor("A minor"), 0);
        QCOMPARE(shiftFor("E minor"), 5);    // the seeds' own shift for e minor
        QCOMPARE(shiftFor("B minor"), -2);
        QCOMPARE(shiftFor("D dorian"), 0);   // C major's notes already
        // GIVEN a seed whose estimated key is D major
        Result<KeyTransposition> estimated = chooseKeyTransposition(splitSymbols("62 _ 66 _ 69 _ 66 _ 62 _ 64 _ 66 _ 67 _ 69 _ _ _ 74 _ _ _"),
                                                                    std::nullopt, vocabulary);
        QVERIFY(estimated.ok());
        QCOMPARE(*estimated->key, (ScaleKey{2, ScaleMode::Major}));
        QVERIFY(estimated->estimated);
        QCOMPARE(estimated->shift, -2);
        // AND the seeds' own example (G G G F E E E: Krumhansl-Schmuckler says E minor, which has no F)
        // is taken for what its notes allow, C major: no move
        Result<KeyTransposition> tutorial = chooseKeyTransposition(splitSymbols("67 _ 67 _ 67 _ _ 65 64 _ 64 _ 64 _ _"), std::nullopt, vocabulary);
        QCOMPARE(*tutorial->key, (ScaleKey{0, ScaleMode::Major}));
        QCOMPARE(tutorial->shift, 0);
        // AND an A minor tune stays A minor
        Result<KeyTransposition> minor = chooseKeyTransposition(splitSymbols("69 _ 72 _ 76 _ 72 _ 71 _ 69 _ 68 _ 69 _ _ _"), std::nullopt, vocabulary);
        QCOMPARE(minor->key->tonic, 9);
        QCOMPARE(minor->shift, 0);
        // WHEN a move would take a pitch outside the vocabulary THEN the other direction is used, or an error names it
        QCOMPARE(chooseKeyTransposition(splitSymbols("79"), *parseScaleKey("G major"), vocabulary)->shift, -7);  // +5: 84
        Result<KeyTransposition> impossible = chooseKeyTransposition(splitSymbols("56 _ 78"), *parseScaleKey("F# major"), vocabulary);
        QVERIFY(!impossible.ok());
        QVERIFY2(impossible.error().find("'56'") != std::string::npos || impossible.error().find("'78'") != std::string::npos,
                 impossible.error().c_str());
    }

    void aSeedIsGeneratedInCMajorAndHeardInItsOwnKey() {
        // GIVEN a model trained in C major and a seed in D major
        const MelodyModel model = randomMelodyModel(0, melodist::test::testVocabulary(), kTransposedEncoding);
        const std::vector<std::string> seed = splitSymbols("62 _ 66 _ 69 _ 66 _ 62 _ 64 _ 66 _ 67 _ 69 _ _ _ 74 _ _ _");
        GenerationOptions options{.steps = 120, .sampling = {.temperature = 0.9f}, .candidates = 3, .rngSeed = 21};
        // WHEN it generates
        const GeneratedMelodies out = generate(model, seed, options);
        QCOMPARE(out.transpose, -2);
        QCOMPARE(*out.seedKey, (ScaleKey{2, ScaleMode::Major}));
        // THEN it equals generating from the seed moved to C by hand, moved back up
        options.normaliseKey = false;
        const std::vector<std::string> inC = *transposeSymbols(seed, -2);
        const GeneratedMelodies byHand = generate(model, inC, options);
        QCOMPARE(byHand.transpose, 0);
        for (size_t c = 0; c < out.melodies.size(); ++c) {
            QVERIFY(std::equal(seed.begin(), seed.end(), out.melodies[c].begin()));
            QCOMPARE(continuation(out.melodies[c], seed.size()), *transposeSymbols(continuation(byHand.melodies[c], seed.size()), 2));
        }
        // AND a --key constraint applies in the user's key (D major), through the move
        options.normaliseKey = true;
        options.constraints.key = *parseScaleKey("D major");
        for (const auto& melody : generate(model, seed, options).melodies)
            for (const std::string& s : continuation(melody, seed.size()))
                if (pitchOf(s) >= 0) QVERIFY2(options.constraints.key->pitchClasses()[static_cast<size_t>(pitchOf(s) % 12)], s.c_str());
    }

    void aPolyphonicSeedFileBecomesOneLineOnTheGrid() {
        // GIVEN a part with a chord, an overlap, a gap, an off-grid note and leading silence, plus a second part
        Score score;
        score.parts.resize(2);
        score.parts[0].notes = {makeNote(60, 1, 1), makeNote(64, 1, 1), makeNote(67, 1, Rational(3, 2)), makeNote(65, 2, 1),
                                makeNote(62, 4, Rational(1, 2)), makeNote(64, Rational(9, 2) + Rational(1, 16), Rational(1, 2))};
        score.parts[1].notes = {makeNote(48, 0, 4)};
        score.sort();
        // WHEN it becomes a seed
        Result<ScoreSeed> seed = seedFromScore(score);
        QVERIFY(seed.ok());
        // THEN the top note of the chord, cut where F starts, F, a rest, D, E (rounded onto the grid)
        QCOMPARE(joinSymbols(seed->symbols), std::string("67 _ _ _ 65 _ _ _ r _ _ _ 62 _ 64 _"));
        QCOMPARE(seed->reduction.chordNotesDropped, 2);
        QCOMPARE(seed->reduction.notesShortened, 1);
        QCOMPARE(seed->reduction.notesMoved, 1);
        QCOMPARE(seed->reduction.partsIgnored, 1);
        QCOMPARE(seed->reduction.silenceDropped, Rational(1));
        QVERIFY(seed->reduction.describe().find("chord") != std::string::npos);
        // AND a file without notes is an error
        QVERIFY(!seedFromScore(Score{}).ok());
    }
};

QTEST_GUILESS_MAIN(GenerationConstraintsTest)
#include "GenerationConstraintsTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The studio's generation around the roll (engine/generation/RollGeneration.h): seeds
// from notes placed anywhere in time, continuations and region fills placed back where
// they belong; and the Complexity control (Complexity.h): its temperature / hold-bias
// mapping, and that the hold bias really moves the note density of generated melodies
// while a zero bias leaves generation exactly as it was.
#include "engine/core/ThreadPriority.h"
#include "engine/generation/Complexity.h"
#include "engine/generation/GenerationJob.h"
#include "engine/generation/MelodyGenerator.h"
#include "engine/generation/RegionRegenerator.h"
#include "engine/generation/RollGeneration.h"

#include <QtTest/QtTest>

#include <thread>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "tests/common/TestSupport.h"
#include "tests/engine/GenerationTestModels.h"

using namespace melodist::engine;
using melodist::test::describe;
using melodist::test::makeNote;
using melodist::test::randomMelodyModel;

namespace {

std::vector<std::string> symbols(const char* text) { return splitSymbols(text); }

// Onsets (pitch symbols) per generated step, over every candidate's sampled part.
double onsetsPerStep(const GeneratedMelodies& out, size_t seedLength) {
    int64_t onsets = 0, steps = 0;
    for (const std::vector<std::string>& melody : out.melodies)
        for (size_t i = seedLength; i < melody.size(); ++i) {
            ++steps;
            onsets += pitchOfSymbol(melody[i]) ? 1 : 0;
        }
    return steps > 0 ? static_cast<double>(onsets) / static_cast<double>(steps) : 0.0;
}

// randomMelodyModel's LSTM, with "_" as likely as a trained model makes it (about half
// the steps of a folk song hold a note), so a bias can move the density either way.
MelodyModel holdingModel() {
    const std::vector<std::string> symbols = melodist::test::testVocabulary();
    LstmModelWeights w = randomLstmWeights(static_cast<int>(symbols.size()), {24}, /*seed=*/5, 0.8f);
    for (float& x : w.denseKernel) x *= 4.0f;
    const Vocabulary vocabulary = Vocabulary::fromSymbols(symbols);
    w.denseBias[static_cast<size_t>(*vocabulary.idOf("/"))] = -4.0f;
    w.denseBias[static_cast<size_t>(*vocabulary.idOf("_"))] = 6.0f;
    nlohmann::ordered_json metadata = {{"context", {{"default", 0}, {"seed_padding", 8}, {"padding_symbol", "/"}}}};
    Result<MelodyModel> model = MelodyModel::fromCheckpoint(makeLstmCheckpoint(w, vocabulary, metadata), "holding.melodist-model");
    if (!model) qFatal("%s", model.error().c_str());
    return std::move(*model);
}

}  // namespace

class RollGenerationTest : public QObject {
    Q_OBJECT

private slots:
    void gridHelpersRoundAsDocumented() {
        const Rational step(1, 4);
        QCOMPARE(floorToGrid(Rational(5, 8), step), Rational(1, 2));
        QCOMPARE(ceilToGrid(Rational(5, 8), step), Rational(3, 4));
        QCOMPARE(ceilToGrid(Rational(3, 4), step), Rational(3, 4));
        QCOMPARE(nearestOnGrid(Rational(5, 8), step), Rational(3, 4));  // halfway rounds up
        QCOMPARE(nearestOnGrid(Rational(9, 16), step), Rational(1, 2));
    }

    void continuationSeedStartsAtTheFirstNoteAndKeepsGaps() {
        // GIVEN a seed that starts in bar 2 (onset 4), with a gap of an eighth, and a chord
        const std::vector<Note> notes = {makeNote(67, 4, Rational(1, 2)), makeNote(65, Rational(5), 1),
                                         makeNote(60, Rational(5), 1)};
        // WHEN it becomes a seed
        const GridSegment seed = continuationSeed(notes, std::nullopt);
        // THEN the silence before it is dropped, the gap is a rest, the chord's top note is kept
        QCOMPARE(seed.start, Rational(4));
        QCOMPARE(seed.symbols, symbols("67 _ r _ 65 _ _ _"));
        QCOMPARE(seed.end(), Rational(6));
        QCOMPARE(seed.reduction.chordNotesDropped, 1);
    }

    void continuationSeedUntilASelectionEndCutsThere() {
        // GIVEN three quarter notes and a "selection" ending in the middle of the second
        const std::vector<Note> notes = {makeNote(60, 0, 1), makeNote(62, 1, 1), makeNote(64, 2, 1)};
        // WHEN the seed runs until 3/2
        const GridSegment seed = continuationSeed(notes, Rational(3, 2));
        // THEN the second note is cut there and the third is not part of it
        QCOMPARE(seed.symbols, symbols("60 _ _ _ 62 _"));
        QCOMPARE(seed.end(), Rational(3, 2));
        // AND an empty roll gives an empty seed at the given time
        QCOMPARE(continuationSeed({}, Rational(8)).start, Rational(8));
        QVERIFY(continuationSeed({}, std::nullopt).symbols.empty());
    }

    void continuationNotesAreTheNewNotesPlacedAfterTheSeed() {
        // GIVEN the seed of a note at 4 and a generated melody = seed + 6 sampled symbols
        const GridSegment seed = continuationSeed(std::vector<Note>{makeNote(67, 4, Rational(1, 2))}, std::nullopt);
        std::vector<std::string> melody = seed.symbols;
        for (const std::string& s : symbols("_ 69 _ _ 71 _")) melody.push_back(s);
        // WHEN the new notes are placed
        const Result<std::vector<Note>> notes = continuationNotes(seed, melody);
        QVERIFY2(notes.ok(), notes.ok() ? "" : notes.error().c_str());
        // THEN only the notes starting after the seed come back, at their times in the roll
        QCOMPARE(notes->size(), size_t(2));
        QCOMPARE((*notes)[0], makeNote(69, Rational(19, 4), Rational(3, 4)));
        QCOMPARE((*notes)[1], makeNote(71, Rational(11, 2), Rational(1, 2)));
        // AND a length limit cuts what reaches past it
        const Result<std::vector<Note>> cut = continuationNotes(seed, melody, Rational(1, 2));
        QCOMPARE(cut->size(), size_t(1));
        QCOMPARE((*cut)[0].duration, Rational(1, 4));
    }

    void regionContextKeepsSilenceAroundTheGap() {
        // GIVEN notes before bar 2, a rest, and notes after it; the region is [4, 8)
        const std::vector<Note> notes = {makeNote(60, 1, 1), makeNote(62, 2, 1), makeNote(64, 9, Rational(1, 2))};
        const RollRegion region = rollRegion(notes, Rational(4), Rational(8));
        // THEN before runs from the first note to the region, padded with a rest
        QCOMPARE(region.before.start, Rational(1));
        QCOMPARE(region.before.symbols, symbols("60 _ _ _ 62 _ _ _ r _ _ _"));
        // AND after starts at the region's end, the silence before its first note kept
        QCOMPARE(region.after.start, Rational(8));
        QCOMPARE(region.after.symbols, symbols("r _ _ _ 64 _"));
        QCOMPARE(region.gapSteps(), 16);
        // AND a fill becomes notes inside the region only
        std::vector<std::string> fill = symbols("_ _ 65 _ _ _ _ _ _ _ _ _ _ _ 67 _");
        const Result<std::vector<Note>> placed = regionFillNotes(region, fill);
        QVERIFY(placed.ok());
        QCOMPARE(placed->size(), size_t(2));
        QCOMPARE((*placed)[0], makeNote(65, Rational(9, 2), 3));
        QCOMPARE((*placed)[1], makeNote(67, Rational(15, 2), Rational(1, 2)));
    }

    void regionOffTheGridIsWidenedOutwards() {
        const RollRegion region = rollRegion({}, Rational(9, 8), Rational(15, 8));
        QCOMPARE(region.start, Rational(1));
        QCOMPARE(region.end, Rational(2));
        QVERIFY(region.before.symbols.empty());
        QVERIFY(region.after.symbols.empty());
    }

    void complexityMovesTemperatureAndHoldBiasTogether() {
        // THEN the ends and the middle are as documented, and both move monotonically
        QCOMPARE(complexitySettings(0.0).temperature, kComplexityTemperatureLow);
        QCOMPARE(complexitySettings(1.0).temperature, kComplexityTemperatureHigh);
        QCOMPARE(complexitySettings(0.0).holdLogitBias, kComplexityHoldBiasLow);
        QCOMPARE(complexitySettings(1.0).holdLogitBias, kComplexityHoldBiasHigh);
        QCOMPARE(complexitySettings(0.5).holdLogitBias, 0.0f);
        QCOMPARE(complexitySettings(-3.0).temperature, kComplexityTemperatureLow);  // clamped
        for (int i = 1; i <= 10; ++i) {
            const ComplexitySettings a = complexitySettings((i - 1) / 10.0), b = complexitySettings(i / 10.0);
            QVERIFY(b.temperature > a.temperature);
            QVERIFY(b.holdLogitBias < a.holdLogitBias);
        }
    }

    void holdBiasMovesNoteDensity() {
        // GIVEN a small model that holds notes about as often as it starts them, and a seed
        const MelodyModel model = holdingModel();
        const std::vector<std::string> seed = symbols("60 _ 62 _ 64 _ _ _");
        GenerationOptions options{.steps = 64, .minSteps = 64, .candidates = 8, .rngSeed = 11};
        options.sampling.temperature = 1.0f;
        const auto density = [&](float bias) {
            GenerationOptions o = options;
            o.constraints.holdLogitBias = bias;
            const Result<GeneratedMelodies> out = generateMelodies(model, seed, o);
            if (!out) qFatal("%s", out.error().c_str());
            return onsetsPerStep(*out, seed.size());
        };
        // WHEN the hold bias goes from long notes to short ones
        const double sparse = density(3.0f), plain = density(0.0f), dense = density(-3.0f);
        qInfo("onsets per step: bias +3 %.3f, 0 %.3f, -3 %.3f", sparse, plain, dense);
        // THEN the density of onsets rises with it
        QVERIFY2(sparse < plain && plain < dense, qPrintable(QStringLiteral("%1 %2 %3").arg(sparse).arg(plain).arg(dense)));
        // AND the complexity ends differ the same way
        GenerationOptions low = options, high = options;
        low.sampling.temperature = complexitySettings(0).temperature;
        low.constraints.holdLogitBias = complexitySettings(0).holdLogitBias;
        high.sampling.temperature = complexitySettings(1).temperature;
        high.constraints.holdLogitBias = complexitySettings(1).holdLogitBias;
        QVERIFY(onsetsPerStep(*generateMelodies(model, seed, low), seed.size()) <
                onsetsPerStep(*generateMelodies(model, seed, high), seed.size()));
    }

    void zeroHoldBiasGeneratesExactlyAsWithoutIt() {
        // GIVEN the same request with no constraint and with a bias of exactly 0
        const MelodyModel model = randomMelodyModel(/*context=*/0);
        GenerationOptions options{.steps = 48, .candidates = 3, .rngSeed = 5};
        GenerationOptions zero = options;
        zero.constraints.holdLogitBias = 0.0f;
        // THEN the melodies are the same, symbol for symbol (no masking pass at all)
        QVERIFY(!zero.constraints.any());
        QCOMPARE(generateMelodies(model, symbols("67 _ 65"), options)->melodies,
                 generateMelodies(model, symbols("67 _ 65"), zero)->melodies);
    }

    void holdBiasOnAChordVocabularyIsRefusedWithAReason() {
        const std::vector<std::string> chords = {"/", "60:1", "60+64:1/2", "R:1"};
        const MelodyModel model = randomMelodyModel(0, chords, {{"encoding", {{"type", "chords"}}}});
        GenerationOptions options{.steps = 4};
        options.constraints.holdLogitBias = 1.0f;
        const Result<GeneratedMelodies> out = generateMelodies(model, {}, options);
        QVERIFY(!out.ok());
        QVERIFY2(out.error().find("note-density") != std::string::npos, out.error().c_str());
    }

    void generatedContinuationLandsAfterTheSeedInTheRoll() {
        // GIVEN a seed in bar 3 of the roll and a small model
        const MelodyModel model = randomMelodyModel(0);
        const std::vector<Note> roll = {makeNote(64, 8, 1), makeNote(65, 9, 1), makeNote(67, 10, 2)};
        const GridSegment seed = continuationSeed(roll, std::nullopt);
        // WHEN 2 bars (32 steps) are generated, no song end allowed before
        const Result<GeneratedMelodies> out =
            generateMelodies(model, seed.symbols, {.steps = 32, .minSteps = 32, .candidates = 2, .rngSeed = 3});
        QVERIFY(out.ok());
        for (const std::vector<std::string>& melody : out->melodies) {
            const Result<std::vector<Note>> added = continuationNotes(seed, melody, Rational(8));
            QVERIFY(added.ok());
            // THEN every new note lies within the two bars after the seed's end (12)
            for (const Note& note : *added) {
                QVERIFY2(note.onset >= Rational(12) && note.end() <= Rational(20), qPrintable(describe(note)));
            }
        }
    }

    void regionFillsFromTheEngineLandInsideTheRegion() {
        const MelodyModel model = randomMelodyModel(0);
        const std::vector<Note> roll = {makeNote(60, 0, 1), makeNote(62, 1, 1), makeNote(64, 4, 1)};
        const RollRegion region = rollRegion(roll, Rational(2), Rational(4));
        const Result<RegeneratedRegion> fills =
            regenerateRegion(model, region.before.symbols, region.after.symbols, region.gapSteps(), {.candidates = 3});
        QVERIFY2(fills.ok(), fills.ok() ? "" : fills.error().c_str());
        for (const RegionFill& fill : fills->fills) {
            const Result<std::vector<Note>> notes = regionFillNotes(region, fill.symbols);
            QVERIFY(notes.ok());
            for (const Note& note : *notes) QVERIFY(note.onset >= Rational(2) && note.end() <= Rational(4));
        }
    }

    void backgroundJobsLowerTheirPriorityAndGenerateTheSame() {
#if defined(__linux__)
        // GIVEN a thread at some nice value WHEN it lowers its priority THEN its nice value rose by 10 (at most 19)
        int before = 0, after = 0;
        bool lowered = false;
        std::thread([&] {
            const auto self = static_cast<id_t>(::syscall(SYS_gettid));
            before = ::getpriority(PRIO_PROCESS, self);
            lowered = lowerCurrentThreadPriority(10);
            after = ::getpriority(PRIO_PROCESS, self);
        }).join();
        QVERIFY(lowered);
        QCOMPARE(after, std::min(19, before + 10));
        // AND the calling thread is untouched
        QCOMPARE(::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))), before);
#endif
        // AND a background job's melodies are the normal job's
        const MelodyModel model = randomMelodyModel(0);
        const GenerationOptions options{.steps = 40, .candidates = 2, .rngSeed = 9};
        auto normal = GenerationJob::generate(model, symbols("60 _ 62"), options);
        auto background = GenerationJob::generate(model, symbols("60 _ 62"), options, {}, GenerationJob::Priority::Background);
        QVERIFY(normal->melodies().ok() && background->melodies().ok());
        QCOMPARE(background->melodies()->melodies, normal->melodies()->melodies);
    }
};

QTEST_GUILESS_MAIN(RollGenerationTest)
#include "RollGenerationTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Regenerating a region of a melody: fills of exactly the gap's length, never "/",
// ranked best first by the model's log-likelihood of what follows (checked against the
// model's own predictions), constraints on the fill; and on the seed model with a real
// Essen song (../shared; skipped without it), the chosen fill beats random fills.
#include "engine/generation/RegionRegenerator.h"
#include "engine/io/ScoreFile.h"
#include "engine/model/LstmCheckpoint.h"
#include "engine/music/SeedPreprocessing.h"

#include <QtTest/QtTest>

#include <cmath>
#include <filesystem>

#include "tests/common/TestSupport.h"
#include "tests/engine/GenerationTestModels.h"

using namespace melodist::engine;
using melodist::test::pitchOf;
using melodist::test::randomMelodyModel;

namespace {

const std::vector<std::string> kBefore = splitSymbols("60 _ 62 _ 64 _ _ _ 65 _ 64 _ 62 _ _ _");
const std::vector<std::string> kAfter = splitSymbols("67 _ _ _ 65 _ 64 _ 62 _ 60 _ _ _ _ _");

// log p(after | before + fill) from the model's predict(), one window at a time.
double scoreByPredict(const MelodyModel& model, const std::vector<std::string>& fill, int context) {
    std::vector<std::string> song = kBefore;
    song.insert(song.end(), fill.begin(), fill.end());
    std::vector<int> ids(static_cast<size_t>(model.seedPadding()), model.paddingId());
    for (const std::string& s : song) ids.push_back(*model.vocabulary().idOf(s));
    double score = 0.0;
    const size_t scored = context > 0 ? std::min(kAfter.size(), static_cast<size_t>(context)) : kAfter.size();
    for (size_t j = 0; j < scored; ++j) {
        const int target = *model.vocabulary().idOf(kAfter[j]);
        score += std::log(static_cast<double>((*model.predict(ids, context))[static_cast<size_t>(target)]));
        ids.push_back(target);
    }
    return score;
}

}  // namespace

class RegionRegeneratorTest : public QObject {
    Q_OBJECT

private slots:
    void fillsHaveTheGapsLengthAndComeBestFirst() {
        for (const int context : {0, 12}) {
            // GIVEN a model and a hot temperature (so "/" would be sampled if it were allowed)
            const MelodyModel model = randomMelodyModel(context);
            const GenerationOptions options{.sampling = {.temperature = 3.0f}, .candidates = 16, .rngSeed = 5};
            Result<GeneratedMelodies> free = generateMelodies(model, kBefore, {.steps = 24, .sampling = options.sampling, .candidates = 16, .rngSeed = 5});
            QVERIFY(free.ok());
            QVERIFY2(std::any_of(free->melodies.begin(), free->melodies.end(), [](const auto& m) { return m.size() < kBefore.size() + 24; }),
                     "some free candidate should stop at '/' for this test to mean something");
            // WHEN a 24-step region between kBefore and kAfter is regenerated
            Result<RegeneratedRegion> region = regenerateRegion(model, kBefore, kAfter, /*gapSteps=*/24, options);
            QVERIFY2(region.ok(), region ? "" : region.error().c_str());
            // THEN every fill is 24 symbols without "/", scores never increase down the list
            QCOMPARE(region->fills.size(), size_t{16});
            QCOMPARE(region->scoredSymbols, context > 0 ? size_t{12} : kAfter.size());
            std::vector<std::vector<std::string>> fills;
            for (size_t k = 0; k < region->fills.size(); ++k) {
                const RegionFill& fill = region->fills[k];
                QCOMPARE(fill.symbols.size(), size_t{24});
                QVERIFY(std::find(fill.symbols.begin(), fill.symbols.end(), "/") == fill.symbols.end());
                QVERIFY(std::isfinite(fill.score) && fill.score < 0.0);
                if (k > 0) QVERIFY(region->fills[k - 1].score >= fill.score);
                fills.push_back(fill.symbols);
            }
            QVERIFY(region->fills.front().score > region->fills.back().score);
            // AND each score is the model's own log-likelihood of the music after the region
            for (size_t k = 0; k < 3; ++k)
                QVERIFY2(std::abs(region->fills[k].score - scoreByPredict(model, fills[k], context)) < 1e-3,
                         qPrintable(QStringLiteral("%1 vs %2").arg(region->fills[k].score).arg(scoreByPredict(model, fills[k], context))));
            // AND scoreRegionFills gives the same scores
            Result<std::vector<double>> rescored = scoreRegionFills(model, kBefore, kAfter, fills, options);
            QVERIFY(rescored.ok());
            for (size_t k = 0; k < fills.size(); ++k) QCOMPARE((*rescored)[k], region->fills[k].score);
        }
    }

    void constraintsApplyToTheFillAndBadRegionsAreErrors() {
        const MelodyModel model = randomMelodyModel(0);
        GenerationOptions options{.sampling = {.temperature = 2.0f}, .candidates = 8};
        options.constraints.range = PitchRange{64, 67};
        // WHEN a region is regenerated within E4..G4 THEN every fill pitch is there
        Result<RegeneratedRegion> region = regenerateRegion(model, kBefore, kAfter, 16, options);
        QVERIFY(region.ok());
        for (const RegionFill& fill : region->fills)
            for (const std::string& s : fill.symbols)
                if (pitchOf(s) >= 0) QVERIFY2(pitchOf(s) >= 64 && pitchOf(s) <= 67, s.c_str());
        // AND an empty gap, an unknown symbol after the region are errors that say so
        QVERIFY(!regenerateRegion(model, kBefore, kAfter, 0, options).ok());
        Result<RegeneratedRegion> unknown = regenerateRegion(model, kBefore, splitSymbols("60 _ 99"), 4, {});
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error().find("after the region") != std::string::npos && unknown.error().find("'99'") != std::string::npos,
                 unknown.error().c_str());
        // AND nothing after the region: every fill scores 0, in sampling order
        Result<RegeneratedRegion> atTheEnd = regenerateRegion(model, kBefore, {}, 8, {.candidates = 3});
        QVERIFY(atTheEnd.ok());
        for (int k = 0; k < 3; ++k) {
            QCOMPARE(atTheEnd->fills[static_cast<size_t>(k)].score, 0.0);
            QCOMPARE(atTheEnd->fills[static_cast<size_t>(k)].candidate, k);
        }
    }

    void onTheSeedModelTheChosenFillBeatsRandomFills() {
        const std::string shared = qEnvironmentVariable("MELODIST_SHARED_DIR").toStdString();
        const std::string h5 = shared + "/seed-models/velardo/model.h5";
        const std::string song = shared + "/corpora/essen-deutschl/erk/deut0567.krn";
        if (!std::filesystem::exists(h5) || !std::filesystem::exists(song))
            QSKIP("needs $MELODIST_SHARED_DIR/seed-models and corpora (the shared folder beside the checkout)");
        // GIVEN the seed model and a real folk song, as the seeds encode it (in C major)
        Result<Checkpoint> checkpoint = importKerasCheckpoint(h5, shared + "/seed-models/velardo/mapping.json");
        QVERIFY(checkpoint.ok());
        Result<MelodyModel> model = MelodyModel::fromCheckpoint(*checkpoint, "seeds.melodist-model");
        QVERIFY(model.ok());
        Result<Score> score = readScoreFile(song);
        QVERIFY(score.ok());
        const SeedSong encoded = preprocessForSeeds(*score);
        QVERIFY(encoded.kept && encoded.symbols.size() > 80);
        const std::vector<std::string> before(encoded.symbols.begin(), encoded.symbols.begin() + 32);
        const std::vector<std::string> after(encoded.symbols.begin() + 48, encoded.symbols.end());
        // WHEN steps 32..47 are regenerated from 8 candidates
        const GenerationOptions options{.sampling = {.temperature = 1.0f}, .candidates = 8, .rngSeed = 1};
        Result<RegeneratedRegion> region = regenerateRegion(*model, before, after, 16, options);
        QVERIFY2(region.ok(), region ? "" : region.error().c_str());
        QCOMPARE(region->context, 64);
        QCOMPARE(region->transpose, 0);  // the song is in C major already
        // THEN the best fill scores higher than each of 8 random fills (uniform over the vocabulary but "/")
        std::vector<std::string> symbols = model->vocabulary().symbols();
        std::erase(symbols, "/");
        melodist::test::Lcg random(17);
        std::vector<std::vector<std::string>> randomFills(8);
        for (auto& fill : randomFills)
            for (int i = 0; i < 16; ++i) fill.push_back(symbols[static_cast<size_t>(random.below(static_cast<int>(symbols.size())))]);
        Result<std::vector<double>> randomScores = scoreRegionFills(*model, before, after, randomFills, options);
        QVERIFY(randomScores.ok());
        const double bestRandom = *std::max_element(randomScores->begin(), randomScores->end());
        QVERIFY2(region->fills.front().score > bestRandom,
                 qPrintable(QStringLiteral("chosen %1, best random %2").arg(region->fills.front().score).arg(bestRandom)));
    }
};

QTEST_GUILESS_MAIN(RegionRegeneratorTest)
#include "RegionRegeneratorTest.moc"

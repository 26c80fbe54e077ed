// SPDX-License-Identifier: GPL-3.0-or-later
// The chord vocabulary reduction: the pitch-set distance, rare tokens replaced by the
// nearest frequent one (same kind, same step first, closest pitches, most frequent on a
// tie), deterministic whatever the order of the counts, and its errors.
#include "engine/music/ChordVocabulary.h"

#include "tests/common/TestSupport.h"

#include <QtTest>

#include <algorithm>

using namespace melodist::engine;

namespace {

using Counts = std::vector<std::pair<std::string, uint64_t>>;

std::string replacementOf(const ChordVocabularyReduction& reduction, const std::string& token) {
    const auto it = reduction.replacements.find(token);
    return it == reduction.replacements.end() ? std::string("(kept)") : it->second;
}

}  // namespace

class ChordVocabularyTest : public QObject {
    Q_OBJECT
private slots:
    void pitchDistanceSumsNearestPitchesBothWays() {
        const std::vector<int> triad{60, 64, 67}, raised{60, 64, 68}, dyad{60, 64}, doubled{48, 60, 64, 67};
        // GIVEN / WHEN / THEN equal sets are 0 apart, one semitone costs 2, a dropped fifth 3, a doubling 12
        QCOMPARE(chordPitchDistance(triad, triad), 0);
        QCOMPARE(chordPitchDistance(triad, raised), 2);
        QCOMPARE(chordPitchDistance(triad, dyad), 3);
        QCOMPARE(chordPitchDistance(doubled, triad), 12);
        // AND it is symmetric
        QCOMPARE(chordPitchDistance(raised, triad), chordPitchDistance(triad, raised));
        // AND a bass note against a wide dyad: 40 -> 52, then 52 -> 40 and 76 -> 40
        QCOMPARE(chordPitchDistance(std::vector<int>{40}, std::vector<int>{52, 76}), 12 + 12 + 36);
    }

    void rareChordBecomesTheNearestFrequentChordOfTheSameStep() {
        // GIVEN frequent C major and A minor triads at a quarter, C major at an eighth, and rare chords
        const Counts counts = {{"60+64+67:1", 50}, {"57+60+64:1", 40}, {"60+64+67:1/2", 60}, {"60:1", 30},
                               {"60+64+68:1", 2},  {"57+60+65:1", 1},  {"48+60+64+67:1/2", 3}, {"R:1", 25}};
        // WHEN tokens seen fewer than 10 times are replaced
        const Result<ChordVocabularyReduction> reduction = reduceChordVocabulary(counts, 10);
        QVERIFY2(reduction.ok(), reduction.ok() ? "" : reduction.error().c_str());
        // THEN each rare chord becomes the frequent one with its step and the closest pitches
        QCOMPARE(replacementOf(*reduction, "60+64+68:1"), std::string("60+64+67:1"));
        QCOMPARE(replacementOf(*reduction, "57+60+65:1"), std::string("57+60+64:1"));
        QCOMPARE(replacementOf(*reduction, "48+60+64+67:1/2"), std::string("60+64+67:1/2"));
        // AND frequent tokens stay, and the counts add up
        QCOMPARE(reduction->replacements.size(), size_t{3});
        QCOMPARE(reduction->tokensBefore, size_t{8});
        QCOMPARE(reduction->tokensAfter, size_t{5});
        QCOMPARE(reduction->occurrences, uint64_t{211});
        QCOMPARE(reduction->occurrencesReplaced, uint64_t{6});
        QCOMPARE(reduction->stepsChanged, uint64_t{0});
        QCOMPARE(reduction->pitchDistanceSum, uint64_t{2 * 2 + 1 * 2 + 3 * 12});
    }

    void restsStayAndSoundsNeverBecomeRests() {
        // GIVEN a rare rest and a rare note whose step only a rest has among the frequent tokens
        const Counts counts = {{"R:3/2", 1}, {"R:1/4", 100}, {"64:1", 50}, {"65:3/2", 1}};
        // WHEN
        const Result<ChordVocabularyReduction> reduction = reduceChordVocabulary(counts, 5);
        QVERIFY(reduction.ok());
        // THEN the rest is kept as it is, and the note takes the nearest note's step instead
        QCOMPARE(replacementOf(*reduction, "R:3/2"), std::string("(kept)"));
        QCOMPARE(replacementOf(*reduction, "65:3/2"), std::string("64:1"));
        QCOMPARE(reduction->stepsChanged, uint64_t{1});
    }

    void nearestStepTiesGoToTheShorterStep() {
        // GIVEN frequent notes at 1/2 and 1, and a rare note at 3/4 (as far from both)
        const Counts counts = {{"60:1/2", 20}, {"60:1", 20}, {"60:3/4", 1}};
        // WHEN / THEN
        const Result<ChordVocabularyReduction> reduction = reduceChordVocabulary(counts, 5);
        QVERIFY(reduction.ok());
        QCOMPARE(replacementOf(*reduction, "60:3/4"), std::string("60:1/2"));
    }

    void equallyNearCandidatesGoToTheMoreFrequentThenTheFirstByText() {
        // GIVEN a rare C#, a semitone from both C and D
        const Counts lessC = {{"60:1", 10}, {"62:1", 20}, {"61:1", 1}};
        const Counts equal = {{"62:1", 20}, {"60:1", 20}, {"61:1", 1}};
        // WHEN / THEN the more frequent wins; on equal counts the first by text
        QCOMPARE(replacementOf(*reduceChordVocabulary(lessC, 5), "61:1"), std::string("62:1"));
        QCOMPARE(replacementOf(*reduceChordVocabulary(equal, 5), "61:1"), std::string("60:1"));
    }

    void theResultDoesNotDependOnTheOrderOfTheCounts() {
        // GIVEN random counts of random chords, in two different orders
        melodist::test::Lcg random(7);
        Counts counts;
        for (int i = 0; i < 400; ++i) {
            std::vector<int> pitches;
            const int size = 1 + random.below(4);
            for (int k = 0; k < size; ++k) pitches.push_back(36 + random.below(48));
            std::sort(pitches.begin(), pitches.end());
            pitches.erase(std::unique(pitches.begin(), pitches.end()), pitches.end());
            const std::string token = formatChordToken({pitches, Rational(1 + random.below(4), 4)});
            if (std::none_of(counts.begin(), counts.end(), [&](const auto& c) { return c.first == token; }))
                counts.emplace_back(token, static_cast<uint64_t>(1 + random.below(30)));
        }
        Counts reversed(counts.rbegin(), counts.rend());
        // WHEN both are reduced
        const Result<ChordVocabularyReduction> a = reduceChordVocabulary(counts, 12);
        const Result<ChordVocabularyReduction> b = reduceChordVocabulary(reversed, 12);
        // THEN the replacements are the same, every one a frequent token
        QVERIFY(a.ok() && b.ok());
        QVERIFY(!a->replacements.empty());
        QCOMPARE(a->replacements, b->replacements);
        for (const auto& [rare, frequent] : a->replacements) {
            const auto count = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == frequent; });
            QVERIFY(count != counts.end() && count->second >= 12);
            QCOMPARE(parseChordToken(rare)->isRest(), parseChordToken(frequent)->isRest());
        }
    }

    void minCountOfOneKeepsEverythingAndTooHighIsAnError() {
        const Counts counts = {{"60:1", 3}, {"61:1", 1}, {"R:1", 40}};
        // WHEN / THEN 0 and 1 keep every token
        for (const uint64_t minCount : {uint64_t{0}, uint64_t{1}}) {
            const Result<ChordVocabularyReduction> kept = reduceChordVocabulary(counts, minCount);
            QVERIFY(kept.ok() && kept->replacements.empty());
            QCOMPARE(kept->tokensAfter, size_t{3});
        }
        // AND when no note or chord is frequent enough, the error says to lower --min-count
        const Result<ChordVocabularyReduction> none = reduceChordVocabulary(counts, 10);
        QVERIFY(!none.ok());
        QVERIFY2(none.error().find("--min-count") != std::string::npos, none.error().c_str());
    }

    void nearestTokenSkipsNonChordSymbolsAndPrefersTheFirstCandidate() {
        // GIVEN a model's vocabulary in id order, with the delimiter first
        const std::vector<std::string> vocabulary = {"/", "60:1", "R:1", "62:1", "64+67:1/2"};
        const NearestChordToken nearest(vocabulary);
        QCOMPARE(nearest.candidateCount(), size_t{4});
        // WHEN / THEN a note between two equally near ones takes the lower id; a rest the rest
        QCOMPARE(nearest.nearest(*parseChordToken("61:1")), std::optional<size_t>(1));
        QCOMPARE(nearest.nearest(*parseChordToken("62+65+69:1")), std::optional<size_t>(3));
        QCOMPARE(nearest.nearest(*parseChordToken("R:2")), std::optional<size_t>(2));
        QCOMPARE(nearest.nearest(*parseChordToken("67:1/2")), std::optional<size_t>(4));
        // AND with no rest among the candidates, a rest has no counterpart
        const NearestChordToken soundsOnly(std::vector<std::string>{"60:1"});
        QVERIFY(!soundsOnly.nearest(*parseChordToken("R:1")).has_value());
    }
};

QTEST_GUILESS_MAIN(ChordVocabularyTest)
#include "ChordVocabularyTest.moc"

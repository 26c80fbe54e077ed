// SPDX-License-Identifier: GPL-3.0-or-later
// Sampler (engine/generation/Sampler.h): its draws follow softmax(logits / T) (a
// chi-square test over many draws, against std::exp in double), top-k and top-p keep
// only the most likely symbols with their renormalised probabilities, masked (-inf)
// symbols are never drawn, and the exp it uses matches std::exp. No model needed.
#include "engine/generation/Sampler.h"

#include "tests/common/TestSupport.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

using namespace melodist::engine;

namespace {

constexpr float kMasked = -std::numeric_limits<float>::infinity();

// softmax(logits / T) in double with std::exp, restricted to `kept` ids (empty: all).
std::vector<double> expectedProbabilities(const std::vector<float>& logits, double temperature,
                                          const std::vector<int>& kept = {}) {
    std::vector<double> p(logits.size(), 0.0);
    double maximum = -std::numeric_limits<double>::infinity();
    for (const float x : logits) maximum = std::max(maximum, static_cast<double>(x));
    for (size_t i = 0; i < logits.size(); ++i) {
        const bool isKept = kept.empty() || std::find(kept.begin(), kept.end(), static_cast<int>(i)) != kept.end();
        if (isKept && std::isfinite(logits[i])) p[i] = std::exp((logits[i] - maximum) / temperature);
    }
    const double total = std::accumulate(p.begin(), p.end(), 0.0);
    for (double& x : p) x /= total;
    return p;
}

// The chi-square quantile for `df` degrees of freedom at a tail of about 1e-6
// (Wilson-Hilferty, z = 4.75): a correct sampler fails it once in a million seeds.
double chiSquareBound(int df) {
    const double a = 2.0 / (9.0 * df);
    return df * std::pow(1.0 - a + 4.75 * std::sqrt(a), 3.0);
}

struct Fit {
    double chiSquare = 0.0;
    int degreesOfFreedom = 0;
    QString detail;
};

// Pearson's chi-square of `counts` against `expected` probabilities over `draws` draws;
// bins expected below 5 draws are pooled into one (and left out if that is still below 5).
Fit chiSquare(const std::vector<int64_t>& counts, const std::vector<double>& expected, int64_t draws) {
    Fit fit;
    double pooledExpected = 0.0, pooledObserved = 0.0;
    int bins = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        const double e = expected[i] * static_cast<double>(draws);
        if (expected[i] == 0.0) continue;  // checked separately: never drawn
        if (e < 5.0) {
            pooledExpected += e;
            pooledObserved += static_cast<double>(counts[i]);
            continue;
        }
        fit.chiSquare += (static_cast<double>(counts[i]) - e) * (static_cast<double>(counts[i]) - e) / e;
        fit.detail += QStringLiteral(" %1:%2/%3").arg(i).arg(counts[i]).arg(e, 0, 'f', 0);
        ++bins;
    }
    if (pooledExpected >= 5.0) {
        fit.chiSquare += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
        ++bins;
    }
    fit.degreesOfFreedom = std::max(bins - 1, 1);
    return fit;
}

std::vector<int64_t> drawCounts(Sampler& sampler, const std::vector<float>& logits, int64_t draws) {
    std::vector<int64_t> counts(logits.size(), 0);
    for (int64_t i = 0; i < draws; ++i) {
        const int id = sampler.sample(logits);
        if (id < 0 || id >= static_cast<int>(logits.size()))
            qFatal("sample returned %d for %zu logits", id, logits.size());
        ++counts[static_cast<size_t>(id)];
    }
    return counts;
}

// Logits like a trained model's over 38 symbols: a few likely ones, a long tail.
std::vector<float> modelLikeLogits(uint32_t seed, size_t size = 38) {
    melodist::test::Lcg lcg(seed);
    std::vector<float> logits(size);
    for (float& x : logits) x = static_cast<float>(lcg.below(2001) - 1000) / 125.0f;  // -8 .. 8
    return logits;
}

}  // namespace

class SamplerTest : public QObject {
    Q_OBJECT

private slots:
    void drawsFollowTheSoftmaxOfLogitsOverTemperature_data() {
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<float>("temperature");
        QTest::newRow("38 symbols, T 0.8") << modelLikeLogits(1) << 0.8f;
        QTest::newRow("38 symbols, T 1") << modelLikeLogits(2) << 1.0f;
        QTest::newRow("38 symbols, T 2.5") << modelLikeLogits(3) << 2.5f;
        QTest::newRow("5 symbols, T 1 (tail loop only)") << std::vector<float>{0.5f, -1.0f, 2.0f, 0.0f, 1.2f} << 1.0f;
        QTest::newRow("17 symbols with masks, T 0.7")
            << std::vector<float>{kMasked, 1.0f,  0.2f, kMasked, -0.5f,   2.0f, 0.3f,  0.0f,   kMasked,
                                  1.5f,    -2.0f, 0.9f, 0.1f,    kMasked, 0.4f, -1.0f, kMasked}
            << 0.7f;
        QTest::newRow("large logits, T 0.05")
            << std::vector<float>{1000.0f, 1000.1f, 999.9f, 990.0f, 1000.05f} << 0.05f;
    }
    void drawsFollowTheSoftmaxOfLogitsOverTemperature() {
        QFETCH(std::vector<float>, logits);
        QFETCH(float, temperature);
        // GIVEN a sampler at temperature T
        Sampler sampler({.temperature = temperature}, /*seed=*/11, /*stream=*/3);
        // WHEN it draws many times from the same logits
        const int64_t draws = 400000;
        const std::vector<int64_t> counts = drawCounts(sampler, logits, draws);
        // THEN the counts fit softmax(logits / T) (chi-square, ~1e-6 tail) and masked ids never come
        const std::vector<double> expected = expectedProbabilities(logits, temperature);
        for (size_t i = 0; i < logits.size(); ++i)
            if (expected[i] == 0.0) QCOMPARE(counts[i], int64_t{0});
        const Fit fit = chiSquare(counts, expected, draws);
        QVERIFY2(fit.chiSquare < chiSquareBound(fit.degreesOfFreedom),
                 qPrintable(QStringLiteral("chi-square %1 over %2 df (bound %3); id:observed/expected%4")
                                .arg(fit.chiSquare)
                                .arg(fit.degreesOfFreedom)
                                .arg(chiSquareBound(fit.degreesOfFreedom))
                                .arg(fit.detail)));
    }

    void aBiasedDrawWouldFailTheFit() {
        // GIVEN counts from the right distribution, and the same counts with 1% of one
        // symbol's mass moved to another (what a sampler off by a little would give)
        const std::vector<float> logits = modelLikeLogits(4);
        const std::vector<double> expected = expectedProbabilities(logits, 1.0);
        Sampler sampler({.temperature = 1.0f}, 5, 0);
        const int64_t draws = 400000;
        std::vector<int64_t> counts = drawCounts(sampler, logits, draws);
        const Fit good = chiSquare(counts, expected, draws);
        const auto top = static_cast<size_t>(std::max_element(expected.begin(), expected.end()) - expected.begin());
        const auto moved = static_cast<int64_t>(0.01 * static_cast<double>(counts[top]));
        counts[top] -= moved;
        counts[(top + 1) % counts.size()] += moved;
        const Fit biased = chiSquare(counts, expected, draws);
        // THEN the test above tells them apart
        QVERIFY(good.chiSquare < chiSquareBound(good.degreesOfFreedom));
        QVERIFY2(biased.chiSquare > chiSquareBound(biased.degreesOfFreedom),
                 qPrintable(QString::number(biased.chiSquare)));
    }

    void topKAndTopPKeepTheMostLikelyWithRenormalisedProbabilities_data() {
        QTest::addColumn<int>("topK");
        QTest::addColumn<float>("topP");
        QTest::addColumn<std::vector<int>>("kept");
        // Logits with a clear order: id 7 > 2 > 5 > 0 > 3 > the rest (and two masked).
        QTest::newRow("top-k 3") << 3 << 1.0f << std::vector<int>{7, 2, 5};
        QTest::newRow("top-k 1 = greedy") << 1 << 1.0f << std::vector<int>{7};
        QTest::newRow("top-p 0.8") << 0 << 0.8f << std::vector<int>{7, 2, 5};
        QTest::newRow("top-p 0.7") << 0 << 0.7f << std::vector<int>{7, 2};
        QTest::newRow("top-p 0.5") << 0 << 0.5f << std::vector<int>{7};
        QTest::newRow("top-k 4, then top-p 0.9 of those") << 4 << 0.9f << std::vector<int>{7, 2, 5};
        QTest::newRow("top-k 2 before top-p 0.95") << 2 << 0.95f << std::vector<int>{7, 2};
        QTest::newRow("top-k above the unmasked count") << 9 << 1.0f << std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7};
    }
    void topKAndTopPKeepTheMostLikelyWithRenormalisedProbabilities() {
        QFETCH(int, topK);
        QFETCH(float, topP);
        QFETCH(std::vector<int>, kept);
        const std::vector<float> logits = {1.0f, -1.0f, 2.5f, 0.5f, -2.0f, 1.8f, -0.5f, 3.5f, kMasked, kMasked};
        // (probabilities at T 1: 7 .583, 2 .214, 5 .107, 0 .048, 3 .029, ...; running sums .583,
        // .797, .904: top-p 0.8 keeps three; of the top 4, .612, .837, .949: top-p 0.9 keeps three)
        // GIVEN a sampler with top-k / top-p WHEN it draws many times
        Sampler sampler({.temperature = 1.0f, .topK = topK, .topP = topP}, 21, 1);
        const int64_t draws = 300000;
        const std::vector<int64_t> counts = drawCounts(sampler, logits, draws);
        // THEN only the kept ids come, in proportion to their renormalised softmax
        const std::vector<double> expected = expectedProbabilities(logits, 1.0, kept);
        for (size_t i = 0; i < logits.size(); ++i)
            if (expected[i] == 0.0)
                QVERIFY2(counts[i] == 0,
                         qPrintable(QStringLiteral("excluded id %1 drawn %2 times").arg(i).arg(counts[i])));
        if (kept.size() > 1) {
            const Fit fit = chiSquare(counts, expected, draws);
            QVERIFY2(fit.chiSquare < chiSquareBound(fit.degreesOfFreedom),
                     qPrintable(QString::number(fit.chiSquare) + fit.detail));
        }
    }

    void maskedSymbolsAreNeverDrawnEvenAgainstTinyProbabilities() {
        // GIVEN rows where every unmasked symbol is very unlikely relative to... nothing:
        // the only finite logits are far below zero, or one finite logit among masks
        const std::vector<std::vector<float>> rows = {
            {kMasked, kMasked, -1000.0f, kMasked},
            {-1000.0f, kMasked, kMasked, kMasked, kMasked, kMasked, kMasked, kMasked, kMasked},
            {kMasked, kMasked, kMasked, kMasked, kMasked, kMasked, kMasked, kMasked, -3.0f},
            {kMasked, -50.0f, -50.0f, kMasked, -50.0f, kMasked, kMasked, kMasked, kMasked, kMasked, kMasked, -49.0f},
        };
        for (const float temperature : {0.01f, 1.0f, 100.0f}) {
            for (const int topK : {0, 2}) {
                for (const float topP : {1.0f, 0.3f}) {
                    Sampler sampler({.temperature = temperature, .topK = topK, .topP = topP}, 2, 9);
                    for (const std::vector<float>& logits : rows) {
                        // WHEN drawing THEN every draw is a finite logit's id
                        for (int i = 0; i < 2000; ++i) {
                            const int id = sampler.sample(logits);
                            QVERIFY2(id >= 0 && id < static_cast<int>(logits.size()) &&
                                         std::isfinite(logits[static_cast<size_t>(id)]),
                                     qPrintable(QStringLiteral("T %1 top-k %2 top-p %3: drew masked id %4")
                                                    .arg(temperature)
                                                    .arg(topK)
                                                    .arg(topP)
                                                    .arg(id)));
                        }
                    }
                }
            }
        }
    }

    void nonPositiveTemperatureAndTopK1AreGreedy() {
        // GIVEN logits whose largest value appears twice (ids 3 and 6)
        const std::vector<float> logits = {0.1f, 2.0f, kMasked, 4.0f, -1.0f, 3.9f, 4.0f};
        for (const SamplingOptions options :
             {SamplingOptions{.temperature = 0.0f}, SamplingOptions{.temperature = -1.0f},
              SamplingOptions{.temperature = 3.0f, .topK = 1}}) {
            Sampler sampler(options, 1, 0);
            // WHEN drawing THEN always the first largest
            for (int i = 0; i < 100; ++i) QCOMPARE(sampler.sample(logits), 3);
        }
        QCOMPARE(Sampler::argmax(logits), 3);
    }

    void theSameSeedAndStreamGiveTheSameDraws() {
        // GIVEN two samplers of one (seed, stream) and one of another stream
        const std::vector<float> logits = modelLikeLogits(7);
        for (const SamplingOptions options :
             {SamplingOptions{.temperature = 1.3f}, SamplingOptions{.temperature = 1.3f, .topK = 8},
              SamplingOptions{.temperature = 1.3f, .topP = 0.9f}}) {
            Sampler a(options, 42, 5), b(options, 42, 5), other(options, 42, 6);
            std::vector<int> fromA, fromB, fromOther;
            // WHEN each draws a sequence
            for (int i = 0; i < 500; ++i) {
                fromA.push_back(a.sample(logits));
                fromB.push_back(b.sample(logits));
                fromOther.push_back(other.sample(logits));
            }
            // THEN the first two agree draw for draw, the other stream does not
            QCOMPARE(fromA, fromB);
            QVERIFY(fromA != fromOther);
        }
    }

    void softmaxWeightsMatchStdExp() {
        // GIVEN logits spanning the range where weights are not negligible, and masks
        std::vector<float> logits;
        for (int i = 0; i <= 900; ++i) logits.push_back(-87.0f + static_cast<float>(i) * 0.0966f);  // -87 .. ~0
        logits.push_back(0.0f);
        logits.push_back(kMasked);
        logits.push_back(-200.0f);
        logits.push_back(std::numeric_limits<float>::quiet_NaN());
        // WHEN the weights are computed at T 1 and T 0.5
        for (const float temperature : {1.0f, 0.5f}) {
            std::vector<float> weights(logits.size(), -1.0f);
            Sampler::softmaxWeights(logits, temperature, weights);
            // THEN each is exp((x - max) / T) within 1e-6 relative (0 below e^-87), the largest
            // is exactly 1, masks and NaN weigh 0
            for (size_t i = 0; i < logits.size(); ++i) {
                if (!std::isfinite(logits[i])) {
                    QCOMPARE(weights[i], 0.0f);
                    continue;
                }
                const double x = static_cast<double>(logits[i]) / temperature;
                const double reference = x < -87.0 ? 0.0 : std::exp(x);
                QVERIFY2(std::abs(weights[i] - reference) <= 1e-6 * reference,
                         qPrintable(QStringLiteral("x %1: %2 vs %3").arg(x).arg(weights[i]).arg(reference)));
            }
            QCOMPARE(weights[901], 1.0f);
        }
    }

    void noFiniteLogitStillGivesAValidId() {
        // GIVEN every symbol masked (the generator never asks this: ConstraintMask reports it)
        const std::vector<float> logits(5, kMasked);
        Sampler sampler({.temperature = 1.0f}, 0, 0), truncated({.temperature = 1.0f, .topP = 0.5f}, 0, 0);
        // WHEN drawing THEN an id in range comes back rather than a crash
        const int id = sampler.sample(logits), truncatedId = truncated.sample(logits);
        QVERIFY(id >= 0 && id < 5);
        QVERIFY(truncatedId >= 0 && truncatedId < 5);
    }
};

QTEST_GUILESS_MAIN(SamplerTest)
#include "SamplerTest.moc"

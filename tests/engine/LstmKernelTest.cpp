// SPDX-License-Identifier: GPL-3.0-or-later
// LstmKernel: the Keras LSTM equations on a tiny model whose steps are worked out by
// hand, batch and single steps agreeing (every code path this CPU runs, 1 and 2 threads,
// rows leaving the batch, threads stepping at once), stacked layers against a plain
// double reference written here, and the errors of bad sizes and bad windows.
#include "engine/keras/KerasMelodyModel.h"
#include "engine/keras/LstmKernel.h"
#include "engine/keras/RandomLstmWeights.h"
#include "tests/common/TestSupport.h"

#include <QtTest/QtTest>

#include <cmath>
#include <random>
#include <thread>

using namespace melodist::engine;

namespace {

constexpr float kAtanhHalf = 0.5493061443340549f;  // tanh(kAtanhHalf) = 0.5

// The tiny model of tools/make_keras_fixtures.py: 3 symbols, 2 units, gates i f c o.
LstmModelWeights tinyWeights(LstmActivation recurrentActivation) {
    LstmModelWeights w;
    w.vocabularySize = 3;
    LstmLayerWeights layer;
    layer.inputSize = 3;
    layer.units = 2;
    layer.activation = LstmActivation::Tanh;
    layer.recurrentActivation = recurrentActivation;
    layer.kernel = {0, 0, 0, 0, 0, 0, 0, 0,                                   // symbol 0
                    0.5f, -1.0f, 0, 0, kAtanhHalf, -kAtanhHalf, 2.5f, 0,     // symbol 1
                    0, 0, 0, 0, 0, 0, 0, 0};                                  // symbol 2
    layer.recurrentKernel = {0, 0, 0, 0, 1.0f, 0, 0, 0,     // h0 -> candidate of unit 0
                             0, 0, 0, 0, 0, 0, 0, -2.0f};   // h1 -> output gate of unit 1
    layer.bias = {0, 0, 1.0f, 1.0f, 0, 0, 0, 0};            // forget bias 1
    w.layers.push_back(layer);
    w.denseKernel = {1.0f, 0, -1.0f, 0, 2.0f, 1.0f};
    w.denseBias = {0.1f, 0, -0.1f};
    return w;
}


// Straight from the Keras equations, in double, one sequence; sigmoid/tanh only.
std::vector<double> referenceProbabilities(const LstmModelWeights& w, const std::vector<int>& window) {
    std::vector<std::vector<double>> h, c;
    for (const LstmLayerWeights& layer : w.layers) {
        h.emplace_back(static_cast<size_t>(layer.units), 0.0);
        c.emplace_back(static_cast<size_t>(layer.units), 0.0);
    }
    const auto sigmoid = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
    for (const int id : window) {
        std::vector<double> x(static_cast<size_t>(w.vocabularySize), 0.0);
        x[static_cast<size_t>(id)] = 1.0;
        for (size_t l = 0; l < w.layers.size(); ++l) {
            const LstmLayerWeights& layer = w.layers[l];
            const size_t n = static_cast<size_t>(layer.units), g = 4 * n;
            std::vector<double> z(g);
            for (size_t j = 0; j < g; ++j) {
                double sum = layer.bias[j];
                for (size_t k = 0; k < x.size(); ++k) sum += x[k] * layer.kernel[k * g + j];
                for (size_t k = 0; k < n; ++k) sum += h[l][k] * layer.recurrentKernel[k * g + j];
                z[j] = sum;
            }
            for (size_t j = 0; j < n; ++j) {
                c[l][j] = sigmoid(z[n + j]) * c[l][j] + sigmoid(z[j]) * std::tanh(z[2 * n + j]);
                h[l][j] = sigmoid(z[3 * n + j]) * std::tanh(c[l][j]);
            }
            x = h[l];
        }
    }
    std::vector<double> p(static_cast<size_t>(w.vocabularySize));
    double sum = 0.0;
    for (size_t v = 0; v < p.size(); ++v) {
        double logit = w.denseBias[v];
        for (size_t k = 0; k < h.back().size(); ++k) logit += h.back()[k] * w.denseKernel[k * p.size() + v];
        p[v] = std::exp(logit);
        sum += p[v];
    }
    for (double& v : p) v /= sum;
    return p;
}

void compareAll(std::span<const float> actual, std::initializer_list<double> expected, double tolerance) {
    QCOMPARE(actual.size(), expected.size());
    size_t i = 0;
    for (const double e : expected) {
        if (std::abs(actual[i] - e) > tolerance)
            QFAIL(qPrintable(QStringLiteral("value %1 is %2, expected %3").arg(i).arg(actual[i], 0, 'g', 9).arg(e, 0, 'g', 9)));
        ++i;
    }
}

// `steps` symbols per row: the first `sharedSteps` the same for every row (a seed fed to
// all candidates), then each row its own.
std::vector<std::vector<int>> randomSequences(int rows, int steps, int sharedSteps, int vocabulary, uint32_t seed) {
    melodist::test::Lcg lcg(seed);
    std::vector<int> shared(static_cast<size_t>(sharedSteps));
    for (int& id : shared) id = lcg.below(vocabulary);
    std::vector<std::vector<int>> sequences(static_cast<size_t>(rows), shared);
    for (auto& sequence : sequences)
        for (int t = sharedSteps; t < steps; ++t) sequence.push_back(lcg.below(vocabulary));
    return sequences;
}

// Logits of every step of every row, the rows stepped as one batch: [step][row][symbol].
std::vector<float> batchLogits(const LstmKernel& kernel, const std::vector<std::vector<int>>& sequences) {
    const auto rows = sequences.size(), vocabulary = static_cast<size_t>(kernel.vocabularySize());
    LstmState state = kernel.initialState(static_cast<int>(rows));
    std::vector<float> all, logits(rows * vocabulary);
    std::vector<int> ids(rows);
    for (size_t t = 0; t < sequences.front().size(); ++t) {
        for (size_t r = 0; r < rows; ++r) ids[r] = sequences[r][t];
        kernel.stepBatch(ids, state, logits);
        all.insert(all.end(), logits.begin(), logits.end());
    }
    return all;
}

// The same, each row stepped alone.
std::vector<float> singleLogits(const LstmKernel& kernel, const std::vector<std::vector<int>>& sequences) {
    const auto rows = sequences.size(), vocabulary = static_cast<size_t>(kernel.vocabularySize());
    const size_t steps = sequences.front().size();
    std::vector<float> all(steps * rows * vocabulary), logits(vocabulary);
    for (size_t r = 0; r < rows; ++r) {
        LstmState state = kernel.initialState();
        for (size_t t = 0; t < steps; ++t) {
            kernel.step(sequences[r][t], state, logits);
            std::copy(logits.begin(), logits.end(), all.begin() + static_cast<ptrdiff_t>((t * rows + r) * vocabulary));
        }
    }
    return all;
}

double maxDifference(const std::vector<float>& a, const std::vector<float>& b) {
    double difference = a.size() == b.size() ? 0.0 : INFINITY;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        difference = std::max(difference, static_cast<double>(std::abs(a[i] - b[i])));
    return difference;
}

// Restores the process-wide kernel settings a test changed.
struct KernelSettingsGuard {
    std::string instructionSet = LstmKernel::instructionSet();
    int threads = LstmKernel::threadLimit();
    ~KernelSettingsGuard() {
        LstmKernel::selectInstructionSet(instructionSet);
        LstmKernel::setThreadLimit(threads);
    }
};

}  // namespace

class LstmKernelTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStringList paths;
        for (const std::string& path : LstmKernel::instructionSets()) paths << QString::fromStdString(path);
        qInfo("LstmKernel code path in use: %s (this CPU runs: %s); threads per batch step: %d",
              LstmKernel::instructionSet(), qPrintable(paths.join(", ")), LstmKernel::threadLimit());
    }

    void hardSigmoidStepsMatchTheKerasEquationsWorkedByHand() {
        // GIVEN the tiny Keras 2.2.4-style file (tanh, hard_sigmoid = clip(0.2x + 0.5, 0, 1))
        Result<LstmKernel> kernel =
            loadKerasMelodyLstm(qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/keras/tiny_lstm.h5");
        QVERIFY2(kernel.ok(), kernel ? "" : kernel.error().c_str());
        LstmState state = kernel->initialState();
        std::vector<float> logits(3);
        // WHEN symbol 1 goes in from the zero state
        kernel->step(1, state, logits);
        // THEN i = hs(0.5, -1) = (0.6, 0.3), candidate = tanh(+-atanh .5) = (.5, -.5), c = i * candidate,
        //      o = hs(2.5, 0) = (1, 0.5), h = o * tanh(c), logits = (h0 + .1, 2 h1, h1 - h0 - .1)
        compareAll(state.cell, {0.3, -0.15}, 1e-6);
        compareAll(state.hidden, {0.291312612, -0.074442517}, 1e-6);
        compareAll(logits, {0.391312612, -0.148885034, -0.465755129}, 1e-6);
        // WHEN symbol 2 follows (only bias and recurrent terms: f = hs(1) = 0.7, i = hs(0) = 0.5,
        //      candidate0 = tanh(h0), o1 = hs(-2 h1))
        kernel->step(2, state, logits);
        // THEN c = 0.7 c + 0.5 candidate, h = o * tanh(c)
        compareAll(state.cell, {0.351671247, -0.105}, 1e-6);
        compareAll(state.hidden, {0.168928429, -0.055423056}, 1e-6);
        compareAll(logits, {0.268928429, -0.110846111, -0.324351484}, 1e-6);
    }

    void sigmoidRecurrentActivationUsesTheLogisticFunction() {
        // GIVEN the tiny weights with recurrent_activation sigmoid (tf.keras' default)
        Result<LstmKernel> kernel = LstmKernel::create(tinyWeights(LstmActivation::Sigmoid));
        QVERIFY(kernel.ok());
        // WHEN "1 2" is fed from the zero state
        Result<std::vector<float>> p = kernel->probabilities(std::vector<int>{1, 2});
        // THEN the logits (0.274088845, -0.104529775, -0.326353732), worked by hand with
        //      sigma(0.5) = 0.622459, sigma(-1) = 0.268941, ..., go through softmax
        QVERIFY(p.ok());
        compareAll(*p, {0.4477527, 0.3066241, 0.2456232}, 2e-6);
    }

    void batchStepsEqualSingleSteps() {
        // GIVEN two stacked layers of sizes that fill no vector block (7 symbols, 13 and 5 units)
        Result<LstmKernel> kernel = LstmKernel::create(randomLstmWeights(7, {13, 5}, 1, 0.6f));
        QVERIFY(kernel.ok());
        const std::vector<std::vector<int>> sequences = {{0, 1, 2, 3}, {6, 6, 5, 0}, {3, 1, 4, 1}, {5, 0, 2, 6},
                                                          {2, 2, 2, 2}, {4, 3, 6, 1}};  // 6 rows: a 4-row block + 2
        // WHEN they run as one batch and one by one
        LstmState batch = kernel->initialState(6);
        std::vector<float> batchLogits(6 * 7);
        for (size_t t = 0; t < 4; ++t) {
            std::vector<int> ids;
            for (const auto& s : sequences) ids.push_back(s[t]);
            kernel->stepBatch(ids, batch, batchLogits);
        }
        // THEN every row equals its single run
        for (size_t b = 0; b < sequences.size(); ++b) {
            LstmState single = kernel->initialState();
            std::vector<float> logits(7);
            for (const int id : sequences[b]) kernel->step(id, single, logits);
            for (size_t v = 0; v < 7; ++v) QVERIFY(std::abs(logits[v] - batchLogits[b * 7 + v]) < 1e-6f);
        }
    }

    void batchRowsEqualSingleRowsOnEveryCodePathAndThreadCount_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("threads");
        for (const std::string& path : LstmKernel::instructionSets())
            for (const int threads : {1, 2})
                QTest::addRow("%s, %d thread(s)", path.c_str(), threads) << QString::fromStdString(path) << threads;
    }

    void batchRowsEqualSingleRowsOnEveryCodePathAndThreadCount() {
        QFETCH(QString, path);
        QFETCH(int, threads);
        KernelSettingsGuard guard;
        QVERIFY(LstmKernel::selectInstructionSet(path.toStdString()));
        LstmKernel::setThreadLimit(threads);
        // GIVEN the seed's shape (38 symbols, 256 units), two stacked layers of sizes that
        // fill no vector or unit block (11 symbols, 13 and 37 units), and 70 units
        struct Shape {
            int vocabulary;
            std::vector<int> units;
        };
        for (const Shape& shape : {Shape{38, {256}}, Shape{11, {13, 37}}, Shape{40, {70}}}) {
            Result<LstmKernel> kernel = LstmKernel::create(randomLstmWeights(shape.vocabulary, shape.units, 5, 0.3f));
            QVERIFY(kernel.ok());
            for (const int rows : {1, 3, 17, 64}) {
                // WHEN 12 steps (the first 4 the same for every row) run as one batch and row by row
                const auto sequences = randomSequences(rows, 12, 4, shape.vocabulary, static_cast<uint32_t>(rows));
                const double difference = maxDifference(batchLogits(*kernel, sequences), singleLogits(*kernel, sequences));
                // THEN every row's logits are the same numbers: each is one chain of FMAs in
                // the same order whatever the batch, tile or thread
                QVERIFY2(difference == 0.0, qPrintable(QStringLiteral("%1 rows, %2 units: max |batch - single| = %3")
                                                           .arg(rows).arg(shape.units.back()).arg(difference)));
            }
        }
    }

    void everyCodePathGivesTheSameLogitsWithinRounding() {
        KernelSettingsGuard guard;
        // GIVEN a two-layer model and 17 rows of 20 symbols
        Result<LstmKernel> kernel = LstmKernel::create(randomLstmWeights(38, {256, 48}, 9, 0.2f));
        QVERIFY(kernel.ok());
        const auto sequences = randomSequences(17, 20, 0, 38, 99);
        // WHEN each code path this CPU runs steps them
        std::vector<float> reference;
        for (const std::string& path : LstmKernel::instructionSets()) {
            QVERIFY(LstmKernel::selectInstructionSet(path));
            const std::vector<float> logits = batchLogits(*kernel, sequences);
            if (reference.empty()) reference = logits;
            // THEN they agree within float rounding (SSE2 has no FMA: two roundings per term)
            const double difference = maxDifference(logits, reference);
            qInfo("%s vs %s: max |difference| = %g", path.c_str(), LstmKernel::instructionSets().front().c_str(), difference);
            QVERIFY2(difference < 1e-5, qPrintable(QString::number(difference)));
        }
    }

    void rowsLeavingTheBatchDoNotChangeTheOthers() {
        // GIVEN 64 rows stepped 6 times together, from one shared symbol
        Result<LstmKernel> kernel = LstmKernel::create(randomLstmWeights(38, {256}, 3, 0.3f));
        QVERIFY(kernel.ok());
        const auto sequences = randomSequences(64, 14, 1, 38, 7);
        LstmState state = kernel->initialState(64);
        std::vector<float> logits(64 * 38);
        std::vector<int> ids(64);
        for (size_t t = 0; t < 6; ++t) {
            for (size_t r = 0; r < 64; ++r) ids[r] = sequences[r][t];
            kernel->stepBatch(ids, state, logits);
        }
        // WHEN all but rows 0, 5, 6, 31 and 63 leave, and those step on together
        const std::vector<int> kept = {0, 5, 6, 31, 63};
        kernel->keepRows(state, kept);
        QCOMPARE(state.batchSize, 5);
        ids.resize(kept.size());
        for (size_t t = 6; t < 14; ++t) {
            for (size_t k = 0; k < kept.size(); ++k) ids[k] = sequences[static_cast<size_t>(kept[k])][t];
            kernel->stepBatch(ids, state, std::span(logits).first(kept.size() * 38));
        }
        // THEN each survivor's logits equal those of its sequence stepped alone
        for (size_t k = 0; k < kept.size(); ++k) {
            LstmState single = kernel->initialState();
            std::vector<float> alone(38);
            for (const int id : sequences[static_cast<size_t>(kept[k])]) kernel->step(id, single, alone);
            const std::vector<float> row(logits.begin() + static_cast<ptrdiff_t>(k * 38),
                                         logits.begin() + static_cast<ptrdiff_t>((k + 1) * 38));
            QCOMPARE(maxDifference(row, alone), 0.0);
        }
    }

    void threadsSteppingTheirOwnStatesAtOnceGetTheirOwnResults() {
        // GIVEN one kernel and the expected logits of three batches of 17 rows
        Result<LstmKernel> kernel = LstmKernel::create(randomLstmWeights(38, {256}, 4, 0.3f));
        QVERIFY(kernel.ok());
        std::vector<std::vector<std::vector<int>>> batches;
        std::vector<std::vector<float>> expected;
        for (uint32_t b = 0; b < 3; ++b) {
            batches.push_back(randomSequences(17, 30, 0, 38, 100 + b));
            expected.push_back(singleLogits(*kernel, batches.back()));
        }
        // WHEN three threads step them at once (one of them may have the helper thread)
        std::vector<std::vector<float>> actual(3);
        std::vector<std::thread> threads;
        for (size_t b = 0; b < 3; ++b) threads.emplace_back([&, b] { actual[b] = batchLogits(*kernel, batches[b]); });
        for (std::thread& thread : threads) thread.join();
        // THEN each gets exactly its own results
        for (size_t b = 0; b < 3; ++b) QCOMPARE(maxDifference(actual[b], expected[b]), 0.0);
    }

    void stackedLayersMatchAPlainDoubleReference() {
        // GIVEN 3 stacked LSTMs (sigmoid/tanh) with random weights
        const LstmModelWeights weights = randomLstmWeights(11, {9, 70, 6}, 2, 0.6f);
        Result<LstmKernel> kernel = LstmKernel::create(weights);
        QVERIFY(kernel.ok());
        const std::vector<int> window = {0, 3, 10, 7, 7, 2, 9, 1, 5, 4, 8, 6, 0, 10};
        // WHEN the window is predicted
        Result<std::vector<float>> p = kernel->probabilities(window);
        // THEN it matches the reference within fp32 rounding
        const std::vector<double> expected = referenceProbabilities(weights, window);
        QVERIFY(p.ok());
        double maxError = 0.0;
        for (size_t v = 0; v < expected.size(); ++v) maxError = std::max(maxError, std::abs((*p)[v] - expected[v]));
        QVERIFY2(maxError < 1e-6, qPrintable(QString::number(maxError)));
    }

    void badWindowsAndSizesAreErrors() {
        // GIVEN the tiny model
        Result<LstmKernel> kernel = LstmKernel::create(tinyWeights(LstmActivation::HardSigmoid));
        QVERIFY(kernel.ok());
        // WHEN a window is empty or names an unknown symbol THEN the error says so
        QVERIFY(!kernel->probabilities({}).ok());
        Result<std::vector<float>> outside = kernel->probabilities(std::vector<int>{0, 3});
        QVERIFY(!outside.ok());
        QVERIFY(outside.error().find("position 1") != std::string::npos);
        // WHEN a recurrent kernel has the wrong size THEN create refuses, naming the layer
        LstmModelWeights broken = tinyWeights(LstmActivation::Sigmoid);
        broken.layers[0].recurrentKernel.pop_back();
        Result<LstmKernel> refused = LstmKernel::create(broken);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().find("layer 0") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(LstmKernelTest)
#include "LstmKernelTest.moc"

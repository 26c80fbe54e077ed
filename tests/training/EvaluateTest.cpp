// SPDX-License-Identifier: GPL-3.0-or-later
// Model evaluation (training/data/Evaluate.h) against a direct computation with
// MelodyModel::predict on a tiny random LSTM, and the Kneser-Ney n-gram baseline
// (training/data/NgramModel.h) against probabilities worked out by hand.
#include "engine/keras/RandomLstmWeights.h"
#include "engine/model/LstmCheckpoint.h"
#include "training/data/Evaluate.h"

#include <QtTest>

#include <cmath>

using namespace melodist;
using training::EvaluationDataset;

namespace {

// Vocabulary order differs from the model's on purpose (symbols match by name), and
// "65" is a symbol the model lacks.
EvaluationDataset makeDataset(const std::vector<std::vector<std::string>>& songs) {
    EvaluationDataset dataset;
    auto vocabulary = engine::Vocabulary::fromJson(R"({"64": 0, "/": 1, "60": 2, "_": 3, "62": 4, "65": 5, "r": 6})", "test");
    if (!vocabulary) qFatal("%s", vocabulary.error().c_str());
    dataset.vocabulary = std::move(*vocabulary);
    dataset.data.vocabularySize = static_cast<uint32_t>(dataset.vocabulary.size());
    dataset.data.delimiterId = 1;
    for (const auto& song : songs) {
        std::vector<uint16_t> ids;
        for (const std::string& symbol : song) ids.push_back(static_cast<uint16_t>(*dataset.vocabulary.idOf(symbol)));
        dataset.data.appendSong(ids);
    }
    return dataset;
}

const std::vector<std::vector<std::string>> kSongs = {
    {"60", "_", "62", "64", "_", "r", "60"}, {"62", "65", "_", "60"}, {"64"}, {"60", "60", "_", "_", "62"}};

engine::MelodyModel makeModel(int defaultContext, int seedPadding) {
    const std::vector<std::string> symbols = {"/", "_", "r", "60", "62", "64"};
    engine::LstmModelWeights weights = engine::randomLstmWeights(static_cast<int>(symbols.size()), {8, 6}, /*seed=*/11, 0.9f);
    nlohmann::ordered_json metadata;
    metadata["context"] = {{"default", defaultContext}, {"seed_padding", seedPadding}, {"padding_symbol", "/"}};
    auto model = engine::MelodyModel::fromCheckpoint(
        engine::makeLstmCheckpoint(weights, engine::Vocabulary::fromSymbols(symbols), metadata), "tiny.melodist-model");
    if (!model) qFatal("%s", model.error().c_str());
    return std::move(*model);
}

struct Direct {
    double lossSum = 0.0;
    int64_t symbols = 0;
    int64_t correct = 0;
};

// The definition, one predict() call per symbol: padding, then the song's known symbols.
Direct directEvaluation(const engine::MelodyModel& model, int context, double floor) {
    Direct out;
    for (const auto& song : kSongs) {
        std::vector<int> history(static_cast<size_t>(model.seedPadding()), model.paddingId());
        for (const std::string& symbol : song) {
            ++out.symbols;
            const std::optional<int> id = model.vocabulary().idOf(symbol);
            if (!id) {
                out.lossSum -= std::log(floor);
                continue;
            }
            const auto predicted = model.predict(history, context);
            if (!predicted) qFatal("%s", predicted.error().c_str());
            const std::vector<float>& p = *predicted;
            out.lossSum -= std::log(static_cast<double>(p[static_cast<size_t>(*id)]));
            if (std::max_element(p.begin(), p.end()) - p.begin() == *id) ++out.correct;
            history.push_back(*id);
        }
    }
    return out;
}

// The toy corpus of the hand computations below: songs "a b" and "a a".
struct Toy {
    std::vector<std::vector<int>> songs = {{1, 2}, {1, 1}};  // "/" = 0, a = 1, b = 2
};

}  // namespace

class EvaluateTest : public QObject {
    Q_OBJECT

private slots:
    void windowedEvaluationEqualsPredictPerSymbol() {
        // GIVEN a tiny LSTM with 2 "/" of padding and songs whose vocabulary is ordered differently
        const engine::MelodyModel model = makeModel(/*defaultContext=*/3, /*seedPadding=*/2);
        const EvaluationDataset dataset = makeDataset(kSongs);
        // WHEN it is evaluated its default way (each symbol from the last 3), 2 rows at a time
        auto result = training::evaluateModel(model, dataset, {.batchRows = 2});
        // THEN loss and accuracy are those of predict() on each window
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        const Direct direct = directEvaluation(model, 3, 1e-6);
        QCOMPARE(result->context, 3);
        QCOMPARE(result->padding, 2);
        QCOMPARE(result->songs, int64_t{4});
        QCOMPARE(result->symbols, direct.symbols);
        QCOMPARE(result->correct, direct.correct);
        QVERIFY(std::abs(result->lossSumNats - direct.lossSum) < 1e-4 * direct.lossSum);
        QVERIFY(std::abs(result->perplexity() - std::exp(direct.lossSum / static_cast<double>(direct.symbols))) < 1e-3);
    }

    void incrementalEvaluationEqualsPredictOnTheWholeHistory() {
        // GIVEN songs of different lengths, so rows leave the batch as their songs end
        const engine::MelodyModel model = makeModel(/*defaultContext=*/0, /*seedPadding=*/2);
        const EvaluationDataset dataset = makeDataset(kSongs);
        // WHEN evaluated with the state carried (context 0)
        auto result = training::evaluateModel(model, dataset, {.context = 0, .batchRows = 3});
        // THEN it equals predict() over the whole padded history
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        const Direct direct = directEvaluation(model, 0, 1e-6);
        QCOMPARE(result->context, 0);
        QCOMPARE(result->symbols, direct.symbols);
        QCOMPARE(result->correct, direct.correct);
        QVERIFY(std::abs(result->lossSumNats - direct.lossSum) < 1e-4 * direct.lossSum);
        // and the decoder stepped each song's padding and known symbols once, but not the last
        QCOMPARE(result->decoderSteps, int64_t{(2 + 6) + (2 + 2) + (2 + 0) + (2 + 4)});
    }

    void aSymbolTheModelLacksIsAReportedMiss() {
        const engine::MelodyModel model = makeModel(3, 2);
        const EvaluationDataset dataset = makeDataset(kSongs);
        auto result = training::evaluateModel(model, dataset, {.probabilityFloor = 1e-3});
        QVERIFY(result.ok());
        QCOMPARE(result->missingTargets, int64_t{1});
        QCOMPARE(result->missingSymbols.size(), size_t{1});
        QCOMPARE(result->missingSymbols.at("65"), int64_t{1});
        const Direct direct = directEvaluation(model, 3, 1e-3);  // the miss costs -ln(1e-3)
        QVERIFY(std::abs(result->lossSumNats - direct.lossSum) < 1e-4 * direct.lossSum);
        const nlohmann::ordered_json json = result->toJson();
        QCOMPARE(json["missing_symbols"]["65"].get<int>(), 1);
        QCOMPARE(json["symbols"].get<int>(), 17);
    }

    void songEndsAreScoredOnlyWhenAsked() {
        const engine::MelodyModel model = makeModel(3, 2);
        const EvaluationDataset dataset = makeDataset(kSongs);
        auto without = training::evaluateModel(model, dataset, {});
        auto with = training::evaluateModel(model, dataset, {.songEndSymbols = 1});
        auto withPadding = training::evaluateModel(model, dataset, {.songEndSymbols = 2});
        QVERIFY(without.ok() && with.ok() && withPadding.ok());
        QCOMPARE(with->symbols, without->symbols + 4);  // one "/" per song
        QCOMPARE(withPadding->symbols, without->symbols + 4 * 2);
        QCOMPARE(with->missingTargets, without->missingTargets);
    }

    void kneserNeyBigramMatchesTheHandComputation() {
        // GIVEN songs "a b" and "a a" read as "/ a b /" and "/ a a /", discount 0.5.
        // Continuation counts: a 2 (after "/", "a"), b 1, "/" 2, of 5:
        //   P1(w) = (N(.w) - 0.5) / 5 + 0.5 * 3/5 * 1/3  ->  a 0.4, b 0.2, "/" 0.4
        // After "a" (a b, a a, a / once each): P2(b|a) = 0.5/3 + 0.5 * 3/3 * 0.2 = 4/15
        // After "/" (/ a twice): P2(a|/) = 1.5/2 + 0.5 * 1/2 * 0.4 = 0.85, P2(b|/) = 0.05
        auto model = training::NgramModel::train(Toy().songs, /*vocabularySize=*/3, /*paddingId=*/0, {.order = 2, .discount = 0.5});
        QVERIFY(model.ok());
        const std::vector<int> afterA = {1};
        const std::vector<int> start = {};
        QVERIFY(std::abs(model->probability(afterA, 2) - 4.0 / 15.0) < 1e-12);
        QVERIFY(std::abs(model->probability(afterA, 1) - 11.0 / 30.0) < 1e-12);
        QVERIFY(std::abs(model->probability(start, 1) - 0.85) < 1e-12);
        QVERIFY(std::abs(model->probability(start, 2) - 0.05) < 1e-12);
        QVERIFY(std::abs(model->probability(start, 0) - 0.10) < 1e-12);
    }

    void kneserNeyTrigramMatchesTheHandComputationAndSumsToOne() {
        // "/ / a b /", "/ / a a /". Bigram continuation counts are all 1, so after "/":
        //   P2(a|/) = 0.5 + 0.5 * 0.4 = 0.7;  after "a": as in the bigram case (4/15, 11/30, 11/30).
        // After "/ a" (a b, a a once each): P3(b|/ a) = 0.5/2 + 0.5 * 2/2 * 4/15 = 23/60,
        //   P3(a|/ a) = 0.25 + 0.5 * 11/30 = 26/60, P3(/|/ a) = 0.5 * 11/30 = 11/60.
        // At a song's start ("/ /", a twice): P3(a|/ /) = 1.5/2 + 0.5 * 1/2 * 0.7 = 0.925.
        auto model = training::NgramModel::train(Toy().songs, 3, 0, {.order = 3, .discount = 0.5});
        QVERIFY(model.ok());
        const std::vector<int> afterA = {1};
        QVERIFY(std::abs(model->probability(afterA, 2) - 23.0 / 60.0) < 1e-12);
        QVERIFY(std::abs(model->probability(afterA, 1) - 26.0 / 60.0) < 1e-12);
        QVERIFY(std::abs(model->probability(afterA, 0) - 11.0 / 60.0) < 1e-12);
        QVERIFY(std::abs(model->probability(std::vector<int>{}, 1) - 0.925) < 1e-12);
        // an unseen context ("b b") backs off to P2(.|b): "/" followed b once -> 0.5 + 0.5 * 0.4
        QVERIFY(std::abs(model->probability(std::vector<int>{2, 2}, 0) - 0.7) < 1e-12);
        // every distribution sums to 1 over the vocabulary, and nothing has probability 0
        for (const std::vector<int>& history : std::vector<std::vector<int>>{{}, {1}, {1, 2}, {2, 2}, {0, 2}, {2, 1, 1}}) {
            const std::vector<double> p = model->distribution(history);
            double sum = 0.0;
            for (double x : p) {
                QVERIFY(x > 0.0);
                sum += x;
            }
            QVERIFY2(std::abs(sum - 1.0) < 1e-12, qPrintable(QString::number(sum, 'g', 17)));
        }
    }

    void estimatedDiscountsFollowCountsOfOnesAndTwos() {
        // Bigram counts 2,1,1,1,1: n1 = 4, n2 = 1 -> 4/6. Unigram continuation counts 2,1,2: n1 = 1, n2 = 2 -> 1/5.
        auto model = training::NgramModel::train(Toy().songs, 3, 0, {.order = 2});
        QVERIFY(model.ok());
        QVERIFY(std::abs(model->discount(2) - 4.0 / 6.0) < 1e-12);
        QVERIFY(std::abs(model->discount(1) - 0.2) < 1e-12);
    }

    void ngramEvaluationScoresEachSymbolWithItsProbability() {
        // GIVEN the trigram above, trained from a dataset folder's songs "a b" and "a a"
        EvaluationDataset train;
        train.vocabulary = *engine::Vocabulary::fromJson(R"({"/": 0, "a": 1, "b": 2})", "train");
        train.data.vocabularySize = 3;
        train.data.appendSong({1, 2});
        train.data.appendSong({1, 1});
        // the evaluation set names the same symbols in another order, plus "c" the model lacks
        EvaluationDataset eval;
        eval.vocabulary = *engine::Vocabulary::fromJson(R"({"b": 0, "a": 1, "c": 2, "/": 3})", "eval");
        eval.data.vocabularySize = 4;
        eval.data.appendSong({1, 0, 2});  // a b c
        // WHEN evaluated with discount 0.5
        auto model = training::trainNgramModel(train, {.order = 3, .discount = 0.5});
        QVERIFY(model.ok());
        auto result = training::evaluateNgram(*model, train.vocabulary, eval, {.probabilityFloor = 1e-4});
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        // THEN a scores 0.925 (hit), b 23/60 (a was likelier: miss), c the floor (miss)
        QCOMPARE(result->symbols, int64_t{3});
        QCOMPARE(result->correct, int64_t{1});
        QCOMPARE(result->missingSymbols.at("c"), int64_t{1});
        const double expected = -(std::log(0.925) + std::log(23.0 / 60.0) + std::log(1e-4));
        QVERIFY(std::abs(result->lossSumNats - expected) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(EvaluateTest)
#include "EvaluateTest.moc"

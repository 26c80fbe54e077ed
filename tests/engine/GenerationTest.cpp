// SPDX-License-Identifier: GPL-3.0-or-later
// Melody generation through the model's SequenceDecoder (here the fp32 kernel's):
// reproducible sampling, greedy paths checked against predictions, top-k / top-p limits,
// finished candidates leaving the batch, the decoder itself, and decoding any sample.
// A small random-weight model built here (no shared files needed).
#include "engine/generation/KernelDecoder.h"
#include "engine/generation/MelodyGenerator.h"
#include "engine/generation/Sampler.h"
#include "engine/keras/RandomLstmWeights.h"
#include "engine/model/LstmCheckpoint.h"
#include "engine/music/StepEncoding.h"

#include <QtTest/QtTest>

#include <limits>
#include <random>
#include <set>

using namespace melodist::engine;

namespace {

const std::vector<std::string> kSymbols = {"/", "_", "r", "60", "62", "64", "65", "67", "69"};

MelodyModel randomModel(int context, unsigned seed = 5) {
    const int vocabulary = static_cast<int>(kSymbols.size()), units = 24;
    LstmModelWeights w = randomLstmWeights(vocabulary, {units}, seed, 0.8f);
    for (float& x : w.denseKernel) x *= 4.0f;  // peaked predictions, like a trained model's
    w.denseBias[0] = -4.0f;  // "/" rare, so melodies run long enough to compare
    nlohmann::ordered_json metadata = {{"context", {{"default", context}, {"seed_padding", 8}, {"padding_symbol", "/"}}}};
    Result<MelodyModel> model = MelodyModel::fromCheckpoint(
        makeLstmCheckpoint(w, Vocabulary::fromSymbols(kSymbols), std::move(metadata)), "random.melodist-model");
    if (!model) qFatal("%s", model.error().c_str());
    return std::move(*model);
}

const std::vector<std::string> kSeed = splitSymbols("67 _ 67 _ 65 64 _");

GeneratedMelodies generate(const MelodyModel& model, GenerationOptions options) {
    Result<GeneratedMelodies> out = generateMelodies(model, kSeed, options);
    if (!out) qFatal("%s", out.error().c_str());
    return std::move(*out);
}

// The ids the model saw before predicting step t: padding, the seed, the melody so far.
std::vector<int> historyIds(const MelodyModel& model, const std::vector<std::string>& melody, size_t generated) {
    std::vector<int> ids(static_cast<size_t>(model.seedPadding()), model.paddingId());
    for (size_t i = 0; i < kSeed.size() + generated; ++i) ids.push_back(*model.vocabulary().idOf(melody[i]));
    return ids;
}

}  // namespace

class GenerationTest : public QObject {
    Q_OBJECT

private slots:
    void theSameRngSeedGivesTheSameMelodiesAndAnotherSeedOthers() {
        // GIVEN a model and sampling at temperature 1
        const MelodyModel model = randomModel(/*context=*/0);
        GenerationOptions options{.steps = 200, .sampling = {.temperature = 1.0f}, .candidates = 3, .rngSeed = 11};
        // WHEN it generates twice with one seed and once with another
        const GeneratedMelodies a = generate(model, options), b = generate(model, options);
        options.rngSeed = 12;
        const GeneratedMelodies c = generate(model, options);
        // THEN the first two are identical, the third differs, and each starts with the seed
        QCOMPARE(a.melodies, b.melodies);
        QVERIFY(a.melodies != c.melodies);
        QVERIFY(a.melodies[0] != a.melodies[1]);  // candidates draw from their own streams
        for (const auto& melody : a.melodies)
            QVERIFY(std::equal(kSeed.begin(), kSeed.end(), melody.begin()));
        // AND candidate 1 does not depend on how many candidates run beside it
        options.rngSeed = 11;
        options.candidates = 1;
        QCOMPARE(generate(model, options).melodies[0], a.melodies[0]);
    }

    void nearZeroTemperatureFollowsTheArgmaxOfProbabilities() {
        for (const int context : {0, 16}) {
            // GIVEN a model whose context is `context` (0: incremental state)
            const MelodyModel model = randomModel(context);
            // WHEN it samples at temperature 0.01
            const GeneratedMelodies out = generate(model, {.steps = 60, .sampling = {.temperature = 0.01f}});
            const std::vector<std::string>& melody = out.melodies[0];
            QVERIFY(melody.size() > kSeed.size() + 10);
            // THEN every symbol is the most likely one of the kernel's own prediction of that window
            for (size_t t = 0; kSeed.size() + t < melody.size(); ++t) {
                const std::vector<int> ids = historyIds(model, melody, t);
                Result<std::vector<float>> p = model.predict(ids, context);
                QVERIFY(p.ok());
                const int best = Sampler::argmax(*p);
                QVERIFY2(melody[kSeed.size() + t] == kSymbols[static_cast<size_t>(best)],
                         qPrintable(QStringLiteral("context %1 step %2: sampled %3, argmax %4 (p %5, p of sampled %6)")
                                        .arg(context).arg(t).arg(QString::fromStdString(melody[kSeed.size() + t]))
                                        .arg(QString::fromStdString(kSymbols[static_cast<size_t>(best)]))
                                        .arg((*p)[static_cast<size_t>(best)])
                                        .arg((*p)[static_cast<size_t>(*model.vocabulary().idOf(melody[kSeed.size() + t]))])));
            }
        }
    }

    void topK1EqualsGreedy() {
        // GIVEN one model WHEN it generates with top-k 1 (temperature 1.5) and with temperature 0
        const MelodyModel model = randomModel(/*context=*/12);
        const GeneratedMelodies topK = generate(model, {.steps = 80, .sampling = {.temperature = 1.5f, .topK = 1}, .rngSeed = 3});
        const GeneratedMelodies greedy = generate(model, {.steps = 80, .sampling = {.temperature = 0.0f}, .rngSeed = 99});
        // THEN both follow the same path
        QCOMPARE(topK.melodies, greedy.melodies);
    }

    void topKAndTopPOnlyPickAmongTheMostLikely() {
        // GIVEN logits with a clear order (ids 3 > 1 > 0 > 2)
        const std::vector<float> logits = {1.0f, 2.0f, 0.5f, 3.0f};
        Sampler topK({.temperature = 1.0f, .topK = 2}, 1, 0);
        Sampler topP({.temperature = 1.0f, .topP = 0.5f}, 1, 0);
        Sampler all({.temperature = 1.0f}, 1, 0);
        std::set<int> fromTopK, fromTopP, fromAll;
        // WHEN each draws many times
        for (int i = 0; i < 2000; ++i) {
            fromTopK.insert(topK.sample(logits));
            fromTopP.insert(topP.sample(logits));
            fromAll.insert(all.sample(logits));
        }
        // THEN top-2 gives ids 3 and 1, top-p 0.5 only id 3 (its mass is 0.63), no limit all four
        QCOMPARE(fromTopK, (std::set<int>{1, 3}));
        QCOMPARE(fromTopP, (std::set<int>{3}));
        QCOMPARE(fromAll, (std::set<int>{0, 1, 2, 3}));
    }

    void candidatesStopAtTheDelimiterAndEveryOneDecodes() {
        // GIVEN many candidates at a high temperature (so "/" and odd sequences are sampled)
        const MelodyModel model = randomModel(/*context=*/0);
        const GeneratedMelodies out = generate(model, {.steps = 300, .sampling = {.temperature = 3.0f}, .candidates = 32});
        int stopped = 0;
        for (const auto& melody : out.melodies) {
            // THEN no melody holds "/", a stopped one is shorter, and each decodes
            QVERIFY(std::find(melody.begin(), melody.end(), "/") == melody.end());
            stopped += melody.size() < kSeed.size() + 300 ? 1 : 0;
            Result<Part> part = decodeGeneratedMelody(melody);
            QVERIFY2(part.ok(), part ? "" : part.error().c_str());
            QVERIFY(!part->notes.empty());
        }
        QVERIFY(stopped > 0);
        // AND symbols decodeSteps refuses are skipped, a hold after nothing is a rest
        Result<Part> odd = decodeGeneratedMelody(splitSymbols("_ _ 60 x9 _ 300 62"));
        QVERIFY(odd.ok());
        QCOMPARE(odd->notes.size(), size_t{2});
        QCOMPARE(odd->notes[0].duration, Rational(1, 2));
    }

    void unknownSeedSymbolsAreNamed() {
        // GIVEN a seed with a pitch outside the vocabulary WHEN generating THEN the error names it
        const MelodyModel model = randomModel(0);
        const std::vector<std::string> seed = splitSymbols("60 _ 61");
        Result<GeneratedMelodies> out = generateMelodies(model, seed, {});
        QVERIFY(!out.ok());
        QVERIFY2(out.error().find("'61'") != std::string::npos, out.error().c_str());
    }

    void eachCandidateEqualsItsOwnSingleSequenceRun() {
        for (const int context : {0, 10}) {
            // GIVEN many candidates at a high temperature, so some finish ("/") long before others
            const MelodyModel model = randomModel(context);
            const GenerationOptions options{.steps = 150, .sampling = {.temperature = 2.5f}, .candidates = 12, .rngSeed = 4};
            const GeneratedMelodies batch = generate(model, options);
            QCOMPARE(batch.context, context);
            std::set<size_t> lengths;
            // WHEN each candidate is re-run alone, step by step on the kernel, with its own (seed, stream) sampler
            for (size_t c = 0; c < batch.melodies.size(); ++c) {
                const LstmKernel& kernel = *model.kernel();
                Sampler sampler(options.sampling, options.rngSeed, c);
                std::vector<int> history = historyIds(model, batch.melodies[c], 0);
                std::vector<std::string> melody = kSeed;
                std::vector<float> logits(kSymbols.size());
                LstmState state = kernel.initialState(1);
                for (const int id : history) kernel.step(id, state, logits);
                for (int step = 0; step < options.steps; ++step) {
                    if (context > 0) {
                        state = kernel.initialState(1);
                        const size_t from = history.size() - std::min(history.size(), static_cast<size_t>(context));
                        for (size_t t = from; t < history.size(); ++t) kernel.step(history[t], state, logits);
                    }
                    const int next = sampler.sample(logits);
                    if (next == 0) break;  // "/"
                    history.push_back(next);
                    melody.push_back(kSymbols[static_cast<size_t>(next)]);
                    if (context == 0) kernel.step(next, state, logits);
                }
                // THEN the batch (where finished candidates left) produced exactly that melody
                QCOMPARE(batch.melodies[c], melody);
                lengths.insert(melody.size());
            }
            QVERIFY2(lengths.size() > 3, "candidates should finish at different steps for this test to mean something");
            // AND incremental work shrank with the batch: fewer decoder rows than candidates x all steps
            if (context == 0) QVERIFY(batch.decoderSteps < static_cast<int64_t>(options.candidates) * (options.steps + 8 + 7));
        }
    }

    void kernelDecoderKeepsTheStatesOfTheRowsItKeeps() {
        // GIVEN a decoder stepping three different sequences
        const MelodyModel model = randomModel(0);
        Result<std::unique_ptr<SequenceDecoder>> decoder = model.makeDecoder(DeviceChoice::Cpu, 0);
        QVERIFY(decoder.ok());
        QVERIFY((*decoder)->device().starts_with("cpu (fp32 kernel, "));
        const size_t v = kSymbols.size();
        std::vector<float> logits(3 * v), alone(v);
        (*decoder)->reset(3);
        QCOMPARE((*decoder)->rows(), 3);
        (*decoder)->step(std::vector<int>{3, 4, 5}, logits);
        (*decoder)->step(std::vector<int>{1, 6, 7}, logits);
        // WHEN row 1 leaves and the others step on
        (*decoder)->keepRows(std::vector<int>{0, 2});
        QCOMPARE((*decoder)->rows(), 2);
        (*decoder)->step(std::vector<int>{8, 2}, logits);
        // THEN each kept row's logits equal that sequence run alone
        const std::vector<std::vector<int>> sequences = {{3, 1, 8}, {5, 7, 2}};
        for (size_t r = 0; r < 2; ++r) {
            KernelDecoder single(std::make_shared<const LstmKernel>(*model.kernel()));
            single.reset(1);
            for (const int id : sequences[r]) single.step(std::span<const int>(&id, 1), alone);
            QCOMPARE(std::vector<float>(logits.begin() + static_cast<ptrdiff_t>(r * v), logits.begin() + static_cast<ptrdiff_t>((r + 1) * v)),
                     alone);
        }
    }

    void predictGoesThroughTheDecoderAndCudaIsRefusedClearly() {
        // GIVEN a model on the CPU kernel
        const MelodyModel model = randomModel(0);
        const std::vector<int> window = {0, 0, 7, 1, 5};
        // WHEN it predicts THEN it equals the kernel's own probabilities, bit for bit
        Result<std::vector<float>> viaDecoder = model.predict(window, 0);
        Result<std::vector<float>> direct = model.kernel()->probabilities(window);
        QVERIFY(viaDecoder.ok() && direct.ok());
        QCOMPARE(*viaDecoder, *direct);
        // AND an empty window, an id out of range and CUDA (the model was loaded for the CPU) are errors that say so
        QVERIFY(!model.predict(std::vector<int>{}, 0).ok());
        QVERIFY(model.predict(std::vector<int>{99}, 0).error().find("99") != std::string::npos);
        Result<std::unique_ptr<SequenceDecoder>> cuda = model.makeDecoder(DeviceChoice::Cuda, 0);
        QVERIFY(!cuda.ok());
        QVERIFY2(cuda.error().find("CUDA was asked for") != std::string::npos, cuda.error().c_str());
        Result<GeneratedMelodies> generated = generateMelodies(model, kSeed, {.steps = 4, .device = DeviceChoice::Cuda});
        QVERIFY(!generated.ok() && generated.error().find("CUDA") != std::string::npos);
    }

    void samplerNeverDrawsAMaskedSymbol() {
        // GIVEN logits where two symbols are masked (-inf)
        const float inf = std::numeric_limits<float>::infinity();
        const std::vector<float> masked = {-inf, 0.5f, -inf, 0.2f, 0.0f};
        for (const SamplingOptions options : {SamplingOptions{.temperature = 1.0f}, SamplingOptions{.temperature = 0.0f},
                                              SamplingOptions{.temperature = 0.05f, .topK = 4}, SamplingOptions{.temperature = 3.0f, .topP = 0.99f}}) {
            Sampler sampler(options, 9, 0);
            // WHEN it draws many times THEN never a masked id
            for (int i = 0; i < 500; ++i) {
                const int id = sampler.sample(masked);
                QVERIFY(id == 1 || id == 3 || id == 4);
            }
        }
    }
};

QTEST_GUILESS_MAIN(GenerationTest)
#include "GenerationTest.moc"

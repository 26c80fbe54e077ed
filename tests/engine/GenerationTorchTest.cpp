// SPDX-License-Identifier: GPL-3.0-or-later
// The generation engine over LibTorch nets (engine/nn's ModelBackend): every
// architecture generates, regenerates a region and predicts through the same
// MelodyGenerator code, reproducibly by rng seed, with finished candidates leaving the
// batch and constraints honoured; a torch-layout LSTM runs on the fp32 kernel; and the
// light `melodist` hands a GRU model's generate / predict / regenerate to melodist-ml.
// Tiny untrained nets built here.
#include "engine/generation/MelodyGenerator.h"
#include "engine/generation/RegionRegenerator.h"
#include "engine/io/MidiFile.h"
#include "engine/model/Checkpoint.h"
#include "engine/music/StepEncoding.h"
#include "engine/nn/SequenceNet.h"
#include "engine/nn/TorchBackend.h"
#include "tests/common/TestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <numeric>

using namespace melodist::engine;
using melodist::test::ProcessRun;
using melodist::test::runMelodist;

namespace {

Vocabulary stepsVocabulary() {
    std::vector<std::string> symbols = {"/", "_", "r"};
    for (int pitch = 55; pitch <= 79; ++pitch) symbols.push_back(std::to_string(pitch));
    return Vocabulary::fromSymbols(symbols);
}

Checkpoint netCheckpoint(const std::string& type, uint64_t seed = 3) {
    torch::manual_seed(seed);
    const Vocabulary vocabulary = stepsVocabulary();
    nn::NetConfig config{.type = type, .vocabularySize = static_cast<int>(vocabulary.size()), .layers = 1, .units = 24, .embed = 8,
                         .heads = 2, .latent = 4, .phraseLength = 16};
    std::shared_ptr<nn::SequenceNet> net = nn::makeSequenceNet(config);
    if (!net) qFatal("no %s net", type.c_str());
    net->eval();
    return nn::netToCheckpoint(*net, {{"vocabulary", vocabulary.symbols()},
                                      {"encoding", {{"type", "steps"}, {"time_step", "1/4"}, {"transposition", "none"}}},
                                      {"context", {{"default", 0}, {"seed_padding", 4}, {"padding_symbol", "/"}}}});
}

MelodyModel modelOf(const Checkpoint& checkpoint) {
    Result<MelodyModel> model = MelodyModel::fromCheckpoint(checkpoint, "net.melodist-model");
    if (!model) qFatal("%s", model.error().c_str());
    return std::move(*model);
}

const std::vector<std::string> kSeed = splitSymbols("60 _ 62 _ 64 _ _ _ 67 _");

}  // namespace

class GenerationTorchTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        torch::set_num_threads(1);
        nn::registerTorchBackend();
        QVERIFY(m_dir.isValid());
    }

    void everyArchitectureGeneratesThroughTheSameGenerator() {
        for (const std::string type : {"gru", "lstm-attn", "transformer", "vae"}) {
            // GIVEN a net of that architecture loaded as a MelodyModel (the backend runs it)
            const MelodyModel model = modelOf(netCheckpoint(type));
            QCOMPARE(model.architecture(), type);
            QVERIFY(model.kernel() == nullptr);
            // WHEN it generates hot, 6 candidates at once, twice with one seed
            const GenerationOptions options{.steps = 60, .sampling = {.temperature = 1.5f}, .candidates = 6, .context = 0, .rngSeed = 7};
            Result<GeneratedMelodies> a = generateMelodies(model, kSeed, options), b = generateMelodies(model, kSeed, options);
            QVERIFY2(a.ok(), a ? "" : a.error().c_str());
            // THEN the same seed gives the same melodies, each starting with the seed and decoding
            QCOMPARE(a->melodies, b->melodies);
            QVERIFY2(a->device.starts_with("cpu (LibTorch"), a->device.c_str());
            for (const auto& melody : a->melodies) {
                QVERIFY(std::equal(kSeed.begin(), kSeed.end(), melody.begin()));
                QVERIFY(decodeGeneratedMelody(melody).ok());
            }
            // AND a windowed context and constraints work on it too
            GenerationOptions constrained = options;
            constrained.context = 8;
            constrained.constraints.range = PitchRange{60, 67};
            Result<GeneratedMelodies> c = generateMelodies(model, kSeed, constrained);
            QVERIFY2(c.ok(), c ? "" : c.error().c_str());
            for (const auto& melody : c->melodies)
                for (size_t i = kSeed.size(); i < melody.size(); ++i)
                    if (std::isdigit(static_cast<unsigned char>(melody[i][0]))) QVERIFY(std::stoi(melody[i]) >= 60 && std::stoi(melody[i]) <= 67);
            // AND predictions are a distribution, a region regenerates
            Result<std::vector<float>> p = model.predict(std::vector<int>{0, 0, 10, 1}, 0);
            QVERIFY(p.ok());
            QVERIFY(std::abs(std::accumulate(p->begin(), p->end(), 0.0) - 1.0) < 1e-4);
            Result<RegeneratedRegion> region = regenerateRegion(model, kSeed, splitSymbols("65 _ 64 _ 62 _"), 8, {.candidates = 3});
            QVERIFY2(region.ok(), region ? "" : region.error().c_str());
            QCOMPARE(region->fills.front().symbols.size(), size_t{8});
        }
    }

    void finishedCandidatesLeavingTheBatchChangeNothing() {
        // GIVEN a GRU and many hot candidates, so some end ("/") early
        const MelodyModel model = modelOf(netCheckpoint("gru", 5));
        const GenerationOptions options{.steps = 80, .sampling = {.temperature = 2.0f}, .candidates = 8, .context = 0, .rngSeed = 2};
        Result<GeneratedMelodies> batch = generateMelodies(model, kSeed, options);
        QVERIFY(batch.ok());
        // WHEN each candidate is run alone on a one-row decoder with its own (seed, stream) sampler
        // THEN it samples exactly the melody it got in the batch, where finished rows left with keepRows
        std::set<size_t> lengths;
        for (size_t c = 0; c < batch->melodies.size(); ++c) {
            const std::vector<std::string>& melody = batch->melodies[c];
            lengths.insert(melody.size());
            Result<std::unique_ptr<SequenceDecoder>> decoder = model.makeDecoder(DeviceChoice::Cpu, options.rngSeed);
            QVERIFY(decoder.ok());
            Sampler sampler(options.sampling, options.rngSeed, c);
            std::vector<int> history(4, 0);
            for (const std::string& s : kSeed) history.push_back(*model.vocabulary().idOf(s));
            std::vector<float> logits(model.vocabulary().size());
            (*decoder)->reset(1);
            for (const int id : history) (*decoder)->step(std::span<const int>(&id, 1), logits);
            std::vector<std::string> replay = kSeed;
            for (int step = 0; step < options.steps; ++step) {
                const int next = sampler.sample(logits);
                if (next == 0) break;
                replay.emplace_back(*model.vocabulary().symbolOf(next));
                (*decoder)->step(std::span<const int>(&next, 1), logits);
            }
            QCOMPARE(replay, melody);
        }
        QVERIFY2(lengths.size() > 2, "candidates should end at different steps for this test to mean something");
    }

    void aTorchLayoutLstmRunsOnTheKernel() {
        // GIVEN an LSTM trained by Melodist (LibTorch's layout) WHEN loaded for auto THEN the fp32 kernel runs it
        const Checkpoint checkpoint = netCheckpoint("lstm");
        const MelodyModel model = modelOf(checkpoint);
        QVERIFY(model.kernel() != nullptr);
        Result<GeneratedMelodies> out = generateMelodies(model, kSeed, {.steps = 20});
        QVERIFY(out.ok());
        QVERIFY2(out->device.starts_with("cpu (fp32 kernel"), out->device.c_str());
        // AND its predictions equal LibTorch's own decoder's
        const std::unique_ptr<SequenceDecoder> torchDecoder = std::move(*(*nn::loadTorchBackend(checkpoint, "lstm"))->makeDecoder(DeviceChoice::Cpu, 0));
        const std::vector<int> window = {0, 0, 8, 1, 10, 1};
        std::vector<float> logits(model.vocabulary().size());
        torchDecoder->reset(1);
        for (const int id : window) torchDecoder->step(std::span<const int>(&id, 1), logits);
        LstmKernel::softmax(logits);
        const std::vector<float> kernel = *model.predict(window, 0);
        for (size_t i = 0; i < logits.size(); ++i) QVERIFY(std::abs(logits[i] - kernel[i]) < 1e-5);
    }

    void theLightMelodistHandsAGruModelToMelodistMl() {
        // GIVEN a GRU model file
        const QString path = m_dir.filePath(QStringLiteral("gru.melodist-model"));
        QVERIFY(saveCheckpoint(netCheckpoint("gru"), path.toStdString()).ok());
        QVERIFY(*MelodyModel::needsLibTorch(path.toStdString(), DeviceChoice::Auto));
        // WHEN `melodist generate` runs on it THEN melodist-ml generates (LibTorch device in the stats)
        const QString midi = m_dir.filePath(QStringLiteral("gru.mid"));
        ProcessRun run = runMelodist({QStringLiteral("generate"), QStringLiteral("--model"), path, QStringLiteral("--seed"),
                                      QString::fromStdString(joinSymbols(kSeed)), QStringLiteral("--steps"), QStringLiteral("40"),
                                      QStringLiteral("--out"), midi, QStringLiteral("--stats"), QStringLiteral("--text")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject stats = QJsonDocument::fromJson(run.err.trimmed().split(QLatin1Char('\n')).back().toUtf8()).object();
        QVERIFY2(stats.value(QStringLiteral("device")).toString().startsWith(QStringLiteral("cpu (LibTorch")), qPrintable(run.err));
        QCOMPARE(stats.value(QStringLiteral("architecture")).toString(), QStringLiteral("gru"));
        QVERIFY(readMidiFile(midi.toStdString()).ok());
        QVERIFY(run.out.startsWith(QString::fromStdString(joinSymbols(kSeed))));
        // AND predict and regenerate too
        run = runMelodist({QStringLiteral("predict"), QStringLiteral("--model"), path, QStringLiteral("--window"), QStringLiteral("60 _ 62")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(QJsonDocument::fromJson(run.out.toUtf8()).object().size(), static_cast<int>(stepsVocabulary().size()));
        run = runMelodist({QStringLiteral("regenerate"), QStringLiteral("--model"), path, QStringLiteral("--symbols"),
                           QStringLiteral("60 _ 62 _ 64 _ 65 _ 67 _ _ _"), QStringLiteral("--from-step"), QStringLiteral("4"),
                           QStringLiteral("--to-step"), QStringLiteral("8"), QStringLiteral("--candidates"), QStringLiteral("3"),
                           QStringLiteral("--out"), m_dir.filePath(QStringLiteral("r.mid"))});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(GenerationTorchTest)
#include "GenerationTorchTest.moc"

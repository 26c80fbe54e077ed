// SPDX-License-Identifier: GPL-3.0-or-later
// The LibTorch ModelBackend (engine/nn/TorchBackend.h): its decoders step exactly as the
// net does (also after keepRows, and for a Keras-layout LSTM as the fp32 kernel does),
// the device choice and its errors, the VAE's seeded latents, phrase sampling and
// interpolation, and `melodist sample-phrases` / `interpolate` run as processes through
// the light `melodist` (which hands them to melodist-ml). Tiny models on tests/data.
#include "engine/io/MidiFile.h"
#include "engine/io/ScoreFile.h"
#include "engine/keras/RandomLstmWeights.h"
#include "engine/model/LstmCheckpoint.h"
#include "engine/model/ModelBackend.h"
#include "engine/nn/SequenceNet.h"
#include "engine/nn/TorchBackend.h"
#include "engine/nn/Vae.h"
#include "engine/nn/VaePhrases.h"
#include "tests/common/TestSupport.h"
#include "tests/engine/NetTestCorpus.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace melodist::engine;
using namespace melodist::engine::nn;
using melodist::test::ProcessRun;
using melodist::test::runMelodist;

namespace {

NetConfig tinyConfig(const std::string& type, int vocabularySize) {
    return {.type = type,
            .vocabularySize = vocabularySize,
            .layers = 2,
            .units = 32,
            .embed = 12,
            .heads = 4,
            .latent = 8,
            .phraseLength = 24};
}

std::shared_ptr<SequenceNet> makeNet(const NetConfig& config, uint64_t seed = 1) {
    torch::manual_seed(seed);
    std::shared_ptr<SequenceNet> net = makeSequenceNet(config);
    if (!net) qFatal("no net");
    net->eval();
    return net;
}

nlohmann::ordered_json metadataFor(const Vocabulary& vocabulary) {
    return {{"vocabulary", vocabulary.symbols()},
            {"encoding", {{"type", "steps"}, {"time_step", "1/4"}, {"transposition", "none"}}},
            {"context", {{"default", 24}, {"seed_padding", 8}, {"padding_symbol", "/"}}}};
}

// A few Adam steps on windows of the corpus, so that the net's predictions look like music.
void trainBriefly(SequenceNet& net, const std::vector<int64_t>& ids, int64_t length, int steps) {
    std::vector<torch::Tensor> rows;
    for (int64_t start = 0; start + length + 1 <= static_cast<int64_t>(ids.size()) && rows.size() < 12; start += length)
        rows.push_back(torch::tensor(std::vector<int64_t>(ids.begin() + start, ids.begin() + start + length + 1)));
    const torch::Tensor batch = torch::stack(rows);
    torch::optim::Adam optimizer(net.parameters(), torch::optim::AdamOptions(1e-2));
    net.train();
    for (int s = 0; s < steps; ++s) {
        optimizer.zero_grad();
        net.trainingLoss(batch.slice(1, 0, length), batch.slice(1, 1, length + 1), {}, -100).loss.backward();
        optimizer.step();
    }
    net.eval();
}

std::unique_ptr<SequenceDecoder> decoderFor(const Checkpoint& checkpoint, DeviceChoice device, uint64_t rngSeed) {
    Result<std::shared_ptr<const ModelBackend>> backend = torchBackendLoader()(checkpoint, "test.melodist-model");
    if (!backend) qFatal("%s", backend.error().c_str());
    Result<std::unique_ptr<SequenceDecoder>> decoder = (*backend)->makeDecoder(device, rngSeed);
    if (!decoder) qFatal("%s", decoder.error().c_str());
    return std::move(*decoder);
}

std::vector<float> stepDecoder(SequenceDecoder& decoder, const std::vector<int>& ids) {
    std::vector<float> logits(ids.size() * static_cast<size_t>(decoder.vocabularySize()));
    decoder.step(ids, logits);
    return logits;
}

double maxAbsDifference(const std::vector<float>& a, const torch::Tensor& b) {
    const torch::Tensor expected = b.contiguous();
    double worst = a.size() == static_cast<size_t>(expected.numel()) ? 0.0 : 1e9;
    for (size_t i = 0; i < a.size() && i < static_cast<size_t>(expected.numel()); ++i)
        worst = std::max(worst, std::abs(static_cast<double>(a[i]) - expected.data_ptr<float>()[i]));
    return worst;
}

}  // namespace

class TorchBackendTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        torch::set_num_threads(1);
        registerTorchBackend();
        QVERIFY(torchBackendLoader() == &loadTorchBackend);
        m_corpus = melodist::test::loadNetTestCorpus();
    }

    void decoderLogitsEqualTheNetsStepsAlsoAfterKeepRows() {
        torch::NoGradGuard noGrad;
        const int v = static_cast<int>(m_corpus.vocabulary.size());
        for (const std::string type : {"gru", "lstm-attn", "transformer", "vae"}) {
            // GIVEN a net and the decoder the backend makes from its checkpoint
            const std::shared_ptr<SequenceNet> net = makeNet(tinyConfig(type, v), 2);
            const std::unique_ptr<SequenceDecoder> decoder =
                decoderFor(netToCheckpoint(*net, metadataFor(m_corpus.vocabulary)), DeviceChoice::Cpu, /*rngSeed=*/5);
            QCOMPARE(decoder->vocabularySize(), v);
            QCOMPARE(QString::fromStdString(decoder->device()), QStringLiteral("cpu (LibTorch, 1 thread)"));
            // WHEN three rows step through corpus symbols, then rows 0 and 2 go on alone
            decoder->reset(3);
            QCOMPARE(decoder->rows(), 3);
            auto* vae = dynamic_cast<VaeNet*>(net.get());
            NetState state =
                vae ? vae->initialStateFromLatent(vae->priorLatents(3, 5)) : net->initialState(3, torch::kCPU);
            double worst = 0.0;
            for (size_t t = 0; t < 12; ++t) {
                std::vector<int> ids;
                for (size_t r = 0; r < (t < 6 ? 3u : 2u); ++r)
                    ids.push_back(static_cast<int>(m_corpus.ids[10 * r + t]));
                if (t == 6) {
                    decoder->keepRows(std::vector<int>{0, 2});
                    state = net->selectRows(state, torch::tensor(std::vector<int64_t>{0, 2}));
                    for (size_t r = 0; r < 2; ++r) ids[r] = static_cast<int>(m_corpus.ids[10 * (r * 2) + t]);
                }
                const std::vector<float> logits = stepDecoder(*decoder, ids);
                auto [expected, next] =
                    net->step(torch::tensor(std::vector<int64_t>(ids.begin(), ids.end())), std::move(state));
                state = std::move(next);
                worst = std::max(worst, maxAbsDifference(logits, expected));
            }
            // THEN the logits are the net's
            QCOMPARE(decoder->rows(), 2);
            QVERIFY2(worst <= 1e-5, (type + ": differs by " + std::to_string(worst)).c_str());
        }
    }

    void vaeLatentsFollowTheRngSeed() {
        torch::NoGradGuard noGrad;
        const std::shared_ptr<SequenceNet> net =
            makeNet(tinyConfig("vae", static_cast<int>(m_corpus.vocabulary.size())));
        const Checkpoint checkpoint = netToCheckpoint(*net, metadataFor(m_corpus.vocabulary));
        const auto firstLogits = [&](uint64_t rngSeed, int rows) {
            const std::unique_ptr<SequenceDecoder> decoder = decoderFor(checkpoint, DeviceChoice::Cpu, rngSeed);
            decoder->reset(rows);
            std::vector<float> logits = stepDecoder(*decoder, std::vector<int>(static_cast<size_t>(rows), 0));
            logits.resize(static_cast<size_t>(decoder->vocabularySize()));  // row 0
            return logits;
        };
        // GIVEN/WHEN decoders made with seeds 5, 5 and 6 (and 5 with another row count)
        // THEN the same seed draws the same latent for row 0, another seed another
        // (another batch size may round differently in the matrix products, nothing more)
        const auto difference = [](const std::vector<float>& x, const std::vector<float>& y) {
            double worst = 0.0;
            for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(x[i] - y[i])));
            return worst;
        };
        QVERIFY(firstLogits(5, 2) == firstLogits(5, 2));
        QVERIFY(difference(firstLogits(5, 2), firstLogits(5, 4)) <= 1e-5);
        QVERIFY(difference(firstLogits(5, 2), firstLogits(6, 2)) > 1e-3);
    }

    void kerasLayoutLstmRunsInLibTorchAsOnTheKernel() {
        // GIVEN a Keras-layout LSTM checkpoint (as import-keras writes) and its fp32 kernel
        const std::vector<std::string> symbols = {"/", "_", "r", "60", "62", "64", "65", "67"};
        LstmModelWeights weights = randomLstmWeights(static_cast<int>(symbols.size()), {16, 16}, /*seed=*/9, 0.6f);
        const Checkpoint checkpoint = makeLstmCheckpoint(weights, Vocabulary::fromSymbols(symbols), {});
        Result<LstmKernel> kernel = LstmKernel::create(weights);
        QVERIFY(kernel.ok());
        // WHEN the LibTorch backend and the kernel step the same symbols
        const std::unique_ptr<SequenceDecoder> decoder = decoderFor(checkpoint, DeviceChoice::Cpu, 0);
        decoder->reset(1);
        LstmState state = kernel->initialState(1);
        std::vector<float> expected(symbols.size());
        double worst = 0.0;
        for (const int id : {0, 0, 3, 1, 5, 1, 2, 7, 4, 1}) {
            kernel->step(id, state, expected);
            const std::vector<float> logits = stepDecoder(*decoder, {id});
            for (size_t s = 0; s < expected.size(); ++s)
                worst = std::max(worst, std::abs(static_cast<double>(logits[s] - expected[s])));
        }
        // THEN the logits agree
        QVERIFY2(worst <= 1e-5, std::to_string(worst).c_str());
    }

    void deviceChoiceSaysWhatIsMissing() {
        const std::shared_ptr<SequenceNet> net =
            makeNet(tinyConfig("gru", static_cast<int>(m_corpus.vocabulary.size())));
        Result<std::shared_ptr<const ModelBackend>> backend =
            loadTorchBackend(netToCheckpoint(*net, metadataFor(m_corpus.vocabulary)), "gru.melodist-model");
        QVERIFY(backend.ok());
        Result<std::unique_ptr<SequenceDecoder>> automatic = (*backend)->makeDecoder(DeviceChoice::Auto, 0);
        QVERIFY(automatic.ok());
        Result<std::unique_ptr<SequenceDecoder>> cuda = (*backend)->makeDecoder(DeviceChoice::Cuda, 0);
        if (torch::cuda::is_available()) {
            QVERIFY(cuda.ok());
            QVERIFY((*cuda)->device().starts_with("cuda:0 ("));
            QVERIFY((*automatic)->device().starts_with("cuda:0"));
            return;
        }
        // GIVEN no GPU (CI): Auto runs on the CPU, and Cuda is an error naming what is missing
        QVERIFY((*automatic)->device().starts_with("cpu (LibTorch"));
        QVERIFY(!cuda.ok());
        QVERIFY2(cuda.error().find("CUDA was asked for") != std::string::npos, cuda.error().c_str());
        const bool says =
            cuda.error().find(at::hasCUDA() ? "no GPU was found" : "built without CUDA") != std::string::npos;
        QVERIFY2(says, cuda.error().c_str());
        Result<torch::Device> unknown = resolveTorchDevice("tpu");
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error().find("'tpu'") != std::string::npos, unknown.error().c_str());
    }

    void vaeSamplesAndInterpolatesPhrases() {
        // GIVEN a VAE trained briefly on the corpus
        const int v = static_cast<int>(m_corpus.vocabulary.size());
        const std::shared_ptr<SequenceNet> net = makeNet(tinyConfig("vae", v), 4);
        trainBriefly(*net, m_corpus.ids, 24, 30);
        auto& vae = dynamic_cast<VaeNet&>(*net);
        // WHEN it samples phrases twice with one seed and once with another
        const auto a = vae.samplePhrases(3, 21), b = vae.samplePhrases(3, 21), c = vae.samplePhrases(3, 22);
        // THEN it gives 3 phrases of 24 symbols of the vocabulary, the same for the same seed
        QCOMPARE(a.size(), size_t{3});
        for (const auto& phrase : a) {
            QCOMPARE(phrase.size(), size_t{24});
            for (const int64_t id : phrase) QVERIFY(id >= 0 && id < v);
        }
        QVERIFY(a == b);
        QVERIFY(a != c);
        // AND greedy interpolation starts and ends at what the endpoints' own means decode to
        const std::vector<int64_t> phraseA(m_corpus.ids.begin(), m_corpus.ids.begin() + 24);
        const std::vector<int64_t> phraseB(m_corpus.ids.end() - 40, m_corpus.ids.end() - 16);
        const PhraseDecoding greedy{.startId = 0, .temperature = 0.0f};
        const auto path = vae.interpolate(phraseA, phraseB, 5, greedy);
        QCOMPARE(path.size(), size_t{5});
        torch::NoGradGuard noGrad;
        const auto decodeMean = [&](const std::vector<int64_t>& phrase) {
            const torch::Tensor mu = vae.encode(torch::tensor(phrase).unsqueeze(0)).mu;
            const torch::Tensor ids = vae.decode(mu, greedy)[0];
            return std::vector<int64_t>(ids.data_ptr<int64_t>(), ids.data_ptr<int64_t>() + ids.numel());
        };
        QVERIFY(path.front() == decodeMean(phraseA));
        QVERIFY(path.back() == decodeMean(phraseB));
        // AND slerp keeps the ends exactly
        const torch::Tensor x = torch::randn({8}), y = torch::randn({8});
        QCOMPARE((VaeNet::slerp(x, y, 0.0) - x).abs().max().item<float>(), 0.0f);
        QCOMPARE((VaeNet::slerp(x, y, 1.0) - y).abs().max().item<float>(), 0.0f);
    }

    void cliSamplesAndInterpolatesPhrasesThroughTheLightMelodist() {
        // GIVEN a tiny VAE model file and a MIDI file of a corpus song
        QTemporaryDir dir;
        const int v = static_cast<int>(m_corpus.vocabulary.size());
        const std::shared_ptr<SequenceNet> net = makeNet(tinyConfig("vae", v), 4);
        trainBriefly(*net, m_corpus.ids, 24, 30);
        const QString model = dir.filePath(QStringLiteral("vae.melodist-model"));
        QVERIFY(saveCheckpoint(netToCheckpoint(*net, metadataFor(m_corpus.vocabulary)), model.toStdString()).ok());
        Result<Score> song =
            readScoreFile(qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/corpus/c-major.krn");
        QVERIFY(song.ok());
        const QString midi = dir.filePath(QStringLiteral("song.mid"));
        QVERIFY(writeMidiFile(*song, midi.toStdString()).ok());

        // WHEN `melodist sample-phrases` runs
        ProcessRun run =
            runMelodist({QStringLiteral("sample-phrases"), QStringLiteral("--model"), model, QStringLiteral("--count"),
                         QStringLiteral("3"), QStringLiteral("--rng-seed"), QStringLiteral("7"),
                         QStringLiteral("--out"), dir.filePath(QStringLiteral("sampled")), QStringLiteral("--text")});
        // THEN it writes 3 MIDI files that read back, and prints 3 phrases of the model's symbols
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        for (const QString& line : lines)
            for (const QString& symbol : line.split(QLatin1Char(' ')))
                QVERIFY2(m_corpus.vocabulary.idOf(symbol.toStdString()).has_value(), qPrintable(line));
        int notes = 0;
        for (int i = 1; i <= 3; ++i) {
            Result<Score> read = readScoreFile(dir.filePath(QStringLiteral("sampled-%1.mid").arg(i)).toStdString());
            QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
            for (const Part& part : read->parts) notes += static_cast<int>(part.notes.size());
        }
        QVERIFY(notes > 0);

        // WHEN `melodist interpolate` runs from symbols (longer than a file name may be) to the MIDI file
        std::vector<std::string> from;
        for (int copy = 0; copy < 4; ++copy) from.insert(from.end(), m_corpus.firstSong.begin(), m_corpus.firstSong.end());
        QVERIFY(joinSymbols(from).size() > 255);
        run = runMelodist({QStringLiteral("interpolate"), QStringLiteral("--model"), model, QStringLiteral("--from"),
                           QString::fromStdString(joinSymbols(from)),
                           QStringLiteral("--to"), midi, QStringLiteral("--count"), QStringLiteral("4"),
                           QStringLiteral("--out"), dir.filePath(QStringLiteral("path.mid"))});
        // THEN it writes path-1.mid .. path-4.mid
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        for (int i = 1; i <= 4; ++i)
            QVERIFY(readScoreFile(dir.filePath(QStringLiteral("path-%1.mid").arg(i)).toStdString()).ok());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("path-5.mid"))));

        // AND a model that is not a VAE, or a symbol it does not know, is an error saying so
        const QString gru = dir.filePath(QStringLiteral("gru.melodist-model"));
        QVERIFY(saveCheckpoint(netToCheckpoint(*makeNet(tinyConfig("gru", v)), metadataFor(m_corpus.vocabulary)),
                               gru.toStdString())
                    .ok());
        run = runMelodist({QStringLiteral("sample-phrases"), QStringLiteral("--model"), gru, QStringLiteral("--count"),
                           QStringLiteral("1")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("not a 'vae'")), qPrintable(run.err));
        run = runMelodist({QStringLiteral("interpolate"), QStringLiteral("--model"), model, QStringLiteral("--from"),
                           QStringLiteral("60 _ 999"), QStringLiteral("--to"), midi, QStringLiteral("--count"),
                           QStringLiteral("2")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("999")), qPrintable(run.err));
    }

private:
    melodist::test::NetTestCorpus m_corpus;
};

QTEST_GUILESS_MAIN(TorchBackendTest)
#include "TorchBackendTest.moc"

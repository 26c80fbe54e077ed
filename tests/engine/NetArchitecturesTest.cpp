// SPDX-License-Identifier: GPL-3.0-or-later
// The LibTorch melody nets (engine/nn): every architecture learns from real encoded songs,
// steps exactly as it runs whole sequences (also after selectRows and from a carried
// state), survives a checkpoint round trip, and refuses damaged checkpoints by name; an
// "lstm" net converted by TorchLstmLayout runs on the fp32 LstmKernel with the same
// probabilities. Tiny models on tests/data (no shared files), one intra-op thread.
#include "engine/keras/LstmKernel.h"
#include "engine/model/TorchLstmLayout.h"
#include "engine/nn/SequenceNet.h"
#include "engine/nn/Vae.h"
#include "tests/engine/NetTestCorpus.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace melodist::engine;
using namespace melodist::engine::nn;

namespace {

// "lstm-attn-position": lstm-attn with a position period (12) shorter than the sequences, so
// that carried chunks and single steps must count positions on from the cached keys.
const std::vector<std::string> kTypes = {"lstm", "gru", "lstm-attn", "lstm-attn-position", "transformer", "vae"};

NetConfig tinyConfig(const std::string& type, int vocabularySize) {
    NetConfig config;
    config.type = type == "lstm-attn-position" ? "lstm-attn" : type;
    config.positionPeriod = type == "lstm-attn-position" ? 12 : 0;
    config.vocabularySize = vocabularySize;
    config.layers = 2;
    config.units = 32;
    config.embed = type == "lstm" ? 0 : 16;  // the LSTM as the seeds' (one-hot), the others embedded
    config.dropout = 0.1f;
    config.heads = 4;
    config.latent = 8;
    config.phraseLength = 32;
    return config;
}

std::shared_ptr<SequenceNet> makeNet(const NetConfig& config, uint64_t seed = 1) {
    torch::manual_seed(seed);
    Result<std::shared_ptr<SequenceNet>> net = createSequenceNet(config);
    if (!net) qFatal("%s", net.error().c_str());
    return *net;
}

// `rows` windows of length+1 ids from the corpus stream, at spread offsets: [rows, length+1].
torch::Tensor windows(const std::vector<int64_t>& ids, int64_t rows, int64_t length) {
    std::vector<torch::Tensor> picked;
    const auto total = static_cast<int64_t>(ids.size());
    for (int64_t r = 0; r < rows; ++r) {
        const int64_t start = (r * (total - length - 1)) / std::max<int64_t>(1, rows - 1);
        picked.push_back(torch::tensor(std::vector<int64_t>(ids.begin() + start, ids.begin() + start + length + 1)));
    }
    return torch::stack(picked);
}

double maxAbsDifference(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

// The initial state of a net for `batch` rows; a VAE's from a fixed latent, so that
// forwardFrom and step see the same z.
NetState startState(SequenceNet& net, int64_t batch) {
    if (auto* vae = dynamic_cast<VaeNet*>(&net))
        return vae->initialStateFromLatent(torch::randn({batch, net.config().latent}));
    return net.initialState(batch, torch::kCPU);
}

Checkpoint checkpointOf(SequenceNet& net, const Vocabulary& vocabulary) {
    return netToCheckpoint(net, {{"vocabulary", vocabulary.symbols()},
                                 {"context", {{"default", 32}, {"seed_padding", 8}, {"padding_symbol", "/"}}}});
}

}  // namespace

class NetArchitecturesTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        torch::set_num_threads(1);
        m_corpus = melodist::test::loadNetTestCorpus();
        QVERIFY(m_corpus.vocabulary.size() > 10);
        QVERIFY(m_corpus.ids.size() > 400);
    }

    void everyArchitectureLearnsFromRealSongs() {
        for (const std::string& type : kTypes) {
            // GIVEN a tiny net and a batch of windows of encoded songs
            const std::shared_ptr<SequenceNet> net =
                makeNet(tinyConfig(type, static_cast<int>(m_corpus.vocabulary.size())));
            const torch::Tensor batch = windows(m_corpus.ids, 8, 32);
            const torch::Tensor inputs = batch.slice(1, 0, 32), targets = batch.slice(1, 1, 33);
            torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(1e-2));
            net->train();
            // WHEN it takes 40 Adam steps
            std::vector<double> losses;
            int64_t correct = 0, counted = 0;
            for (int step = 0; step < 40; ++step) {
                optimizer.zero_grad();
                TrainingOutput out = net->trainingLoss(inputs, targets, {}, /*ignoreIndex=*/-100);
                out.loss.backward();
                optimizer.step();
                losses.push_back(out.loss.item<double>());
                correct = out.correct;
                counted = out.targets;
            }
            // THEN the loss fell by more than 40 % and most next symbols are right
            const double first = losses.front(), last = (losses[37] + losses[38] + losses[39]) / 3.0;
            qInfo("%s: loss %.3f -> %.3f, %lld of %lld right", type.c_str(), first, last,
                  static_cast<long long>(correct), static_cast<long long>(counted));
            QVERIFY2(last < 0.6 * first,
                     (type + ": loss " + std::to_string(first) + " -> " + std::to_string(last)).c_str());
            QCOMPARE(counted, int64_t{8 * 32});
            QVERIFY2(correct > counted / 2, (type + ": " + std::to_string(correct) + " right").c_str());
        }
    }

    void ignoredTargetsAreNotCounted() {
        // GIVEN targets of which a third are the ignore index
        const std::shared_ptr<SequenceNet> net =
            makeNet(tinyConfig("gru", static_cast<int>(m_corpus.vocabulary.size())));
        const torch::Tensor batch = windows(m_corpus.ids, 3, 12);
        torch::Tensor targets = batch.slice(1, 1, 13).clone();
        targets.index_put_({0}, -1);
        // WHEN the loss is computed
        const TrainingOutput out = net->trainingLoss(batch.slice(1, 0, 12), targets, {}, /*ignoreIndex=*/-1);
        // THEN only the other rows count, and the final state is detached
        QCOMPARE(out.targets, int64_t{2 * 12});
        QVERIFY(std::isfinite(out.loss.item<double>()));
        QCOMPARE(out.state.size(), size_t{1});
        QVERIFY(!out.state[0].requires_grad());
    }

    void stepsEqualTheWholeSequenceAlsoAfterSelectRows() {
        torch::NoGradGuard noGrad;
        for (const std::string& type : kTypes) {
            // GIVEN a net in eval mode and three sequences of 20 symbols
            const std::shared_ptr<SequenceNet> net =
                makeNet(tinyConfig(type, static_cast<int>(m_corpus.vocabulary.size())), 3);
            net->eval();
            const torch::Tensor tokens = windows(m_corpus.ids, 3, 19);
            const NetState start = startState(*net, 3);
            // WHEN the whole sequences run at once, in two carried chunks, and one step at a time
            const torch::Tensor whole = net->forwardFrom(tokens, start).first;
            auto [head, carried] = net->forwardFrom(tokens.slice(1, 0, 7), start);
            const torch::Tensor tail = net->forwardFrom(tokens.slice(1, 7, 20), carried).first;
            NetState state = start;
            double stepDifference = 0.0;
            for (int64_t t = 0; t < 10; ++t) {
                auto [logits, next] = net->step(tokens.select(1, t), std::move(state));
                state = std::move(next);
                stepDifference = std::max(stepDifference, maxAbsDifference(logits, whole.select(1, t)));
            }
            // AND rows 2 and 0 continue alone after selectRows
            const torch::Tensor rows = torch::tensor(std::vector<int64_t>{2, 0});
            state = net->selectRows(state, rows);
            for (int64_t t = 10; t < 20; ++t) {
                auto [logits, next] = net->step(tokens.select(1, t).index_select(0, rows), std::move(state));
                state = std::move(next);
                stepDifference =
                    std::max(stepDifference, maxAbsDifference(logits, whole.select(1, t).index_select(0, rows)));
            }
            // THEN all agree to float rounding
            qInfo("%s: step differs by %.2g", type.c_str(), stepDifference);
            QVERIFY2(stepDifference <= 1e-4, (type + ": step differs by " + std::to_string(stepDifference)).c_str());
            const double chunkDifference = maxAbsDifference(torch::cat({head, tail}, 1), whole);
            QVERIFY2(chunkDifference <= 1e-4, (type + ": chunks differ by " + std::to_string(chunkDifference)).c_str());
            QVERIFY(whole.sizes().vec() ==
                    (std::vector<int64_t>{3, 20, static_cast<int64_t>(m_corpus.vocabulary.size())}));
        }
    }

    void checkpointRoundTripKeepsEveryLogit() {
        QTemporaryDir dir;
        torch::NoGradGuard noGrad;
        for (const std::string& type : kTypes) {
            // GIVEN a net with its own weights, saved and loaded again
            const std::shared_ptr<SequenceNet> net =
                makeNet(tinyConfig(type, static_cast<int>(m_corpus.vocabulary.size())), 7);
            net->eval();
            const std::string path = dir.filePath(QString::fromStdString(type + ".melodist-model")).toStdString();
            QVERIFY(saveCheckpoint(checkpointOf(*net, m_corpus.vocabulary), path).ok());
            Result<Checkpoint> loaded = loadCheckpoint(path);
            QVERIFY(loaded.ok());
            QVERIFY(loaded->metadata["architecture"]["layout"] == "torch");
            Result<std::shared_ptr<SequenceNet>> copy = netFromCheckpoint(*loaded, path);
            QVERIFY2(copy.ok(), copy.ok() ? "" : copy.error().c_str());
            // WHEN both run the same symbols from the same state
            const torch::Tensor tokens = windows(m_corpus.ids, 2, 15);
            const NetState start = startState(*net, 2);
            // THEN the logits are identical and so is the configuration
            QCOMPARE(maxAbsDifference(net->forwardFrom(tokens, start).first, (*copy)->forwardFrom(tokens, start).first),
                     0.0);
            QVERIFY((*copy)->config().toJson() == net->config().toJson());
        }
    }

    void damagedCheckpointsAreErrorsNamingTheTensor() {
        // GIVEN the checkpoint of a two-layer LSTM
        const std::shared_ptr<SequenceNet> net =
            makeNet(tinyConfig("lstm", static_cast<int>(m_corpus.vocabulary.size())));
        const Checkpoint good = checkpointOf(*net, m_corpus.vocabulary);
        QVERIFY(good.tensor("lstm.weight_hh_l1") != nullptr);
        QVERIFY(good.tensor("output.bias") != nullptr);
        // WHEN a tensor is missing
        Checkpoint missing = good;
        std::erase_if(missing.tensors, [](const CheckpointTensor& t) { return t.name == "lstm.weight_hh_l1"; });
        Result<std::shared_ptr<SequenceNet>> a = netFromCheckpoint(missing, "damaged.melodist-model");
        // THEN the error names the file and the tensor
        QVERIFY(!a.ok());
        QVERIFY2(a.error().find("damaged.melodist-model") != std::string::npos, a.error().c_str());
        QVERIFY2(a.error().find("'lstm.weight_hh_l1'") != std::string::npos, a.error().c_str());
        // AND a mis-shaped tensor is named with both shapes
        Checkpoint misShaped = good;
        for (CheckpointTensor& t : misShaped.tensors)
            if (t.name == "output.bias") {
                t.shape = {3};
                t.values.resize(3);
            }
        Result<std::shared_ptr<SequenceNet>> b = netFromCheckpoint(misShaped, "damaged.melodist-model");
        QVERIFY(!b.ok());
        QVERIFY2(b.error().find("'output.bias'") != std::string::npos && b.error().find("[3]") != std::string::npos,
                 b.error().c_str());
        // AND an unknown architecture or impossible sizes are errors naming the value
        Checkpoint unknown = good;
        unknown.metadata["architecture"]["type"] = "mamba";
        Result<std::shared_ptr<SequenceNet>> c = netFromCheckpoint(unknown, "damaged.melodist-model");
        QVERIFY(!c.ok());
        QVERIFY2(c.error().find("'mamba'") != std::string::npos, c.error().c_str());
        NetConfig badHeads = tinyConfig("transformer", 20);
        badHeads.heads = 5;
        Result<std::shared_ptr<SequenceNet>> d = createSequenceNet(badHeads);
        QVERIFY(!d.ok());
        QVERIFY2(d.error().find("heads") != std::string::npos, d.error().c_str());
        QVERIFY(makeSequenceNet(badHeads) == nullptr);
        // AND a position period is refused where no position embedding can be added
        NetConfig badPosition = tinyConfig("gru", 20);
        badPosition.positionPeriod = 48;
        Result<std::shared_ptr<SequenceNet>> e = createSequenceNet(badPosition);
        QVERIFY(!e.ok());
        QVERIFY2(e.error().find("position_period") != std::string::npos, e.error().c_str());
    }

    void netConfigJsonRoundTrips() {
        for (const std::string& type : kTypes) {
            const NetConfig config = tinyConfig(type, 21);
            Result<NetConfig> back = NetConfig::fromJson(config.toJson());
            QVERIFY(back.ok());
            QVERIFY2(back->toJson() == config.toJson(), back->toJson().dump().c_str());
        }
        Result<NetConfig> wrong = NetConfig::fromJson({{"type", "gru"}, {"vocabulary_size", 20}, {"units", "many"}});
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.error().find("'units'") != std::string::npos, wrong.error().c_str());
    }

    void torchLstmRunsOnTheKernelWithTheSameProbabilities() {
        torch::NoGradGuard noGrad;
        for (const int embed : {0, 8}) {
            // GIVEN a two-layer torch LSTM (one-hot or embedded input), trained a little
            NetConfig config = tinyConfig("lstm", static_cast<int>(m_corpus.vocabulary.size()));
            config.embed = embed;
            config.units = 24;
            const std::shared_ptr<SequenceNet> net = makeNet(config, 11);
            net->eval();
            // WHEN its checkpoint is converted to the fp32 kernel's weights
            const Checkpoint checkpoint = checkpointOf(*net, m_corpus.vocabulary);
            QVERIFY(isTorchLayoutLstm(checkpoint));
            Result<LstmModelWeights> weights = lstmWeightsFromTorchLayout(checkpoint, "torch.melodist-model");
            QVERIFY2(weights.ok(), weights.ok() ? "" : weights.error().c_str());
            Result<LstmKernel> kernel = LstmKernel::create(std::move(*weights));
            QVERIFY(kernel.ok());
            // THEN the kernel's next-symbol probabilities equal the net's softmax after every prefix
            const std::vector<int64_t> window(m_corpus.ids.begin() + 40, m_corpus.ids.begin() + 70);
            const torch::Tensor probabilities = torch::softmax(net->forward(torch::tensor(window).unsqueeze(0))[0], -1);
            double worst = 0.0;
            for (size_t length = 1; length <= window.size(); length += 7) {
                const std::vector<int> prefix(window.begin(), window.begin() + static_cast<std::ptrdiff_t>(length));
                Result<std::vector<float>> p = kernel->probabilities(prefix);
                QVERIFY(p.ok());
                const torch::Tensor expected = probabilities[static_cast<int64_t>(length) - 1];
                for (size_t s = 0; s < p->size(); ++s)
                    worst = std::max(worst, std::abs(static_cast<double>((*p)[s]) -
                                                     expected[static_cast<int64_t>(s)].item<double>()));
            }
            qInfo("embed %d: kernel differs by %.2g", embed, worst);
            QVERIFY2(worst <= 1e-5,
                     ("embed " + std::to_string(embed) + ": differs by " + std::to_string(worst)).c_str());
        }
        // AND a damaged torch-layout checkpoint is refused by tensor name
        const std::shared_ptr<SequenceNet> net =
            makeNet(tinyConfig("lstm", static_cast<int>(m_corpus.vocabulary.size())));
        Checkpoint damaged = checkpointOf(*net, m_corpus.vocabulary);
        std::erase_if(damaged.tensors, [](const CheckpointTensor& t) { return t.name == "lstm.bias_hh_l0"; });
        Result<LstmModelWeights> refused = lstmWeightsFromTorchLayout(damaged, "torch.melodist-model");
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().find("'lstm.bias_hh_l0'") != std::string::npos, refused.error().c_str());
        // AND a GRU is not taken for an LSTM
        QVERIFY(!isTorchLayoutLstm(checkpointOf(*makeNet(tinyConfig("gru", 20)), Vocabulary())));
    }

private:
    melodist::test::NetTestCorpus m_corpus;
};

QTEST_GUILESS_MAIN(NetArchitecturesTest)
#include "NetArchitecturesTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// DistributedGroup over c10d/Gloo with real processes: this executable starts copies of
// itself as ranks on loopback (MELODIST_DIST_TEST_WORKER=1), each trains a small network
// from its own random init on its own data with averaged gradients, and writes its final
// weights; the test compares them byte for byte and with a single-process run on the
// union of the data. NCCL is not tested here (it needs 2 GPUs).
#include "training/Distributed.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"

#include <cstdlib>
#include <cstring>
#include <fstream>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using melodist::training::DistributedGroup;

using melodist::test::ScopedEnv;

namespace {

constexpr int kSteps = 20;
constexpr int kRowsPerRank = 16;

torch::nn::Sequential makeNet(uint64_t initSeed) {
    torch::manual_seed(initSeed);
    return torch::nn::Sequential(torch::nn::Linear(4, 8), torch::nn::Tanh(), torch::nn::Linear(8, 3));
}

// Rank r's data: a noisy linear map, different rows per rank.
std::pair<torch::Tensor, torch::Tensor> rankData(int rank) {
    torch::manual_seed(1000 + static_cast<uint64_t>(rank));
    const torch::Tensor inputs = torch::randn({kRowsPerRank, 4});
    const torch::Tensor map = torch::arange(12, torch::kFloat).reshape({4, 3}) / 10.0;
    return {inputs, inputs.matmul(map) + 0.1 * torch::randn({kRowsPerRank, 3})};
}

// kSteps of SGD on (inputs, targets); `group` averages the gradients when given.
void train(torch::nn::Sequential& net, const torch::Tensor& inputs, const torch::Tensor& targets, DistributedGroup* group) {
    torch::optim::SGD optimizer(net->parameters(), torch::optim::SGDOptions(0.1));
    for (int step = 0; step < kSteps; ++step) {
        optimizer.zero_grad();
        torch::mse_loss(net->forward(inputs), targets).backward();
        if (group) group->averageGradients(*net);
        optimizer.step();
    }
}

torch::Tensor flatWeights(torch::nn::Sequential& net) {
    std::vector<torch::Tensor> flat;
    for (const torch::Tensor& parameter : net->parameters()) flat.push_back(parameter.detach().reshape({-1}));
    return torch::cat(flat).contiguous();
}

// The child: one rank. Exit 0 with the weights in $MELODIST_DIST_TEST_OUT, 1 with the
// group's error on stderr, 3 when a check of its own fails.
int runWorker() {
    torch::set_num_threads(1);
    const auto group = DistributedGroup::fromEnvironment(torch::Device(torch::kCPU));
    if (!group) {
        std::fprintf(stderr, "group error: %s\n", group.error().c_str());
        return 1;
    }
    DistributedGroup& g = **group;
    torch::nn::Sequential net = makeNet(100 + static_cast<uint64_t>(g.rank()));  // a different init per rank
    if (!(g.maxParameterDifference(*net) > 0.0)) {
        std::fprintf(stderr, "the ranks' different initial weights were not seen as different\n");
        return 3;
    }
    g.broadcastParameters(*net);
    auto [inputs, targets] = rankData(g.rank());
    train(net, inputs, targets, &g);

    torch::Tensor sums = torch::tensor({static_cast<double>(g.rank() + 1), 10.0}, torch::kDouble);
    g.sumInPlace(sums);
    const double expectedFirst = g.worldSize() * (g.worldSize() + 1) / 2.0;
    if (sums[0].item<double>() != expectedFirst || sums[1].item<double>() != 10.0 * g.worldSize()) {
        std::fprintf(stderr, "sumInPlace gave %g %g\n", sums[0].item<double>(), sums[1].item<double>());
        return 3;
    }
    g.barrier();
    if (const double difference = g.maxParameterDifference(*net); difference != 0.0) {
        std::fprintf(stderr, "after training the ranks differ by %g\n", difference);
        return 3;
    }
    const torch::Tensor weights = flatWeights(net);
    std::ofstream out(std::getenv("MELODIST_DIST_TEST_OUT"), std::ios::binary);
    out.write(static_cast<const char*>(weights.data_ptr()), static_cast<std::streamsize>(weights.numel() * sizeof(float)));
    std::printf("rank %d of %d, backend %s\n", g.rank(), g.worldSize(), g.backendName().c_str());
    return out ? 0 : 3;
}

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (fd >= 0) ::close(fd);
        return 0;
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

struct Rank {
    std::unique_ptr<QProcess> process;
    QString outPath;
};

Rank startRank(int rank, int worldSize, int port, const QString& outPath, const QStringList& extraEnv = {}) {
    Rank r{std::make_unique<QProcess>(), outPath};
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("MELODIST_DIST_TEST_WORKER", "1");
    env.insert("RANK", QString::number(rank));
    env.insert("WORLD_SIZE", QString::number(worldSize));
    env.insert("MASTER_ADDR", "127.0.0.1");
    env.insert("MASTER_PORT", QString::number(port));
    env.insert("MELODIST_DIST_TEST_OUT", outPath);
    for (const QString& entry : extraEnv) env.insert(entry.section('=', 0, 0), entry.section('=', 1));
    r.process->setProcessEnvironment(env);
    r.process->start(QCoreApplication::applicationFilePath(), {});
    return r;
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Restores one environment variable when it leaves scope.
}  // namespace

class DistributedTest : public QObject {
    Q_OBJECT

private slots:
    void withoutWorldSizeTheGroupIsASingleProcess() {
        // GIVEN no distributed environment
        ScopedEnv world("WORLD_SIZE", nullptr), rank("RANK", nullptr);
        // WHEN the trainer asks for its group
        auto group = DistributedGroup::fromEnvironment(torch::Device(torch::kCPU));
        // THEN it is rank 0 of 1 and averaging leaves the gradients alone
        QVERIFY2(group.ok(), group.ok() ? "" : group.error().c_str());
        QCOMPARE((*group)->rank(), 0);
        QCOMPARE((*group)->worldSize(), 1);
        QCOMPARE(QString::fromStdString((*group)->backendName()), QStringLiteral("none"));
        torch::nn::Linear net(2, 1);
        torch::mse_loss(net->forward(torch::ones({1, 2})), torch::zeros({1, 1})).backward();
        const torch::Tensor before = net->weight.grad().clone();
        (*group)->averageGradients(*net);
        QVERIFY(torch::equal(before, net->weight.grad()));
    }

    void badVariablesAreNamed() {
        ScopedEnv world("WORLD_SIZE", "2"), rank("RANK", nullptr), address("MASTER_ADDR", "127.0.0.1"), port("MASTER_PORT", "29500");
        auto noRank = DistributedGroup::fromEnvironment(torch::Device(torch::kCPU));
        QVERIFY(!noRank.ok());
        QVERIFY2(noRank.error().find("RANK is not set") != std::string::npos, noRank.error().c_str());

        ScopedEnv rankTwo("RANK", "2");
        auto outOfRange = DistributedGroup::fromEnvironment(torch::Device(torch::kCPU));
        QVERIFY(!outOfRange.ok());
        QVERIFY2(outOfRange.error().find("RANK is '2'") != std::string::npos, outOfRange.error().c_str());

        ScopedEnv rankOne("RANK", "1"), noAddress("MASTER_ADDR", nullptr);
        auto missingAddress = DistributedGroup::fromEnvironment(torch::Device(torch::kCPU));
        QVERIFY(!missingAddress.ok());
        QVERIFY2(missingAddress.error().find("MASTER_ADDR is not set") != std::string::npos, missingAddress.error().c_str());

        ScopedEnv address2("MASTER_ADDR", "127.0.0.1"), badPort("MASTER_PORT", "70000");
        auto wrongPort = DistributedGroup::fromEnvironment(torch::Device(torch::kCPU));
        QVERIFY(!wrongPort.ok());
        QVERIFY2(wrongPort.error().find("MASTER_PORT is '70000'") != std::string::npos, wrongPort.error().c_str());

        ScopedEnv badWorld("WORLD_SIZE", "two");
        auto wrongWorld = DistributedGroup::fromEnvironment(torch::Device(torch::kCPU));
        QVERIFY(!wrongWorld.ok());
        QVERIFY2(wrongWorld.error().find("WORLD_SIZE is 'two'") != std::string::npos, wrongWorld.error().c_str());
    }

    void twoRanksOnLoopbackEndWithIdenticalWeights() {
        // GIVEN two ranks with different initial weights and different data
        QTemporaryDir dir;
        const int port = freePort();
        QVERIFY(port > 0);
        std::vector<Rank> ranks;
        for (int rank = 0; rank < 2; ++rank) ranks.push_back(startRank(rank, 2, port, dir.filePath(QString("rank%1.bin").arg(rank))));
        // WHEN both train 20 SGD steps with averaged gradients
        for (Rank& r : ranks) {
            QVERIFY(r.process->waitForFinished(120000));
            const QByteArray err = r.process->readAllStandardError();
            QVERIFY2(r.process->exitStatus() == QProcess::NormalExit && r.process->exitCode() == 0, err.constData());
            QVERIFY(r.process->readAllStandardOutput().contains("backend gloo"));
        }
        // THEN their weights are the same bytes ...
        const QByteArray rank0 = readAll(ranks[0].outPath);
        const QByteArray rank1 = readAll(ranks[1].outPath);
        QVERIFY(!rank0.isEmpty());
        QCOMPARE(rank0.size(), rank1.size());
        QVERIFY2(rank0 == rank1, "the two ranks ended with different weights");

        // ... equal (up to summation order) to one process training on both ranks' data from rank 0's init
        const torch::Tensor distributed = torch::from_blob(const_cast<char*>(rank0.constData()), {rank0.size() / 4}, torch::kFloat).clone();
        torch::nn::Sequential single = makeNet(100);
        auto [inputs0, targets0] = rankData(0);
        auto [inputs1, targets1] = rankData(1);
        train(single, torch::cat({inputs0, inputs1}), torch::cat({targets0, targets1}), nullptr);
        const double gapToUnion = (flatWeights(single) - distributed).abs().max().item<double>();
        QVERIFY2(gapToUnion < 1e-5, qPrintable(QString("max difference to the single-process run: %1").arg(gapToUnion)));

        // ... and not what rank 0 would have learnt from its own data alone
        torch::nn::Sequential alone = makeNet(100);
        train(alone, inputs0, targets0, nullptr);
        const double gapToAlone = (flatWeights(alone) - distributed).abs().max().item<double>();
        QVERIFY2(gapToAlone > 1e-3, qPrintable(QString("max difference to rank 0 alone: %1").arg(gapToAlone)));
    }

    void aMissingPeerIsATimeoutErrorNotAHang() {
        // GIVEN rank 0 of 2, and no rank 1, with a 2 s rendezvous timeout
        QTemporaryDir dir;
        const int port = freePort();
        Rank lonely = startRank(0, 2, port, dir.filePath("rank0.bin"), {"MELODIST_DIST_TIMEOUT_S=2"});
        // WHEN it waits for its peer
        QVERIFY2(lonely.process->waitForFinished(60000), "rank 0 still waiting after 60 s");
        // THEN it fails, naming the store's address and the timeout
        const QString err = QString::fromUtf8(lonely.process->readAllStandardError());
        QCOMPARE(lonely.process->exitCode(), 1);
        QVERIFY2(err.contains(QString("127.0.0.1:%1").arg(port)), qPrintable(err));
        QVERIFY2(err.contains("MELODIST_DIST_TIMEOUT_S=2 s"), qPrintable(err));

        // AND rank 1 without a rank 0 fails the same way
        Rank orphan = startRank(1, 2, port, dir.filePath("rank1.bin"), {"MELODIST_DIST_TIMEOUT_S=2"});
        QVERIFY2(orphan.process->waitForFinished(60000), "rank 1 still waiting after 60 s");
        const QString orphanErr = QString::fromUtf8(orphan.process->readAllStandardError());
        QCOMPARE(orphan.process->exitCode(), 1);
        QVERIFY2(orphanErr.contains(QString("could not reach rank 0's rendezvous store at 127.0.0.1:%1").arg(port)), qPrintable(orphanErr));
    }
};

int main(int argc, char** argv) {
    if (std::getenv("MELODIST_DIST_TEST_WORKER") != nullptr) return runWorker();
    QCoreApplication app(argc, argv);
    DistributedTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "DistributedTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Two `melodist train` processes on loopback (RANK 0/1, WORLD_SIZE 2, c10d Gloo) train one
// model together and end with identical weights: each rank reports the SHA-256 of its
// weights in its `done` event and its own run.json, and rank 0's saved
// last.melodist-model hashes to the same value (`melodist model-info`, and an independent
// hash of the checkpoint's tensors here). The library-level proof is DistributedTest.
#include "engine/model/Checkpoint.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"

#include <algorithm>
#include <memory>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using melodist::test::ProcessRun;
using melodist::test::runMelodist;

namespace {

// A port nothing listens on now (the kernel's choice for port 0).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    if (fd >= 0) ::close(fd);
    return ok ? ntohs(address.sin_port) : 0;
}

QJsonObject readJsonFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

// The last JSON line whose "event" is `event`.
QJsonObject lastEvent(const QString& jsonLines, const QString& event) {
    QJsonObject found;
    for (const QString& line : jsonLines.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
        if (object.value(QStringLiteral("event")).toString() == event) found = object;
    }
    return found;
}

// SHA-256 of the net's tensors as float32 bytes ordered by name, optimizer moments left out:
// the definition, computed here independently of engine::weightsSha256.
QString hashOfCheckpointWeights(const melodist::engine::Checkpoint& checkpoint) {
    std::vector<const melodist::engine::CheckpointTensor*> tensors;
    for (const auto& tensor : checkpoint.tensors)
        if (!QString::fromStdString(tensor.name).startsWith(QStringLiteral("optimizer."))) tensors.push_back(&tensor);
    std::sort(tensors.begin(), tensors.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const auto* tensor : tensors)
        hash.addData(QByteArrayView(reinterpret_cast<const char*>(tensor->values.data()),
                                    static_cast<qsizetype>(tensor->values.size() * sizeof(float))));
    return QString::fromLatin1(hash.result().toHex());
}

}  // namespace

class TrainDistributedCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_dataset;

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

    std::unique_ptr<QProcess> startRank(int rank, int port, const QString& out) const {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RANK"), QString::number(rank));
        env.insert(QStringLiteral("WORLD_SIZE"), QStringLiteral("2"));
        env.insert(QStringLiteral("MASTER_ADDR"), QStringLiteral("127.0.0.1"));
        env.insert(QStringLiteral("MASTER_PORT"), QString::number(port));
        env.insert(QStringLiteral("MELODIST_DIST_TIMEOUT_S"), QStringLiteral("120"));  // a lost peer fails, not hangs
        process->setProcessEnvironment(env);
        // A tiny one-thread model, as TrainCliTest trains; 2 rows a step = 1 per rank.
        process->start(qEnvironmentVariable("MELODIST_BIN_DIR") + QStringLiteral("/melodist"),
                       {QStringLiteral("train"), m_dataset, QStringLiteral("--out"), out, QStringLiteral("--layers"),
                        QStringLiteral("1"), QStringLiteral("--units"), QStringLiteral("48"), QStringLiteral("--seq-len"),
                        QStringLiteral("16"), QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--threads"),
                        QStringLiteral("1"), QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--val-split"),
                        QStringLiteral("0.3"), QStringLiteral("--max-steps"), QStringLiteral("20"),
                        QStringLiteral("--progress"), QStringLiteral("jsonl")});
        return process;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // GIVEN a tiny dataset from the test kern files
        m_dataset = path("data");
        const QString kern = qEnvironmentVariable("MELODIST_TEST_DATA");
        const ProcessRun run = runMelodist({QStringLiteral("preprocess"), kern + QStringLiteral("/corpus/c-major.krn"),
                                            kern + QStringLiteral("/corpus/major-g.krn"), kern + QStringLiteral("/corpus/minor-d.krn"),
                                            kern + QStringLiteral("/kern/pitches_durations.krn"), QStringLiteral("--out"), m_dataset});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }

    void twoProcessesOnLoopbackEndWithIdenticalWeights() {
        const int port = freePort();
        QVERIFY(port > 0);
        // WHEN two ranks train together, each with its own --out folder
        const QString out0 = path("rank0"), out1 = path("rank1");
        const std::unique_ptr<QProcess> rank0 = startRank(0, port, out0);
        const std::unique_ptr<QProcess> rank1 = startRank(1, port, out1);
        QVERIFY(rank0->waitForStarted(10000));
        QVERIFY(rank1->waitForStarted(10000));
        const bool finished0 = rank0->waitForFinished(200000), finished1 = rank1->waitForFinished(200000);
        const QString stdout0 = QString::fromUtf8(rank0->readAllStandardOutput()), err0 = QString::fromUtf8(rank0->readAllStandardError());
        const QString stdout1 = QString::fromUtf8(rank1->readAllStandardOutput()), err1 = QString::fromUtf8(rank1->readAllStandardError());
        if (!finished0) rank0->kill();
        if (!finished1) rank1->kill();

        // THEN both exit 0 after the 20 steps
        QVERIFY2(finished0 && rank0->exitStatus() == QProcess::NormalExit && rank0->exitCode() == 0, qPrintable(err0));
        QVERIFY2(finished1 && rank1->exitStatus() == QProcess::NormalExit && rank1->exitCode() == 0, qPrintable(err1));
        const QJsonObject done0 = lastEvent(stdout0, QStringLiteral("done")), done1 = lastEvent(stdout1, QStringLiteral("done"));
        QVERIFY2(!done0.isEmpty(), qPrintable(stdout0));
        QVERIFY2(!done1.isEmpty(), qPrintable(stdout1));
        QCOMPARE(done0.value(QStringLiteral("status")).toString(), QStringLiteral("max_steps"));
        QCOMPARE(done0.value(QStringLiteral("steps")).toInt(), 20);
        QCOMPARE(done1.value(QStringLiteral("steps")).toInt(), 20);
        QCOMPARE(done0.value(QStringLiteral("rank")).toInt(), 0);
        QCOMPARE(done1.value(QStringLiteral("rank")).toInt(), 1);
        QCOMPARE(done0.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("world_size")).toInt(), 2);
        // and report the same weights
        const QString hash = done0.value(QStringLiteral("weights_sha256")).toString();
        QCOMPARE(hash.size(), 64);
        QCOMPARE(done1.value(QStringLiteral("weights_sha256")).toString(), hash);
        QVERIFY2(err1.contains(QStringLiteral("rank 1 of 2, weights sha256 ") + hash), qPrintable(err1));

        // and each run.json says so, rank 1's in its own folder, which holds no model
        const QJsonObject metrics0 = readJsonFile(out0 + QStringLiteral("/run.json")).value(QStringLiteral("metrics")).toObject();
        const QJsonObject run1 = readJsonFile(out1 + QStringLiteral("/run.json"));
        QCOMPARE(metrics0.value(QStringLiteral("weights_sha256")).toString(), hash);
        QCOMPARE(run1.value(QStringLiteral("status")).toString(), QStringLiteral("max_steps"));
        QCOMPARE(run1.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("weights_sha256")).toString(), hash);
        QCOMPARE(run1.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("rank")).toInt(), 1);
        QVERIFY(!QFile::exists(out1 + QStringLiteral("/last.melodist-model")));

        // and rank 0's saved model hashes to it: through the CLI and computed here
        const QString last = out0 + QStringLiteral("/last.melodist-model");
        const ProcessRun info = runMelodist({QStringLiteral("model-info"), last, QStringLiteral("--json")});
        QVERIFY2(info.exitCode == 0, qPrintable(info.err));
        QCOMPARE(QJsonDocument::fromJson(info.out.toUtf8()).object().value(QStringLiteral("weights_sha256")).toString(), hash);
        const melodist::engine::Result<melodist::engine::Checkpoint> checkpoint = melodist::engine::loadCheckpoint(last.toStdString());
        QVERIFY2(checkpoint.ok(), checkpoint.ok() ? "" : checkpoint.error().c_str());
        QCOMPARE(hashOfCheckpointWeights(*checkpoint), hash);
    }
};

QTEST_GUILESS_MAIN(TrainDistributedCliTest)
#include "TrainDistributedCliTest.moc"

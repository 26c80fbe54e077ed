// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist train` run as a process, the way the studio runs it: JSON lines on stdout,
// kill -9 then --resume ends with the steps (and weights) of an uninterrupted run,
// SIGTERM saves and exits 0, and the errors a user meets say what to do.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/model/Checkpoint.h"
#include "tests/common/TestSupport.h"

#include <cstring>

using melodist::test::ProcessRun;
using melodist::test::runMelodist;

namespace {

QString melodistPath() { return qEnvironmentVariable("MELODIST_BIN_DIR") + QStringLiteral("/melodist"); }

QJsonObject readJsonFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

// Reads the child's JSON lines until `accept` returns true for one (or it ends / times out).
bool waitForEvent(QProcess& process, const std::function<bool(const QJsonObject&)>& accept, int timeoutMs = 60000) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        while (process.canReadLine()) {
            const QJsonObject event = QJsonDocument::fromJson(process.readLine()).object();
            if (accept(event)) return true;
        }
        if (process.state() == QProcess::NotRunning) return false;
        process.waitForReadyRead(100);
    }
    return false;
}

}  // namespace

class TrainCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_dataset;

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }
    // A tiny one-thread model: a few hundred steps in a few seconds.
    QStringList trainArguments(const QString& run) const {
        return {QStringLiteral("train"), m_dataset, QStringLiteral("--out"), run, QStringLiteral("--layers"),
                QStringLiteral("1"), QStringLiteral("--units"), QStringLiteral("48"), QStringLiteral("--seq-len"),
                QStringLiteral("16"), QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--threads"),
                QStringLiteral("1"), QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--val-split"),
                QStringLiteral("0.3"), QStringLiteral("--dropout"), QStringLiteral("0.1"), QStringLiteral("--patience"),
                QStringLiteral("0")};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_dataset = path("data");
        QCOMPARE(runMelodist({QStringLiteral("preprocess"), qEnvironmentVariable("MELODIST_TEST_DATA") + QStringLiteral("/corpus"),
                              QStringLiteral("--out"), m_dataset})
                     .exitCode,
                 0);
    }

    void progressJsonlPrintsOneJsonEventPerLine() {
        // WHEN training with --progress jsonl
        const ProcessRun run = runMelodist(trainArguments(path("jsonl")) +
                                           QStringList{QStringLiteral("--epochs"), QStringLiteral("3"),
                                                       QStringLiteral("--progress"), QStringLiteral("jsonl")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // THEN every stdout line is a JSON object with an event and a time
        QStringList events;
        QJsonObject lastEpoch, done;
        for (const QString& line : run.out.split('\n', Qt::SkipEmptyParts)) {
            const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8());
            QVERIFY2(document.isObject(), qPrintable(line));
            const QJsonObject event = document.object();
            QVERIFY(event.contains(QStringLiteral("time_s")));
            events << event.value(QStringLiteral("event")).toString();
            if (events.last() == QStringLiteral("epoch")) lastEpoch = event;
            if (events.last() == QStringLiteral("done")) done = event;
        }
        QCOMPARE(events.first(), QStringLiteral("start"));
        QCOMPARE(events.last(), QStringLiteral("done"));
        QVERIFY(events.contains(QStringLiteral("batch")));
        QCOMPARE(events.count(QStringLiteral("epoch")), 3);
        QVERIFY(events.contains(QStringLiteral("checkpoint")));
        for (const char* key : {"loss_train", "accuracy_train", "perplexity_train", "loss_valid", "accuracy_valid",
                                "perplexity_valid", "symbols_per_s", "eta_s", "step"})
            QVERIFY2(lastEpoch.contains(QLatin1String(key)), key);
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("done"));
        // and the human summary goes to stderr
        QVERIFY2(run.err.contains(QStringLiteral("train: done after 3 epochs")), qPrintable(run.err));
    }

    void evaluateModelScoresTheSongsARunHeldOut() {
        // GIVEN the run above (val split 0.3 of the corpus, split by file)
        const QJsonObject split = readJsonFile(path("jsonl") + QStringLiteral("/run.json"))
                                      .value(QStringLiteral("metrics")).toObject().value(QStringLiteral("split")).toObject();
        const int trainSongs = split.value(QStringLiteral("songs_train")).toInt();
        const int validationSongs = split.value(QStringLiteral("songs_validation")).toInt();
        QVERIFY(trainSongs > 0 && validationSongs > 0);
        // WHEN its model and the n-gram baseline are scored with --split-of the run
        const ProcessRun model = runMelodist({QStringLiteral("evaluate-model"), path("jsonl") + QStringLiteral("/best.melodist-model"),
                                              m_dataset, QStringLiteral("--split-of"), path("jsonl"), QStringLiteral("--json")});
        QVERIFY2(model.exitCode == 0, qPrintable(model.err));
        const ProcessRun ngram = runMelodist({QStringLiteral("evaluate-model"), QStringLiteral("ngram:2"), m_dataset,
                                              QStringLiteral("--train-dataset"), m_dataset, QStringLiteral("--split-of"),
                                              path("jsonl"), QStringLiteral("--train-split-of"), path("jsonl"),
                                              QStringLiteral("--json")});
        QVERIFY2(ngram.exitCode == 0, qPrintable(ngram.err));
        const ProcessRun all = runMelodist({QStringLiteral("evaluate-model"), path("jsonl") + QStringLiteral("/best.melodist-model"),
                                            m_dataset, QStringLiteral("--json")});
        QVERIFY2(all.exitCode == 0, qPrintable(all.err));
        // THEN the model sees only the held-out songs, and the n-gram counts only the training songs
        const QJsonObject heldOut = QJsonDocument::fromJson(model.out.toUtf8()).object();
        const QJsonObject baseline = QJsonDocument::fromJson(ngram.out.toUtf8()).object();
        QCOMPARE(heldOut.value(QStringLiteral("songs")).toInt(), validationSongs);
        QCOMPARE(baseline.value(QStringLiteral("songs")).toInt(), validationSongs);
        QCOMPARE(baseline.value(QStringLiteral("train_songs")).toInt(), trainSongs);
        QCOMPARE(QJsonDocument::fromJson(all.out.toUtf8()).object().value(QStringLiteral("songs")).toInt(),
                 trainSongs + validationSongs);
        QVERIFY(heldOut.value(QStringLiteral("symbols")).toInt() < QJsonDocument::fromJson(all.out.toUtf8()).object().value(QStringLiteral("symbols")).toInt());
        // and a folder that is not a run is an error naming its run.json
        const ProcessRun notARun = runMelodist({QStringLiteral("evaluate-model"), QStringLiteral("ngram:2"), m_dataset,
                                                QStringLiteral("--train-dataset"), m_dataset, QStringLiteral("--train-split-of"), m_dataset});
        QCOMPARE(notARun.exitCode, 1);
        QVERIFY2(notARun.err.contains(QStringLiteral("run.json")), qPrintable(notARun.err));
    }

    void killedRunResumesToTheStepsAndWeightsOfAnUninterruptedOne() {
        const QStringList epochs{QStringLiteral("--epochs"), QStringLiteral("40")};
        // GIVEN an uninterrupted run
        const ProcessRun whole = runMelodist(trainArguments(path("whole")) + epochs);
        QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
        const int wholeSteps = readJsonFile(path("whole") + QStringLiteral("/run.json"))
                                   .value(QStringLiteral("metrics")).toObject().value(QStringLiteral("steps")).toInt();
        QVERIFY(wholeSteps > 100);
        // WHEN the same run is killed with SIGKILL after its checkpoint at step 20 or later
        QProcess child;
        child.start(melodistPath(), trainArguments(path("killed")) + epochs +
                                        QStringList{QStringLiteral("--checkpoint-every"), QStringLiteral("4"),
                                                    QStringLiteral("--progress"), QStringLiteral("jsonl")});
        QVERIFY(child.waitForStarted());
        const bool checkpointed = waitForEvent(child, [](const QJsonObject& event) {
            return event.value(QStringLiteral("event")).toString() == QStringLiteral("checkpoint") &&
                   event.value(QStringLiteral("step")).toInt() >= 20;
        });
        QVERIFY2(checkpointed, "no checkpoint event at step 20 or later");
        child.kill();
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        const QJsonObject killed = readJsonFile(path("killed") + QStringLiteral("/run.json"));
        QCOMPARE(killed.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QVERIFY(killed.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("steps")).toInt() < wholeSteps);
        // THEN --resume finishes with the uninterrupted run's step count and weights
        const ProcessRun resumed = runMelodist({QStringLiteral("train"), m_dataset, QStringLiteral("--out"), path("killed"),
                                                QStringLiteral("--resume")});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.err.contains(QStringLiteral("resumed at step")), qPrintable(resumed.err));
        const QJsonObject done = readJsonFile(path("killed") + QStringLiteral("/run.json"));
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("steps")).toInt(), wholeSteps);
        const auto a = melodist::engine::loadCheckpoint((path("whole") + QStringLiteral("/last.melodist-model")).toStdString());
        const auto b = melodist::engine::loadCheckpoint((path("killed") + QStringLiteral("/last.melodist-model")).toStdString());
        QVERIFY(a && b);
        QCOMPARE(a->tensors.size(), b->tensors.size());
        for (const auto& tensor : a->tensors) {
            const auto* other = b->tensor(tensor.name);
            QVERIFY(other && other->values.size() == tensor.values.size());
            QVERIFY2(std::memcmp(tensor.values.data(), other->values.data(), tensor.values.size() * sizeof(float)) == 0,
                     tensor.name.c_str());
        }
    }

    void sigtermSavesAndExitsZero() {
        // GIVEN a long run
        QProcess child;
        child.start(melodistPath(), trainArguments(path("term")) + QStringList{QStringLiteral("--epochs"), QStringLiteral("100000"),
                                                                             QStringLiteral("--progress"), QStringLiteral("jsonl")});
        QVERIFY(child.waitForStarted());
        QVERIFY(waitForEvent(child, [](const QJsonObject& e) { return e.value(QStringLiteral("event")).toString() == QStringLiteral("batch"); }));
        // WHEN it gets SIGTERM
        child.terminate();
        QVERIFY(child.waitForFinished(30000));
        // THEN it saved the last checkpoint, said how to continue and exited 0
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        const QString err = QString::fromUtf8(child.readAllStandardError());
        QVERIFY2(child.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("--resume")), qPrintable(err));
        const QJsonObject run = readJsonFile(path("term") + QStringLiteral("/run.json"));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("stopped"));
        const int steps = run.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("steps")).toInt();
        QVERIFY(steps >= 1);
        QVERIFY(QFile::exists(path("term") + QStringLiteral("/last.melodist-model")));
        // and a resume continues from there
        const ProcessRun resumed = runMelodist({QStringLiteral("train"), m_dataset, QStringLiteral("--out"), path("term"),
                                                QStringLiteral("--resume"), QStringLiteral("--max-steps"),
                                                QString::number(steps + 3)});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        const QJsonObject after = readJsonFile(path("term") + QStringLiteral("/run.json"));
        QCOMPARE(after.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("steps")).toInt(), steps + 3);
        QCOMPARE(after.value(QStringLiteral("options")).toObject().value(QStringLiteral("units")).toInt(), 48);
    }

    void errorsNameTheProblem() {
        // a missing dataset folder
        ProcessRun run = runMelodist({QStringLiteral("train"), path("no-such-data"), QStringLiteral("--out"), path("e1")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(path("no-such-data")) && run.err.contains(QStringLiteral("melodist preprocess")),
                 qPrintable(run.err));
        // a damaged dataset.bin
        const QString damaged = path("damaged");
        QVERIFY(QDir().mkpath(damaged));
        for (const char* name : {"mapping.json", "manifest.json"})
            QVERIFY(QFile::copy(m_dataset + '/' + QLatin1String(name), damaged + '/' + QLatin1String(name)));
        QFile bin(damaged + QStringLiteral("/dataset.bin"));
        QVERIFY(bin.open(QIODevice::WriteOnly));
        bin.write("MLDSET\0\0garbage", 15);
        bin.close();
        run = runMelodist({QStringLiteral("train"), damaged, QStringLiteral("--out"), path("e2")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("dataset.bin")), qPrintable(run.err));
        // bad usage
        run = runMelodist({QStringLiteral("train"), m_dataset, QStringLiteral("--out"), path("e3"), QStringLiteral("--model"),
                           QStringLiteral("rnn")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--model is lstm, gru")), qPrintable(run.err));
        // a position period where positions cannot count from the song's start (windows)
        run = runMelodist({QStringLiteral("train"), m_dataset, QStringLiteral("--out"), path("e5"), QStringLiteral("--model"),
                           QStringLiteral("lstm-attn"), QStringLiteral("--embed"), QStringLiteral("16"),
                           QStringLiteral("--position-period"), QStringLiteral("48")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--position-period needs")) && run.err.contains(QStringLiteral("--batching songs")),
                 qPrintable(run.err));
        // CUDA asked for where there is none
        run = runMelodist(trainArguments(path("e4")) + QStringList{QStringLiteral("--device"), QStringLiteral("cuda"),
                                                                   QStringLiteral("--max-steps"), QStringLiteral("1")});
        if (run.exitCode == 0) QSKIP("this machine has CUDA");
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("CUDA")), qPrintable(run.err));
    }

    void resumeRefusesOtherModelOptions() {
        QCOMPARE(runMelodist(trainArguments(path("other")) + QStringList{QStringLiteral("--max-steps"), QStringLiteral("2")})
                     .exitCode,
                 0);
        const ProcessRun run = runMelodist({QStringLiteral("train"), m_dataset, QStringLiteral("--out"), path("other"),
                                            QStringLiteral("--resume"), QStringLiteral("--units"), QStringLiteral("64")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("--units 64 (the run has 48)")), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TrainCliTest)
#include "TrainCliTest.moc"

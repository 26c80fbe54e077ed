// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist preprocess`, run as a process the way a user (or the studio) runs it.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"

using melodist::test::ProcessRun;
using melodist::test::runMelodist;

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class PreprocessCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_corpus;

    QString out(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_corpus = m_dir.filePath(QStringLiteral("corpus"));
        QVERIFY(QDir().mkpath(m_corpus));
        const QString fixtures = qEnvironmentVariable("MELODIST_TEST_DATA") + QStringLiteral("/corpus/");
        for (const char* name : {"major-g.krn", "minor-d.krn", "c-major.krn", "triplets.krn", "bad-token.krn"})
            QVERIFY(QFile::copy(fixtures + QLatin1String(name), m_corpus + QLatin1Char('/') + QLatin1String(name)));
        QFile empty(m_corpus + QStringLiteral("/empty.mid"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
    }

    void printsAOneLineSummaryAndTheReasonsGrouped() {
        // WHEN the corpus is preprocessed
        const ProcessRun run = runMelodist({QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("summary")});
        // THEN one line counts everything, and each skip or failure is named with its reason
        QCOMPARE(run.exitCode, 0);
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.value(0).startsWith(QStringLiteral("preprocess: 6 files: 3 kept, 1 skipped (1 durations), "
                                                          "2 failed (1 empty file, 1 kern); 17 symbols, 156 steps; ")),
                 qPrintable(run.out));
        QVERIFY2(lines.value(0).endsWith(QStringLiteral(" s")), qPrintable(lines.value(0)));
        QVERIFY(run.out.contains(QStringLiteral("skipped, durations (1):\n  ") + m_corpus +
                                 QStringLiteral("/triplets.krn: duration 1/3")));
        QVERIFY(run.out.contains(QStringLiteral("failed, kern (1):\n  ") + m_corpus +
                                 QStringLiteral("/bad-token.krn line 8")));
        QVERIFY(run.out.contains(QStringLiteral("empty.mid: the file is empty")));
        for (const char* name : {"songs.txt", "file_dataset", "mapping.json", "dataset.bin", "manifest.json"})
            QVERIFY2(QFile::exists(out("summary") + QLatin1Char('/') + QLatin1String(name)), name);
    }

    void secondRunSaysUpToDateAndForceRebuilds() {
        // GIVEN a dataset made once
        QCOMPARE(runMelodist({QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("cache")}).exitCode, 0);
        // WHEN the same command runs again, then with --force
        const ProcessRun again = runMelodist({QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("cache")});
        const ProcessRun forced = runMelodist(
            {QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("cache"), QStringLiteral("--force")});
        // THEN the second says up to date with the same counts; --force recomputes
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.startsWith(QStringLiteral("preprocess: up to date: 6 files: 3 kept")),
                 qPrintable(again.out));
        QVERIFY(again.out.contains(QStringLiteral("triplets.krn")));  // the reasons come from the manifest
        QCOMPARE(forced.exitCode, 0);
        QVERIFY2(forced.out.startsWith(QStringLiteral("preprocess: 6 files: 3 kept")), qPrintable(forced.out));
    }

    void jobsDoNotChangeTheOutput() {
        const ProcessRun one = runMelodist({QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("j1"),
                                  QStringLiteral("--jobs"), QStringLiteral("1")});
        const ProcessRun two = runMelodist(
            {QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("j2"), QStringLiteral("--jobs=2")});
        QCOMPARE(one.exitCode, 0);
        QCOMPARE(two.exitCode, 0);
        for (const char* name : {"songs.txt", "file_dataset", "mapping.json", "dataset.bin"})
            QVERIFY2(readAll(out("j1") + QLatin1Char('/') + QLatin1String(name)) ==
                         readAll(out("j2") + QLatin1Char('/') + QLatin1String(name)),
                     name);
    }

    void progressJsonlPutsOnlyJsonOnStdout() {
        // WHEN run with --progress jsonl
        const ProcessRun run = runMelodist({QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("jsonl"),
                                  QStringLiteral("--progress"), QStringLiteral("jsonl")});
        // THEN every stdout line is a JSON event: start, progress up to the total, done with the summary
        QCOMPARE(run.exitCode, 0);
        QStringList events;
        QJsonObject done;
        for (const QString& line : run.out.split('\n', Qt::SkipEmptyParts)) {
            const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8());
            QVERIFY2(document.isObject(), qPrintable(line));
            events << document.object().value(QStringLiteral("event")).toString();
            if (events.last() == QStringLiteral("done")) done = document.object();
        }
        QCOMPARE(events.first(), QStringLiteral("start"));
        QVERIFY(events.contains(QStringLiteral("progress")));
        QCOMPARE(events.last(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("kept")).toInt(), 3);
        QCOMPARE(done.value(QStringLiteral("failed")).toInt(), 2);
        QCOMPARE(done.value(QStringLiteral("up_to_date")).toBool(), false);
        // and the human report goes to stderr
        QVERIFY2(run.err.startsWith(QStringLiteral("preprocess: 6 files")), qPrintable(run.err));
    }

    void durationsOptionAcceptsTriplets() {
        const ProcessRun run = runMelodist({QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("triplets"),
                                  QStringLiteral("--durations"), QStringLiteral("1/3,0.25,0.5,0.75,1,1.5,2,3,4"),
                                  QStringLiteral("--time-step"), QStringLiteral("1/12")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith(QStringLiteral("preprocess: 6 files: 4 kept, 0 skipped")), qPrintable(run.out));
    }

    void badUsageIsExitTwoAndNamesTheProblem() {
        const ProcessRun noOut = runMelodist({QStringLiteral("preprocess"), m_corpus});
        QCOMPARE(noOut.exitCode, 2);
        QVERIFY2(noOut.err.contains(QStringLiteral("--out DIR")), qPrintable(noOut.err));
        const ProcessRun badDuration = runMelodist({QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("bad"),
                                          QStringLiteral("--durations"), QStringLiteral("1,x")});
        QCOMPARE(badDuration.exitCode, 2);
        QVERIFY2(badDuration.err.contains(QStringLiteral("'x'")), qPrintable(badDuration.err));
        const ProcessRun badEncoding = runMelodist({QStringLiteral("preprocess"), m_corpus, QStringLiteral("--out"), out("bad"),
                                          QStringLiteral("--encoding"), QStringLiteral("notes")});
        QCOMPARE(badEncoding.exitCode, 2);
        QVERIFY(badEncoding.err.contains(QStringLiteral("steps or chords")));
        const ProcessRun help = runMelodist({QStringLiteral("--help")});
        QVERIFY(help.out.contains(QStringLiteral("\n  preprocess ")));
    }

    void nothingKeptOrAMissingInputIsExitOne() {
        const ProcessRun missing = runMelodist({QStringLiteral("preprocess"), m_dir.filePath(QStringLiteral("nowhere")),
                                      QStringLiteral("--out"), out("none")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("nowhere does not exist")), qPrintable(missing.err));
        const ProcessRun allBad = runMelodist({QStringLiteral("preprocess"), m_corpus + QStringLiteral("/bad-token.krn"),
                                     QStringLiteral("--out"), out("allbad")});
        QCOMPARE(allBad.exitCode, 1);
        QVERIFY2(allBad.err.contains(QStringLiteral("no song was kept")), qPrintable(allBad.err));
    }

    void wholeEssenCorpusPreprocessesWithoutFailures() {
        const QString essen = qEnvironmentVariable("MELODIST_SHARED_DIR") + QStringLiteral("/corpora/essen-deutschl");
        if (!QDir(essen).exists())
            QSKIP("../shared/corpora is absent (set MELODIST_SHARED_DIR): real-corpus test skipped");
        QElapsedTimer timer;
        timer.start();
        const ProcessRun run = runMelodist({QStringLiteral("preprocess"), essen, QStringLiteral("--out"), out("essen")});
        const qint64 ms = timer.elapsed();
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith(QStringLiteral("preprocess: 5,046 files: ")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral(" 0 failed;")), qPrintable(run.out));
        qInfo("essen-deutschl: %lld ms, %s", ms, qPrintable(run.out.section('\n', 0, 0)));
        // A generous bound (the benchmark in bench/ holds the real goal, 0.5 s): this
        // only catches an order-of-magnitude regression on a busy test machine.
        QVERIFY2(ms < 5000, qPrintable(QString::number(ms)));
    }
};

QTEST_GUILESS_MAIN(PreprocessCliTest)
#include "PreprocessCliTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The studio loads the default bundled model on its start-up probe (a worker thread) and
// names it in the status bar: "Model: folk (bundled)", or "Model: none — <reason>" when
// $MELODIST_MODELS_DIR holds no folk. A tiny random LSTM stands in for the shipped model.
#include "ui/MainWindow.h"

#include "engine/keras/RandomLstmWeights.h"
#include "engine/model/LstmCheckpoint.h"
#include "tests/engine/GenerationTestModels.h"

#include <QDir>
#include <QLabel>
#include <QTemporaryDir>
#include <QtTest>

class StudioModelStatusTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void statusBarNamesTheBundledDefaultModel() {
        // GIVEN a models folder holding folk
        QVERIFY(m_dir.isValid());
        const QString models = m_dir.filePath(QStringLiteral("models"));
        QVERIFY(QDir().mkpath(models));
        using namespace melodist::engine;
        const std::vector<std::string> symbols = melodist::test::testVocabulary();
        const Result<void> saved = saveCheckpoint(
            makeLstmCheckpoint(randomLstmWeights(static_cast<int>(symbols.size()), {8}, /*seed=*/4, 0.5f),
                               Vocabulary::fromSymbols(symbols),
                               {{"context", {{"default", 16}, {"seed_padding", 16}, {"padding_symbol", "/"}}}}),
            (models + QStringLiteral("/folk.melodist-model")).toStdString());
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().c_str());
        qputenv("MELODIST_MODELS_DIR", models.toUtf8());
        // WHEN the studio's window starts
        melodist::ui::MainWindow window;
        window.show();
        auto* label = window.findChild<QLabel*>(QStringLiteral("statusModel"));
        QVERIFY(label);
        // THEN once the probe is back the status bar names it, and the window keeps the model
        QTRY_COMPARE_WITH_TIMEOUT(label->text(), QStringLiteral("Model: folk (bundled)"), 30000);
        QVERIFY(label->toolTip().contains(models + QStringLiteral("/folk.melodist-model")));
        QVERIFY(window.findChild<QObject*>(QStringLiteral("defaultModel")) != nullptr);
    }

    void statusBarSaysWhyThereIsNoModel() {
        // GIVEN a models folder without folk
        const QString empty = m_dir.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(empty));
        qputenv("MELODIST_MODELS_DIR", empty.toUtf8());
        melodist::ui::MainWindow window;
        window.show();
        auto* label = window.findChild<QLabel*>(QStringLiteral("statusModel"));
        QVERIFY(label);
        // THEN the status bar says none and why; the whole message is its tooltip
        QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(QStringLiteral("Model: none \u2014 no bundled model 'folk'")), 30000);
        QVERIFY2(label->toolTip().contains(empty), qPrintable(label->toolTip()));
        QVERIFY(window.findChild<QObject*>(QStringLiteral("defaultModel")) == nullptr);
    }
};

QTEST_MAIN(StudioModelStatusTest)
#include "StudioModelStatusTest.moc"

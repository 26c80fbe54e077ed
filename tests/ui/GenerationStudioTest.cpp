// SPDX-License-Identifier: GPL-3.0-or-later
// Generation in the whole studio window (offscreen): the Generate menu holds Continue /
// Regenerate Selection / Variations with their shortcuts; Continue asked before the
// start-up probe has loaded the default model waits for it ("Loading model...") instead
// of failing; notes drawn with the mouse are continued with the probe's model; the
// candidates are listed in the Candidates dock and one is accepted with its button.
#include "ui/MainWindow.h"
#include "ui/pianoroll/PianoRollView.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>

#include "tests/ui/GenerationTestRig.h"

using namespace melodist;
using engine::Rational;

namespace {

QMenu* menuNamed(QMainWindow& window, const char* name) { return window.findChild<QMenu*>(QString::fromLatin1(name)); }

// Drags in the roll from (onset, pitch) to the end time: one drawn note.
void drawNote(ui::PianoRollView* roll, int pitch, Rational onset, Rational end) {
    const QPoint from = roll->pointFor(onset, pitch).toPoint() + QPoint(2, 0);
    const QPoint to = roll->pointFor(end, pitch).toPoint() - QPoint(2, 0);
    QTest::mousePress(roll->viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(roll->viewport(), to);
    QTest::mouseRelease(roll->viewport(), Qt::LeftButton, Qt::NoModifier, to);
}

}  // namespace

class GenerationStudioTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_config;

private slots:
    void initTestCase() {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("JACK_NO_START_SERVER", "1");
        if (const QString why = test::prepareBundledModels(); !why.isEmpty()) QSKIP(qPrintable(why));
    }

    void theGenerateMenuHoldsTheActions() {
        ui::MainWindow window;
        QMenu* generate = menuNamed(window, "menuGenerate");
        QVERIFY(generate);
        QStringList names;
        for (QAction* action : generate->actions())
            if (!action->isSeparator()) names << action->objectName();
        QCOMPARE(names, (QStringList{"actionContinue", "actionRegenerate", "actionVariations", "actionCancelGeneration"}));
        QCOMPARE(window.findChild<QAction*>(QStringLiteral("actionContinue"))->shortcut(), QKeySequence(QStringLiteral("Ctrl+G")));
        QCOMPARE(window.findChild<QAction*>(QStringLiteral("actionRegenerate"))->shortcut(),
                 QKeySequence(QStringLiteral("Ctrl+Shift+G")));
        QCOMPARE(window.findChild<QAction*>(QStringLiteral("actionVariations"))->shortcut(),
                 QKeySequence(QStringLiteral("Ctrl+Alt+G")));
        QVERIFY(!window.findChild<QAction*>(QStringLiteral("actionCancelGeneration"))->isEnabled());  // Esc stays the roll's
        QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("generationPanel")));
        QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("candidatesPanel")));
        QVERIFY(window.findChild<QToolBar*>(QStringLiteral("transportBar")));
        QVERIFY(window.findChild<QAction*>(QStringLiteral("actionShowGenerationPanel")));
        // AND every control a user sees there says what it does
        for (const char* name : {"generationModel", "generationTempo", "generationComplexity", "generationExpertToggle",
                                 "generationTemperature", "generationTopK", "generationTopP", "generationLength",
                                 "generationCandidates", "generationRangeLow", "generationRandomSeed", "seedText",
                                 "seedTextUse", "candidateList", "transportTempo", "transportInstrument"}) {
            auto* widget = window.findChild<QWidget*>(QString::fromLatin1(name));
            QVERIFY2(widget, name);
            QVERIFY2(!widget->toolTip().isEmpty(), name);
        }
    }

    void continueBeforeTheModelIsLoadedWaitsForItThenAcceptsFromTheButton() {
        // GIVEN the studio just started (its probe still loading the default model)
        ui::MainWindow window;
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* generation = window.findChild<ui::GenerationController*>(QStringLiteral("generationController"));
        QVERIFY(generation);
        ui::ProjectDocument* document = window.document();
        // AND four notes drawn with the mouse
        ui::PianoRollView* roll = window.pianoRoll();
        roll->scrollToQuarters(0);
        roll->centreOnPitch(67);
        const int pitches[] = {67, 67, 65, 64};
        for (int i = 0; i < 4; ++i) drawNote(roll, pitches[i], Rational(i), Rational(i + 1));
        QCOMPARE(document->notes().size(), size_t(4));
        const engine::Project drawn = document->toProject();
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(drawn.notes[static_cast<size_t>(i)].note.onset, Rational(i));
            QCOMPARE(drawn.notes[static_cast<size_t>(i)].note.pitch, pitches[i]);
        }
        engine::Project settings = document->settings();
        settings.generation.candidates = 2;
        settings.generation.lengthBars = 2;
        document->changeSettings(settings, QStringLiteral("test"));
        // WHEN Continue is asked for at once (Ctrl+G's action)
        QSignalSpy finished(generation, &ui::GenerationController::finished);
        QAction* continueAction = window.findChild<QAction*>(QStringLiteral("actionContinue"));
        const bool probeStillLoading = window.findChild<QObject*>(QStringLiteral("defaultModel")) == nullptr;
        continueAction->trigger();
        // THEN it waits for the model rather than failing (the button says so while it does)
        QVERIFY(generation->isBusy());
        if (probeStillLoading) {
            QVERIFY(generation->isWaitingForModel());
            QCOMPARE(continueAction->text(), QStringLiteral("Loading model..."));
        } else {
            qInfo("the probe had loaded the model already; the waiting state was not observable");
        }
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(continueAction->text(), QStringLiteral("&Continue"));
        // AND the two candidates continue the drawn notes from quarter 4
        auto* candidates = window.findChild<ui::CandidatesPanel*>(QStringLiteral("candidatesPanel"));
        QCOMPARE(candidates->candidateCount(), 2);
        for (const ui::Candidate& candidate : generation->candidates()) QCOMPARE(candidate.start, Rational(4));
        // WHEN one is selected and accepted with the Accept button
        candidates->selectCandidate(0);
        QCOMPARE(document->preview().size(), generation->candidates()[0].notes.size());
        const size_t added = generation->candidates()[0].notes.size();
        QTest::mouseClick(window.findChild<QToolButton*>(QStringLiteral("acceptCandidate")), Qt::LeftButton);
        // THEN the roll holds the seed and the generated notes; one undo removes them
        QCOMPARE(document->notes().size(), 4 + added);
        window.undoStack()->undo();
        QCOMPARE(document->notes().size(), size_t(4));
        QVERIFY(window.findChild<QObject*>(QStringLiteral("audioController")));
    }
};

QTEST_MAIN(GenerationStudioTest)
#include "GenerationStudioTest.moc"

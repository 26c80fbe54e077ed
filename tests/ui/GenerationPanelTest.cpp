// SPDX-License-Identifier: GPL-3.0-or-later
// The Generation panel and its controller with the bundled folk model (offscreen):
// Continue gives N candidates of the requested length after the seed -- in the
// project's key when the scale constraint is on -- while the UI thread stays responsive
// (a 10 ms timer's largest gap, the latency probe); Continue from the selection's
// end; Cancel stops a long run; the seed text field; Regenerate Selection replaces only
// the selected span (one undo step); Variations keep the first bar; the settings are the
// project's (undoable, saved and reopened).
#include "engine/generation/Complexity.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QUndoStack>

#include "tests/ui/GenerationTestRig.h"

using namespace melodist;
using engine::Rational;
using test::GenerationRig;
using test::seedNote;

namespace {

constexpr int kGenerationTimeoutMs = 120000;

// C D E F G A B C ... in quarter notes from `from`.
std::vector<engine::ProjectNote> scaleNotes(int count, Rational from = 0, int tonic = 60) {
    static const int kSteps[] = {0, 2, 4, 5, 7, 9, 11, 12};
    std::vector<engine::ProjectNote> notes;
    for (int i = 0; i < count; ++i) notes.push_back(seedNote(tonic + kSteps[i % 8], from + Rational(i), 1));
    return notes;
}

bool waitFinished(QSignalSpy& spy) { return spy.count() > 0 || spy.wait(kGenerationTimeoutMs); }

}  // namespace

class GenerationPanelTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_config;

private slots:
    void initTestCase() {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());  // recent models go to a throw-away QSettings
        if (const QString why = test::prepareBundledModels(); !why.isEmpty()) QSKIP(qPrintable(why));
    }

    void continueGivesCandidatesOfTheLengthInTheKeyWithoutBlockingTheUi() {
        // GIVEN a seed in D major, the project in D major, 3 candidates of 2 bars, the scale constraint on
        GenerationRig rig;
        rig.document.addNotes({seedNote(62, 0, 1), seedNote(64, 1, 1), seedNote(66, 2, 1), seedNote(67, 3, Rational(1, 2)),
                               seedNote(69, Rational(7, 2), Rational(1, 2))},
                              QStringLiteral("seed"));
        engine::Project project = rig.document.settings();
        project.key = *engine::parseScaleKey("D major");
        rig.document.changeSettings(project, QStringLiteral("key"));
        rig.find<QToolButton>("generationExpertToggle")->click();
        QVERIFY(rig.find<QWidget>("generationExpert")->isVisible());
        rig.find<QSpinBox>("generationCandidates")->setValue(3);
        rig.find<QSpinBox>("generationLength")->setValue(2);
        QVERIFY(rig.find<QCheckBox>("generationUseKey")->isEnabled());
        rig.find<QCheckBox>("generationUseKey")->click();
        QVERIFY(rig.document.settings().generation.useKey);
        // WHEN Continue is clicked, with a 10 ms timer watching the UI thread
        QSignalSpy finished(&rig.generation, &ui::GenerationController::finished);
        test::LatencyProbe probe;
        probe.start();
        QTest::mouseClick(rig.find<QToolButton>("generationContinue"), Qt::LeftButton);
        QVERIFY(rig.generation.isBusy());
        QVERIFY(waitFinished(finished));
        probe.stop();
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        // THEN the UI thread never stalled past 50 ms
        qInfo("UI thread: largest gap between 10 ms ticks during generation %.1f ms (%d ticks)", probe.maxGapMs(),
              probe.ticks());
        QVERIFY2(probe.maxGapMs() < 50.0, qPrintable(QString::number(probe.maxGapMs())));
        // AND 3 candidates, each 2 bars after the seed's end (4), all notes generated and in D major
        QCOMPARE(rig.candidates->candidateCount(), 3);
        const std::array<bool, 12> scale = engine::parseScaleKey("D major")->pitchClasses();
        for (const ui::Candidate& candidate : rig.generation.candidates()) {
            QCOMPARE(candidate.start, Rational(4));
            QCOMPARE(candidate.end, Rational(12));
            QVERIFY(!candidate.notes.empty());
            QVERIFY(candidate.replaces.isEmpty());
            for (const engine::ProjectNote& note : candidate.notes) {
                QVERIFY(note.generated);
                QVERIFY2(note.note.onset >= Rational(4) && note.note.end() <= Rational(12), qPrintable(test::describe(note.note)));
                QVERIFY2(scale[static_cast<size_t>(note.note.pitch % 12)], qPrintable(test::describe(note.note)));
            }
        }
        QVERIFY(rig.candidates->candidateText(0).startsWith(QStringLiteral("Candidate 1 \u2014 ")));
        QVERIFY(rig.candidates->candidateText(0).contains(QStringLiteral("2 bars")));
        // AND selecting one previews it in the roll; accepting adds it as one undo step
        rig.candidates->selectCandidate(1);
        QCOMPARE(rig.document.preview().size(), rig.generation.candidates()[1].notes.size());
        const size_t added = rig.generation.candidates()[1].notes.size();
        const int steps = rig.document.undoStack()->count();
        QTest::mouseClick(rig.find<QToolButton>("acceptCandidate"), Qt::LeftButton);
        QCOMPARE(rig.document.notes().size(), 5 + added);
        QCOMPARE(rig.document.undoStack()->count(), steps + 1);
        QCOMPARE(rig.candidates->candidateCount(), 0);
        QVERIFY(rig.document.preview().empty());
        int generated = 0;
        for (const auto& [id, note] : rig.document.notes()) generated += note.generated ? 1 : 0;
        QCOMPARE(static_cast<size_t>(generated), added);
        rig.document.undoStack()->undo();
        QCOMPARE(rig.document.notes().size(), size_t(5));
    }

    void continueFromTheSelectionStartsAtItsEnd() {
        // GIVEN two bars of notes with the first bar's notes selected
        GenerationRig rig;
        const QList<ui::NoteId> ids = rig.document.addNotes(scaleNotes(8), QStringLiteral("seed"));
        rig.document.setSelection({ids[0], ids[1], ids[2], ids[3]});
        rig.setGeneration([](engine::GenerationSettings& g) {
            g.candidates = 2;
            g.lengthBars = 1;
        });
        // WHEN Continue runs
        QSignalSpy finished(&rig.generation, &ui::GenerationController::finished);
        QVERIFY(rig.generation.continueMelody());
        QVERIFY(waitFinished(finished));
        QVERIFY(finished.first().at(0).toBool());
        // THEN the candidates follow the selection's end (bar 2), not the roll's end
        for (const ui::Candidate& candidate : rig.generation.candidates()) {
            QCOMPARE(candidate.start, Rational(4));
            for (const engine::ProjectNote& note : candidate.notes) QVERIFY(note.note.onset >= Rational(4) && note.note.end() <= Rational(8));
        }
    }

    void cancelStopsALongGeneration() {
        // GIVEN a long request: 16 candidates of 64 bars
        GenerationRig rig;
        rig.document.addNotes(scaleNotes(4), QStringLiteral("seed"));
        rig.setGeneration([](engine::GenerationSettings& g) {
            g.candidates = 16;
            g.lengthBars = 64;
        });
        QSignalSpy finished(&rig.generation, &ui::GenerationController::finished);
        test::LatencyProbe probe;  // a run of seconds: the UI thread watched for 2 s of it
        probe.start();
        QVERIFY(rig.generation.continueMelody());
        QTRY_VERIFY_WITH_TIMEOUT(rig.generation.progress() > 0.0, 60000);
        QTest::qWait(2000);
        probe.stop();
        qInfo("UI thread: largest gap between 10 ms ticks during 2 s of a long generation %.1f ms (%d ticks, %.0f %% done)",
              probe.maxGapMs(), probe.ticks(), rig.generation.progress() * 100.0);
        QVERIFY2(probe.maxGapMs() < 50.0, qPrintable(QString::number(probe.maxGapMs())));
        QVERIFY(rig.generation.isBusy());
        // WHEN Cancel is clicked
        auto* cancel = rig.find<QToolButton>("generationCancel");
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        // THEN it stops soon, says so, and leaves no candidates
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("Generation cancelled"));
        QVERIFY(rig.generation.candidates().empty());
        QVERIFY(!rig.generation.isBusy());
        QVERIFY(!cancel->isEnabled());
        QVERIFY(rig.find<QToolButton>("generationContinue")->isEnabled());
    }

    void seedTextBecomesTheRollsNotes() {
        // GIVEN a roll with one note
        GenerationRig rig;
        rig.document.addNote(seedNote(50, 0, 1));
        auto* text = rig.find<QLineEdit>("seedText");
        QVERIFY(text);
        // WHEN the seeds' notation is typed and used
        QTest::keyClicks(text, QStringLiteral("67 _ 67 _ 65 r 64 _ _ _"));
        rig.find<QToolButton>("seedTextUse")->click();
        // THEN the roll holds exactly those notes, as seed notes
        const engine::Project project = rig.document.toProject();
        QCOMPARE(project.notes.size(), size_t(4));
        QCOMPARE(project.notes[0].note, test::makeNote(67, 0, Rational(1, 2)));
        QCOMPARE(project.notes[1].note, test::makeNote(67, Rational(1, 2), Rational(1, 2)));
        QCOMPARE(project.notes[2].note, test::makeNote(65, 1, Rational(1, 4)));
        QCOMPARE(project.notes[3].note, test::makeNote(64, Rational(3, 2), 1));
        QVERIFY(!project.notes[0].generated);
        // AND one undo brings the old note back
        rig.document.undoStack()->undo();
        QCOMPARE(rig.document.toProject().notes.size(), size_t(1));
        // AND text that is not the notation changes nothing and says where it is wrong
        QSignalSpy status(rig.panel, &ui::GenerationPanel::statusMessage);
        QVERIFY(!rig.panel->useSeedText(QStringLiteral("67 _ x7 _")));
        QCOMPARE(rig.document.toProject().notes.size(), size_t(1));
        QVERIFY2(status.last().at(0).toString().contains(QStringLiteral("x7")), qPrintable(status.last().at(0).toString()));
    }

    void regenerateSelectionReplacesOnlyTheSelectedSpan() {
        // GIVEN four bars of quarter notes, the second bar selected
        GenerationRig rig;
        const QList<ui::NoteId> ids = rig.document.addNotes(scaleNotes(16), QStringLiteral("seed"));
        const engine::Project before = rig.document.toProject();
        QSet<ui::NoteId> selected;
        for (int i = 4; i < 8; ++i) selected.insert(ids[i]);
        rig.document.setSelection(selected);
        rig.setGeneration([](engine::GenerationSettings& g) { g.candidates = 2; });
        // WHEN Regenerate Selection runs (its button)
        QSignalSpy finished(&rig.generation, &ui::GenerationController::finished);
        QTest::mouseClick(rig.find<QToolButton>("generationRegenerate"), Qt::LeftButton);
        QVERIFY(waitFinished(finished));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        // THEN each candidate fills [4, 8) and replaces exactly the selected notes
        QCOMPARE(rig.generation.candidates().size(), size_t(2));
        for (const ui::Candidate& candidate : rig.generation.candidates()) {
            QCOMPARE(candidate.replaces, selected);
            for (const engine::ProjectNote& note : candidate.notes)
                QVERIFY2(note.note.onset >= Rational(4) && note.note.end() <= Rational(8), qPrintable(test::describe(note.note)));
        }
        // WHEN the best is accepted
        const ui::Candidate best = rig.generation.candidates()[0];
        QVERIFY(rig.candidates->acceptCandidate(0));
        // THEN outside the span nothing changed, inside it is the candidate's music
        std::vector<engine::Note> outside, inside;
        for (const engine::ProjectNote& note : rig.document.toProject().notes) {
            if (note.note.onset < Rational(4) || !(note.note.onset < Rational(8))) outside.push_back(note.note);
            else inside.push_back(note.note);
        }
        std::vector<engine::Note> expectedOutside;
        for (const engine::ProjectNote& note : before.notes)
            if (note.note.onset < Rational(4) || !(note.note.onset < Rational(8))) expectedOutside.push_back(note.note);
        QCOMPARE(outside, expectedOutside);
        QCOMPARE(inside.size(), best.notes.size());
        // AND one undo gives the original back
        rig.document.undoStack()->undo();
        QCOMPARE(rig.document.toProject().notes, before.notes);
    }

    void regenerateWithoutASelectionSaysWhatToDo() {
        GenerationRig rig;
        rig.document.addNotes(scaleNotes(4), QStringLiteral("seed"));
        QVERIFY(!rig.generation.regenerateSelection());
        QVERIFY(rig.generation.lastError().contains(QStringLiteral("Select")));
        QVERIFY(!rig.generation.isBusy());
    }

    void variationsKeepTheFirstBarOfTheLastGeneratedPhrase() {
        // GIVEN a seed bar and two bars of generated notes, nothing selected
        GenerationRig rig;
        std::vector<engine::ProjectNote> notes = scaleNotes(4);
        for (engine::ProjectNote note : scaleNotes(8, 4, 67)) {
            note.generated = true;
            notes.push_back(note);
        }
        rig.document.addNotes(notes, QStringLiteral("song"));
        rig.setGeneration([](engine::GenerationSettings& g) { g.candidates = 3; });
        // WHEN Variations runs
        QSignalSpy finished(&rig.generation, &ui::GenerationController::finished);
        QVERIFY(rig.generation.makeVariations());
        QVERIFY(waitFinished(finished));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        // THEN 3 variations of the phrase's second bar [8, 12), replacing the notes there
        QCOMPARE(rig.generation.candidates().size(), size_t(3));
        for (const ui::Candidate& candidate : rig.generation.candidates()) {
            QCOMPARE(candidate.start, Rational(8));
            QCOMPARE(candidate.end, Rational(12));
            QCOMPARE(candidate.replaces.size(), qsizetype(4));
            for (const engine::ProjectNote& note : candidate.notes) QVERIFY(note.note.onset >= Rational(8) && note.note.end() <= Rational(12));
        }
    }

    void settingsAreTheProjectsUndoableAndSaved() {
        GenerationRig rig;
        auto* complexity = rig.find<QSlider>("generationComplexity");
        const int before = rig.document.undoStack()->count();
        // WHEN Complexity moves (twice: one undo step)
        complexity->setValue(70);
        complexity->setValue(80);
        // THEN temperature follows it, and the project holds it
        const engine::GenerationSettings& g = rig.document.settings().generation;
        QCOMPARE(g.complexity, 0.8);
        QVERIFY(!g.expert);
        QCOMPARE(g.temperature, engine::complexitySettings(0.8).temperature);
        QCOMPARE(rig.document.undoStack()->count(), before + 1);
        QVERIFY(qAbs(rig.find<QDoubleSpinBox>("generationTemperature")->value() - engine::complexitySettings(0.8).temperature) < 0.006);
        // WHEN an expert value is set directly
        rig.find<QDoubleSpinBox>("generationTemperature")->setValue(1.3);
        rig.find<QSpinBox>("generationCandidates")->setValue(7);
        rig.find<QSpinBox>("generationTopK")->setValue(12);
        rig.find<QSpinBox>("generationTempo")->setValue(96);
        QVERIFY(rig.document.settings().generation.expert);
        QCOMPARE(rig.document.settings().generation.temperature, 1.3f);
        QCOMPARE(rig.document.settings().tempoBpm, 96.0);
        // THEN saving and reading the project keeps every one
        const engine::Project saved = rig.document.toProject();
        const engine::Result<engine::Project> read = engine::parseProjectJson(engine::projectToJson(saved), "test.melodist");
        QVERIFY(read.ok());
        QCOMPARE(read->generation, saved.generation);
        // AND a reopened project shows its own settings in the panel
        engine::Project other = saved;
        other.generation.complexity = 0.25;
        other.generation.expert = false;
        other.generation.candidates = 9;
        rig.document.resetTo(other, QString());
        QCOMPARE(complexity->value(), 25);
        QCOMPARE(rig.find<QSpinBox>("generationCandidates")->value(), 9);
        // AND undo goes back through the settings edits
        rig.find<QSpinBox>("generationCandidates")->setValue(4);
        rig.document.undoStack()->undo();
        QCOMPARE(rig.find<QSpinBox>("generationCandidates")->value(), 9);
    }

    void theModelPickerListsTheBundledModels() {
        GenerationRig rig;
        auto* model = rig.find<QComboBox>("generationModel");
        QTRY_VERIFY_WITH_TIMEOUT(model->findText(QStringLiteral("Piano (bundled)")) >= 0, 30000);
        QCOMPARE(model->itemText(0), QStringLiteral("Folk songs (bundled)"));
        QCOMPARE(model->itemData(0).toString(), QStringLiteral("default"));
        QVERIFY(model->findText(QStringLiteral("Other model file...")) >= 0);
        // WHEN the piano style is chosen THEN the project names it and it loads off the UI thread
        model->setCurrentIndex(model->findText(QStringLiteral("Piano (bundled)")));
        emit model->activated(model->currentIndex());
        QCOMPARE(rig.document.settings().generation.model, std::string("piano"));
        QTRY_COMPARE_WITH_TIMEOUT(rig.generation.models()->state(), ui::ModelProvider::State::Ready, 60000);
        // AND it continues a seed (chords notation) after the seed
        rig.document.addNotes(scaleNotes(4), QStringLiteral("seed"));
        rig.setGeneration([](engine::GenerationSettings& g) {
            g.candidates = 2;
            g.lengthBars = 1;
        });
        QSignalSpy finished(&rig.generation, &ui::GenerationController::finished);
        QVERIFY(rig.generation.continueMelody());
        QVERIFY(waitFinished(finished));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        for (const ui::Candidate& candidate : rig.generation.candidates())
            for (const engine::ProjectNote& note : candidate.notes)
                QVERIFY(note.note.onset >= candidate.start && note.note.end() <= candidate.start + Rational(4));
        // AND regenerating with it says why it cannot
        rig.document.selectAll();
        QSignalSpy again(&rig.generation, &ui::GenerationController::finished);
        rig.generation.regenerateSelection();
        QVERIFY(again.count() > 0 || again.wait(10000));
        QVERIFY(!again.first().at(0).toBool());
        QVERIFY2(again.first().at(1).toString().contains(QStringLiteral("chords")), qPrintable(again.first().at(1).toString()));
    }
};

QTEST_MAIN(GenerationPanelTest)
#include "GenerationPanelTest.moc"

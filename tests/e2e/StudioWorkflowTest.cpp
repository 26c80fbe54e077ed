// SPDX-License-Identifier: GPL-3.0-or-later
// The studio's whole workflow, as issue #7 asks it to be shown, in a real X server (Xvfb)
// with the real widgets: four notes drawn with the mouse, undone and redone from the Edit
// menu's actions, two candidates asked for in the generation panel and made by the bundled
// folk model, one auditioned and accepted with its button, a screenshot of the window
// (seed and generated notes) saved into the build tree for review, the song exported to
// MIDI, and that file read back -- and imported into a new project -- with the same notes.
#include "ui/MainWindow.h"
#include "ui/document/ProjectDocument.h"
#include "ui/files/FileController.h"
#include "ui/pianoroll/PianoRollView.h"

#include "engine/io/MidiFile.h"

#include <QAction>
#include <QDir>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUndoStack>

#include "tests/ui/GenerationTestRig.h"

using namespace melodist;
using engine::Rational;

namespace {

void drawNote(ui::PianoRollView* roll, int pitch, Rational onset, Rational end) {
    const QPoint from = roll->pointFor(onset, pitch).toPoint() + QPoint(2, 0);
    const QPoint to = roll->pointFor(end, pitch).toPoint() - QPoint(2, 0);
    QTest::mousePress(roll->viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(roll->viewport(), to);
    QTest::mouseRelease(roll->viewport(), Qt::LeftButton, Qt::NoModifier, to);
}

// (pitch, onset, duration, velocity) of every note, by onset then pitch: what MIDI keeps.
using NoteKey = std::tuple<int, Rational, Rational, int>;
std::vector<NoteKey> noteKeys(const std::vector<engine::Note>& notes) {
    std::vector<NoteKey> keys;
    for (const engine::Note& note : notes) keys.emplace_back(note.pitch, note.onset, note.duration, note.velocity);
    std::sort(keys.begin(), keys.end(), [](const NoteKey& a, const NoteKey& b) {
        return std::tie(std::get<1>(a), std::get<0>(a), std::get<2>(a), std::get<3>(a)) <
               std::tie(std::get<1>(b), std::get<0>(b), std::get<2>(b), std::get<3>(b));
    });
    return keys;
}
std::vector<engine::Note> notesOf(const engine::Project& project) {
    std::vector<engine::Note> notes;
    for (const engine::ProjectNote& note : project.notes) notes.push_back(note.note);
    return notes;
}

}  // namespace

class StudioWorkflowTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", (m_home.path() + QStringLiteral("/config")).toUtf8());
        qputenv("XDG_DATA_HOME", (m_home.path() + QStringLiteral("/data")).toUtf8());
        qputenv("JACK_NO_START_SERVER", "1");
        if (const QString why = test::prepareBundledModels(); !why.isEmpty()) QSKIP(qPrintable(why));
    }

    void drawUndoRedoGenerateAcceptExportReimport() {
        ui::MainWindow window;
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ui::ProjectDocument* document = window.document();
        ui::PianoRollView* roll = window.pianoRoll();
        auto* files = window.findChild<ui::FileController*>();
        auto* generation = window.findChild<ui::GenerationController*>(QStringLiteral("generationController"));
        auto* candidates = window.findChild<ui::CandidatesPanel*>(QStringLiteral("candidatesPanel"));
        QVERIFY(files && generation && candidates);

        // Four notes drawn with the mouse: G4 G4 F4 E4, a quarter each.
        roll->scrollToQuarters(0);
        roll->centreOnPitch(67);
        const int pitches[] = {67, 67, 65, 64};
        for (int i = 0; i < 4; ++i) drawNote(roll, pitches[i], Rational(i), Rational(i + 1));
        QCOMPARE(document->notes().size(), size_t(4));
        const std::vector<NoteKey> drawn = noteKeys(notesOf(document->toProject()));
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(std::get<0>(drawn[i]), pitches[i]);
            QCOMPARE(std::get<1>(drawn[i]), Rational(i));
            QCOMPARE(std::get<2>(drawn[i]), Rational(1));
        }

        // Undo twice and redo twice, through the Edit menu's actions.
        QAction* undo = window.findChild<QAction*>(QStringLiteral("actionUndo"));
        QAction* redo = window.findChild<QAction*>(QStringLiteral("actionRedo"));
        QVERIFY(undo && redo);
        undo->trigger();
        undo->trigger();
        QCOMPARE(document->notes().size(), size_t(2));
        redo->trigger();
        redo->trigger();
        QCOMPARE(noteKeys(notesOf(document->toProject())), drawn);

        // Two candidates, two bars each, asked for in the panel's own controls.
        auto* count = window.findChild<QSpinBox*>(QStringLiteral("generationCandidates"));
        auto* length = window.findChild<QSpinBox*>(QStringLiteral("generationLength"));
        QVERIFY(count && length);
        count->setValue(2);
        length->setValue(2);
        QSignalSpy finished(generation, &ui::GenerationController::finished);
        window.findChild<QAction*>(QStringLiteral("actionContinue"))->trigger();
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(candidates->candidateCount(), 2);

        // Audition the second, then the first (A/B), and accept the first with its button.
        candidates->selectCandidate(1);
        candidates->selectCandidate(0);
        const size_t generatedCount = generation->candidates()[0].notes.size();
        QVERIFY(generatedCount > 0);
        QTest::mouseClick(window.findChild<QToolButton*>(QStringLiteral("acceptCandidate")), Qt::LeftButton);
        QCOMPARE(document->notes().size(), 4 + generatedCount);
        size_t generatedInRoll = 0;
        for (const auto& [id, note] : document->notes()) generatedInRoll += note.generated ? 1 : 0;
        QCOMPARE(generatedInRoll, generatedCount);

        // The screenshot for review: the roll showing the seed (blue) and generated (orange) notes.
        roll->scrollToQuarters(0);
        QTest::qWait(100);
        const QString shots = qEnvironmentVariable("MELODIST_BINARY_DIR") + QStringLiteral("/screenshots");
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(window.grab().save(shots + QStringLiteral("/studio-generated.png")));

        // Export MIDI; the file holds exactly the roll's notes.
        const QString midi = m_home.path() + QStringLiteral("/song.mid");
        const engine::Result<void> exported = files->exportTo(midi);
        QVERIFY2(exported, exported ? "" : exported.error().c_str());
        const engine::Project song = document->toProject();
        engine::Result<engine::Score> read = engine::readMidiFile(midi.toStdString());
        QVERIFY2(read, read ? "" : read.error().c_str());
        QCOMPARE(read->parts.size(), size_t(1));
        QCOMPARE(noteKeys(read->parts[0].notes), noteKeys(notesOf(song)));

        // Import it as the seed of a new project: the same notes, now all the user's.
        QVERIFY(files->saveAs(m_home.path() + QStringLiteral("/song.melodist")));
        QVERIFY(files->newProject());
        QVERIFY(document->notes().empty());
        const engine::Result<void> imported = files->importSeed(midi);
        QVERIFY2(imported, imported ? "" : imported.error().c_str());
        const engine::Project reimported = document->toProject();
        QCOMPARE(noteKeys(notesOf(reimported)), noteKeys(notesOf(song)));
        for (const engine::ProjectNote& note : reimported.notes) QVERIFY(!note.generated);
        QCOMPARE(reimported.tempoBpm, song.tempoBpm);
    }
};

QTEST_MAIN(StudioWorkflowTest)
#include "StudioWorkflowTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectDocument: every edit is one undo step that undo and redo replay exactly; ids stay
// stable across undo; the selection follows deletions; settings edits merge by key; the
// modified flag follows the undo stack's clean point.
#include "ui/document/ProjectDocument.h"

#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

using namespace melodist;
using melodist::engine::Rational;
using melodist::ui::NoteId;
using melodist::ui::ProjectDocument;

namespace {

engine::ProjectNote seedNote(int pitch, Rational onset, Rational duration = Rational(1, 2)) {
    engine::ProjectNote note;
    note.note.pitch = pitch;
    note.note.onset = onset;
    note.note.duration = duration;
    return note;
}

std::vector<int> pitchesInTimeOrder(const ProjectDocument& doc) {
    std::vector<int> pitches;
    for (const engine::ProjectNote& note : doc.toProject().notes) pitches.push_back(note.note.pitch);
    return pitches;
}

}  // namespace

class ProjectDocumentTest : public QObject {
    Q_OBJECT
private slots:
    void addChangeRemoveAreEachOneUndoStep() {
        ProjectDocument doc;
        const NoteId a = doc.addNote(seedNote(67, 1));
        const NoteId b = doc.addNote(seedNote(65, 0));
        QCOMPARE(pitchesInTimeOrder(doc), (std::vector<int>{65, 67}));
        QCOMPARE(doc.undoStack()->count(), 2);

        engine::ProjectNote moved = doc.note(a);
        moved.note = moved.note.withPitch(69).withOnset(Rational(3, 2));
        doc.changeNotes({{a, moved}}, QStringLiteral("Move"));
        QCOMPARE(doc.note(a).note.pitch, 69);
        doc.removeNotes({b});
        QVERIFY(!doc.contains(b));
        QCOMPARE(doc.undoStack()->count(), 4);

        doc.undoStack()->undo();  // delete
        QVERIFY(doc.contains(b));
        QCOMPARE(doc.note(b).note.pitch, 65);
        doc.undoStack()->undo();  // move
        QCOMPARE(doc.note(a).note.pitch, 67);
        QCOMPARE(doc.note(a).note.onset, Rational(1));
        doc.undoStack()->redo();
        QCOMPARE(doc.note(a).note.onset, Rational(3, 2));
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QVERIFY(doc.notes().empty());
        doc.undoStack()->redo();
        QCOMPARE(doc.note(a).note.pitch, 67);  // the same id comes back
    }

    void aChangeToTheSameValueIsNoStep() {
        ProjectDocument doc;
        const NoteId a = doc.addNote(seedNote(60, 0));
        doc.changeNotes({{a, doc.note(a)}}, QStringLiteral("Nothing"));
        doc.changeNotes({{a + 100, seedNote(1, 0)}}, QStringLiteral("Missing id"));
        QCOMPARE(doc.undoStack()->count(), 1);
    }

    void deletingSelectedNotesShrinksTheSelection() {
        ProjectDocument doc;
        const QList<NoteId> ids = doc.addNotes({seedNote(60, 0), seedNote(62, 1), seedNote(64, 2)}, QStringLiteral("Add"));
        doc.selectAll();
        QCOMPARE(doc.selection().size(), 3);
        QSignalSpy selectionChanged(&doc, &ProjectDocument::selectionChanged);
        doc.removeNotes({ids[1]});
        QCOMPARE(selectionChanged.count(), 1);
        QCOMPARE(doc.selection(), (QSet<NoteId>{ids[0], ids[2]}));
        doc.setSelection({ids[1], 999});  // neither exists now
        QVERIFY(doc.selection().isEmpty());
    }

    void idsInTimeOrderSortsByOnsetThenPitch() {
        ProjectDocument doc;
        const QList<NoteId> ids =
            doc.addNotes({seedNote(72, 2), seedNote(60, 0), seedNote(64, 0), seedNote(62, 1)}, QStringLiteral("Add"));
        QCOMPARE(doc.idsInTimeOrder(), (QList<NoteId>{ids[1], ids[2], ids[3], ids[0]}));
        QCOMPARE(doc.idsInTimeOrder({ids[0], ids[3]}), (QList<NoteId>{ids[3], ids[0]}));
        QCOMPARE(doc.endTime(), Rational(5, 2));
    }

    void settingsEditsMergeByKeyAndUndoTogether() {
        ProjectDocument doc;
        engine::Project settings = doc.settings();
        for (double bpm : {100.0, 101.0, 102.0}) {
            settings.tempoBpm = bpm;
            doc.changeSettings(settings, QStringLiteral("Tempo"), /*mergeKey=*/1);
        }
        QCOMPARE(doc.undoStack()->count(), 1);
        settings.meterNumerator = 3;
        doc.changeSettings(settings, QStringLiteral("Meter"));
        QCOMPARE(doc.undoStack()->count(), 2);
        doc.undoStack()->undo();
        QCOMPARE(doc.settings().meterNumerator, 4);
        QCOMPARE(doc.settings().tempoBpm, 102.0);
        doc.undoStack()->undo();
        QCOMPARE(doc.settings().tempoBpm, 120.0);
    }

    void modifiedFollowsTheSavedPoint() {
        ProjectDocument doc;
        QSignalSpy modified(&doc, &ProjectDocument::modifiedChanged);
        QVERIFY(!doc.isModified());
        doc.addNote(seedNote(60, 0));
        QVERIFY(doc.isModified());
        doc.markSaved();
        QVERIFY(!doc.isModified());
        doc.undoStack()->undo();
        QVERIFY(doc.isModified());
        doc.undoStack()->redo();
        QVERIFY(!doc.isModified());
        QCOMPARE(modified.count(), 4);
    }

    void resetToReplacesEverythingAndCanCountAsUnsaved() {
        ProjectDocument doc;
        doc.addNote(seedNote(60, 0));
        engine::Project project;
        project.tempoBpm = 90;
        project.notes = {seedNote(62, 1), seedNote(64, 0)};
        const quint64 before = doc.revision();
        doc.resetTo(project, QStringLiteral("/tmp/recovered.melodist"), /*modified=*/true);
        QVERIFY(doc.revision() > before);
        QCOMPARE(doc.filePath(), QStringLiteral("/tmp/recovered.melodist"));
        QCOMPARE(pitchesInTimeOrder(doc), (std::vector<int>{64, 62}));
        QCOMPARE(doc.settings().tempoBpm, 90.0);
        QVERIFY(doc.settings().notes.empty());
        QCOMPARE(doc.undoStack()->count(), 0);
        QVERIFY(doc.isModified());
        doc.markSaved();
        QVERIFY(!doc.isModified());
        doc.resetTo(engine::Project{}, QString());
        QVERIFY(!doc.isModified());
        QVERIFY(doc.notes().empty());
    }

    void replaceAllNotesIsOneStep() {
        ProjectDocument doc;
        doc.addNotes({seedNote(60, 0), seedNote(62, 1)}, QStringLiteral("Add"));
        doc.replaceAllNotes({seedNote(70, 0)}, QStringLiteral("Import seed"));
        QCOMPARE(pitchesInTimeOrder(doc), (std::vector<int>{70}));
        doc.undoStack()->undo();
        QCOMPARE(pitchesInTimeOrder(doc), (std::vector<int>{60, 62}));
    }

    void previewIsNotPartOfTheProject() {
        ProjectDocument doc;
        QSignalSpy previewChanged(&doc, &ProjectDocument::previewChanged);
        engine::ProjectNote generated = seedNote(71, 4);
        generated.generated = true;
        doc.setPreview({generated});
        QCOMPARE(previewChanged.count(), 1);
        QVERIFY(doc.toProject().notes.empty());
        QCOMPARE(doc.undoStack()->count(), 0);
        doc.clearPreview();
        QVERIFY(doc.preview().empty());
    }
};

QTEST_MAIN(ProjectDocumentTest)
#include "ProjectDocumentTest.moc"

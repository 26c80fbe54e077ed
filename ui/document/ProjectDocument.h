// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ProjectDocument: the open project as the studio's widgets share it -- an
// engine::Project whose notes carry stable ids, the selection, the candidate preview,
// the file it came from, and the QUndoStack every edit goes through. Widgets read it
// and call its edit functions; each edit is one undo step (a drag is committed once, on
// release). It holds no music logic: times, pitches and files are the engine's.
// UI thread only; owned by MainWindow (tests may own one directly).
//
//   ProjectDocument doc;
//   NoteId id = doc.addNote({.note = {.pitch = 67, .onset = 0, .duration = Rational(1, 2)}});
//   doc.changeNotes({{id, doc.note(id).withPitch(69)}}, tr("Transpose"));
//   doc.undoStack()->undo();                // back to 67
//   engine::Project project = doc.toProject();  // sorted notes: save, export, generate

#include "engine/project/Project.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <cstdint>
#include <map>
#include <vector>

class QUndoStack;

namespace melodist::ui {

using NoteId = quint64;

class ProjectDocument : public QObject {
    Q_OBJECT
public:
    explicit ProjectDocument(QObject* parent = nullptr);
    ~ProjectDocument() override;

    QUndoStack* undoStack() const { return m_undoStack; }

    // ---- reading ----
    // Every note by id (ids grow: a map in id order; order by time is the caller's).
    const std::map<NoteId, engine::ProjectNote>& notes() const { return m_notes; }
    bool contains(NoteId id) const { return m_notes.count(id) != 0; }
    const engine::ProjectNote& note(NoteId id) const;  // id must exist
    // Everything but the notes comes from here (project().notes is empty; use toProject()).
    const engine::Project& settings() const { return m_settings; }
    // The whole project, notes sorted by onset then pitch.
    engine::Project toProject() const;
    // Ids sorted by onset then pitch (of all notes, or of the given ones).
    QList<NoteId> idsInTimeOrder() const;
    QList<NoteId> idsInTimeOrder(const QSet<NoteId>& ids) const;
    engine::Rational endTime() const;  // end of the last note; 0 when empty

    // ---- undoable edits (each pushes one command; `text` names it in Edit > Undo) ----
    NoteId addNote(const engine::ProjectNote& note, const QString& text = tr("Add Note"));
    QList<NoteId> addNotes(const std::vector<engine::ProjectNote>& notes, const QString& text);
    void removeNotes(const QSet<NoteId>& ids, const QString& text = tr("Delete Notes"));
    // New values for existing notes: move, resize, transpose, velocity. Ids not present are ignored.
    void changeNotes(const QHash<NoteId, engine::ProjectNote>& newValues, const QString& text);
    // Replace every note (import a seed, clear): one step.
    void replaceAllNotes(const std::vector<engine::ProjectNote>& notes, const QString& text);
    // Everything but the notes: tempo, meter, key, program, soundfont, loop, title,
    // generation settings. One undo step, merged with the previous one when it had the
    // same `mergeKey` (>= 0): dragging a tempo spin box is one step.
    void changeSettings(const engine::Project& newSettings, const QString& text, int mergeKey = -1);

    // ---- selection (not undoable; emits selectionChanged) ----
    const QSet<NoteId>& selection() const { return m_selection; }
    void setSelection(const QSet<NoteId>& ids);  // ids not present are dropped
    void selectAll();
    void clearSelection() { setSelection({}); }

    // ---- candidate preview: notes shown in the roll, not part of the project ----
    const std::vector<engine::ProjectNote>& preview() const { return m_preview; }
    void setPreview(std::vector<engine::ProjectNote> notes);  // emits previewChanged
    void clearPreview() { setPreview({}); }

    // ---- the file ----
    QString filePath() const { return m_filePath; }  // "" for a new, unsaved project
    void setFilePath(const QString& path);           // after Save As
    bool isModified() const;                          // edits since the last save (or load)
    void markSaved();                                 // the undo stack's clean point
    // Replace everything (New, Open, recovery): clears the undo stack, selection and preview.
    // `modified`: the result counts as unsaved (a recovered autosave) until the next save.
    void resetTo(const engine::Project& project, const QString& filePath, bool modified = false);

    // A monotonically increasing count of changes (any edit, undo or redo): autosave
    // compares it with the count it last wrote.
    quint64 revision() const { return m_revision; }

signals:
    void notesChanged();       // notes added, removed or changed (by an edit, undo, redo or reset)
    void settingsChanged();    // tempo, meter, key, program, soundfont, loop, title, generation
    void selectionChanged();
    void previewChanged();
    void filePathChanged();
    void modifiedChanged(bool modified);

private:
    friend class NotesCommand;
    friend class SettingsCommand;
    // Applied by the commands (redo/undo): remove then insert, one notesChanged.
    void applyNotes(const std::vector<NoteId>& remove, const std::vector<std::pair<NoteId, engine::ProjectNote>>& insert);
    void applySettings(const engine::Project& settings);
    void touched();

    QUndoStack* m_undoStack = nullptr;
    std::map<NoteId, engine::ProjectNote> m_notes;
    engine::Project m_settings;  // notes always empty
    QSet<NoteId> m_selection;
    std::vector<engine::ProjectNote> m_preview;
    QString m_filePath;
    NoteId m_nextId = 1;
    quint64 m_revision = 0;
};

}  // namespace melodist::ui

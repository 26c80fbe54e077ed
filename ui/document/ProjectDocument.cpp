// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/ProjectDocument.h"

#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>
#include <utility>

namespace melodist::ui {

// One note edit: the notes it removes (with their old values, for undo) and the notes
// it inserts. Add = insert only, delete = remove only, change = remove + insert of the
// same ids.
class NotesCommand : public QUndoCommand {
public:
    NotesCommand(ProjectDocument* document, std::vector<std::pair<NoteId, engine::ProjectNote>> before,
                 std::vector<std::pair<NoteId, engine::ProjectNote>> after, const QString& text)
        : QUndoCommand(text), m_document(document), m_before(std::move(before)), m_after(std::move(after)) {}

    void redo() override { m_document->applyNotes(idsOf(m_before), m_after); }
    void undo() override { m_document->applyNotes(idsOf(m_after), m_before); }

private:
    static std::vector<NoteId> idsOf(const std::vector<std::pair<NoteId, engine::ProjectNote>>& notes) {
        std::vector<NoteId> ids;
        ids.reserve(notes.size());
        for (const auto& [id, note] : notes) ids.push_back(id);
        return ids;
    }
    ProjectDocument* m_document;
    std::vector<std::pair<NoteId, engine::ProjectNote>> m_before;
    std::vector<std::pair<NoteId, engine::ProjectNote>> m_after;
};

class SettingsCommand : public QUndoCommand {
public:
    SettingsCommand(ProjectDocument* document, engine::Project before, engine::Project after, const QString& text,
                    int mergeKey)
        : QUndoCommand(text), m_document(document), m_before(std::move(before)), m_after(std::move(after)),
          m_mergeKey(mergeKey) {}

    void redo() override { m_document->applySettings(m_after); }
    void undo() override { m_document->applySettings(m_before); }
    int id() const override { return m_mergeKey; }
    bool mergeWith(const QUndoCommand* other) override {
        m_after = static_cast<const SettingsCommand*>(other)->m_after;
        return true;
    }

private:
    ProjectDocument* m_document;
    engine::Project m_before;
    engine::Project m_after;
    int m_mergeKey;
};

namespace {

bool timeOrder(const engine::ProjectNote& a, const engine::ProjectNote& b) {
    if (a.note.onset != b.note.onset) return a.note.onset < b.note.onset;
    return a.note.pitch < b.note.pitch;
}

}  // namespace

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent), m_undoStack(new QUndoStack(this)) {
    connect(m_undoStack, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
}

ProjectDocument::~ProjectDocument() = default;

const engine::ProjectNote& ProjectDocument::note(NoteId id) const { return m_notes.at(id); }

engine::Project ProjectDocument::toProject() const {
    engine::Project project = m_settings;
    project.notes.reserve(m_notes.size());
    for (const auto& [id, note] : m_notes) project.notes.push_back(note);
    project.sortNotes();
    return project;
}

QList<NoteId> ProjectDocument::idsInTimeOrder() const {
    QList<NoteId> ids;
    ids.reserve(static_cast<qsizetype>(m_notes.size()));
    for (const auto& entry : m_notes) ids.push_back(entry.first);
    std::stable_sort(ids.begin(), ids.end(), [this](NoteId a, NoteId b) { return timeOrder(m_notes.at(a), m_notes.at(b)); });
    return ids;
}

QList<NoteId> ProjectDocument::idsInTimeOrder(const QSet<NoteId>& ids) const {
    QList<NoteId> sorted;
    for (NoteId id : ids)
        if (contains(id)) sorted.push_back(id);
    std::sort(sorted.begin(), sorted.end(), [this](NoteId a, NoteId b) {
        const engine::ProjectNote& x = m_notes.at(a);
        const engine::ProjectNote& y = m_notes.at(b);
        if (timeOrder(x, y)) return true;
        if (timeOrder(y, x)) return false;
        return a < b;
    });
    return sorted;
}

engine::Rational ProjectDocument::endTime() const {
    engine::Rational end;
    for (const auto& [id, note] : m_notes) end = std::max(end, note.note.end());
    return end;
}

NoteId ProjectDocument::addNote(const engine::ProjectNote& note, const QString& text) {
    return addNotes({note}, text).front();
}

QList<NoteId> ProjectDocument::addNotes(const std::vector<engine::ProjectNote>& notes, const QString& text) {
    std::vector<std::pair<NoteId, engine::ProjectNote>> after;
    QList<NoteId> ids;
    for (const engine::ProjectNote& note : notes) {
        after.emplace_back(m_nextId, note);
        ids.push_back(m_nextId++);
    }
    if (!after.empty()) m_undoStack->push(new NotesCommand(this, {}, std::move(after), text));
    return ids;
}

void ProjectDocument::removeNotes(const QSet<NoteId>& ids, const QString& text) {
    std::vector<std::pair<NoteId, engine::ProjectNote>> before;
    for (NoteId id : ids)
        if (auto found = m_notes.find(id); found != m_notes.end()) before.emplace_back(id, found->second);
    if (before.empty()) return;
    std::sort(before.begin(), before.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    m_undoStack->push(new NotesCommand(this, std::move(before), {}, text));
}

void ProjectDocument::changeNotes(const QHash<NoteId, engine::ProjectNote>& newValues, const QString& text) {
    std::vector<std::pair<NoteId, engine::ProjectNote>> before;
    std::vector<std::pair<NoteId, engine::ProjectNote>> after;
    for (auto it = newValues.cbegin(); it != newValues.cend(); ++it) {
        auto found = m_notes.find(it.key());
        if (found == m_notes.end() || found->second == it.value()) continue;
        before.emplace_back(it.key(), found->second);
        after.emplace_back(it.key(), it.value());
    }
    if (after.empty()) return;
    m_undoStack->push(new NotesCommand(this, std::move(before), std::move(after), text));
}

void ProjectDocument::replaceAllNotes(const std::vector<engine::ProjectNote>& notes, const QString& text) {
    std::vector<std::pair<NoteId, engine::ProjectNote>> before(m_notes.begin(), m_notes.end());
    std::vector<std::pair<NoteId, engine::ProjectNote>> after;
    for (const engine::ProjectNote& note : notes) after.emplace_back(m_nextId++, note);
    if (before.empty() && after.empty()) return;
    m_undoStack->push(new NotesCommand(this, std::move(before), std::move(after), text));
}

void ProjectDocument::changeSettings(const engine::Project& newSettings, const QString& text, int mergeKey) {
    engine::Project after = newSettings;
    after.notes.clear();
    // Compare through the saved form: Project has no operator== of its own.
    if (engine::projectToJson(after) == engine::projectToJson(m_settings)) return;
    m_undoStack->push(new SettingsCommand(this, m_settings, std::move(after), text, mergeKey));
}

void ProjectDocument::applyNotes(const std::vector<NoteId>& remove,
                                 const std::vector<std::pair<NoteId, engine::ProjectNote>>& insert) {
    bool selectionShrank = false;
    for (NoteId id : remove) m_notes.erase(id);
    for (const auto& [id, note] : insert) m_notes[id] = note;
    // A changed note (removed and inserted again: moved, transposed) stays selected.
    for (NoteId id : remove)
        if (m_notes.count(id) == 0) selectionShrank |= m_selection.remove(id);
    touched();
    emit notesChanged();
    if (selectionShrank) emit selectionChanged();
}

void ProjectDocument::applySettings(const engine::Project& settings) {
    m_settings = settings;
    touched();
    emit settingsChanged();
}

void ProjectDocument::touched() { ++m_revision; }

void ProjectDocument::setSelection(const QSet<NoteId>& ids) {
    QSet<NoteId> present;
    for (NoteId id : ids)
        if (contains(id)) present.insert(id);
    if (present == m_selection) return;
    m_selection = std::move(present);
    emit selectionChanged();
}

void ProjectDocument::selectAll() {
    QSet<NoteId> all;
    for (const auto& entry : m_notes) all.insert(entry.first);
    setSelection(all);
}

void ProjectDocument::setPreview(std::vector<engine::ProjectNote> notes) {
    if (notes.empty() && m_preview.empty()) return;
    m_preview = std::move(notes);
    emit previewChanged();
}

void ProjectDocument::setFilePath(const QString& path) {
    if (path == m_filePath) return;
    m_filePath = path;
    emit filePathChanged();
}

bool ProjectDocument::isModified() const { return !m_undoStack->isClean(); }

void ProjectDocument::markSaved() { m_undoStack->setClean(); }

void ProjectDocument::resetTo(const engine::Project& project, const QString& filePath, bool modified) {
    const bool wasModified = isModified();
    m_undoStack->clear();
    m_notes.clear();
    m_selection.clear();
    m_preview.clear();
    for (const engine::ProjectNote& note : project.notes) m_notes.emplace(m_nextId++, note);
    m_settings = project;
    m_settings.notes.clear();
    touched();
    setFilePath(filePath);
    emit notesChanged();
    emit settingsChanged();
    emit selectionChanged();
    emit previewChanged();
    if (modified) m_undoStack->resetClean();  // no state of the stack is the saved one
    if (wasModified != isModified()) emit modifiedChanged(isModified());
}

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/SelectionEdits.h"

#include "ui/document/ProjectDocument.h"
#include "ui/pianoroll/NoteClipboard.h"
#include "ui/pianoroll/SnapGrid.h"

#include <QObject>

#include <algorithm>
#include <string>
#include <vector>

namespace melodist::ui {

using engine::Rational;

namespace {

engine::Result<void> nothingSelected(const char* what) {
    return engine::makeError(std::string("nothing to ") + what + ": select notes first (click, Shift-click, Ctrl+A)");
}

std::vector<engine::ProjectNote> selectedNotes(const ProjectDocument& document) {
    std::vector<engine::ProjectNote> notes;
    for (NoteId id : document.idsInTimeOrder(document.selection())) notes.push_back(document.note(id));
    return notes;
}

}  // namespace

engine::Result<void> deleteSelection(ProjectDocument& document) {
    if (document.selection().isEmpty()) return nothingSelected("delete");
    document.removeNotes(document.selection(), QObject::tr("Delete Notes"));
    return {};
}

engine::Result<void> copySelection(const ProjectDocument& document) {
    if (document.selection().isEmpty()) return nothingSelected("copy");
    copyNotesToClipboard(selectedNotes(document));
    return {};
}

engine::Result<void> cutSelection(ProjectDocument& document) {
    if (document.selection().isEmpty()) return nothingSelected("cut");
    copyNotesToClipboard(selectedNotes(document));
    document.removeNotes(document.selection(), QObject::tr("Cut Notes"));
    return {};
}

Rational pastePosition(const ProjectDocument& document, double playheadQuarters, Rational step) {
    if (!document.selection().isEmpty()) {
        Rational end;
        for (NoteId id : document.selection()) end = std::max(end, document.note(id).note.end());
        return end;
    }
    if (playheadQuarters >= 0) return snapDown(playheadQuarters, step);
    return document.endTime();
}

engine::Result<void> pasteNotes(ProjectDocument& document, Rational at) {
    engine::Result<std::vector<engine::ProjectNote>> notes = notesFromClipboard();
    if (!notes) return engine::makeError(notes.error());
    if (notes->empty()) return engine::makeError("the clipboard's note list is empty; copy some notes first");
    for (engine::ProjectNote& n : *notes) n.note = n.note.withOnset(n.note.onset + at);
    const QList<NoteId> ids = document.addNotes(*notes, QObject::tr("Paste Notes"));
    document.setSelection(QSet<NoteId>(ids.begin(), ids.end()));
    return {};
}

engine::Result<void> transposeSelection(ProjectDocument& document, int semitones) {
    if (document.selection().isEmpty()) return nothingSelected("transpose");
    QHash<NoteId, engine::ProjectNote> changed;
    for (NoteId id : document.selection()) {
        engine::ProjectNote n = document.note(id);
        const int pitch = n.note.pitch + semitones;
        if (pitch < 0 || pitch > 127)
            return engine::makeError("cannot transpose by " + std::to_string(semitones) + ": pitch " +
                                     std::to_string(n.note.pitch) + " would leave the MIDI range 0..127");
        n.note = n.note.withPitch(pitch);
        changed.insert(id, n);
    }
    document.changeNotes(changed, QObject::tr("Transpose"));
    return {};
}

engine::Result<void> moveSelection(ProjectDocument& document, Rational delta) {
    if (document.selection().isEmpty()) return nothingSelected("move");
    QHash<NoteId, engine::ProjectNote> changed;
    for (NoteId id : document.selection()) {
        engine::ProjectNote n = document.note(id);
        const Rational onset = n.note.onset + delta;
        if (onset < Rational())
            return engine::makeError("cannot move earlier: the note at " + n.note.onset.toString() +
                                     " quarter notes would start before the beginning");
        n.note = n.note.withOnset(onset);
        changed.insert(id, n);
    }
    document.changeNotes(changed, QObject::tr("Move Notes"));
    return {};
}

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SelectionEdits: the piano roll's keyboard and menu edits of the selected notes --
// delete, cut/copy/paste (NoteClipboard), transpose, move by grid steps -- each one
// ProjectDocument call, so one undo step. An edit that cannot apply changes nothing and
// says why (nothing selected, a note would leave 0..127 or start before 0, the
// clipboard holds no notes), for the status bar. Free functions; UI thread.
//
//   Result<void> moved = transposeSelection(document, +12);
//   if (!moved) statusBar()->showMessage(QString::fromStdString(moved.error()));
//   Result<void> pasted = pasteNotes(document, pastePosition(document, playhead, step));

#include "engine/core/Result.h"
#include "engine/music/Rational.h"

namespace melodist::ui {

class ProjectDocument;

engine::Result<void> deleteSelection(ProjectDocument& document);
engine::Result<void> copySelection(const ProjectDocument& document);
engine::Result<void> cutSelection(ProjectDocument& document);
// Pastes the clipboard's notes with the first at `at`; they become the selection.
engine::Result<void> pasteNotes(ProjectDocument& document, engine::Rational at);
// Where a paste goes: after the selection's last end; else at the playhead (>= 0,
// snapped down to `step`); else after the last note.
engine::Rational pastePosition(const ProjectDocument& document, double playheadQuarters, engine::Rational step);
engine::Result<void> transposeSelection(ProjectDocument& document, int semitones);
engine::Result<void> moveSelection(ProjectDocument& document, engine::Rational delta);

}  // namespace melodist::ui

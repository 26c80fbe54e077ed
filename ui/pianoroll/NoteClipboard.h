// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// NoteClipboard: the piano roll's notes on the system clipboard, under a private MIME
// type holding JSON ({"notes": [{"pitch", "onset", "duration", "velocity", "generated"}]},
// times as exact rationals "3/2", onsets relative to the first note), so a copy pastes
// back exactly, also into another Melodist window. UI thread (QClipboard).
//
//   copyNotesToClipboard(notes);                       // any order; stored from time 0
//   Result<std::vector<ProjectNote>> pasted = notesFromClipboard();
//   if (!pasted) status(pasted.error());               // "the clipboard holds no notes ..."

#include "engine/core/Result.h"
#include "engine/project/Project.h"

#include <QByteArray>

#include <vector>

namespace melodist::ui {

inline constexpr const char* kNotesMimeType = "application/x-melodist-notes+json";

QByteArray notesToClipboardJson(std::vector<engine::ProjectNote> notes);
engine::Result<std::vector<engine::ProjectNote>> notesFromClipboardJson(const QByteArray& json);

void copyNotesToClipboard(const std::vector<engine::ProjectNote>& notes);
engine::Result<std::vector<engine::ProjectNote>> notesFromClipboard();

}  // namespace melodist::ui

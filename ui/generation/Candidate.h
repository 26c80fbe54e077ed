// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Candidate: one generated result waiting in the Candidates panel -- the notes it would
// add (all marked generated) and the roll notes it would replace (a regenerated span).
// Plain value; UI thread (the GenerationController makes them, the panels read them).

#include "engine/project/Project.h"
#include "ui/document/ProjectDocument.h"

#include <QSet>
#include <QString>

#include <vector>

namespace melodist::ui {

enum class GenerationKind { Continue, Regenerate, Variations };

struct Candidate {
    GenerationKind kind = GenerationKind::Continue;
    std::vector<engine::ProjectNote> notes;  // generated = true, sorted by onset
    QSet<NoteId> replaces;                   // roll notes removed when it is accepted
    engine::Rational start;                  // the span it fills, quarter notes
    engine::Rational end;
    double score = 0.0;                      // regenerations: how well the music after it follows (higher is better)
};

}  // namespace melodist::ui

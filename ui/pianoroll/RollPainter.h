// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RollPainter: draws the piano roll's viewport -- lanes (black keys, or the chosen
// key's scale, shaded), grid, loop region, notes, the candidate preview, a drag's
// preview, the rubber band and the playhead -- for one exposed rectangle. Only notes
// overlapping that rectangle are visited (NoteIndex), and they are drawn in batches of
// one colour, so a frame of 10,000 notes stays cheap (bench/pianoroll_paint_bench.cpp).
// A function over plain inputs; UI thread (paintEvent).
//
//   RollPaintInput input{.mapping = mapping(), .colours = RollPalette::from(palette()), ...};
//   paintRoll(painter, event->rect(), input);

#include "ui/document/ProjectDocument.h"
#include "ui/pianoroll/NoteIndex.h"
#include "ui/pianoroll/RollMapping.h"
#include "ui/pianoroll/RollPalette.h"

#include <QHash>
#include <QRect>

class QPainter;

namespace melodist::ui {

struct RollPaintInput {
    RollMapping mapping;
    RollPalette colours;
    const ProjectDocument* document = nullptr;
    const NoteIndex* index = nullptr;
    const QHash<NoteId, engine::ProjectNote>* dragPreview = nullptr;  // drawn instead of the stored values
    const engine::ProjectNote* drawing = nullptr;                      // a note being drawn, or null
    QRect rubberBand;                                                  // empty: none
    double playheadQuarters = -1;                                      // < 0: hidden
    engine::Rational snapStep{1, 4};
};

void paintRoll(QPainter& painter, const QRect& exposed, const RollPaintInput& input);

// A note's rectangle in viewport pixels (a 1 px gap after it when it is wide enough).
QRect noteRect(const RollMapping& mapping, double onset, double end, int pitch);

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// NoteEditTool: what the mouse does in the piano roll's viewport. Press on empty space
// draws a note (Draw tool) or starts a rubber band (Select tool, or Ctrl/Shift+drag);
// press on a note selects it (Shift adds, Ctrl toggles) and a drag moves the selection
// (time by whole grid steps, pitch by rows) or, from the note's right edge, resizes it.
// A drag shows its result while it moves (the view's drag preview) and commits once,
// on release, as one ProjectDocument call; cancel() (Esc) drops it. UI thread; owned
// by PianoRollView.
//
//   tool.press(event);   tool.move(event);   tool.release(event);   // from the view's mouse events
//   if (tool.isDragging()) tool.cancel();                            // Esc

#include "engine/project/Project.h"
#include "ui/document/ProjectDocument.h"

#include <QHash>
#include <QPoint>
#include <QRect>
#include <QSet>

#include <optional>

class QMouseEvent;

namespace melodist::ui {

class PianoRollView;

class NoteEditTool {
public:
    explicit NoteEditTool(PianoRollView* view) : m_view(view) {}

    void press(QMouseEvent* event);
    void move(QMouseEvent* event);
    void release(QMouseEvent* event);
    void cancel();
    bool isDragging() const { return m_mode != Mode::None; }

    const engine::ProjectNote* drawing() const { return m_drawing ? &*m_drawing : nullptr; }
    QRect rubberBand() const { return m_mode == Mode::RubberBand && m_moved ? m_band : QRect(); }

    // Where a press would land: a note, and whether on its right edge (resize).
    struct Hit {
        NoteId id = 0;
        bool rightEdge = false;
    };
    std::optional<Hit> hitTest(QPoint pos) const;

private:
    enum class Mode { None, Draw, Move, Resize, RubberBand };
    void pressOnNote(const Hit& hit, Qt::KeyboardModifiers modifiers);
    void dragDraw(QPoint pos);
    void dragMove(QPoint pos);
    void dragResize(QPoint pos);
    void dragBand(QPoint pos);
    void finish();
    void sound(int pitch);  // keyPressed, after releasing the previous pitch
    void silence();

    PianoRollView* m_view;
    Mode m_mode = Mode::None;
    QPoint m_pressPos;
    bool m_moved = false;        // past the drag distance
    bool m_collapseOnRelease = false;  // a click (no drag) on one of several selected notes selects just it
    NoteId m_grabbed = 0;
    double m_anchorQuarters = 0;
    int m_anchorPitch = 0;
    QHash<NoteId, engine::ProjectNote> m_origin;  // the dragged notes before the drag
    std::optional<engine::ProjectNote> m_drawing;
    QRect m_band;
    QSet<NoteId> m_selectionBefore;  // restored when a rubber band is cancelled
    QSet<NoteId> m_bandBase;         // kept under the band (Shift adds)
    int m_soundingPitch = -1;
};

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// VelocityLane: the strip under the piano roll with one bar per note at its onset,
// as tall as the note is loud. Dragging a bar up or down sets that note's velocity
// (selected notes with it move by the same amount), shown while dragging and committed
// on release as one ProjectDocument::changeNotes (one undo step). UI thread; a child of
// PianoRollView, placed in its bottom margin.
//
//   QPoint bar = roll->velocityLane()->pointFor(id);        // the top of the note's bar
//   QTest::mousePress(lane, Qt::LeftButton, {}, bar);        // then move, release

#include "ui/document/ProjectDocument.h"

#include <QHash>
#include <QWidget>

#include <optional>

namespace melodist::ui {

class PianoRollView;

class VelocityLane : public QWidget {
    Q_OBJECT
public:
    explicit VelocityLane(PianoRollView* view);
    QPoint pointFor(NoteId id) const;       // the top of the note's bar
    int velocityAt(double y) const;          // 1..127
    void cancelDrag();                       // Esc
    bool isDragging() const { return m_grabbed.has_value(); }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    std::optional<NoteId> noteAt(double x) const;
    int barTop(int velocity) const;

    PianoRollView* m_view;
    std::optional<NoteId> m_grabbed;
    QHash<NoteId, engine::ProjectNote> m_origin;
};

}  // namespace melodist::ui

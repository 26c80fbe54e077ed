// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PianoRollRuler: the bar/beat ruler above the piano roll -- bar numbers, beat ticks,
// the loop region and the playhead. Dragging in it sets the loop region (snapped to the
// roll's grid), a click loops the bar clicked (inside the loop: clears it); each is
// one ProjectDocument::changeSettings (one undo step), committed on release. UI thread;
// a child of PianoRollView, placed in its top margin.
//
//   QTest::mousePress(roll->ruler(), Qt::LeftButton, {}, {x0, 10});  // then move, release

#include "engine/project/Project.h"

#include <QWidget>

#include <optional>

namespace melodist::ui {

class PianoRollView;

class PianoRollRuler : public QWidget {
    Q_OBJECT
public:
    explicit PianoRollRuler(PianoRollView* view);
    void cancelDrag();  // Esc: the loop stays as it was
    bool isDragging() const { return m_dragLoop.has_value(); }
    // Repaints the playhead's old and new columns only.
    void updatePlayhead(double oldQuarters, double newQuarters);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    engine::Rational snappedAt(double x) const;
    void setLoop(std::optional<engine::LoopRegion> loop, const QString& text);

    PianoRollView* m_view;
    std::optional<engine::LoopRegion> m_dragLoop;  // the loop being dragged (start = press point)
    engine::Rational m_pressTime;
    bool m_moved = false;
};

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PianoKeyboard: the keys left of the piano roll, one per lane, scrolling with it.
// Pressing a key emits the roll's keyPressed(pitch), releasing it keyReleased(pitch);
// dragging across keys plays each in turn (a glissando). UI thread; a child of
// PianoRollView, placed in its left margin.
//
//   QTest::mousePress(roll->keyboard(), Qt::LeftButton, {}, roll->keyboard()->pointFor(60));

#include <QWidget>

namespace melodist::ui {

class PianoRollView;

class PianoKeyboard : public QWidget {
    Q_OBJECT
public:
    explicit PianoKeyboard(PianoRollView* view);
    QPoint pointFor(int pitch) const;  // the middle of a key, in this widget's pixels
    int pressedPitch() const { return m_pressedPitch; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    void press(int pitch);
    void release();

    PianoRollView* m_view;
    int m_pressedPitch = -1;
};

}  // namespace melodist::ui

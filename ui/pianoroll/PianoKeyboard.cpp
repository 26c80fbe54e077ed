// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/PianoKeyboard.h"

#include "ui/pianoroll/PianoRollView.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace melodist::ui {
namespace {

bool isBlackKey(int pitch) {
    switch (pitch % 12) {
    case 1: case 3: case 6: case 8: case 10: return true;
    default: return false;
    }
}

}  // namespace

PianoKeyboard::PianoKeyboard(PianoRollView* view) : QWidget(view), m_view(view) {
    setObjectName(QStringLiteral("pianoRollKeyboard"));
    setToolTip(tr("Click a key to hear its pitch"));
    setAttribute(Qt::WA_OpaquePaintEvent);
}

QPoint PianoKeyboard::pointFor(int pitch) const {
    const RollMapping m = m_view->mapping();
    return {isBlackKey(pitch) ? width() / 4 : width() * 4 / 5, static_cast<int>(m.laneCentre(pitch))};
}

void PianoKeyboard::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    const RollMapping m = m_view->mapping();
    const QRect exposed = event->rect();
    const int w = width();
    painter.fillRect(exposed, palette().color(QPalette::Window));
    QFont font = painter.font();
    font.setPixelSize(std::clamp(m.laneHeightPx - 2, 6, 11));
    painter.setFont(font);
    for (int pitch = m.pitchAt(exposed.top()); pitch >= RollMapping::kLowestPitch; --pitch) {
        const int y = m.laneTop(pitch);
        if (y > exposed.bottom()) break;
        const QRect key(0, y, w, m.laneHeightPx);
        const bool pressed = pitch == m_pressedPitch;
        if (isBlackKey(pitch)) {
            painter.fillRect(key, Qt::white);
            painter.fillRect(QRect(0, y, w * 3 / 5, m.laneHeightPx), pressed ? QColor(0x2f, 0x6f, 0xd0) : QColor(30, 30, 30));
        } else {
            painter.fillRect(key, pressed ? QColor(0x9c, 0xc2, 0xf5) : QColor(Qt::white));
            painter.setPen(QColor(180, 180, 180));
            painter.drawLine(0, y + m.laneHeightPx - 1, w, y + m.laneHeightPx - 1);
        }
        if (pitch % 12 == 0 && m.laneHeightPx >= 7) {
            painter.setPen(QColor(60, 60, 60));
            painter.drawText(key.adjusted(0, 0, -4, 0), Qt::AlignRight | Qt::AlignVCenter,
                             QStringLiteral("C%1").arg(pitch / 12 - 1));
        }
    }
    painter.setPen(palette().color(QPalette::Dark));
    painter.drawLine(w - 1, exposed.top(), w - 1, exposed.bottom());
}

void PianoKeyboard::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    press(m_view->mapping().pitchAt(event->position().y()));
}

void PianoKeyboard::mouseMoveEvent(QMouseEvent* event) {
    if (m_pressedPitch < 0) return;
    const int pitch = m_view->mapping().pitchAt(event->position().y());
    if (pitch != m_pressedPitch) press(pitch);
}

void PianoKeyboard::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) release();
}

void PianoKeyboard::press(int pitch) {
    release();
    m_pressedPitch = pitch;
    emit m_view->keyPressed(pitch);
    update();
}

void PianoKeyboard::release() {
    if (m_pressedPitch < 0) return;
    const int pitch = m_pressedPitch;
    m_pressedPitch = -1;
    emit m_view->keyReleased(pitch);
    update();
}

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/PianoRollView.h"

#include <QPainter>
#include <QPaintEvent>
#include <QScrollBar>

namespace melodist::ui {
namespace {

bool isBlackKey(int pitch) {
    switch (pitch % 12) {
    case 1: case 3: case 6: case 8: case 10: return true;
    default: return false;
    }
}

}  // namespace

PianoRollView::PianoRollView(QWidget* parent) : QAbstractScrollArea(parent) {
    setObjectName(QStringLiteral("pianoRoll"));
    setMinimumSize(400, 240);
    viewport()->setAutoFillBackground(false);
    updateScrollBars();
}

void PianoRollView::centreOnPitch(int pitch) {
    verticalScrollBar()->setValue(laneTopPx(pitch) - viewport()->height() / 2);
}

void PianoRollView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void PianoRollView::updateScrollBars() {
    const int contentHeight = (kHighestPitch - kLowestPitch + 1) * m_laneHeightPx;
    const int contentWidth = kKeyboardWidthPx + static_cast<int>(m_lengthBars * m_beatsPerBar * m_pixelsPerBeat);
    verticalScrollBar()->setRange(0, std::max(0, contentHeight - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setSingleStep(m_laneHeightPx);
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void PianoRollView::paintEvent(QPaintEvent*) {
    QPainter painter(viewport());
    const QPalette& pal = palette();
    const int width = viewport()->width();
    const int height = viewport()->height();
    const int scrollX = horizontalScrollBar()->value();
    const int scrollY = verticalScrollBar()->value();

    painter.fillRect(rect(), pal.color(QPalette::Base));
    const QColor blackLane = pal.color(QPalette::AlternateBase).darker(104);
    const QColor gridLine = pal.color(QPalette::Mid);
    const QColor barLine = pal.color(QPalette::Dark);

    // Lanes: black-key lanes shaded, a stronger line under each B (octave boundary).
    const int firstPitch = std::min(kHighestPitch, kHighestPitch - scrollY / m_laneHeightPx);
    for (int pitch = firstPitch; pitch >= kLowestPitch; --pitch) {
        const int y = laneTopPx(pitch) - scrollY;
        if (y > height) break;
        if (isBlackKey(pitch)) painter.fillRect(kKeyboardWidthPx, y, width, m_laneHeightPx, blackLane);
        if (pitch % 12 == 0) {
            painter.setPen(barLine);
            painter.drawLine(kKeyboardWidthPx, y + m_laneHeightPx - 1, width, y + m_laneHeightPx - 1);
        }
    }
    // Beat and bar lines.
    const int totalBeats = m_lengthBars * m_beatsPerBar;
    for (int beat = 0; beat <= totalBeats; ++beat) {
        const int x = kKeyboardWidthPx + static_cast<int>(beat * m_pixelsPerBeat) - scrollX;
        if (x < kKeyboardWidthPx) continue;
        if (x > width) break;
        painter.setPen(beat % m_beatsPerBar == 0 ? barLine : gridLine);
        painter.drawLine(x, 0, x, height);
    }
    // Keyboard: white keys, black keys, C labels.
    painter.fillRect(0, 0, kKeyboardWidthPx, height, Qt::white);
    for (int pitch = firstPitch; pitch >= kLowestPitch; --pitch) {
        const int y = laneTopPx(pitch) - scrollY;
        if (y > height) break;
        if (isBlackKey(pitch)) {
            painter.fillRect(0, y, kKeyboardWidthPx * 3 / 5, m_laneHeightPx, QColor(30, 30, 30));
        } else {
            painter.setPen(QColor(180, 180, 180));
            painter.drawLine(0, y + m_laneHeightPx - 1, kKeyboardWidthPx, y + m_laneHeightPx - 1);
        }
        if (pitch % 12 == 0) {
            painter.setPen(QColor(60, 60, 60));
            QFont font = painter.font();
            font.setPixelSize(m_laneHeightPx - 2);
            painter.setFont(font);
            painter.drawText(QRect(0, y, kKeyboardWidthPx - 4, m_laneHeightPx), Qt::AlignRight | Qt::AlignVCenter,
                             QStringLiteral("C%1").arg(pitch / 12 - 1));
        }
    }
    painter.setPen(barLine);
    painter.drawLine(kKeyboardWidthPx - 1, 0, kKeyboardWidthPx - 1, height);
}

}  // namespace melodist::ui

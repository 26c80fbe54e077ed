// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/PianoRollRuler.h"

#include "ui/document/ProjectDocument.h"
#include "ui/pianoroll/PianoRollView.h"
#include "ui/pianoroll/RollGrid.h"
#include "ui/pianoroll/RollPalette.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPolygon>

#include <cmath>

namespace melodist::ui {

using engine::Rational;

PianoRollRuler::PianoRollRuler(PianoRollView* view) : QWidget(view), m_view(view) {
    setObjectName(QStringLiteral("pianoRollRuler"));
    setToolTip(tr("Bars and beats. Drag to set the loop region; click a bar to loop it; click inside the loop to "
                  "clear it"));
    setAttribute(Qt::WA_OpaquePaintEvent);
}

Rational PianoRollRuler::snappedAt(double x) const {
    return std::max(Rational(), snapNearest(m_view->mapping().quartersAt(x), m_view->snapStep()));
}

void PianoRollRuler::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    const QRect exposed = event->rect();
    const RollMapping m = m_view->mapping();
    const RollPalette colours = RollPalette::from(palette());
    const engine::Project& settings = m_view->document()->settings();
    painter.fillRect(exposed, palette().color(QPalette::Button));
    const int h = height();

    const std::optional<engine::LoopRegion> loop = m_dragLoop ? m_dragLoop : settings.loop;
    if (loop) {
        const int x0 = static_cast<int>(std::lround(m.xFor(loop->start.toDouble())));
        const int x1 = static_cast<int>(std::lround(m.xFor(loop->end.toDouble())));
        QColor band = colours.loopEdge;
        band.setAlpha(90);
        painter.fillRect(QRect(x0, h / 2, x1 - x0, h / 2), band);
        painter.fillRect(QRect(x0, h / 2, 2, h / 2), colours.loopEdge);
        painter.fillRect(QRect(x1 - 2, h / 2, 2, h / 2), colours.loopEdge);
    }
    // Bar numbers where they fit (every 1, 2, 4 ... bars), ticks for beats and bars.
    const RollMeter meter = RollMeter::of(settings.meterNumerator, settings.meterDenominator);
    QFont font = painter.font();
    font.setPixelSize(10);
    painter.setFont(font);
    const QColor text = palette().color(QPalette::ButtonText);
    int64_t labelEvery = 1;
    while (meter.barQuarters.toDouble() * m.pixelsPerQuarter * static_cast<double>(labelEvery) < 28.0) labelEvery *= 2;
    forEachGridLine(m, exposed.left() - 40, exposed.right() + 1, meter, meter.beatQuarters, [&](const GridLine& line) {
        const int x = static_cast<int>(std::lround(line.x));
        if (line.kind == GridLine::Kind::Bar) {
            painter.setPen(text);
            painter.drawLine(x, h / 3, x, h - 1);
            if (line.barIndex % labelEvery == 0)
                painter.drawText(QRect(x + 3, 0, 60, h / 2 + 2), Qt::AlignLeft | Qt::AlignVCenter,
                                 QString::number(line.barIndex + 1));
        } else {
            painter.setPen(palette().color(QPalette::Mid));
            painter.drawLine(x, h * 3 / 4, x, h - 1);
        }
    });
    painter.setPen(palette().color(QPalette::Dark));
    painter.drawLine(exposed.left(), h - 1, exposed.right(), h - 1);
    if (m_view->playheadQuarters() >= 0) {
        const int x = static_cast<int>(std::lround(m.xFor(m_view->playheadQuarters())));
        painter.setPen(Qt::NoPen);
        painter.setBrush(colours.playhead);
        painter.drawPolygon(QPolygon({QPoint(x - 5, h - 9), QPoint(x + 6, h - 9), QPoint(x + 1, h - 1)}));
    }
}

void PianoRollRuler::updatePlayhead(double oldQuarters, double newQuarters) {
    const RollMapping m = m_view->mapping();
    for (double q : {oldQuarters, newQuarters})
        if (q >= 0) update(QRect(static_cast<int>(std::lround(m.xFor(q))) - 7, 0, 15, height()));
}

void PianoRollRuler::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    m_view->setFocus(Qt::MouseFocusReason);  // Esc cancels the drag
    m_pressTime = snappedAt(event->position().x());
    m_moved = false;
    m_dragLoop = engine::LoopRegion{m_pressTime, m_pressTime};
}

void PianoRollRuler::mouseMoveEvent(QMouseEvent* event) {
    if (!m_dragLoop) return;
    const Rational t = snappedAt(event->position().x());
    m_moved = m_moved || t != m_pressTime;
    m_dragLoop = engine::LoopRegion{std::min(t, m_pressTime), std::max(t, m_pressTime)};
    update();
}

void PianoRollRuler::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !m_dragLoop) return;
    std::optional<engine::LoopRegion> loop = m_dragLoop;
    m_dragLoop.reset();
    if (!m_moved || loop->end == loop->start) {
        // A click: inside the loop clears it, elsewhere loops the bar under it.
        const engine::Project& settings = m_view->document()->settings();
        const double clicked = m_view->mapping().quartersAt(event->position().x());
        if (settings.loop && settings.loop->start.toDouble() <= clicked && clicked < settings.loop->end.toDouble()) {
            setLoop(std::nullopt, tr("Clear Loop"));
            return;
        }
        const Rational bar = RollMeter::of(settings.meterNumerator, settings.meterDenominator).barQuarters;
        const Rational start = bar * Rational(static_cast<int64_t>(std::max(0.0, std::floor(clicked / bar.toDouble()))));
        loop = engine::LoopRegion{start, start + bar};
    }
    setLoop(loop, tr("Set Loop"));
}

void PianoRollRuler::setLoop(std::optional<engine::LoopRegion> loop, const QString& text) {
    engine::Project settings = m_view->document()->settings();
    settings.loop = loop;
    m_view->document()->changeSettings(settings, text);  // repaints through settingsChanged
    update();
}

void PianoRollRuler::cancelDrag() {
    if (!m_dragLoop) return;
    m_dragLoop.reset();
    update();
}

}  // namespace melodist::ui

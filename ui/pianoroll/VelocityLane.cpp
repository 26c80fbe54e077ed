// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/VelocityLane.h"

#include "ui/pianoroll/PianoRollView.h"
#include "ui/pianoroll/RollGrid.h"
#include "ui/pianoroll/RollPalette.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <vector>

namespace melodist::ui {
namespace {

constexpr int kMarginPx = 3;  // above the loudest bar
constexpr int kBarWidthPx = 5;
constexpr int kGrabSlackPx = 3;

}  // namespace

VelocityLane::VelocityLane(PianoRollView* view) : QWidget(view), m_view(view) {
    setObjectName(QStringLiteral("pianoRollVelocity"));
    setToolTip(tr("Velocity: drag a note's bar up or down to make it louder or softer (selected notes follow)"));
    setAttribute(Qt::WA_OpaquePaintEvent);
}

int VelocityLane::barTop(int velocity) const {
    const int usable = height() - kMarginPx - 1;
    return height() - 1 - usable * velocity / 127;
}

int VelocityLane::velocityAt(double y) const {
    const int usable = height() - kMarginPx - 1;
    return std::clamp(static_cast<int>(std::lround((height() - 1 - y) * 127.0 / usable)), 1, 127);
}

QPoint VelocityLane::pointFor(NoteId id) const {
    const engine::Note& note = m_view->document()->note(id).note;
    return {static_cast<int>(std::lround(m_view->mapping().xFor(note.onset.toDouble()))) + kBarWidthPx / 2,
            barTop(note.velocity) + 1};
}

void VelocityLane::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    const QRect exposed = event->rect();
    const RollMapping m = m_view->mapping();
    const RollPalette colours = RollPalette::from(palette());
    const ProjectDocument* doc = m_view->document();
    painter.fillRect(exposed, colours.shadedLane);
    const engine::Project& settings = doc->settings();
    painter.setPen(colours.barLine);
    forEachGridLine(m, exposed.left(), exposed.right(), RollMeter::of(settings.meterNumerator, settings.meterDenominator),
                    engine::Rational(1024), [&](const GridLine& line) {
                        if (line.kind != GridLine::Kind::Bar) return;
                        const int x = static_cast<int>(std::lround(line.x));
                        painter.drawLine(x, 0, x, height());
                    }, 12.0);
    const QHash<NoteId, engine::ProjectNote>& preview = m_view->dragPreview();
    const QSet<NoteId>& selection = doc->selection();
    std::vector<std::pair<QRect, QColor>> bars;
    m_view->noteIndex().forEachInTime(m.quartersAt(exposed.left() - kBarWidthPx), m.quartersAt(exposed.right() + 1),
                                      [&](const IndexedNote& n) {
        if (m.xFor(n.onset) < exposed.left() - kBarWidthPx) return;  // sounding here, but its bar is off to the left
        const auto moved = preview.constFind(n.id);
        const int velocity = moved != preview.cend() ? moved->note.velocity : n.velocity;
        const double onset = moved != preview.cend() ? moved->note.onset.toDouble() : n.onset;
        const int x = static_cast<int>(std::lround(m.xFor(onset)));
        const int top = barTop(velocity);
        bars.emplace_back(QRect(x, top, kBarWidthPx, height() - top),
                          colours.noteFill(n.generated, selection.contains(n.id), velocity));
    });
    for (const auto& [rect, colour] : bars) painter.fillRect(rect, colour);
    painter.setPen(palette().color(QPalette::Dark));
    painter.drawLine(exposed.left(), 0, exposed.right(), 0);
}

std::optional<NoteId> VelocityLane::noteAt(double x) const {
    const RollMapping m = m_view->mapping();
    const QSet<NoteId>& selection = m_view->document()->selection();
    std::optional<NoteId> hit;
    bool hitSelected = false;
    // A bar covers [onset x, onset x + width): the last painted wins, a selected one first.
    m_view->noteIndex().forEachInTime(m.quartersAt(x - kBarWidthPx - kGrabSlackPx), m.quartersAt(x + kGrabSlackPx),
                                      [&](const IndexedNote& n) {
        const double left = m.xFor(n.onset);
        if (x < left - kGrabSlackPx || x > left + kBarWidthPx + kGrabSlackPx) return;
        const bool selected = selection.contains(n.id);
        if (hitSelected && !selected) return;
        hit = n.id;
        hitSelected = selected;
    });
    return hit;
}

void VelocityLane::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    m_view->setFocus(Qt::MouseFocusReason);  // Esc cancels the drag
    m_grabbed = noteAt(event->position().x());
    if (!m_grabbed) return;
    ProjectDocument* doc = m_view->document();
    m_origin.clear();
    m_origin.insert(*m_grabbed, doc->note(*m_grabbed));
    if (doc->selection().contains(*m_grabbed))
        for (NoteId id : doc->selection()) m_origin.insert(id, doc->note(id));
    mouseMoveEvent(event);
}

void VelocityLane::mouseMoveEvent(QMouseEvent* event) {
    if (!m_grabbed) return;
    const int delta = velocityAt(event->position().y()) - m_origin.value(*m_grabbed).note.velocity;
    QHash<NoteId, engine::ProjectNote> changed;
    for (auto it = m_origin.cbegin(); it != m_origin.cend(); ++it) {
        engine::ProjectNote n = it.value();
        n.note = n.note.withVelocity(std::clamp(n.note.velocity + delta, 1, 127));
        changed.insert(it.key(), n);
    }
    m_view->setDragPreview(std::move(changed));
    update();
}

void VelocityLane::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !m_grabbed) return;
    const QHash<NoteId, engine::ProjectNote> changed = m_view->dragPreview();
    m_grabbed.reset();
    m_origin.clear();
    m_view->clearDragPreview();
    m_view->document()->changeNotes(changed, tr("Change Velocity"));
    update();
}

void VelocityLane::cancelDrag() {
    if (!m_grabbed) return;
    m_grabbed.reset();
    m_origin.clear();
    m_view->clearDragPreview();
    update();
}

}  // namespace melodist::ui

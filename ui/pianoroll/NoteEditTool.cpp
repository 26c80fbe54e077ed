// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/NoteEditTool.h"

#include "ui/pianoroll/PianoRollView.h"
#include "ui/pianoroll/RollPainter.h"

#include <QApplication>
#include <QMouseEvent>

#include <algorithm>
#include <climits>

namespace melodist::ui {
namespace {

using engine::Rational;

constexpr int kEdgeZonePx = 6;

}  // namespace

std::optional<NoteEditTool::Hit> NoteEditTool::hitTest(QPoint pos) const {
    const RollMapping m = m_view->mapping();
    const int pitch = m.pitchAt(pos.y());
    if (pos.y() < m.laneTop(pitch) || pos.y() >= m.laneTop(pitch) + m.laneHeightPx) return std::nullopt;
    const std::optional<NoteId> id = m_view->noteIndex().noteAt(m.quartersAt(pos.x()), pitch);
    if (!id) return std::nullopt;
    const engine::Note& note = m_view->document()->note(*id).note;
    const QRect r = noteRect(m, note.onset.toDouble(), note.end().toDouble(), note.pitch);
    const int zone = std::min(kEdgeZonePx, r.width() / 3);
    return Hit{*id, pos.x() >= r.right() + 1 - zone};
}

void NoteEditTool::press(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || m_mode != Mode::None) return;
    const QPoint pos = event->position().toPoint();
    const Qt::KeyboardModifiers modifiers = event->modifiers();
    m_pressPos = pos;
    m_moved = false;
    m_collapseOnRelease = false;
    if (const std::optional<Hit> hit = hitTest(pos)) {
        pressOnNote(*hit, modifiers);
        return;
    }
    ProjectDocument* doc = m_view->document();
    const bool band = m_view->tool() == PianoRollView::Tool::Select ||
                      (modifiers & (Qt::ControlModifier | Qt::ShiftModifier)) != 0;
    if (band) {
        m_mode = Mode::RubberBand;
        m_selectionBefore = doc->selection();
        m_bandBase = (modifiers & Qt::ShiftModifier) ? doc->selection() : QSet<NoteId>();
        m_band = QRect(pos, pos);
        // A plain click with the Select tool clears the selection (done on release: a drag replaces it anyway).
        return;
    }
    const RollMapping m = m_view->mapping();
    engine::ProjectNote note;
    note.note.pitch = m.pitchAt(pos.y());
    note.note.onset = std::max(Rational(), snapDown(m.quartersAt(pos.x()), m_view->snapStep()));
    note.note.duration = defaultNoteLength(m_view->snap());
    m_drawing = note;
    m_mode = Mode::Draw;
    sound(note.note.pitch);
    m_view->viewport()->update();
}

void NoteEditTool::pressOnNote(const Hit& hit, Qt::KeyboardModifiers modifiers) {
    ProjectDocument* doc = m_view->document();
    QSet<NoteId> selection = doc->selection();
    if (modifiers & Qt::ControlModifier) {
        if (!selection.remove(hit.id)) selection.insert(hit.id);
    } else if (modifiers & Qt::ShiftModifier) {
        selection.insert(hit.id);
    } else if (!selection.contains(hit.id)) {
        selection = {hit.id};
    } else {
        m_collapseOnRelease = selection.size() > 1;
    }
    doc->setSelection(selection);
    const engine::ProjectNote& grabbed = doc->note(hit.id);
    sound(grabbed.note.pitch);
    if (!selection.contains(hit.id)) return;  // Ctrl-click took it out: nothing to drag
    m_grabbed = hit.id;
    m_mode = hit.rightEdge ? Mode::Resize : Mode::Move;
    m_anchorQuarters = m_view->mapping().quartersAt(m_pressPos.x());
    m_anchorPitch = grabbed.note.pitch;
    m_origin.clear();
    for (NoteId id : selection) m_origin.insert(id, doc->note(id));
}

void NoteEditTool::move(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    if (m_mode == Mode::None) {
        const std::optional<Hit> hit = hitTest(pos);
        Qt::CursorShape shape = m_view->tool() == PianoRollView::Tool::Draw ? Qt::CrossCursor : Qt::ArrowCursor;
        if (hit) shape = hit->rightEdge ? Qt::SizeHorCursor : Qt::SizeAllCursor;
        m_view->viewport()->setCursor(shape);
        return;
    }
    if (!m_moved && (pos - m_pressPos).manhattanLength() < QApplication::startDragDistance()) return;
    m_moved = true;
    switch (m_mode) {
    case Mode::Draw: dragDraw(pos); break;
    case Mode::Move: dragMove(pos); break;
    case Mode::Resize: dragResize(pos); break;
    case Mode::RubberBand: dragBand(pos); break;
    case Mode::None: break;
    }
}

void NoteEditTool::dragDraw(QPoint pos) {
    const Rational step = m_view->snapStep();
    const Rational end = snapNearest(m_view->mapping().quartersAt(pos.x()), step);
    const Rational length = end - m_drawing->note.onset;
    m_drawing->note.duration = length >= step ? length : defaultNoteLength(m_view->snap());
    m_view->viewport()->update();
}

void NoteEditTool::dragMove(QPoint pos) {
    const RollMapping m = m_view->mapping();
    Rational delta = snapNearest(m.quartersAt(pos.x()) - m_anchorQuarters, m_view->snapStep());
    int semitones = m.pitchAt(pos.y()) - m_anchorPitch;
    Rational earliest = m_origin.cbegin().value().note.onset;
    int lowest = INT_MAX;
    int highest = INT_MIN;
    for (const engine::ProjectNote& n : m_origin) {
        earliest = std::min(earliest, n.note.onset);
        lowest = std::min(lowest, n.note.pitch);
        highest = std::max(highest, n.note.pitch);
    }
    delta = std::max(delta, -earliest);  // nothing before the start
    semitones = std::clamp(semitones, RollMapping::kLowestPitch - lowest, RollMapping::kHighestPitch - highest);
    QHash<NoteId, engine::ProjectNote> moved;
    for (auto it = m_origin.cbegin(); it != m_origin.cend(); ++it) {
        engine::ProjectNote n = it.value();
        n.note = n.note.withOnset(n.note.onset + delta).withPitch(n.note.pitch + semitones);
        moved.insert(it.key(), n);
    }
    if (moved.value(m_grabbed).note.pitch != m_soundingPitch) sound(moved.value(m_grabbed).note.pitch);
    m_view->setDragPreview(std::move(moved));
}

void NoteEditTool::dragResize(QPoint pos) {
    const Rational step = m_view->snapStep();
    const engine::Note& grabbed = m_origin.value(m_grabbed).note;
    const Rational delta = snapNearest(m_view->mapping().quartersAt(pos.x()), step) - grabbed.end();
    QHash<NoteId, engine::ProjectNote> resized;
    for (auto it = m_origin.cbegin(); it != m_origin.cend(); ++it) {
        engine::ProjectNote n = it.value();
        const Rational shortest = std::min(step, n.note.duration);  // never shorter than a step, or than it was
        n.note = n.note.withDuration(std::max(shortest, n.note.duration + delta));
        resized.insert(it.key(), n);
    }
    m_view->setDragPreview(std::move(resized));
}

void NoteEditTool::dragBand(QPoint pos) {
    m_band = QRect(m_pressPos, pos).normalized();
    const RollMapping m = m_view->mapping();
    const int highest = m.pitchAt(m_band.top());
    const int lowest = m.pitchAt(m_band.bottom());
    QSet<NoteId> selection = m_bandBase;
    m_view->noteIndex().forEachInTime(m.quartersAt(m_band.left()), m.quartersAt(m_band.right()),
                                      [&](const IndexedNote& n) {
                                          if (n.pitch >= lowest && n.pitch <= highest) selection.insert(n.id);
                                      });
    m_view->document()->setSelection(selection);
    m_view->viewport()->update();
}

void NoteEditTool::release(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || m_mode == Mode::None) return;
    ProjectDocument* doc = m_view->document();
    switch (m_mode) {
    case Mode::Draw: {
        const NoteId id = doc->addNote(*m_drawing, QObject::tr("Draw Note"));
        doc->setSelection({id});
        break;
    }
    case Mode::Move:
    case Mode::Resize:
        if (m_moved && !m_view->dragPreview().isEmpty())
            doc->changeNotes(m_view->dragPreview(), m_mode == Mode::Move ? QObject::tr("Move Notes")
                                                                         : QObject::tr("Resize Notes"));
        else if (m_collapseOnRelease)
            doc->setSelection({m_grabbed});
        break;
    case Mode::RubberBand:
        if (!m_moved && m_view->tool() == PianoRollView::Tool::Select &&
            (event->modifiers() & (Qt::ShiftModifier | Qt::ControlModifier)) == 0)
            doc->clearSelection();
        break;
    case Mode::None: break;
    }
    finish();
}

void NoteEditTool::cancel() {
    if (m_mode == Mode::RubberBand) m_view->document()->setSelection(m_selectionBefore);
    finish();
}

void NoteEditTool::finish() {
    m_mode = Mode::None;
    m_drawing.reset();
    m_origin.clear();
    m_band = QRect();
    m_moved = false;
    silence();
    m_view->clearDragPreview();
    m_view->viewport()->update();
}

void NoteEditTool::sound(int pitch) {
    silence();
    m_soundingPitch = pitch;
    emit m_view->keyPressed(pitch);
}

void NoteEditTool::silence() {
    if (m_soundingPitch < 0) return;
    emit m_view->keyReleased(m_soundingPitch);
    m_soundingPitch = -1;
}

}  // namespace melodist::ui

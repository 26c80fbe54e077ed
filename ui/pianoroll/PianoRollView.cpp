// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/PianoRollView.h"

#include "ui/document/ProjectDocument.h"
#include "ui/pianoroll/NoteEditTool.h"
#include "ui/pianoroll/PianoKeyboard.h"
#include "ui/pianoroll/PianoRollActions.h"
#include "ui/pianoroll/PianoRollRuler.h"
#include "ui/pianoroll/RollGrid.h"
#include "ui/pianoroll/RollPainter.h"
#include "ui/pianoroll/SelectionEdits.h"
#include "ui/pianoroll/VelocityLane.h"

#include <QKeyEvent>
#include <QPainter>
#include <QPaintEvent>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <climits>
#include <cmath>

namespace melodist::ui {

using engine::Rational;

PianoRollView::PianoRollView(ProjectDocument* document, QWidget* parent)
    : QAbstractScrollArea(parent), m_document(document), m_editTool(std::make_unique<NoteEditTool>(this)) {
    setObjectName(QStringLiteral("pianoRoll"));
    setMinimumSize(400, 240);
    setFocusPolicy(Qt::StrongFocus);
    setStatusTip(tr("Piano roll: drag to draw notes (D) or select them (S); drag a note to move it, its right edge "
                    "to resize it; arrows transpose and move; Ctrl+wheel zooms"));
    viewport()->setAutoFillBackground(false);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setMouseTracking(true);  // the cursor shows move / resize over notes
    viewport()->setObjectName(QStringLiteral("pianoRollViewport"));
    setViewportMargins(kKeyboardWidthPx, kRulerHeightPx, 0, kVelocityLaneHeightPx);
    m_keyboard = new PianoKeyboard(this);
    m_ruler = new PianoRollRuler(this);
    m_velocityLane = new VelocityLane(this);
    m_actions = new PianoRollActions(this);

    connect(m_document, &ProjectDocument::notesChanged, this, &PianoRollView::onNotesChanged);
    connect(m_document, &ProjectDocument::settingsChanged, this, [this] {
        updateContentLength();
        viewport()->update();
        m_ruler->update();
        m_velocityLane->update();
    });
    connect(m_document, &ProjectDocument::selectionChanged, this, [this] {
        viewport()->update();
        m_velocityLane->update();
    });
    connect(m_document, &ProjectDocument::previewChanged, viewport(), qOverload<>(&QWidget::update));
    onNotesChanged();
}

PianoRollView::~PianoRollView() = default;

// ---- coordinates ----

RollMapping PianoRollView::mapping() const {
    return {m_pixelsPerQuarter, m_laneHeightPx, horizontalScrollBar()->value(), verticalScrollBar()->value()};
}

QPointF PianoRollView::pointFor(Rational onset, int pitch) const {
    const RollMapping m = mapping();
    return {m.xFor(onset.toDouble()), m.laneCentre(pitch)};
}

Rational PianoRollView::timeAt(double x) const { return snapDown(mapping().quartersAt(x), kFineStep); }

int PianoRollView::pitchAt(double y) const { return mapping().pitchAt(y); }

void PianoRollView::centreOnPitch(int pitch) {
    verticalScrollBar()->setValue(laneTopPx(pitch) + m_laneHeightPx / 2 - viewport()->height() / 2);
}

void PianoRollView::scrollToQuarters(double quarters) {
    horizontalScrollBar()->setValue(static_cast<int>(std::lround(quarters * m_pixelsPerQuarter)));
}

// ---- grid and tool ----

void PianoRollView::setSnap(SnapGrid snap) {
    if (snap == m_snap) return;
    m_snap = snap;
    viewport()->update();
    emit snapChanged(snap);
}

void PianoRollView::setTool(Tool tool) {
    if (tool == m_tool) return;
    m_tool = tool;
    viewport()->setCursor(tool == Tool::Draw ? Qt::CrossCursor : Qt::ArrowCursor);
    emit toolChanged(tool);
}

// ---- zoom ----

void PianoRollView::setPixelsPerQuarter(double pixelsPerQuarter, double anchorX) {
    pixelsPerQuarter = std::clamp(pixelsPerQuarter, kMinPixelsPerQuarter, kMaxPixelsPerQuarter);
    if (pixelsPerQuarter == m_pixelsPerQuarter) return;
    const double anchorQuarters = mapping().quartersAt(anchorX);
    m_pixelsPerQuarter = pixelsPerQuarter;
    updateScrollBars();
    horizontalScrollBar()->setValue(static_cast<int>(std::lround(anchorQuarters * pixelsPerQuarter - anchorX)));
    viewport()->update();
    m_ruler->update();
    m_velocityLane->update();
    emit viewChanged();
}

void PianoRollView::setLaneHeightPx(int laneHeightPx, double anchorY) {
    laneHeightPx = std::clamp(laneHeightPx, kMinLaneHeightPx, kMaxLaneHeightPx);
    if (laneHeightPx == m_laneHeightPx) return;
    const double anchorRows = (anchorY + verticalScrollBar()->value()) / m_laneHeightPx;
    m_laneHeightPx = laneHeightPx;
    updateScrollBars();
    verticalScrollBar()->setValue(static_cast<int>(std::lround(anchorRows * laneHeightPx - anchorY)));
    viewport()->update();
    m_keyboard->update();
    emit viewChanged();
}

void PianoRollView::zoomHorizontally(double factor) {
    const double playheadX = mapping().xFor(m_playheadQuarters);
    const bool playheadShown = m_playheadQuarters >= 0 && playheadX >= 0 && playheadX < viewport()->width();
    setPixelsPerQuarter(m_pixelsPerQuarter * factor, playheadShown ? playheadX : viewport()->width() / 2.0);
}

void PianoRollView::zoomVertically(double factor) {
    const int height = static_cast<int>(std::lround(m_laneHeightPx * factor));
    setLaneHeightPx(height == m_laneHeightPx ? height + (factor > 1 ? 1 : -1) : height, viewport()->height() / 2.0);
}

void PianoRollView::zoomToFit() {
    const double barQuarters = m_document->settings().barLength().toDouble();
    const double end = std::max(m_document->endTime().toDouble(), 4 * barQuarters);
    setPixelsPerQuarter((viewport()->width() - 8) / end, 0);
    horizontalScrollBar()->setValue(0);
    if (m_index.empty()) return;
    int lowest = INT_MAX;
    int highest = INT_MIN;
    for (const auto& [id, note] : m_document->notes()) {
        lowest = std::min(lowest, note.note.pitch);
        highest = std::max(highest, note.note.pitch);
    }
    setLaneHeightPx(std::min(16, viewport()->height() / (highest - lowest + 5)), 0);
    centreOnPitch((lowest + highest) / 2);
}

// ---- playhead ----

void PianoRollView::setPlayheadQuarters(double quarters) {
    if (quarters == m_playheadQuarters) return;
    const double old = m_playheadQuarters;
    m_playheadQuarters = quarters;
    if (quarters + m_document->settings().barLength().toDouble() > m_lengthQuarters) updateContentLength();
    const double x = mapping().xFor(quarters);
    if (quarters >= 0 && m_followPlayhead && !m_editTool->isDragging() && (x < 0 || x >= viewport()->width())) {
        // Page along with it: one full repaint per page, not per frame.
        scrollToQuarters(quarters - 0.05 * viewport()->width() / m_pixelsPerQuarter);
        viewport()->update();
        m_ruler->update();
        return;
    }
    updatePlayheadColumn(old);
    updatePlayheadColumn(quarters);
    m_ruler->updatePlayhead(old, quarters);
}

void PianoRollView::updatePlayheadColumn(double quarters) {
    if (quarters < 0) return;
    const int x = static_cast<int>(std::lround(mapping().xFor(quarters)));
    viewport()->update(QRect(x - 1, 0, 4, viewport()->height()));
}

// ---- edits of the selection ----

void PianoRollView::deleteSelection() {
    if (const auto r = melodist::ui::deleteSelection(*m_document); !r) reportStatus(QString::fromStdString(r.error()));
}

void PianoRollView::selectAll() { m_document->selectAll(); }

void PianoRollView::copySelection() {
    if (const auto r = melodist::ui::copySelection(*m_document); !r) reportStatus(QString::fromStdString(r.error()));
}

void PianoRollView::cutSelection() {
    if (const auto r = melodist::ui::cutSelection(*m_document); !r) reportStatus(QString::fromStdString(r.error()));
}

void PianoRollView::paste() {
    const Rational at = pastePosition(*m_document, m_playheadQuarters, snapStep());
    if (const auto r = pasteNotes(*m_document, at); !r) reportStatus(QString::fromStdString(r.error()));
}

void PianoRollView::transposeSelection(int semitones) {
    if (const auto r = melodist::ui::transposeSelection(*m_document, semitones); !r)
        reportStatus(QString::fromStdString(r.error()));
}

void PianoRollView::moveSelectionBySteps(int gridSteps) {
    const Rational delta = defaultNoteLength(m_snap) * Rational(gridSteps);
    if (const auto r = moveSelection(*m_document, delta); !r) reportStatus(QString::fromStdString(r.error()));
}

// ---- menus ----

void PianoRollView::addEditActions(QMenu* menu) { m_actions->addEditActions(menu); }
void PianoRollView::addViewActions(QMenu* menu) { m_actions->addViewActions(menu); }
QToolBar* PianoRollView::createToolBar(QWidget* parent) { return m_actions->createToolBar(parent); }

void PianoRollView::setDragPreview(QHash<NoteId, engine::ProjectNote> notes) {
    if (notes.isEmpty() && m_dragPreview.isEmpty()) return;
    m_dragPreview = std::move(notes);
    viewport()->update();
    m_velocityLane->update();
}

// ---- layout, painting, events ----

void PianoRollView::onNotesChanged() {
    m_index.rebuild(m_document->notes());
    updateContentLength();
    viewport()->update();
    m_velocityLane->update();
}

void PianoRollView::updateContentLength() {
    const engine::Project& settings = m_document->settings();
    const double bar = settings.barLength().toDouble();
    double length = std::max(16 * bar, m_document->endTime().toDouble() + 4 * bar);
    if (settings.loop) length = std::max(length, settings.loop->end.toDouble() + 4 * bar);
    if (m_playheadQuarters >= 0) length = std::max(length, m_playheadQuarters + 4 * bar);
    if (length == m_lengthQuarters) return;
    m_lengthQuarters = length;
    updateScrollBars();
}

void PianoRollView::updateScrollBars() {
    const RollMapping m = mapping();
    const int contentWidth = static_cast<int>(std::ceil(m_lengthQuarters * m_pixelsPerQuarter));
    verticalScrollBar()->setRange(0, std::max(0, m.contentHeight() - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setSingleStep(m_laneHeightPx);
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setSingleStep(std::max(1, static_cast<int>(m_pixelsPerQuarter)));
}

void PianoRollView::layoutStrips() {
    const QRect v = viewport()->geometry();
    m_keyboard->setGeometry(v.left() - kKeyboardWidthPx, v.top(), kKeyboardWidthPx, v.height());
    m_ruler->setGeometry(v.left(), v.top() - kRulerHeightPx, v.width(), kRulerHeightPx);
    m_velocityLane->setGeometry(v.left(), v.bottom() + 1, v.width(), kVelocityLaneHeightPx);
}

void PianoRollView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    layoutStrips();
}

void PianoRollView::scrollContentsBy(int dx, int dy) {
    viewport()->update();
    if (dx != 0) {
        m_ruler->update();
        m_velocityLane->update();
    }
    if (dy != 0) m_keyboard->update();
    emit viewChanged();
}

void PianoRollView::paintEvent(QPaintEvent* event) {
    QPainter painter(viewport());
    RollPaintInput input;
    input.mapping = mapping();
    input.colours = RollPalette::from(palette());
    input.document = m_document;
    input.index = &m_index;
    input.dragPreview = &m_dragPreview;
    input.drawing = m_editTool->drawing();
    input.rubberBand = m_editTool->rubberBand();
    input.playheadQuarters = m_playheadQuarters;
    input.snapStep = snapStep();
    paintRoll(painter, event->rect(), input);
}

void PianoRollView::mousePressEvent(QMouseEvent* event) {
    setFocus(Qt::MouseFocusReason);
    m_editTool->press(event);
}

void PianoRollView::mouseMoveEvent(QMouseEvent* event) { m_editTool->move(event); }

void PianoRollView::mouseReleaseEvent(QMouseEvent* event) { m_editTool->release(event); }

void PianoRollView::wheelEvent(QWheelEvent* event) {
    const QPoint angle = event->angleDelta();
    const int delta = angle.y() != 0 ? angle.y() : angle.x();
    const Qt::KeyboardModifiers modifiers = event->modifiers();
    if ((modifiers & Qt::ControlModifier) && (modifiers & Qt::ShiftModifier)) {
        const double factor = std::pow(1.15, delta / 120.0);
        int height = static_cast<int>(std::lround(m_laneHeightPx * factor));
        if (height == m_laneHeightPx && delta != 0) height += delta > 0 ? 1 : -1;
        setLaneHeightPx(height, event->position().y());
    } else if (modifiers & Qt::ControlModifier) {
        setPixelsPerQuarter(m_pixelsPerQuarter * std::pow(1.25, delta / 120.0), event->position().x());
    } else if (modifiers & Qt::ShiftModifier) {
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta);
    } else {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    event->accept();
}

void PianoRollView::keyPressEvent(QKeyEvent* event) {
    if (event->key() != Qt::Key_Escape) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    if (m_editTool->isDragging()) m_editTool->cancel();
    else if (m_ruler->isDragging()) m_ruler->cancelDrag();
    else if (m_velocityLane->isDragging()) m_velocityLane->cancelDrag();
    else m_document->clearSelection();
    event->accept();
}

void PianoRollView::changeEvent(QEvent* event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        viewport()->update();
        m_keyboard->update();
        m_ruler->update();
        m_velocityLane->update();
    }
}

}  // namespace melodist::ui

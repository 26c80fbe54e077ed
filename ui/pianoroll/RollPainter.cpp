// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/RollPainter.h"

#include "ui/pianoroll/RollGrid.h"

#include <QPainter>
#include <QVarLengthArray>

#include <array>
#include <cmath>
#include <vector>

namespace melodist::ui {
namespace {

// Notes of one fill colour: (generated, selected, velocity step).
constexpr int kBuckets = 2 * 2 * RollPalette::kVelocitySteps;
int bucketOf(bool generated, bool selected, int velocityStep) {
    return ((generated ? 1 : 0) * 2 + (selected ? 1 : 0)) * RollPalette::kVelocitySteps + velocityStep;
}

bool isBlackKey(int pitch) {
    switch (pitch % 12) {
    case 1: case 3: case 6: case 8: case 10: return true;
    default: return false;
    }
}

void paintLanes(QPainter& painter, const QRect& exposed, const RollPaintInput& in) {
    const RollMapping& m = in.mapping;
    const RollPalette& c = in.colours;
    painter.fillRect(exposed, c.background);
    const std::optional<engine::ScaleKey>& key = in.document->settings().key;
    const std::array<bool, 12> inScale = key ? key->pitchClasses() : std::array<bool, 12>{};
    QVarLengthArray<QLine, 32> octaveLines;
    for (int pitch = m.pitchAt(exposed.top()); pitch >= RollMapping::kLowestPitch; --pitch) {
        const int y = m.laneTop(pitch);
        if (y > exposed.bottom()) break;
        const QRect lane(exposed.left(), y, exposed.width(), m.laneHeightPx);
        // With a key: its scale light (the tonic tinted), the rest shaded; else the black keys shaded.
        if (key) {
            const int pitchClass = pitch % 12;
            if (!inScale[static_cast<std::size_t>(pitchClass)]) painter.fillRect(lane, c.shadedLane);
            else painter.fillRect(lane, pitchClass == key->tonic ? c.tonicLane : c.scaleLane);
        } else if (isBlackKey(pitch)) {
            painter.fillRect(lane, c.shadedLane);
        }
        if (pitch % 12 == 0) octaveLines.append(QLine(exposed.left(), y + m.laneHeightPx - 1, exposed.right(), y + m.laneHeightPx - 1));
    }
    painter.setPen(c.octaveLine);
    painter.drawLines(octaveLines.data(), static_cast<int>(octaveLines.size()));
}

void paintGrid(QPainter& painter, const QRect& exposed, const RollPaintInput& in) {
    const engine::Project& settings = in.document->settings();
    std::array<std::vector<QLine>, 3> lines;  // bar, beat, step
    const int top = exposed.top();
    const int bottom = exposed.bottom();
    forEachGridLine(in.mapping, exposed.left() - 1, exposed.right() + 1,
                    RollMeter::of(settings.meterNumerator, settings.meterDenominator), in.snapStep,
                    [&](const GridLine& line) {
                        const int x = static_cast<int>(std::lround(line.x));
                        lines[static_cast<std::size_t>(line.kind)].emplace_back(x, top, x, bottom);
                    });
    const QColor colours[3] = {in.colours.barLine, in.colours.beatLine, in.colours.gridLine};
    for (int kind = 2; kind >= 0; --kind) {  // bars on top
        painter.setPen(colours[kind]);
        painter.drawLines(lines[static_cast<std::size_t>(kind)].data(), static_cast<int>(lines[static_cast<std::size_t>(kind)].size()));
    }
    if (const std::optional<engine::LoopRegion>& loop = settings.loop) {
        const int x0 = static_cast<int>(std::lround(in.mapping.xFor(loop->start.toDouble())));
        const int x1 = static_cast<int>(std::lround(in.mapping.xFor(loop->end.toDouble())));
        painter.fillRect(QRect(QPoint(x0, top), QPoint(x1 - 1, bottom)) & exposed, in.colours.loopShade);
        painter.setPen(in.colours.loopEdge);
        painter.drawLine(x0, top, x0, bottom);
        painter.drawLine(x1, top, x1, bottom);
    }
}

void paintNotes(QPainter& painter, const QRect& exposed, const RollPaintInput& in) {
    const RollMapping& m = in.mapping;
    const RollPalette& c = in.colours;
    const QSet<NoteId>& selection = in.document->selection();
    const int highest = m.pitchAt(exposed.top());
    const int lowest = m.pitchAt(exposed.bottom());
    const double from = m.quartersAt(exposed.left() - 1);
    const double to = m.quartersAt(exposed.right() + 1);
    const bool outlines = m.laneHeightPx >= 6;

    std::array<std::vector<QRect>, kBuckets> fills;
    std::vector<QRect> edges;          // outlines of unselected notes
    std::vector<QRect> selectedEdges;  // and of selected ones
    auto add = [&](double onset, double end, int pitch, int velocity, bool generated, bool selected) {
        const QRect r = noteRect(m, onset, end, pitch);
        fills[static_cast<std::size_t>(bucketOf(generated, selected, RollPalette::velocityStep(velocity)))].push_back(r);
        if (outlines && r.width() >= 4) (selected ? selectedEdges : edges).push_back(r.adjusted(0, 0, -1, -1));
    };
    const bool dragging = in.dragPreview != nullptr && !in.dragPreview->isEmpty();
    in.index->forEachInTime(from, to, [&](const IndexedNote& n) {
        if (n.pitch < lowest || n.pitch > highest) return;
        if (dragging && in.dragPreview->contains(n.id)) return;
        add(n.onset, n.end, n.pitch, n.velocity, n.generated, selection.contains(n.id));
    });
    if (dragging) {
        for (auto it = in.dragPreview->cbegin(); it != in.dragPreview->cend(); ++it) {
            const engine::Note& note = it.value().note;
            add(note.onset.toDouble(), note.end().toDouble(), note.pitch, note.velocity, it.value().generated,
                selection.contains(it.key()));
        }
    }
    if (in.drawing != nullptr) {
        const engine::Note& note = in.drawing->note;
        add(note.onset.toDouble(), note.end().toDouble(), note.pitch, note.velocity, false, true);
    }
    painter.setPen(Qt::NoPen);
    for (int b = 0; b < kBuckets; ++b) {
        const std::vector<QRect>& rects = fills[static_cast<std::size_t>(b)];
        if (rects.empty()) continue;
        const int step = b % RollPalette::kVelocitySteps;
        const bool selected = (b / RollPalette::kVelocitySteps) % 2 == 1;
        const bool generated = b / (2 * RollPalette::kVelocitySteps) == 1;
        painter.setBrush(c.noteFillForStep(generated, selected, step));
        painter.drawRects(rects.data(), static_cast<int>(rects.size()));
    }
    painter.setBrush(Qt::NoBrush);
    painter.setPen(c.noteOutline);
    painter.drawRects(edges.data(), static_cast<int>(edges.size()));
    painter.setPen(QPen(c.selectedOutline, 1));
    painter.drawRects(selectedEdges.data(), static_cast<int>(selectedEdges.size()));
}

// The candidate being auditioned: translucent, outlined, over the notes.
void paintPreview(QPainter& painter, const QRect& exposed, const RollPaintInput& in) {
    const std::vector<engine::ProjectNote>& preview = in.document->preview();
    if (preview.empty()) return;
    QColor fill = in.colours.generatedNote;
    fill.setAlpha(90);
    painter.setBrush(fill);
    painter.setPen(QPen(in.colours.generatedNote.darker(in.colours.dark ? 80 : 130), 1, Qt::DashLine));
    for (const engine::ProjectNote& p : preview) {
        const QRect r = noteRect(in.mapping, p.note.onset.toDouble(), p.note.end().toDouble(), p.note.pitch);
        if (r.intersects(exposed)) painter.drawRect(r.adjusted(0, 0, -1, -1));
    }
}

}  // namespace

QRect noteRect(const RollMapping& mapping, double onset, double end, int pitch) {
    const int x0 = static_cast<int>(std::lround(mapping.xFor(onset)));
    const int x1 = static_cast<int>(std::lround(mapping.xFor(end)));
    int width = std::max(1, x1 - x0);
    if (width > 3) --width;  // a gap, so repeated notes read as separate
    const int height = std::max(1, mapping.laneHeightPx - 1);
    return QRect(x0, mapping.laneTop(pitch) + 1, width, height);
}

void paintRoll(QPainter& painter, const QRect& exposed, const RollPaintInput& in) {
    paintLanes(painter, exposed, in);
    paintGrid(painter, exposed, in);
    paintNotes(painter, exposed, in);
    paintPreview(painter, exposed, in);
    if (!in.rubberBand.isEmpty()) {
        QColor fill = in.colours.rubberBand;
        fill.setAlpha(40);
        painter.setBrush(fill);
        painter.setPen(in.colours.rubberBand);
        painter.drawRect(in.rubberBand.adjusted(0, 0, -1, -1));
    }
    if (in.playheadQuarters >= 0) {
        const int x = static_cast<int>(std::lround(in.mapping.xFor(in.playheadQuarters)));
        painter.fillRect(QRect(x, exposed.top(), 2, exposed.height()), in.colours.playhead);
    }
}

}  // namespace melodist::ui

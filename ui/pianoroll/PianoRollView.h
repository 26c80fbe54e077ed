// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PianoRollView: the studio's note editor over the shared ProjectDocument -- one lane
// per MIDI pitch, a keyboard on the left that sounds a pitch when clicked, a bar/beat
// ruler on top (drag it to set the loop), a velocity lane below, the playhead, the
// key's scale shaded, seed and generated notes in their own colours and the candidate
// being auditioned drawn translucent. Mouse editing lives in NoteEditTool, drawing in
// RollPainter, the Edit/View actions in PianoRollActions, edits of the selection in
// SelectionEdits; this class owns the zoom, the scroll position, the grid and the
// coordinate conversions. Every edit is one ProjectDocument call (one undo step).
// UI thread only; owned by MainWindow (or a test); it does not own the document.
//
//   auto* roll = new PianoRollView(document, window);
//   roll->addEditActions(editMenu);                  // Cut/Copy/Paste/Delete/Transpose...
//   roll->addViewActions(viewMenu);                  // zoom, snap
//   connect(roll, &PianoRollView::keyPressed, synth, &Synth::noteOn);
//   roll->setPlayheadQuarters(player.positionQuarters());   // ~30-60 Hz while playing
//   QPointF p = roll->pointFor(Rational(4), 60);    // where C4 at bar 2 is, in viewport pixels

#include "engine/music/Rational.h"
#include "engine/project/Project.h"
#include "ui/pianoroll/NoteIndex.h"
#include "ui/pianoroll/RollMapping.h"
#include "ui/pianoroll/SnapGrid.h"

#include <QAbstractScrollArea>
#include <QHash>

#include <memory>

class QMenu;
class QToolBar;

namespace melodist::ui {

class ProjectDocument;
class NoteEditTool;
class PianoKeyboard;
class PianoRollActions;
class PianoRollRuler;
class VelocityLane;

class PianoRollView : public QAbstractScrollArea {
    Q_OBJECT
public:
    // Draw: drag on empty space draws a note, Ctrl/Shift+drag there selects with a
    // rubber band. Select: drag on empty space is a rubber band, a click clears the
    // selection. On a note both move (body) or resize (right edge) it.
    enum class Tool { Draw, Select };

    explicit PianoRollView(ProjectDocument* document, QWidget* parent = nullptr);
    ~PianoRollView() override;

    static constexpr int kLowestPitch = RollMapping::kLowestPitch;
    static constexpr int kHighestPitch = RollMapping::kHighestPitch;
    static constexpr int kKeyboardWidthPx = 56;
    static constexpr int kRulerHeightPx = 24;
    static constexpr int kVelocityLaneHeightPx = 64;

    ProjectDocument* document() const { return m_document; }
    PianoKeyboard* keyboard() const { return m_keyboard; }
    PianoRollRuler* ruler() const { return m_ruler; }
    VelocityLane* velocityLane() const { return m_velocityLane; }
    const NoteIndex& noteIndex() const { return m_index; }

    // ---- coordinates (viewport pixels) ----
    RollMapping mapping() const;
    int laneHeightPx() const { return m_laneHeightPx; }
    double pixelsPerQuarter() const { return m_pixelsPerQuarter; }
    int laneTopPx(int pitch) const { return (kHighestPitch - pitch) * m_laneHeightPx; }  // content pixels
    // x of `onset`, y the centre of `pitch`'s lane.
    QPointF pointFor(engine::Rational onset, int pitch) const;
    engine::Rational timeAt(double x) const;  // on the fine grid (1/96 quarter), not snapped
    int pitchAt(double y) const;
    void centreOnPitch(int pitch);
    void scrollToQuarters(double quarters);  // puts `quarters` at the left edge

    // ---- grid and tool ----
    SnapGrid snap() const { return m_snap; }
    void setSnap(SnapGrid snap);
    engine::Rational snapStep() const { return melodist::ui::snapStep(m_snap); }
    Tool tool() const { return m_tool; }
    void setTool(Tool tool);

    // ---- zoom; the anchor (viewport pixels) stays over the same time / pitch ----
    void setPixelsPerQuarter(double pixelsPerQuarter, double anchorX);
    void setLaneHeightPx(int laneHeightPx, double anchorY);
    void zoomHorizontally(double factor);  // about the playhead when shown, else the centre
    void zoomVertically(double factor);
    void zoomToFit();                      // every note (or the first bars) in view
    static constexpr double kMinPixelsPerQuarter = 0.1;
    static constexpr double kMaxPixelsPerQuarter = 1000.0;
    static constexpr int kMinLaneHeightPx = 3;
    static constexpr int kMaxLaneHeightPx = 40;

    // ---- playhead (the audition part calls this at ~30-60 Hz; < 0 hides it) ----
    void setPlayheadQuarters(double quarters);
    double playheadQuarters() const { return m_playheadQuarters; }
    void setFollowPlayhead(bool follow) { m_followPlayhead = follow; }

    // ---- edits of the selection (also behind the actions; each one undo step) ----
    void deleteSelection();
    void selectAll();
    void copySelection();
    void cutSelection();
    void paste();  // after the selection, else at the playhead, else after the last note
    void transposeSelection(int semitones);
    void moveSelectionBySteps(int gridSteps);

    // ---- menus and toolbar (the actions live on this view; objectNames "actionDelete" ...) ----
    void addEditActions(QMenu* menu);
    void addViewActions(QMenu* menu);
    QToolBar* createToolBar(QWidget* parent);
    PianoRollActions* rollActions() const { return m_actions; }

    // ---- a drag's preview: notes shown with new values until the drag commits ----
    const QHash<NoteId, engine::ProjectNote>& dragPreview() const { return m_dragPreview; }
    void setDragPreview(QHash<NoteId, engine::ProjectNote> notes);
    void clearDragPreview() { setDragPreview({}); }
    void reportStatus(const QString& message) { emit statusMessage(message); }

signals:
    // The pitch to sound (keyboard click, a note drawn or clicked, a note dragged to a
    // new pitch) and its end; the audition part plays them.
    void keyPressed(int pitch);
    void keyReleased(int pitch);
    void statusMessage(const QString& message);  // why an edit did nothing, for the status bar
    void snapChanged(melodist::ui::SnapGrid snap);
    void toolChanged(melodist::ui::PianoRollView::Tool tool);
    void viewChanged();  // zoom or scroll: the strips repaint

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void onNotesChanged();
    void updateContentLength();
    void updateScrollBars();
    void layoutStrips();
    void updatePlayheadColumn(double quarters);

    ProjectDocument* m_document;
    NoteIndex m_index;
    std::unique_ptr<NoteEditTool> m_editTool;
    PianoRollActions* m_actions = nullptr;
    PianoKeyboard* m_keyboard = nullptr;
    PianoRollRuler* m_ruler = nullptr;
    VelocityLane* m_velocityLane = nullptr;
    QHash<NoteId, engine::ProjectNote> m_dragPreview;

    int m_laneHeightPx = 12;
    double m_pixelsPerQuarter = 48.0;
    double m_lengthQuarters = 64.0;  // how far the roll scrolls
    SnapGrid m_snap = SnapGrid::Sixteenth;
    Tool m_tool = Tool::Draw;
    double m_playheadQuarters = -1.0;
    bool m_followPlayhead = true;
};

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/PianoRollActions.h"

#include "ui/pianoroll/PianoRollView.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QMenu>
#include <QToolBar>

namespace melodist::ui {
namespace {

const char* snapObjectName(SnapGrid grid) {
    switch (grid) {
    case SnapGrid::Off: return "actionSnapOff";
    case SnapGrid::Quarter: return "actionSnapQuarter";
    case SnapGrid::Eighth: return "actionSnapEighth";
    case SnapGrid::Sixteenth: return "actionSnapSixteenth";
    case SnapGrid::ThirtySecond: return "actionSnapThirtySecond";
    case SnapGrid::EighthTriplet: return "actionSnapEighthTriplet";
    case SnapGrid::SixteenthTriplet: return "actionSnapSixteenthTriplet";
    }
    return "actionSnap";
}

}  // namespace

PianoRollActions::PianoRollActions(PianoRollView* view) : QObject(view), m_view(view) {
    setObjectName(QStringLiteral("pianoRollActions"));
    const auto key = [](const QString& text) { return QKeySequence(text); };
    m_clipboard = {
        make("actionCut", tr("Cu&t"), {QKeySequence::Cut}, tr("Cut the selected notes to the clipboard")),
        make("actionCopy", tr("&Copy"), {QKeySequence::Copy}, tr("Copy the selected notes to the clipboard")),
        make("actionPaste", tr("&Paste"), {QKeySequence::Paste},
             tr("Paste notes after the selection, else at the playhead, else after the last note")),
        make("actionDelete", tr("&Delete"), {key("Del"), key("Backspace")}, tr("Delete the selected notes")),
        make("actionSelectAll", tr("Select &All"), {QKeySequence::SelectAll}, tr("Select every note")),
    };
    connect(m_clipboard[0], &QAction::triggered, view, &PianoRollView::cutSelection);
    connect(m_clipboard[1], &QAction::triggered, view, &PianoRollView::copySelection);
    connect(m_clipboard[2], &QAction::triggered, view, &PianoRollView::paste);
    connect(m_clipboard[3], &QAction::triggered, view, &PianoRollView::deleteSelection);
    connect(m_clipboard[4], &QAction::triggered, view, &PianoRollView::selectAll);

    m_transpose = {
        make("actionTransposeUp", tr("Transpose &Up"), {key("Up")}, tr("Move the selected notes up a semitone")),
        make("actionTransposeDown", tr("Transpose Do&wn"), {key("Down")}, tr("Move the selected notes down a semitone")),
        make("actionOctaveUp", tr("Octave U&p"), {key("Shift+Up")}, tr("Move the selected notes up an octave")),
        make("actionOctaveDown", tr("Octave Dow&n"), {key("Shift+Down")}, tr("Move the selected notes down an octave")),
        make("actionMoveLeft", tr("Move &Earlier"), {key("Left")}, tr("Move the selected notes one grid step earlier")),
        make("actionMoveRight", tr("Move &Later"), {key("Right")}, tr("Move the selected notes one grid step later")),
    };
    const int semitones[] = {1, -1, 12, -12};
    for (int i = 0; i < 4; ++i)
        connect(m_transpose[i], &QAction::triggered, view, [view, s = semitones[i]] { view->transposeSelection(s); });
    connect(m_transpose[4], &QAction::triggered, view, [view] { view->moveSelectionBySteps(-1); });
    connect(m_transpose[5], &QAction::triggered, view, [view] { view->moveSelectionBySteps(1); });

    m_drawTool = make("actionDrawTool", tr("&Draw Tool"), {key("D")},
                      tr("Draw tool (D): drag on empty space draws a note, a click draws one grid step; "
                         "Ctrl+drag or Shift+drag selects with a rubber band"));
    m_selectTool = make("actionSelectTool", tr("&Select Tool"), {key("S")},
                        tr("Select tool (S): drag on empty space selects with a rubber band (Shift adds), "
                           "a click clears the selection"));
    auto* tools = new QActionGroup(this);
    for (QAction* a : {m_drawTool, m_selectTool}) {
        a->setCheckable(true);
        tools->addAction(a);
    }
    connect(m_drawTool, &QAction::triggered, view, [view] { view->setTool(PianoRollView::Tool::Draw); });
    connect(m_selectTool, &QAction::triggered, view, [view] { view->setTool(PianoRollView::Tool::Select); });

    m_zoom = {
        make("actionZoomIn", tr("Zoom &In"), {key("Ctrl+="), key("Ctrl++")}, tr("Zoom in (Ctrl+wheel)")),
        make("actionZoomOut", tr("Zoom &Out"), {key("Ctrl+-")}, tr("Zoom out (Ctrl+wheel)")),
        make("actionZoomFit", tr("Zoom to &Fit"), {key("Ctrl+0")}, tr("Show every note")),
        make("actionZoomLanesIn", tr("Taller &Lanes"), {key("Ctrl+Shift+=")}, tr("Taller lanes (Ctrl+Shift+wheel)")),
        make("actionZoomLanesOut", tr("Shorter L&anes"), {key("Ctrl+Shift+-")}, tr("Shorter lanes (Ctrl+Shift+wheel)")),
    };
    connect(m_zoom[0], &QAction::triggered, view, [view] { view->zoomHorizontally(1.5); });
    connect(m_zoom[1], &QAction::triggered, view, [view] { view->zoomHorizontally(1.0 / 1.5); });
    connect(m_zoom[2], &QAction::triggered, view, &PianoRollView::zoomToFit);
    connect(m_zoom[3], &QAction::triggered, view, [view] { view->zoomVertically(1.25); });
    connect(m_zoom[4], &QAction::triggered, view, [view] { view->zoomVertically(0.8); });

    m_snapGroup = new QActionGroup(this);
    for (SnapGrid grid : kSnapGrids) {
        QAction* a = make(snapObjectName(grid), grid == SnapGrid::Off ? tr("&Off") : QString::fromLatin1(snapLabel(grid)),
                          {}, tr("Snap notes to a %1 grid").arg(QString::fromLatin1(snapLabel(grid))));
        if (grid == SnapGrid::Off) a->setToolTip(tr("No snapping (times on a 1/96 quarter grid)"));
        a->setCheckable(true);
        m_snapGroup->addAction(a);
        connect(a, &QAction::triggered, view, [view, grid] { view->setSnap(grid); });
        m_snap.push_back(a);
    }
    connect(view, &PianoRollView::snapChanged, this, &PianoRollActions::syncChecks);
    connect(view, &PianoRollView::toolChanged, this, &PianoRollActions::syncChecks);
    syncChecks();
}

QAction* PianoRollActions::make(const char* objectName, const QString& text, const QList<QKeySequence>& keys,
                                const QString& tip) {
    auto* action = new QAction(text, this);
    action->setObjectName(QString::fromLatin1(objectName));
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setShortcuts(keys);
    action->setToolTip(keys.isEmpty() ? tip : tip + QStringLiteral(" (%1)").arg(keys.front().toString(QKeySequence::NativeText)));
    action->setStatusTip(tip);
    m_view->addAction(action);
    return action;
}

void PianoRollActions::syncChecks() {
    m_drawTool->setChecked(m_view->tool() == PianoRollView::Tool::Draw);
    m_selectTool->setChecked(m_view->tool() == PianoRollView::Tool::Select);
    snapAction(m_view->snap())->setChecked(true);
}

QAction* PianoRollActions::snapAction(SnapGrid grid) const {
    for (std::size_t i = 0; i < kSnapGrids.size(); ++i)
        if (kSnapGrids[i] == grid) return m_snap[static_cast<qsizetype>(i)];
    return m_snap.front();
}

void PianoRollActions::addEditActions(QMenu* menu) const {
    menu->addActions(m_clipboard);
    menu->addSeparator();
    QMenu* transpose = menu->addMenu(tr("&Transpose and Move"));
    transpose->setObjectName(QStringLiteral("menuTranspose"));
    transpose->addActions(m_transpose);
    menu->addSeparator();
    menu->addAction(m_drawTool);
    menu->addAction(m_selectTool);
}

void PianoRollActions::addViewActions(QMenu* menu) const {
    menu->addActions(m_zoom);
    QMenu* snap = menu->addMenu(tr("&Snap to Grid"));
    snap->setObjectName(QStringLiteral("menuSnap"));
    snap->addActions(m_snap);
}

QToolBar* PianoRollActions::createToolBar(QWidget* parent) const {
    auto* bar = new QToolBar(tr("Piano Roll"), parent);
    bar->setObjectName(QStringLiteral("pianoRollToolBar"));
    bar->addAction(m_drawTool);
    bar->addAction(m_selectTool);
    bar->addSeparator();
    auto* snap = new QComboBox(bar);
    snap->setObjectName(QStringLiteral("snapCombo"));
    snap->setToolTip(tr("Snap to grid: where drawn and moved notes land"));
    for (SnapGrid grid : kSnapGrids) snap->addItem(tr("Snap %1").arg(QString::fromLatin1(snapLabel(grid))), static_cast<int>(grid));
    const auto sync = [snap, view = m_view] { snap->setCurrentIndex(snap->findData(static_cast<int>(view->snap()))); };
    sync();
    connect(snap, &QComboBox::activated, m_view,
            [snap, view = m_view](int index) { view->setSnap(static_cast<SnapGrid>(snap->itemData(index).toInt())); });
    connect(m_view, &PianoRollView::snapChanged, snap, sync);
    bar->addWidget(snap);
    bar->addSeparator();
    bar->addActions({m_zoom[0], m_zoom[1], m_zoom[2]});
    return bar;
}

}  // namespace melodist::ui

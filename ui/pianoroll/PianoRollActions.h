// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PianoRollActions: the piano roll's QActions -- Cut/Copy/Paste/Delete/Select All,
// transpose (Up/Down, Shift+Up/Down an octave), move by a grid step (Left/Right), the
// Draw/Select tools (D/S), zoom (Ctrl+= / Ctrl+- / Ctrl+0, Ctrl+Shift+= / - for
// lanes), the snap grid -- with shortcuts, tooltips and objectNames ("actionDelete",
// "actionSnapSixteenthTriplet", ...). They live on the view (shortcuts active while the
// roll has focus, so a text field elsewhere keeps its own keys) and are also put in
// MainWindow's Edit and View menus and in the roll's toolbar. UI thread; owned by
// PianoRollView.
//
//   view->rollActions()->addEditActions(editMenu);
//   window->addToolBar(view->rollActions()->createToolBar(window));

#include "ui/pianoroll/SnapGrid.h"

#include <QList>
#include <QObject>

class QAction;
class QActionGroup;
class QMenu;
class QToolBar;
class QWidget;

namespace melodist::ui {

class PianoRollView;

class PianoRollActions : public QObject {
    Q_OBJECT
public:
    explicit PianoRollActions(PianoRollView* view);

    void addEditActions(QMenu* menu) const;
    void addViewActions(QMenu* menu) const;
    QToolBar* createToolBar(QWidget* parent) const;
    QAction* snapAction(SnapGrid grid) const;

private:
    QAction* make(const char* objectName, const QString& text, const QList<QKeySequence>& keys, const QString& tip);
    void syncChecks();

    PianoRollView* m_view;
    QList<QAction*> m_clipboard;  // cut, copy, paste, delete, select all
    QList<QAction*> m_transpose;  // up, down, octave up, octave down, left, right
    QAction* m_drawTool = nullptr;
    QAction* m_selectTool = nullptr;
    QList<QAction*> m_zoom;       // in, out, fit, lanes taller, lanes shorter
    QActionGroup* m_snapGroup = nullptr;
    QList<QAction*> m_snap;       // in kSnapGrids order
};

}  // namespace melodist::ui

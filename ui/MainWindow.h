// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MainWindow: the studio's window -- menus File/Edit/Generate/Train/Help, the piano
// roll in the centre, and a status bar naming the device, model, soundfont and MIDI
// input. Lives on the UI thread; owned by app/main.cpp. It renders state and forwards
// actions; music logic lives in the engine.

#include <QMainWindow>

class QLabel;
class QUndoStack;

namespace melodist::ui {

class PianoRollView;
struct SystemReport;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    QUndoStack* undoStack() const { return m_undoStack; }

public slots:
    void showAbout();

private:
    void buildMenus();
    void buildStatusBar();
    void startSystemProbe();                      // runs off the UI thread
    void applySystemReport(const SystemReport& report);  // called on the UI thread

    PianoRollView* m_pianoRoll = nullptr;
    QUndoStack* m_undoStack = nullptr;
    QLabel* m_deviceLabel = nullptr;
    QLabel* m_modelLabel = nullptr;
    QLabel* m_soundfontLabel = nullptr;
    QLabel* m_midiLabel = nullptr;
};

}  // namespace melodist::ui

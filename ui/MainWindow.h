// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MainWindow: the studio's window -- menus File/Edit/Generate/Train/Help, the piano
// roll in the centre, and a status bar naming the device, model, soundfont and MIDI
// input. Lives on the UI thread; owned by app/main.cpp. It renders state and forwards
// actions; music logic lives in the engine.
// The MIDI text follows devices coming and going: the start-up probe (a worker thread)
// also opens an engine::MidiPortWatcher, whose changes hop back to the UI thread through
// queued calls on this window; the destructor stops the watcher.

#include <QMainWindow>
#include <QStringList>

#include <memory>

class QLabel;
class QMenu;
class QUndoStack;

namespace melodist::ui {

class PianoRollView;
class ProjectDocument;
struct SystemReport;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QUndoStack* undoStack() const;
    ProjectDocument* document() const { return m_document; }
    PianoRollView* pianoRoll() const { return m_pianoRoll; }

    // `melodist-studio FILE`: a .melodist project is opened, any other music file (MIDI,
    // kern, MusicXML) is imported as the seed of the new project; errors are shown as for
    // File > Open. Returns whether it worked.
    bool openFromCommandLine(const QString& path);

public slots:
    void showAbout();

private:
    void buildMenus();
    void buildStatusBar();
    void startSystemProbe();                      // runs off the UI thread
    void applySystemReport(const SystemReport& report);  // called on the UI thread
    // called on the UI thread with the watcher's full sorted list after a change
    void applyMidiPorts(const QStringList& ports, const QStringList& added, const QStringList& removed);

    struct MidiWatch;  // the port watcher and its guarded link back to this window (MainWindow.cpp)
    std::shared_ptr<MidiWatch> m_midiWatch;
    bool m_midiPortsChanged = false;  // a watcher change was shown: the probe's older list must not replace it

    ProjectDocument* m_document = nullptr;
    PianoRollView* m_pianoRoll = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_editMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_generateMenu = nullptr;
    QMenu* m_trainMenu = nullptr;
    // ---- [files] members ----
    class FileController* m_files = nullptr;  // File menu, autosave, Properties, Preferences
    // ---- end [files] ----
    // ---- [pianoroll] members ----
    // ---- end [pianoroll] ----
    // ---- [generation] members ----
    // ---- end [generation] ----
    QLabel* m_deviceLabel = nullptr;
    QLabel* m_modelLabel = nullptr;
    QLabel* m_soundfontLabel = nullptr;
    QLabel* m_midiLabel = nullptr;
};

}  // namespace melodist::ui

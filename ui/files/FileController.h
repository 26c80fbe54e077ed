// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// FileController: the studio's File menu and what hangs off it -- New (Ctrl+N), Open
// (Ctrl+O), Open Recent, Save (Ctrl+S), Save As (Ctrl+Shift+S), Import Seed (Ctrl+I:
// MIDI, kern, MusicXML), Export (Ctrl+E: MIDI, MusicXML, WAV by the file's extension),
// the "unsaved changes" question on New/Open/close, the window title ("name* —
// Melodist"), autosave and crash recovery (Autosaver, CrashRecovery), the Properties
// dock (View > Properties) and Edit > Preferences (Ctrl+,), whose theme it applies at
// start-up. Every file action has a function taking the path, which the dialogs call,
// so tests drive them without dialogs; each returns the error it also shows (status bar
// and a non-blocking message box "fileErrorBox"), and none loses the open work: a failed
// open or import leaves the document as it was. Files are read and written on the UI
// thread (small, atomic); WAV rendering runs on a worker with a busy indicator in the
// status bar. UI thread only; owned by MainWindow (a child of it).
//
//   auto* files = new FileController(window, document, {fileMenu, editMenu, viewMenu});
//   if (!files->openProject("/home/me/song.melodist")) return;  // the error is shown
//   files->exportTo("/tmp/song.mid");

#include "engine/core/Result.h"

#include <QObject>
#include <QPointer>
#include <QString>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;
class QProgressBar;

namespace melodist::ui {

class Autosaver;
class CrashRecovery;
class ProjectDocument;

struct FileMenus {
    QMenu* file = nullptr;  // its actions go before the menu's last action (Quit)
    QMenu* edit = nullptr;  // Preferences
    QMenu* view = nullptr;  // the Properties dock's toggle
};

class FileController : public QObject {
    Q_OBJECT
public:
    // `autosaveDirectory` "" = Autosaver::defaultDirectory().
    FileController(QMainWindow* window, ProjectDocument* document, const FileMenus& menus,
                   const QString& autosaveDirectory = QString());
    ~FileController() override;

    // ---- the actions' work, without dialogs or questions ----
    engine::Result<void> newProject();
    engine::Result<void> openProject(const QString& path);
    engine::Result<void> save();                        // to the document's file; an error when it has none
    engine::Result<void> saveAs(const QString& path);   // ".melodist" is added when the name has no extension
    engine::Result<void> importSeed(const QString& path);  // one undo step: notes, tempo, meter, key
    // .mid/.midi, .musicxml/.xml, .wav. WAV: returns once the render has started; the
    // result comes with exportFinished.
    engine::Result<void> exportTo(const QString& path);
    bool isExporting() const { return m_exporting; }

    // "Save changes to <name>?" Save / Discard / Cancel (objectName "unsavedPrompt");
    // true: go on (saved or discarded, or nothing unsaved).
    bool maybeSaveChanges();
    QString titleText() const;  // "song.melodist* — Melodist"

    Autosaver* autosaver() const { return m_autosaver; }
    CrashRecovery* recovery() const { return m_recovery; }
    QDockWidget* propertiesDock() const { return m_propertiesDock; }

signals:
    void exportFinished(const QString& path, bool ok, const QString& message);

public slots:
    // The menu actions: the question, then the file dialog, then the function above.
    void newFromMenu();
    void openFromMenu();
    bool saveFromMenu();
    bool saveAsFromMenu();
    void importFromMenu();
    void exportFromMenu();
    void showPreferences();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;  // the window's close

private:
    void buildActions(const FileMenus& menus);
    void buildPropertiesDock(QMenu* viewMenu);
    void rebuildRecentMenu();
    void openRecent(const QString& path);
    void updateTitle();
    engine::Result<void> fail(const QString& title, const QString& message);
    void reportExport(const QString& path, const QString& problem);
    QString dialogDirectory() const;
    void rememberDirectory(const QString& path);

    QMainWindow* m_window;
    ProjectDocument* m_document;
    Autosaver* m_autosaver = nullptr;
    CrashRecovery* m_recovery = nullptr;
    QMenu* m_recentMenu = nullptr;
    QDockWidget* m_propertiesDock = nullptr;
    QProgressBar* m_exportProgress = nullptr;
    bool m_exporting = false;
};

}  // namespace melodist::ui

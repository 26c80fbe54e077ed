// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CrashRecovery: at start-up, offers back the work of a studio that did not close
// properly. Once the window is first shown it looks for orphan autosaves
// (AutosaveFiles.h: their process is gone) on a worker thread, then asks, newest first:
// "Melodist did not close properly. Recover the unsaved changes from <time> (<file or
// Untitled>)?" -- Recover loads it as unsaved changes of its original file
// (ProjectDocument::resetTo(project, originalPath, modified=true)) and removes the old
// copy once this window's autosave holds it; Discard deletes it. The question is a
// window-modal QMessageBox opened without blocking (objectName "recoveryPrompt", buttons
// "recoverButton" / "discardButton"), so tests answer it through the widget. UI thread;
// owned by FileController.
//
//   auto* recovery = new CrashRecovery(window, document, autosaver, controller);
//   connect(recovery, &CrashRecovery::finished, this, [] { /* nothing more to offer */ });

#include "ui/files/AutosaveFiles.h"

#include <QList>
#include <QObject>
#include <QPointer>

class QMainWindow;
class QMessageBox;

namespace melodist::ui {

class Autosaver;
class ProjectDocument;

class CrashRecovery : public QObject {
    Q_OBJECT
public:
    CrashRecovery(QMainWindow* window, ProjectDocument* document, Autosaver* autosaver, QObject* parent = nullptr);

    // Scans now (normally done when the window is first shown).
    void start();
    bool isDone() const { return m_done; }

signals:
    void finished();  // every orphan was answered, or there were none

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void offerNext();
    void answer(bool recover);
    void finish();

    QMainWindow* m_window;
    ProjectDocument* m_document;
    Autosaver* m_autosaver;
    QList<OrphanAutosave> m_orphans;  // still to offer, newest first
    QPointer<QMessageBox> m_prompt;
    bool m_started = false;
    bool m_done = false;
};

}  // namespace melodist::ui

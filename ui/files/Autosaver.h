// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Autosaver: keeps a copy of the open project in the autosave folder while it has
// unsaved changes, so a crash or a kill loses at most about a second of work. After a
// change (ProjectDocument::revision) it waits `delayMs` (1 s; further edits in that time
// ride along), copies the project on the UI thread (about 1 ms for 10,000 notes), and
// serialises and writes it and its sidecar (AutosaveFiles.h) on its own writer thread:
// atomically, with fsync, never blocking the UI. A document with no unsaved changes (saved, or undone back
// to the saved state) has no autosave: the files are removed. The destructor (a clean
// exit) waits for the writer and removes them too. UI thread; owned by FileController.
//
//   auto* autosaver = new Autosaver(document, Autosaver::defaultDirectory(), controller);
//   connect(autosaver, &Autosaver::failed, bar, [bar](const QString& why) { bar->showMessage(why); });

#include "ui/files/AutosaveFiles.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

class QThreadPool;

namespace melodist::ui {

class ProjectDocument;

class Autosaver : public QObject {
    Q_OBJECT
public:
    // `directory` is created when the first autosave is written.
    Autosaver(ProjectDocument* document, const QString& directory, QObject* parent = nullptr);
    ~Autosaver() override;

    // QStandardPaths::AppDataLocation + "/autosave".
    static QString defaultDirectory();

    QString directory() const { return m_directory; }
    const AutosaveSlot& slot() const { return m_slot; }
    void setDelayMs(int delayMs) { m_timer.setInterval(delayMs); }

    // Writes now if a change waits for the timer (or removes the files when there is
    // nothing unsaved); returns at once, the writer does the work.
    void flush();
    // Removes this window's autosave now (a clean close).
    void discard();
    // Removes other files (a recovered orphan's) after every write queued so far, so the
    // recovered work is on disk under this process's name before its old copy goes.
    void removeAfterPendingWrites(const QStringList& paths);
    // Blocks until the writer is idle (tests, shutdown).
    void waitForWriter();

signals:
    // called on the UI thread when the writer has finished
    void written(const QString& projectPath);
    void removed();
    void failed(const QString& message);

private:
    void onDocumentChanged();
    void writeNow();
    void queueRemoval(QStringList paths, bool notify);

    ProjectDocument* m_document;
    QString m_directory;
    AutosaveSlot m_slot;
    QTimer m_timer;
    quint64 m_writtenRevision = 0;  // the document revision the last queued write holds
    bool m_haveFiles = false;       // a write was queued since the last removal
    AutosaveInfo m_process;         // pid and start time for every sidecar
    std::unique_ptr<QThreadPool> m_writer;  // one thread: jobs run in the order queued
};

}  // namespace melodist::ui

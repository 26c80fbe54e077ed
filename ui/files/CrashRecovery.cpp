// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/files/CrashRecovery.h"

#include "ui/document/ProjectDocument.h"
#include "ui/files/Autosaver.h"

#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QMainWindow>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QThread>
#include <QTimer>

#include <memory>

namespace melodist::ui {

CrashRecovery::CrashRecovery(QMainWindow* window, ProjectDocument* document, Autosaver* autosaver, QObject* parent)
    : QObject(parent), m_window(window), m_document(document), m_autosaver(autosaver) {
    setObjectName(QStringLiteral("crashRecovery"));
    m_window->installEventFilter(this);
}

bool CrashRecovery::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_window && event->type() == QEvent::Show && !m_started) {
        // Queued: the window paints first, then the question comes.
        QTimer::singleShot(0, this, &CrashRecovery::start);
    }
    return QObject::eventFilter(watched, event);
}

void CrashRecovery::start() {
    if (m_started) return;
    m_started = true;
    m_window->removeEventFilter(this);
    auto found = std::make_shared<QList<OrphanAutosave>>();
    QThread* worker = QThread::create([found, directory = m_autosaver->directory()] { *found = findOrphanAutosaves(directory); });
    connect(worker, &QThread::finished, this, [this, found] {
        m_orphans = std::move(*found);
        offerNext();
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void CrashRecovery::offerNext() {
    while (!m_orphans.isEmpty() && !m_orphans.front().project) {  // unreadable: say so, keep the file
        const OrphanAutosave& bad = m_orphans.front();
        m_window->statusBar()->showMessage(tr("An autosave could not be read (%1); it is kept at %2")
                                               .arg(QString::fromStdString(bad.project.error()), bad.slot.projectPath));
        m_orphans.pop_front();
    }
    if (m_orphans.isEmpty()) {
        finish();
        return;
    }
    const OrphanAutosave& orphan = m_orphans.front();
    const QString name = orphan.info.originalPath.isEmpty() ? tr("Untitled") : QFileInfo(orphan.info.originalPath).fileName();
    const QString when = QLocale().toString(orphan.info.savedAt.toLocalTime(), QLocale::ShortFormat);
    auto* box = new QMessageBox(QMessageBox::Question, tr("Recover Unsaved Changes"),
                                tr("Melodist did not close properly. Recover the unsaved changes from %1 (%2)?").arg(when, name),
                                QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("recoveryPrompt"));
    const int notes = static_cast<int>(orphan.project->notes.size());
    box->setInformativeText((notes == 1 ? tr("1 note.") : tr("%1 notes.").arg(notes)) +
                            tr(" Recover opens them as unsaved changes; Discard deletes them."));
    if (!orphan.info.originalPath.isEmpty()) box->setDetailedText(orphan.info.originalPath);
    QPushButton* recover = box->addButton(tr("&Recover"), QMessageBox::AcceptRole);
    recover->setObjectName(QStringLiteral("recoverButton"));
    recover->setToolTip(tr("Open the unsaved changes (then save them with File > Save)"));
    QPushButton* discard = box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    discard->setObjectName(QStringLiteral("discardButton"));
    discard->setToolTip(tr("Delete the autosaved copy"));
    box->setDefaultButton(recover);
    box->setEscapeButton(discard);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, recover](QAbstractButton* button) { answer(button == recover); });
    m_prompt = box;
    box->open();  // window-modal, does not block: the event loop (and the tests) go on
}

void CrashRecovery::answer(bool recover) {
    if (m_orphans.isEmpty()) return;
    OrphanAutosave orphan = m_orphans.takeFirst();
    const QStringList files{orphan.slot.projectPath, orphan.slot.sidecarPath};
    if (!recover) {
        for (const QString& file : files) QFile::remove(file);
        m_window->statusBar()->showMessage(tr("Discarded the autosaved changes"), 5000);
        QTimer::singleShot(0, this, &CrashRecovery::offerNext);
        return;
    }
    m_document->resetTo(*orphan.project, orphan.info.originalPath, /*modified=*/true);
    m_autosaver->flush();                          // this window's copy is written first ...
    m_autosaver->removeAfterPendingWrites(files);  // ... then the old one goes
    const int notes = static_cast<int>(orphan.project->notes.size());
    QString message = (notes == 1 ? tr("Recovered 1 note of unsaved changes") : tr("Recovered %1 notes of unsaved changes").arg(notes)) +
                      tr(": save them with File > Save");
    if (!m_orphans.isEmpty()) message += tr("; %1 more autosave(s) will be offered at the next start").arg(m_orphans.size());
    m_window->statusBar()->showMessage(message, 10000);
    m_orphans.clear();  // one document per window: the others wait for the next start
    finish();
}

void CrashRecovery::finish() {
    if (m_done) return;
    m_done = true;
    emit finished();
}

}  // namespace melodist::ui

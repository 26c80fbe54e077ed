// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/files/Autosaver.h"

#include "engine/core/FileIO.h"
#include "ui/document/ProjectDocument.h"

#include <QDir>
#include <QFile>
#include <QPointer>
#include <QStandardPaths>
#include <QThreadPool>

#include <atomic>

namespace melodist::ui {
namespace {

// Each window in a process gets its own autosave: the first <pid>, the next <pid>-1, ...
std::atomic<int> g_instances{0};

constexpr int kDefaultDelayMs = 1000;

}  // namespace

Autosaver::Autosaver(ProjectDocument* document, const QString& directory, QObject* parent)
    : QObject(parent), m_document(document), m_directory(directory),
      m_slot(AutosaveSlot::forThisProcess(directory, g_instances.fetch_add(1))), m_process(thisProcessInfo()),
      m_writer(std::make_unique<QThreadPool>()) {
    setObjectName(QStringLiteral("autosaver"));
    m_writer->setMaxThreadCount(1);
    m_writer->setExpiryTimeout(-1);
    m_writtenRevision = m_document->revision();
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDefaultDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &Autosaver::writeNow);
    connect(m_document, &ProjectDocument::notesChanged, this, &Autosaver::onDocumentChanged);
    connect(m_document, &ProjectDocument::settingsChanged, this, &Autosaver::onDocumentChanged);
    connect(m_document, &ProjectDocument::filePathChanged, this, &Autosaver::onDocumentChanged);
    connect(m_document, &ProjectDocument::modifiedChanged, this, &Autosaver::onDocumentChanged);
}

Autosaver::~Autosaver() {
    m_timer.stop();
    if (m_haveFiles) queueRemoval({m_slot.projectPath, m_slot.sidecarPath}, /*notify=*/false);
    m_writer->waitForDone();
}

QString Autosaver::defaultDirectory() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("autosave"));
}

void Autosaver::onDocumentChanged() {
    // The timer is not restarted by further changes: steady editing still saves every second.
    if (!m_timer.isActive()) m_timer.start();
}

void Autosaver::flush() {
    if (!m_timer.isActive()) return;
    m_timer.stop();
    writeNow();
}

void Autosaver::discard() {
    m_timer.stop();
    m_writtenRevision = m_document->revision();
    if (m_haveFiles) queueRemoval({m_slot.projectPath, m_slot.sidecarPath}, /*notify=*/true);
}

void Autosaver::writeNow() {
    if (!m_document->isModified()) {  // saved, or undone to the saved state: nothing to recover
        discard();
        return;
    }
    if (m_haveFiles && m_document->revision() == m_writtenRevision) return;
    m_writtenRevision = m_document->revision();
    m_haveFiles = true;
    // The document is the UI thread's: a value copy of it crosses to the writer, which
    // serialises it there (projectToJson takes ~13 ms for 10,000 notes, the copy ~1 ms).
    engine::Project project = m_document->toProject();
    AutosaveInfo info = m_process;
    info.originalPath = m_document->filePath();
    info.savedAt = QDateTime::currentDateTimeUtc();
    const QByteArray sidecar = sidecarJson(info);
    QPointer<Autosaver> self(this);
    m_writer->start([self, directory = m_directory, slot = m_slot, project = std::move(project), sidecar] {
        // called on the writer thread
        QString problem;
        if (!QDir().mkpath(directory)) {
            problem = tr("Autosave failed: cannot create the folder %1; save your work with File > Save As").arg(directory);
        } else {
            engine::Result<void> saved = engine::writeFileAtomically(slot.projectPath.toStdString(), engine::projectToJson(project));
            if (saved) saved = engine::writeFileAtomically(slot.sidecarPath.toStdString(), std::string_view(sidecar.constData(), static_cast<size_t>(sidecar.size())));
            if (!saved) problem = tr("Autosave failed: %1; save your work with File > Save As").arg(QString::fromStdString(saved.error()));
        }
        // The writer is joined before the Autosaver dies, so `self` is valid to post to here.
        QMetaObject::invokeMethod(
            self.data(),
            [self, problem, path = slot.projectPath] {
                if (!self) return;
                if (problem.isEmpty()) emit self->written(path);
                else emit self->failed(problem);
            },
            Qt::QueuedConnection);
    });
}

void Autosaver::removeAfterPendingWrites(const QStringList& paths) { queueRemoval(paths, /*notify=*/false); }

void Autosaver::queueRemoval(QStringList paths, bool notify) {
    if (paths.contains(m_slot.projectPath)) m_haveFiles = false;
    QPointer<Autosaver> self(this);
    m_writer->start([self, paths = std::move(paths), notify] {
        // called on the writer thread
        for (const QString& path : paths) QFile::remove(path);
        if (notify)
            QMetaObject::invokeMethod(self.data(), [self] { if (self) emit self->removed(); }, Qt::QueuedConnection);
    });
}

void Autosaver::waitForWriter() { m_writer->waitForDone(); }

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/files/FileController.h"

#include "ui/Theme.h"
#include "ui/document/ProjectDocument.h"
#include "ui/files/Autosaver.h"
#include "ui/files/CrashRecovery.h"
#include "ui/files/Preferences.h"
#include "ui/files/PreferencesDialog.h"
#include "ui/files/PropertiesPanel.h"
#include "ui/files/RecentFiles.h"
#include "ui/files/ScoreTransfer.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QThread>
#include <QUndoStack>

#include <memory>

namespace melodist::ui {
namespace {

const QString kLastDirectoryKey = QStringLiteral("files/lastDirectory");

QAction* makeAction(QObject* parent, const char* objectName, const QString& text, const QKeySequence& shortcut,
                    const QString& tip) {
    auto* action = new QAction(text, parent);
    action->setObjectName(QString::fromLatin1(objectName));
    action->setShortcut(shortcut);
    action->setToolTip(shortcut.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, shortcut.toString(QKeySequence::NativeText)));
    action->setStatusTip(tip);
    return action;
}

engine::Result<void> ok() { return {}; }

QString noteCount(size_t count) {
    return count == 1 ? FileController::tr("1 note") : FileController::tr("%1 notes").arg(count);
}

}  // namespace

FileController::FileController(QMainWindow* window, ProjectDocument* document, const FileMenus& menus,
                               const QString& autosaveDirectory)
    : QObject(window), m_window(window), m_document(document) {
    setObjectName(QStringLiteral("fileController"));
    applyTheme(Preferences::load().theme);
    buildActions(menus);
    buildPropertiesDock(menus.view);
    m_exportProgress = new QProgressBar(m_window);
    m_exportProgress->setObjectName(QStringLiteral("exportProgress"));
    m_exportProgress->setRange(0, 0);  // busy: the renderer reports no progress
    m_exportProgress->setMaximumWidth(120);
    m_exportProgress->setToolTip(tr("Exporting audio..."));
    m_exportProgress->hide();
    m_window->statusBar()->addWidget(m_exportProgress);

    m_autosaver = new Autosaver(m_document, autosaveDirectory.isEmpty() ? Autosaver::defaultDirectory() : autosaveDirectory, this);
    connect(m_autosaver, &Autosaver::failed, this, [this](const QString& message) { m_window->statusBar()->showMessage(message, 10000); });
    m_recovery = new CrashRecovery(m_window, m_document, m_autosaver, this);

    connect(m_document, &ProjectDocument::filePathChanged, this, &FileController::updateTitle);
    connect(m_document, &ProjectDocument::modifiedChanged, this, &FileController::updateTitle);
    m_window->installEventFilter(this);
    updateTitle();
}

FileController::~FileController() = default;  // the Autosaver child removes its files (a clean exit)

void FileController::buildActions(const FileMenus& menus) {
    QMenu* file = menus.file;
    QAction* quit = file->actions().isEmpty() ? nullptr : file->actions().constLast();
    const auto add = [&](QAction* action) { file->insertAction(quit, action); };

    QAction* newAction = makeAction(this, "actionNew", tr("&New"), QKeySequence::New, tr("Start a new, empty project"));
    connect(newAction, &QAction::triggered, this, &FileController::newFromMenu);
    add(newAction);
    QAction* open = makeAction(this, "actionOpen", tr("&Open..."), QKeySequence::Open, tr("Open a Melodist project (.melodist)"));
    connect(open, &QAction::triggered, this, &FileController::openFromMenu);
    add(open);
    m_recentMenu = new QMenu(tr("Open &Recent"), file);
    m_recentMenu->setObjectName(QStringLiteral("menuOpenRecent"));
    m_recentMenu->setToolTipsVisible(true);
    connect(m_recentMenu, &QMenu::aboutToShow, this, [this] {
        const QStringList gone = RecentFiles::prune();
        if (!gone.isEmpty())
            m_window->statusBar()->showMessage(tr("Removed from Open Recent, no longer there: %1").arg(gone.join(QStringLiteral(", "))), 8000);
        rebuildRecentMenu();
    });
    file->insertMenu(quit, m_recentMenu);
    rebuildRecentMenu();
    file->insertSeparator(quit);

    QAction* saveAction = makeAction(this, "actionSave", tr("&Save"), QKeySequence::Save, tr("Save the project"));
    connect(saveAction, &QAction::triggered, this, &FileController::saveFromMenu);
    add(saveAction);
    QAction* saveAs = makeAction(this, "actionSaveAs", tr("Save &As..."), QKeySequence(QStringLiteral("Ctrl+Shift+S")),
                                 tr("Save the project under a new name"));
    connect(saveAs, &QAction::triggered, this, &FileController::saveAsFromMenu);
    add(saveAs);
    file->insertSeparator(quit);

    QAction* import = makeAction(this, "actionImportSeed", tr("&Import Seed..."), QKeySequence(QStringLiteral("Ctrl+I")),
                                 tr("Replace the notes by a MIDI, kern or MusicXML file's melody, to continue from"));
    connect(import, &QAction::triggered, this, &FileController::importFromMenu);
    add(import);
    QAction* exportAction = makeAction(this, "actionExport", tr("&Export..."), QKeySequence(QStringLiteral("Ctrl+E")),
                                       tr("Write the notes as MIDI, MusicXML or WAV audio"));
    connect(exportAction, &QAction::triggered, this, &FileController::exportFromMenu);
    add(exportAction);
    file->insertSeparator(quit);

    QAction* preferences = makeAction(this, "actionPreferences", tr("Pre&ferences..."), QKeySequence(QStringLiteral("Ctrl+,")),
                                      tr("Soundfont, audio driver, MIDI input, compute device and theme"));
    preferences->setMenuRole(QAction::PreferencesRole);
    connect(preferences, &QAction::triggered, this, &FileController::showPreferences);
    menus.edit->addAction(preferences);
}

void FileController::buildPropertiesDock(QMenu* viewMenu) {
    m_propertiesDock = new QDockWidget(tr("Properties"), m_window);
    m_propertiesDock->setObjectName(QStringLiteral("propertiesDock"));
    m_propertiesDock->setWidget(new PropertiesPanel(m_document, m_propertiesDock));
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_propertiesDock);
    QAction* toggle = m_propertiesDock->toggleViewAction();
    toggle->setObjectName(QStringLiteral("actionShowProperties"));
    toggle->setToolTip(tr("Show or hide the project's properties: title, tempo, meter, key, instrument, soundfont"));
    viewMenu->addAction(toggle);
}

void FileController::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList paths = RecentFiles::list();
    for (int i = 0; i < paths.size(); ++i) {
        const QString label = QStringLiteral("&%1 %2").arg(i + 1 < 10 ? QString::number(i + 1) : QStringLiteral("0"),
                                                          QFileInfo(paths[i]).fileName());
        QAction* action = m_recentMenu->addAction(label);
        action->setObjectName(QStringLiteral("actionRecent%1").arg(i));
        action->setToolTip(paths[i]);
        action->setData(paths[i]);
        connect(action, &QAction::triggered, this, [this, path = paths[i]] { openRecent(path); });
    }
    if (!paths.isEmpty()) m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("&Clear List"));
    clear->setObjectName(QStringLiteral("actionClearRecent"));
    clear->setEnabled(!paths.isEmpty());
    connect(clear, &QAction::triggered, this, [this] {
        RecentFiles::clear();
        rebuildRecentMenu();
    });
}

void FileController::openRecent(const QString& path) {
    if (!QFileInfo::exists(path)) {
        RecentFiles::remove(path);
        rebuildRecentMenu();
        (void)fail(tr("Open Recent"), tr("%1 no longer exists; it was removed from Open Recent").arg(path));
        return;
    }
    if (maybeSaveChanges()) (void)openProject(path);
}

// ---- the work ----

engine::Result<void> FileController::newProject() {
    engine::Project fresh;
    fresh.generation = m_document->settings().generation;  // the panel's choices carry over
    m_document->resetTo(fresh, QString());
    m_autosaver->discard();
    m_window->statusBar()->showMessage(tr("New project"), 3000);
    return ok();
}

engine::Result<void> FileController::openProject(const QString& path) {
    engine::Result<engine::Project> project = engine::readProjectFile(path.toStdString());
    if (!project) return fail(tr("Open"), QString::fromStdString(project.error()));
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_document->resetTo(*project, absolute);
    m_autosaver->discard();
    RecentFiles::add(absolute);
    rebuildRecentMenu();
    rememberDirectory(absolute);
    m_window->statusBar()->showMessage(tr("Opened %1 (%2)").arg(QFileInfo(path).fileName(), noteCount(project->notes.size())), 5000);
    return ok();
}

engine::Result<void> FileController::save() {
    if (m_document->filePath().isEmpty())
        return fail(tr("Save"), tr("This project has no file yet: use File > Save As to choose one"));
    return saveAs(m_document->filePath());
}

engine::Result<void> FileController::saveAs(const QString& path) {
    QString target = QFileInfo(path).absoluteFilePath();
    if (QFileInfo(target).suffix().isEmpty()) target += QString::fromLatin1(engine::kProjectExtension);
    const engine::Result<void> written = engine::writeProjectFile(m_document->toProject(), target.toStdString());
    if (!written) return fail(tr("Save"), tr("%1\nYour work is still open: try another folder with File > Save As.")
                                               .arg(QString::fromStdString(written.error())));
    m_document->setFilePath(target);
    m_document->markSaved();
    m_autosaver->discard();  // saved: nothing left to recover
    RecentFiles::add(target);
    rebuildRecentMenu();
    rememberDirectory(target);
    updateTitle();
    m_window->statusBar()->showMessage(tr("Saved %1").arg(target), 5000);
    return ok();
}

engine::Result<void> FileController::importSeed(const QString& path) {
    engine::Result<SeedImport> seed = readSeed(path);
    if (!seed) return fail(tr("Import Seed"), QString::fromStdString(seed.error()));
    engine::Project settings = m_document->settings();
    settings.tempoBpm = seed->project.tempoBpm;
    settings.meterNumerator = seed->project.meterNumerator;
    settings.meterDenominator = seed->project.meterDenominator;
    settings.key = seed->project.key;
    QUndoStack* stack = m_document->undoStack();
    stack->beginMacro(tr("Import Seed"));
    m_document->replaceAllNotes(seed->project.notes, tr("Import Seed"));
    m_document->changeSettings(settings, tr("Import Seed"));
    stack->endMacro();
    rememberDirectory(path);
    QString message = tr("Imported %1 from %2 as the seed").arg(noteCount(seed->project.notes.size()), QFileInfo(path).fileName());
    if (!seed->dropped.isEmpty()) message += tr("; dropped %1").arg(seed->dropped.join(QStringLiteral(", ")));
    m_window->statusBar()->showMessage(message, 10000);
    return ok();
}

engine::Result<void> FileController::exportTo(const QString& path) {
    const std::optional<ExportFormat> format = exportFormatFor(path);
    if (!format)
        return fail(tr("Export"), tr("%1: Export writes .mid, .musicxml or .wav files; give the name one of these extensions").arg(path));
    if (m_document->notes().empty()) return fail(tr("Export"), tr("There are no notes to export: draw, import or generate some first"));
    const engine::Project project = m_document->toProject();
    const QString soundfont = project.soundfont.empty() ? Preferences::load().soundfont : QString::fromStdString(project.soundfont);
    rememberDirectory(path);
    if (*format != ExportFormat::Wav) {
        const engine::Result<void> written = exportProject(project, path, *format, soundfont);
        reportExport(path, written ? QString() : QString::fromStdString(written.error()));
        if (!written) return engine::makeError(written.error());
        return ok();
    }
    if (m_exporting) return fail(tr("Export"), tr("An audio export is still running; wait for it to finish"));
    m_exporting = true;
    m_exportProgress->show();
    m_window->statusBar()->showMessage(tr("Rendering %1...").arg(QFileInfo(path).fileName()));
    auto problem = std::make_shared<QString>();
    QThread* worker = QThread::create([project, path, soundfont, problem] {
        const engine::Result<void> written = exportProject(project, path, ExportFormat::Wav, soundfont);
        if (!written) *problem = QString::fromStdString(written.error());
    });
    connect(worker, &QThread::finished, this, [this, path, problem] {
        m_exporting = false;
        m_exportProgress->hide();
        reportExport(path, *problem);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
    return ok();
}

void FileController::reportExport(const QString& path, const QString& problem) {
    if (problem.isEmpty()) m_window->statusBar()->showMessage(tr("Exported %1").arg(path), 5000);
    else (void)fail(tr("Export"), problem);
    emit exportFinished(path, problem.isEmpty(), problem);
}

engine::Result<void> FileController::fail(const QString& title, const QString& message) {
    m_window->statusBar()->showMessage(message.section(QLatin1Char('\n'), 0, 0), 10000);
    // Not exec(): a failing call from a test or a queued action must not wait on a click.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("fileErrorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    return engine::makeError(message.toStdString());
}

// ---- questions and dialogs ----

bool FileController::maybeSaveChanges() {
    if (!m_document->isModified()) return true;
    const QString name = m_document->filePath().isEmpty() ? tr("Untitled") : QFileInfo(m_document->filePath()).fileName();
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Changes"), tr("Save the changes to %1?").arg(name),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_window);
    box.setObjectName(QStringLiteral("unsavedPrompt"));
    box.setInformativeText(tr("If you don't save, the changes since the last save are lost."));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save: return saveFromMenu();
    case QMessageBox::Discard: return true;
    default: return false;
    }
}

void FileController::newFromMenu() {
    if (maybeSaveChanges()) (void)newProject();
}

void FileController::openFromMenu() {
    if (!maybeSaveChanges()) return;
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open Project"), dialogDirectory(),
                                                      tr("Melodist projects (*.melodist);;All files (*)"));
    if (!path.isEmpty()) (void)openProject(path);
}

bool FileController::saveFromMenu() {
    if (m_document->filePath().isEmpty()) return saveAsFromMenu();
    return save().ok();
}

bool FileController::saveAsFromMenu() {
    const QString start = m_document->filePath().isEmpty() ? QDir(dialogDirectory()).filePath(tr("Untitled.melodist"))
                                                           : m_document->filePath();
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Save Project As"), start, tr("Melodist projects (*.melodist)"));
    return !path.isEmpty() && saveAs(path).ok();
}

void FileController::importFromMenu() {
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Import Seed"), dialogDirectory(),
        tr("Music files (*.mid *.midi *.krn *.musicxml *.xml);;MIDI (*.mid *.midi);;Humdrum kern (*.krn);;MusicXML (*.musicxml *.xml);;All files (*)"));
    if (!path.isEmpty()) (void)importSeed(path);
}

void FileController::exportFromMenu() {
    const QString base = m_document->filePath().isEmpty() ? tr("Untitled") : QFileInfo(m_document->filePath()).completeBaseName();
    QString filter = exportFilters().front();
    QString path = QFileDialog::getSaveFileName(m_window, tr("Export"), QDir(dialogDirectory()).filePath(base + QStringLiteral(".mid")),
                                                exportFilters().join(QStringLiteral(";;")), &filter);
    if (path.isEmpty()) return;
    if (!exportFormatFor(path)) path += extensionForFilter(filter);
    (void)exportTo(path);
}

void FileController::showPreferences() {
    PreferencesDialog dialog(Preferences::load(), m_window);
    if (dialog.exec() != QDialog::Accepted) return;
    const Preferences prefs = dialog.values();
    prefs.save();
    applyTheme(prefs.theme);
    m_window->statusBar()->showMessage(tr("Preferences saved"), 3000);
}

bool FileController::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_window && event->type() == QEvent::Close) {
        if (!maybeSaveChanges()) {
            event->ignore();
            return true;  // the window stays open
        }
        m_autosaver->discard();  // closing cleanly: saved or discarded on purpose
    }
    return QObject::eventFilter(watched, event);
}

void FileController::updateTitle() { m_window->setWindowTitle(titleText()); }

QString FileController::titleText() const {
    const QString name = m_document->filePath().isEmpty() ? tr("Untitled") : QFileInfo(m_document->filePath()).fileName();
    return QStringLiteral("%1%2 \u2014 Melodist").arg(name, m_document->isModified() ? QStringLiteral("*") : QString());
}

QString FileController::dialogDirectory() const {
    const QString remembered = QSettings().value(kLastDirectoryKey).toString();
    return !remembered.isEmpty() && QFileInfo(remembered).isDir() ? remembered : QDir::homePath();
}

void FileController::rememberDirectory(const QString& path) {
    QSettings().setValue(kLastDirectoryKey, QFileInfo(path).absolutePath());
}

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MainWindow.h"

#include "ui/AboutDialog.h"
#include "ui/SystemReport.h"
#include "ui/document/ProjectDocument.h"
#include "ui/pianoroll/PianoRollView.h"
// ---- [files] includes ----
#include "ui/files/FileController.h"
// ---- end [files] ----
// ---- [pianoroll] includes ----
// ---- end [pianoroll] ----
// ---- [generation] includes ----
#include "ui/generation/StudioGeneration.h"
// ---- end [generation] ----

#include "engine/midi/MidiPortWatcher.h"
#include "engine/model/BundledModels.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QThread>
#include <QTimer>
#include <QUndoStack>

#include <memory>
#include <mutex>
#include <utility>

namespace melodist::ui {
namespace {

// An action whose feature is not built yet: visible, so the menus show what Melodist
// will do, but disabled and saying so, never silently doing nothing.
QAction* addPlanned(QMenu* menu, const QString& text, const QKeySequence& shortcut = {}) {
    QAction* action = menu->addAction(text);
    action->setShortcut(shortcut);
    action->setEnabled(false);
    action->setStatusTip(QObject::tr("Not available yet in this version"));
    return action;
}

// The model the studio generates with, loaded by the start-up probe: a child of the window
// (objectName "defaultModel"), which owns it; the generation controller takes it from here.
class DefaultModel : public QObject {
public:
    DefaultModel(engine::LoadedBundledModel loaded, QObject* parent) : QObject(parent), model(std::move(loaded)) {
        setObjectName(QStringLiteral("defaultModel"));
    }
    const engine::LoadedBundledModel model;
};

// called on the UI thread: the status bar's model text, and the model kept by the window
void showDefaultModel(QMainWindow* window, QLabel* label, engine::Result<engine::LoadedBundledModel> loaded) {
    if (!loaded) {
        const QString reason = QString::fromStdString(loaded.error());
        label->setText(QObject::tr("Model: none \u2014 %1")
                           .arg(label->fontMetrics().elidedText(reason, Qt::ElideRight, /*width=*/360)));
        label->setToolTip(reason);
        return;
    }
    label->setText(QObject::tr("Model: %1 (bundled)").arg(QString::fromStdString(loaded->name)));
    label->setToolTip(QStringLiteral("%1\n%2").arg(QString::fromStdString(loaded->path),
                                                   QString::fromStdString(loaded->model.architecture())));
    new DefaultModel(std::move(*loaded), window);
}

QStringList toQStringList(const std::vector<std::string>& names) {
    QStringList list;
    for (const std::string& name : names) list << QString::fromStdString(name);
    return list;
}

}  // namespace

// The watcher calls back on its own worker thread. `window` is read there under `mutex`
// and cleared by ~MainWindow first, so a change racing the window's destruction is dropped
// instead of being posted to a dead object; a posted call still pending when the window
// goes is discarded by Qt. Owned by the window and, while it runs, by the probe's worker.
struct MainWindow::MidiWatch {
    std::mutex mutex;
    MainWindow* window = nullptr;                      // guarded by mutex
    std::unique_ptr<engine::MidiPortWatcher> watcher;  // guarded by mutex; declared last: stopped first

    // called on the watcher's worker thread
    void onChanged(const engine::MidiPortChange& change) {
        std::lock_guard lock(mutex);
        if (window == nullptr) return;
        QMetaObject::invokeMethod(
            window,
            [w = window, ports = toQStringList(change.ports), added = toQStringList(change.added),
             removed = toQStringList(change.removed)] { w->applyMidiPorts(ports, added, removed); },
            Qt::QueuedConnection);
    }
};

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Melodist"));
    resize(1100, 700);
    m_document = new ProjectDocument(this);
    m_pianoRoll = new PianoRollView(m_document, this);
    setCentralWidget(m_pianoRoll);
    buildMenus();
    buildStatusBar();
    // Each part of the studio adds its panels, toolbars and menu actions here.
    // ---- [files] setup ----
    m_files = new FileController(this, m_document, {.file = m_fileMenu, .edit = m_editMenu, .view = m_viewMenu});
    // ---- end [files] ----
    // ---- [pianoroll] setup ----
    m_pianoRoll->addEditActions(m_editMenu);
    m_pianoRoll->addViewActions(m_viewMenu);
    addToolBar(m_pianoRoll->createToolBar(this));
    connect(m_pianoRoll, &PianoRollView::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 6000); });
    // ---- end [pianoroll] ----
    // ---- [generation] setup ----
    // Generation and audition (ui/generation/StudioGeneration.h); the model is the probe's
    // DefaultModel child once loaded, and "pending" until the status bar stops saying loading.
    installStudioGeneration({.window = this, .document = m_document, .roll = m_pianoRoll, .generateMenu = m_generateMenu,
                             .viewMenu = m_viewMenu,
                             .defaultModel = [this]() -> const engine::LoadedBundledModel* {
                                 QObject* held = findChild<QObject*>(QStringLiteral("defaultModel"), Qt::FindDirectChildrenOnly);
                                 return held ? &static_cast<const DefaultModel*>(held)->model : nullptr;
                             },
                             .defaultModelPending = [this] { return m_modelLabel->text() == tr("Model: loading..."); }});
    // ---- end [generation] ----
    // Centre on middle C once the view has its final size.
    QTimer::singleShot(0, this, [this] { m_pianoRoll->centreOnPitch(/*C5*/ 72); });
    startSystemProbe();
}

QUndoStack* MainWindow::undoStack() const { return m_document->undoStack(); }

MainWindow::~MainWindow() {
    if (!m_midiWatch) return;
    std::unique_ptr<engine::MidiPortWatcher> watcher;
    {
        std::lock_guard lock(m_midiWatch->mutex);
        m_midiWatch->window = nullptr;
        watcher = std::move(m_midiWatch->watcher);
    }
    watcher.reset();  // joins its worker (outside the lock, which its callback takes)
}

void MainWindow::buildMenus() {
    // The File, Edit, View and Generate menus' actions come from the parts that own them
    // (see the [files], [pianoroll] and [generation] setup sections).
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    m_fileMenu = file;
    QAction* quit = file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("menuEdit"));
    m_editMenu = edit;
    QAction* undo = undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setObjectName(QStringLiteral("actionUndo"));
    QAction* redo = undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    redo->setObjectName(QStringLiteral("actionRedo"));
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->setObjectName(QStringLiteral("menuView"));

    QMenu* generate = menuBar()->addMenu(tr("&Generate"));
    generate->setObjectName(QStringLiteral("menuGenerate"));
    m_generateMenu = generate;

    QMenu* train = menuBar()->addMenu(tr("&Train"));
    train->setObjectName(QStringLiteral("menuTrain"));
    m_trainMenu = train;
    addPlanned(train, tr("&New Training Run..."));
    addPlanned(train, tr("&Runs..."));
    addPlanned(train, tr("&Import Keras Model..."));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    QAction* about = help->addAction(tr("&About Melodist"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::buildStatusBar() {
    auto makeLabel = [this](const char* name, const QString& text) {
        auto* label = new QLabel(text, this);
        label->setObjectName(QString::fromLatin1(name));
        statusBar()->addPermanentWidget(label);
        return label;
    };
    m_deviceLabel = makeLabel("statusDevice", tr("Device: checking..."));
    m_modelLabel = makeLabel("statusModel", tr("Model: loading..."));
    m_soundfontLabel = makeLabel("statusSoundfont", tr("Soundfont: checking..."));
    m_midiLabel = makeLabel("statusMidi", tr("MIDI: checking..."));
    statusBar()->showMessage(tr("Ready"), 3000);
}

void MainWindow::startSystemProbe() {
    // Probing opens a MIDI client and initialises LibTorch: keep it off the UI thread.
    // The result comes back through a connection whose context is this window, so it
    // is dropped if the window is gone by then.
    // The MIDI port watcher is opened there too (it connects to ALSA or JACK); its
    // changes come back through MidiWatch::onChanged.
    m_midiWatch = std::make_shared<MidiWatch>();
    m_midiWatch->window = this;
    auto report = std::make_shared<SystemReport>();
    // The default bundled model is read here too (engine/model/BundledModels.h: the lookup
    // and the load are the engine's), never on the UI thread.
    auto model = std::make_shared<engine::Result<engine::LoadedBundledModel>>(engine::makeError("not loaded yet"));
    QThread* worker = QThread::create([report, model, watch = m_midiWatch] {
        *report = collectSystemReport();
        *model = engine::loadBundledModel();
        if (!report->midiAvailable) return;
        auto watcher = engine::MidiPortWatcher::open({}, [link = watch.get()](const engine::MidiPortChange& change) {
            link->onChanged(change);
        });
        if (!watcher) return;  // the probe's text stays; the list just does not follow changes
        report->midiPorts = toQStringList((*watcher)->initialPorts());
        report->midiInput = midiInputStatus(report->midiPorts);
        std::lock_guard lock(watch->mutex);
        if (watch->window != nullptr) watch->watcher = std::move(*watcher);
    });
    connect(worker, &QThread::finished, this, [this, report, model] {
        applySystemReport(*report);
        showDefaultModel(this, m_modelLabel, std::move(*model));
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void MainWindow::applySystemReport(const SystemReport& report) {
    m_deviceLabel->setText(tr("Device: %1").arg(report.device));
    m_soundfontLabel->setText(tr("Soundfont: %1").arg(report.soundfont));
    m_soundfontLabel->setToolTip(report.soundfontFound ? QString() : tr("Audition needs a General MIDI soundfont"));
    if (!m_midiPortsChanged) {
        m_midiLabel->setText(report.midiInput);
        m_midiLabel->setToolTip(report.midiAvailable
                                    ? report.midiPorts.join(QLatin1Char('\n'))
                                    : tr("No MIDI system found: you can still draw notes with the mouse"));
    }
    setProperty("versionLines", report.versionLines);
}

void MainWindow::applyMidiPorts(const QStringList& ports, const QStringList& added, const QStringList& removed) {
    m_midiPortsChanged = true;
    m_midiLabel->setText(midiInputStatus(ports));
    m_midiLabel->setToolTip(ports.join(QLatin1Char('\n')));
    QStringList news;
    if (!added.isEmpty()) news << tr("MIDI input connected: %1").arg(added.join(QStringLiteral(", ")));
    if (!removed.isEmpty()) news << tr("MIDI input gone: %1").arg(removed.join(QStringLiteral(", ")));
    statusBar()->showMessage(news.join(QStringLiteral("; ")), 5000);
}

bool MainWindow::openFromCommandLine(const QString& path) {
    const bool project = path.endsWith(QLatin1String(engine::kProjectExtension), Qt::CaseInsensitive);
    return bool(project ? m_files->openProject(path) : m_files->importSeed(path));
}

void MainWindow::showAbout() {
    QStringList lines = property("versionLines").toStringList();
    if (lines.isEmpty()) lines = collectSystemReport().versionLines;  // probe not finished yet
    AboutDialog dialog(lines, this);
    dialog.exec();
}

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/generation/StudioGeneration.h"

#include "ui/audition/AudioController.h"
#include "ui/audition/TransportBar.h"
#include "ui/generation/CandidatesPanel.h"
#include "ui/generation/GenerationController.h"
#include "ui/generation/GenerationPanel.h"
#include "ui/pianoroll/PianoRollView.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>

#include <algorithm>

namespace melodist::ui {

StudioGeneration installStudioGeneration(const StudioGenerationSetup& setup) {
    QMainWindow* window = setup.window;
    StudioGeneration parts;
    parts.generation = new GenerationController(setup.document, window);
    parts.generation->models()->setDefaultModelSource(setup.defaultModel, setup.defaultModelPending);
    parts.audio = new AudioController(setup.document, window);

    auto* generationPanel = new GenerationPanel(parts.generation, window);
    auto* candidatesPanel = new CandidatesPanel(parts.generation, parts.audio, window);
    window->addDockWidget(Qt::RightDockWidgetArea, generationPanel);
    window->addDockWidget(Qt::RightDockWidgetArea, candidatesPanel);
    auto* transport = new TransportBar(parts.audio, setup.document, window);
    window->addToolBar(Qt::TopToolBarArea, transport);

    if (setup.generateMenu) parts.generation->addActionsTo(setup.generateMenu);
    if (setup.viewMenu) {
        const auto addToggle = [&](QAction* toggle, const char* name, const QString& text) {
            toggle->setObjectName(QString::fromLatin1(name));
            toggle->setText(text);
            setup.viewMenu->addAction(toggle);
        };
        addToggle(generationPanel->toggleViewAction(), "actionShowGenerationPanel", QObject::tr("&Generation Panel"));
        addToggle(candidatesPanel->toggleViewAction(), "actionShowCandidatesPanel", QObject::tr("&Candidates Panel"));
        addToggle(transport->toggleViewAction(), "actionShowTransportBar", QObject::tr("&Transport Bar"));
    }

    if (PianoRollView* roll = setup.roll) {
        QObject::connect(roll, &PianoRollView::keyPressed, parts.audio, &AudioController::noteOn);
        QObject::connect(roll, &PianoRollView::keyReleased, parts.audio, &AudioController::noteOff);
        parts.audio->setPlayheadSink([roll](double quarters) { roll->setPlayheadQuarters(quarters); });
    }
    // A long message (an audio driver's error) is cut to the room the permanent labels leave,
    // whole in the status bar's tooltip, rather than running into those labels.
    const auto toStatusBar = [window](const QString& text, int timeoutMs) {
        QStatusBar* bar = window->statusBar();
        const int room = std::max(200, bar->width() * 2 / 5);
        bar->showMessage(bar->fontMetrics().elidedText(text, Qt::ElideRight, room), timeoutMs);
        bar->setToolTip(text);
    };
    QObject::connect(parts.generation, &GenerationController::statusMessage, window, toStatusBar);
    QObject::connect(parts.audio, &AudioController::statusMessage, window, toStatusBar);
    QObject::connect(generationPanel, &GenerationPanel::statusMessage, window, toStatusBar);
    return parts;
}

}  // namespace melodist::ui

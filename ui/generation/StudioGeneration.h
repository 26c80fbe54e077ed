// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// installStudioGeneration: puts the generation and audition parts into the main window --
// the GenerationController and AudioController (children of the window, objectNames
// "generationController" and "audioController"), the Generation and Candidates docks,
// the transport toolbar, the Generate menu's actions, View menu toggles for the docks and
// the toolbar, the piano roll's keyboard to the synthesiser and the playhead to the roll,
// and their messages to the status bar. Called once from MainWindow's constructor (its
// [generation] section), on the UI thread.
//
//   installStudioGeneration({.window = this, .document = m_document, .roll = m_pianoRoll,
//                            .generateMenu = m_generateMenu, .viewMenu = m_viewMenu,
//                            .defaultModel = lookup, .defaultModelPending = pending});

#include "ui/generation/ModelProvider.h"

#include <functional>

class QMainWindow;
class QMenu;

namespace melodist::ui {

class AudioController;
class GenerationController;
class PianoRollView;
class ProjectDocument;

struct StudioGenerationSetup {
    QMainWindow* window = nullptr;
    ProjectDocument* document = nullptr;
    PianoRollView* roll = nullptr;
    QMenu* generateMenu = nullptr;
    QMenu* viewMenu = nullptr;
    ModelProvider::DefaultLookup defaultModel;  // the start-up probe's model, nullptr until loaded
    std::function<bool()> defaultModelPending;  // true while the probe still loads it
};

struct StudioGeneration {
    GenerationController* generation = nullptr;
    AudioController* audio = nullptr;
};

StudioGeneration installStudioGeneration(const StudioGenerationSetup& setup);

}  // namespace melodist::ui

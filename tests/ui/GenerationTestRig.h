// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the generation GUI tests: a window with the Generation and Candidates docks
// over a ProjectDocument and a GenerationController (the bundled models from
// $MELODIST_MODELS_DIR, LibTorch registered for the folk model's attention) and small
// note helpers. Header-only; the test thread only.

#include "engine/nn/TorchBackend.h"
#include "ui/document/ProjectDocument.h"
#include "ui/generation/CandidatesPanel.h"
#include "ui/generation/GenerationController.h"
#include "ui/generation/GenerationPanel.h"
#include "ui/generation/ModelProvider.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include "tests/common/TestSupport.h"
#include "tests/ui/GenerationLatencyProbe.h"

namespace melodist::test {

inline engine::ProjectNote seedNote(int pitch, engine::Rational onset, engine::Rational duration) {
    return {.note = makeNote(pitch, onset, duration), .generated = false};
}

// The docks in a plain window, as the studio shows them.
struct GenerationRig {
    ui::ProjectDocument document;
    ui::GenerationController generation{&document};
    QMainWindow window;
    ui::GenerationPanel* panel = nullptr;
    ui::CandidatesPanel* candidates = nullptr;

    GenerationRig() {
        panel = new ui::GenerationPanel(&generation, &window);
        candidates = new ui::CandidatesPanel(&generation, nullptr, &window);
        window.addDockWidget(Qt::RightDockWidgetArea, panel);
        window.addDockWidget(Qt::RightDockWidgetArea, candidates);
        window.resize(900, 700);
        window.show();
    }
    void setGeneration(const std::function<void(engine::GenerationSettings&)>& change) {
        engine::Project settings = document.settings();
        change(settings.generation);
        document.changeSettings(settings, QStringLiteral("test"));
    }
    template <typename W>
    W* find(const char* name) const { return window.findChild<W*>(QString::fromLatin1(name)); }
};

// Registers LibTorch (the folk model is an LSTM with attention) and checks the bundled models are there.
inline QString prepareBundledModels() {
    static bool registered = false;
    if (!registered) engine::nn::registerTorchBackend();
    registered = true;
    const QString folder = qEnvironmentVariable("MELODIST_MODELS_DIR");
    if (!QFile::exists(folder + QStringLiteral("/folk.melodist-model")))
        return QStringLiteral("the bundled folk model is not in %1: build the melodist-models target").arg(folder);
    return {};
}

}  // namespace melodist::test

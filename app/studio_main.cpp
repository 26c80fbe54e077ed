// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist-studio`: wires the engine, the trainer and the main window, then runs the
// Qt event loop. Nothing else belongs here.
#include "engine/nn/TorchBackend.h"
#include "engine/system/SystemInfo.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QStringList>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv) {
    melodist::engine::nn::registerTorchBackend();  // bundled models of any architecture, and CUDA
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Melodist"));
    QApplication::setOrganizationName(QStringLiteral("Melodist"));
    QApplication::setApplicationVersion(QString::fromStdString(melodist::engine::melodistVersion()));

    melodist::ui::MainWindow window;
    window.show();
    // `melodist-studio song.melodist` opens it; `melodist-studio theme.mid` starts from it as the seed.
    const QStringList arguments = QApplication::arguments();
    if (arguments.size() > 1)
        QTimer::singleShot(0, &window, [&window, path = arguments.at(1)] { window.openFromCommandLine(path); });
    // Tell scripts and the end-to-end test the window is up (after its first paint).
    QTimer::singleShot(0, &window, [] { std::printf("melodist-studio: main window shown\n"); std::fflush(stdout); });
    return QApplication::exec();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/AboutDialog.h"
#include "ui/MainWindow.h"
#include "ui/document/ProjectDocument.h"
#include "ui/pianoroll/PianoRollView.h"

#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QScrollBar>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

using namespace melodist::ui;

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void menusAreFileEditViewGenerateTrainHelp() {
        MainWindow window;
        QStringList titles;
        for (QAction* action : window.menuBar()->actions()) titles << action->text().remove('&');
        QCOMPARE(titles, (QStringList{"File", "Edit", "View", "Generate", "Train", "Help"}));
    }

    void statusBarReportsDeviceSoundfontAndMidiAfterTheProbe() {
        MainWindow window;
        window.show();
        auto* device = window.findChild<QLabel*>(QStringLiteral("statusDevice"));
        auto* midi = window.findChild<QLabel*>(QStringLiteral("statusMidi"));
        auto* soundfont = window.findChild<QLabel*>(QStringLiteral("statusSoundfont"));
        QVERIFY(device && midi && soundfont);
        // The probe runs on a worker thread; the UI stays responsive meanwhile.
        QTRY_VERIFY_WITH_TIMEOUT(!device->text().contains(QStringLiteral("checking")), 20000);
        QVERIFY(device->text().contains(QStringLiteral("CPU")) || device->text().contains(QStringLiteral("GPU")));
        QVERIFY(!midi->text().contains(QStringLiteral("checking")));
        QVERIFY(!soundfont->text().contains(QStringLiteral("checking")));
    }

    void aboutShowsQtTorchBlasFluidSynthAndRtMidiVersions() {
        MainWindow window;
        QString shown;
        // exec() is modal: read and close the dialog from the event loop.
        QTimer::singleShot(100, [&shown] {
            auto* dialog = qobject_cast<AboutDialog*>(QApplication::activeModalWidget());
            if (dialog == nullptr) return;
            shown = dialog->versionText();
            dialog->reject();
        });
        window.showAbout();
        QVERIFY2(shown.contains(QStringLiteral("Qt %1").arg(QLatin1String(qVersion()))), qPrintable(shown));
        for (const char* name : {"Melodist", "LibTorch", "BLAS", "FluidSynth", "RtMidi"})
            QVERIFY2(shown.contains(QLatin1String(name)), name);
    }

    void undoRedoActionsFollowTheUndoStack() {
        MainWindow window;
        QAction* undo = nullptr;
        for (QAction* action : window.menuBar()->actions()[1]->menu()->actions())
            if (action->text().startsWith(QStringLiteral("&Undo"))) undo = action;
        QVERIFY(undo != nullptr);
        QVERIFY(!undo->isEnabled());
        window.undoStack()->push(new QUndoCommand(QStringLiteral("Add note")));
        QVERIFY(undo->isEnabled());
        QVERIFY(undo->text().contains(QStringLiteral("Add note")));
    }

    void pianoRollDrawsBlackKeyLanesDarkerThanWhite() {
        ProjectDocument document;
        PianoRollView roll(&document);
        roll.resize(600, 400);
        roll.show();
        roll.centreOnPitch(60);
        const QImage image = roll.viewport()->grab().toImage();
        const int scrollY = roll.verticalScrollBar()->value();
        const int x = PianoRollView::kKeyboardWidthPx + 20;
        auto laneColour = [&](int pitch) {
            return image.pixelColor(x, roll.laneTopPx(pitch) - scrollY + roll.laneHeightPx() / 2).lightness();
        };
        QVERIFY(laneColour(61) < laneColour(60));  // C#4 lane shaded, C4 lane not
        QVERIFY(laneColour(63) < laneColour(64));
    }
};

QTEST_MAIN(MainWindowTest)
#include "MainWindowTest.moc"

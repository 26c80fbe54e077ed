// SPDX-License-Identifier: GPL-3.0-or-later
// Autosave and crash recovery for real: this executable starts a copy of itself
// (`--child-edit`) that opens the studio's window, draws a note with the mouse on the
// piano roll, waits for the autosave and says so; the test SIGKILLs it, opens a window
// in-process with the same data folder and answers the recovery prompt through its
// widget. Also: a normal close leaves no autosave, a live process's autosave is not
// offered, Discard deletes it, and undoing back to the saved state removes it.
#include "ui/MainWindow.h"

#include "ui/document/ProjectDocument.h"
#include "ui/files/AutosaveFiles.h"
#include "ui/files/Autosaver.h"
#include "ui/files/CrashRecovery.h"
#include "ui/files/FileController.h"
#include "ui/pianoroll/PianoRollView.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "tests/common/TestSupport.h"

#include <csignal>
#include <cstdio>

#include <sys/types.h>
#include <unistd.h>

using namespace melodist;
using engine::Rational;

namespace {

ui::FileController* filesOf(ui::MainWindow& window) { return window.findChild<ui::FileController*>(QStringLiteral("fileController")); }

QString autosaveDir() { return ui::Autosaver::defaultDirectory(); }

QStringList autosaveFiles() {
    return QDir(autosaveDir()).entryList({QStringLiteral("*.melodist"), QStringLiteral("*.json")}, QDir::Files, QDir::Name);
}

// The child: the studio's window, one note drawn with the mouse, then wait to be killed.
int runChild(int argc, char** argv) {
    QApplication app(argc, argv);
    ui::MainWindow window;
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) std::printf("child: window not exposed\n");
    ui::PianoRollView* roll = window.pianoRoll();
    roll->centreOnPitch(67);
    QTest::qWait(50);
    const QPoint from = roll->pointFor(Rational(1), 67).toPoint() + QPoint(2, 0);
    const QPoint to = roll->pointFor(Rational(2), 67).toPoint() - QPoint(2, 0);
    QTest::mousePress(roll->viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(roll->viewport(), to);
    QTest::mouseRelease(roll->viewport(), Qt::LeftButton, Qt::NoModifier, to);
    ui::ProjectDocument* doc = window.document();
    if (doc->notes().size() != 1) {
        std::printf("child: the mouse drew %zu notes, expected 1\n", doc->notes().size());
        std::fflush(stdout);
        return 2;
    }
    const engine::Note& drawn = doc->notes().begin()->second.note;
    std::printf("child: drew pitch %d onset %s duration %s\n", drawn.pitch, drawn.onset.toString().c_str(),
                drawn.duration.toString().c_str());
    const QString path = filesOf(window)->autosaver()->slot().projectPath;
    if (!QTest::qWaitFor([&] { return QFile::exists(path) && QFile::exists(filesOf(window)->autosaver()->slot().sidecarPath); }, 20000)) {
        std::printf("child: no autosave at %s\n", qPrintable(path));
        std::fflush(stdout);
        return 3;
    }
    std::printf("child: autosaved %s\n", qPrintable(path));
    std::fflush(stdout);
    return QApplication::exec();  // until SIGKILL
}

}  // namespace

class CrashRecoveryTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    // Waits for the recovery prompt of `window` and clicks `button`.
    static bool answerPrompt(ui::MainWindow& window, const char* button) {
        QMessageBox* prompt = nullptr;
        if (!QTest::qWaitFor([&] { return (prompt = window.findChild<QMessageBox*>(QStringLiteral("recoveryPrompt"))) != nullptr; }, 20000))
            return false;
        auto* target = prompt->findChild<QPushButton*>(QString::fromLatin1(button));
        if (!target) return false;
        QTest::mouseClick(target, Qt::LeftButton);
        return true;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("JACK_NO_START_SERVER", "1");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
        QVERIFY(autosaveDir().startsWith(m_home.path()));
    }

    void init() { QDir(autosaveDir()).removeRecursively(); }

    void killedStudioOffersItsEditBackAtTheNextStart() {
        // GIVEN a studio (a copy of this executable) that drew a note and autosaved it
        QProcess child;
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child-edit")});
        QVERIFY2(child.waitForStarted(10000), qPrintable(child.errorString()));
        QByteArray output;
        QVERIFY2(QTest::qWaitFor([&] {
                     output += child.readAll();
                     return output.contains("child: autosaved") || child.state() == QProcess::NotRunning;
                 }, 60000),
                 output.constData());
        output += child.readAll();
        QVERIFY2(output.contains("child: autosaved"), output.constData());
        QVERIFY2(output.contains("child: drew pitch 67 onset 1 duration 1"), output.constData());
        // WHEN it is killed without a chance to clean up
        QCOMPARE(::kill(static_cast<pid_t>(child.processId()), SIGKILL), 0);
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QCOMPARE(autosaveFiles().size(), 2);  // the project and its sidecar are left behind
        // THEN a new studio asks, and Recover brings the note back as unsaved work
        ui::MainWindow window;
        window.show();
        QVERIFY(answerPrompt(window, "recoverButton"));
        ui::ProjectDocument* doc = window.document();
        QTRY_COMPARE(doc->notes().size(), size_t(1));
        const engine::Note& note = doc->notes().begin()->second.note;
        QCOMPARE(note.pitch, 67);
        QCOMPARE(note.onset, Rational(1));
        QCOMPARE(note.duration, Rational(1));
        QVERIFY(!doc->notes().begin()->second.generated);
        QVERIFY(doc->isModified());
        QVERIFY(doc->filePath().isEmpty());
        QCOMPARE(window.windowTitle(), QStringLiteral("Untitled* \u2014 Melodist"));
        // AND the old copy is gone once this window's own autosave holds the work
        ui::Autosaver* autosaver = filesOf(window)->autosaver();
        autosaver->waitForWriter();
        QTRY_COMPARE(autosaveFiles(), (QStringList{QFileInfo(autosaver->slot().sidecarPath).fileName(),
                                                   QFileInfo(autosaver->slot().projectPath).fileName()}));
        QVERIFY(filesOf(window)->recovery()->isDone());
    }

    void normalCloseLeavesNoAutosave() {
        {
            ui::MainWindow window;
            ui::Autosaver* autosaver = filesOf(window)->autosaver();
            autosaver->setDelayMs(10);
            window.document()->addNote({test::makeNote(60, 0, 1), false});
            QSignalSpy written(autosaver, &ui::Autosaver::written);
            QVERIFY(written.wait(10000));
            QVERIFY(QFile::exists(autosaver->slot().projectPath));
            // the autosave holds the edit
            const engine::Result<engine::Project> saved = engine::readProjectFile(autosaver->slot().projectPath.toStdString());
            QVERIFY(saved.ok());
            QCOMPARE(saved->notes.size(), size_t(1));
            // WHEN the window closes normally (the unsaved question answered Discard)
            QTimer::singleShot(0, [] {
                QTRY_VERIFY(QApplication::activeModalWidget() != nullptr);
                auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
                QVERIFY(box && box->objectName() == QStringLiteral("unsavedPrompt"));
                box->button(QMessageBox::Discard)->click();
            });
            QVERIFY(window.close());
            autosaver->waitForWriter();
        }
        // THEN nothing is left to recover
        QCOMPARE(autosaveFiles(), QStringList());
    }

    void destroyedWindowRemovesItsAutosave() {
        {
            ui::MainWindow window;
            filesOf(window)->autosaver()->setDelayMs(10);
            window.document()->addNote({test::makeNote(62, 0, 1), false});
            QSignalSpy written(filesOf(window)->autosaver(), &ui::Autosaver::written);
            QVERIFY(written.wait(10000));
            QCOMPARE(autosaveFiles().size(), 2);
        }
        QCOMPARE(autosaveFiles(), QStringList());
    }

    void undoingToTheSavedStateRemovesTheAutosave() {
        ui::MainWindow window;
        ui::Autosaver* autosaver = filesOf(window)->autosaver();
        autosaver->setDelayMs(10);
        window.document()->addNote({test::makeNote(64, 0, 1), false});
        QSignalSpy written(autosaver, &ui::Autosaver::written);
        QVERIFY(written.wait(10000));
        QSignalSpy removed(autosaver, &ui::Autosaver::removed);
        window.document()->undoStack()->undo();
        QVERIFY(!window.document()->isModified());
        QVERIFY(removed.wait(10000));
        QCOMPARE(autosaveFiles(), QStringList());
    }

    void liveProcessAutosaveIsNotOffered() {
        // GIVEN an autosave written by a process that still runs (this test's parent, which
        // is not this process), and one by this process itself
        QVERIFY(QDir().mkpath(autosaveDir()));
        engine::Project project;
        project.notes.push_back({test::makeNote(72, 0, 1), false});
        const qint64 parent = ::getppid();
        for (const qint64 pid : {parent, QCoreApplication::applicationPid()}) {
            const ui::AutosaveSlot slot = ui::AutosaveSlot::forStem(autosaveDir(), QString::number(pid) + QStringLiteral("-99"));
            QVERIFY(engine::writeProjectFile(project, slot.projectPath.toStdString()).ok());
            ui::AutosaveInfo info;
            info.pid = pid;
            info.savedAt = QDateTime::currentDateTimeUtc();
            QFile sidecar(slot.sidecarPath);
            QVERIFY(sidecar.open(QIODevice::WriteOnly));
            sidecar.write(ui::sidecarJson(info));
        }
        QVERIFY(ui::processIsAlive(parent, std::nullopt));
        QVERIFY(ui::findOrphanAutosaves(autosaveDir()).isEmpty());
        // WHEN a studio starts
        ui::MainWindow window;
        window.show();
        // THEN it looks, finds nothing to offer, and leaves the files alone
        QTRY_VERIFY_WITH_TIMEOUT(filesOf(window)->recovery()->isDone(), 20000);
        QVERIFY(window.findChild<QMessageBox*>(QStringLiteral("recoveryPrompt")) == nullptr);
        QVERIFY(window.document()->notes().empty());
        QCOMPARE(autosaveFiles().size(), 4);
    }

    void reusedPidDoesNotHideAnOrphan() {
        // GIVEN an autosave whose sidecar names a live pid but another process start time
        QVERIFY(QDir().mkpath(autosaveDir()));
        const qint64 parent = ::getppid();
        const ui::AutosaveSlot slot = ui::AutosaveSlot::forStem(autosaveDir(), QString::number(parent));
        engine::Project project;
        project.title = "reused";
        project.notes.push_back({test::makeNote(65, Rational(1, 2), 1), true});
        QVERIFY(engine::writeProjectFile(project, slot.projectPath.toStdString()).ok());
        ui::AutosaveInfo info;
        info.pid = parent;
        info.processStart = 1;  // no process on this machine started 10 ms after boot and still runs as our parent
        info.originalPath = QStringLiteral("/home/someone/tune.melodist");
        info.savedAt = QDateTime::currentDateTimeUtc();
        QFile sidecar(slot.sidecarPath);
        QVERIFY(sidecar.open(QIODevice::WriteOnly));
        sidecar.write(ui::sidecarJson(info));
        sidecar.close();
        // THEN it counts as an orphan, and Discard deletes it
        const QList<ui::OrphanAutosave> orphans = ui::findOrphanAutosaves(autosaveDir());
        QCOMPARE(orphans.size(), 1);
        QCOMPARE(orphans[0].info.originalPath, info.originalPath);
        ui::MainWindow window;
        window.show();
        QMessageBox* prompt = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((prompt = window.findChild<QMessageBox*>(QStringLiteral("recoveryPrompt"))) != nullptr, 20000);
        QVERIFY2(prompt->text().startsWith(QStringLiteral("Melodist did not close properly. Recover the unsaved changes from ")),
                 qPrintable(prompt->text()));
        QVERIFY2(prompt->text().endsWith(QStringLiteral("(tune.melodist)?")), qPrintable(prompt->text()));
        QVERIFY(answerPrompt(window, "discardButton"));
        QTRY_VERIFY(filesOf(window)->recovery()->isDone());
        QVERIFY(window.document()->notes().empty());
        QVERIFY(!window.document()->isModified());
        QCOMPARE(autosaveFiles(), QStringList());
    }
};

int main(int argc, char** argv) {
    if (argc > 1 && qstrcmp(argv[1], "--child-edit") == 0) return runChild(argc, argv);
    QApplication app(argc, argv);
    QTEST_SET_MAIN_SOURCE_PATH
    CrashRecoveryTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "CrashRecoveryTest.moc"

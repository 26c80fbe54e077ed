// SPDX-License-Identifier: GPL-3.0-or-later
// The studio's File menu through its path functions and the real window (offscreen):
// save -> open gives the same project, the title follows the file and unsaved changes,
// Import Seed is one undo step and says what it dropped, Export writes MIDI (read back:
// the same notes), MusicXML and WAV (on a worker), failures leave the work alone and say
// why, Open Recent keeps 10 and prunes missing files, the unsaved-changes question can
// cancel a close, and the Properties dock edits the project as single undo steps.
#include "ui/MainWindow.h"

#include "engine/io/ScoreFile.h"
#include "ui/document/ProjectDocument.h"
#include "ui/files/FileController.h"
#include "ui/files/PropertiesPanel.h"
#include "ui/files/RecentFiles.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "tests/common/TestSupport.h"

using namespace melodist;
using engine::Rational;
using test::makeNote;

namespace {

ui::FileController* filesOf(ui::MainWindow& window) { return window.findChild<ui::FileController*>(QStringLiteral("fileController")); }

void addMelody(ui::ProjectDocument* doc) {
    doc->addNotes({{makeNote(67, 0, Rational(1, 2), 90), false},
                   {makeNote(69, Rational(1, 2), Rational(1, 2)), false},
                   {makeNote(71, 1, Rational(1, 3), 100), true},
                   {makeNote(72, Rational(4, 3), Rational(2, 3), 70), true}},
                  QStringLiteral("Melody"));
}

QStringList describeAll(const engine::Project& project) {
    QStringList out;
    for (const engine::ProjectNote& n : project.notes) out << test::describe(n.note) + (n.generated ? QStringLiteral(" gen") : QString());
    return out;
}

// Closes every error box the controller opened; returns their texts.
QStringList takeErrorBoxes(QWidget& window) {
    QStringList texts;
    for (QMessageBox* box : window.findChildren<QMessageBox*>(QStringLiteral("fileErrorBox"))) {
        texts << box->text();
        box->close();
        delete box;
    }
    return texts;
}

}  // namespace

class FileControllerTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QString m_data;

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("JACK_NO_START_SERVER", "1");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
        m_data = qEnvironmentVariable("MELODIST_TEST_DATA");
        QVERIFY(QFile::exists(m_data + QStringLiteral("/kern/ties_dots_rests.krn")));
    }

    void fileMenuHasTheActionsWithShortcuts() {
        ui::MainWindow window;
        auto* file = window.findChild<QMenu*>(QStringLiteral("menuFile"));
        QVERIFY(file);
        QStringList names;
        for (QAction* action : file->actions())
            if (!action->isSeparator()) names << (action->menu() ? action->menu()->objectName() : action->text().remove('&'));
        QCOMPARE(names, (QStringList{"New", "Open...", "menuOpenRecent", "Save", "Save As...", "Import Seed...", "Export...", "Quit"}));
        const QList<std::pair<const char*, QKeySequence>> shortcuts = {
            {"actionNew", QKeySequence::New},
            {"actionOpen", QKeySequence::Open},
            {"actionSave", QKeySequence::Save},
            {"actionSaveAs", QKeySequence(QStringLiteral("Ctrl+Shift+S"))},
            {"actionImportSeed", QKeySequence(QStringLiteral("Ctrl+I"))},
            {"actionExport", QKeySequence(QStringLiteral("Ctrl+E"))},
            {"actionPreferences", QKeySequence(QStringLiteral("Ctrl+,"))},
        };
        for (const auto& [name, keys] : shortcuts) {
            auto* action = window.findChild<QAction*>(QString::fromLatin1(name));
            QVERIFY2(action, name);
            QCOMPARE(action->shortcut(), keys);
            QVERIFY2(!action->toolTip().isEmpty(), name);
        }
        QVERIFY(window.findChild<QMenu*>(QStringLiteral("menuEdit"))->actions().contains(window.findChild<QAction*>(QStringLiteral("actionPreferences"))));
        auto* toggle = window.findChild<QAction*>(QStringLiteral("actionShowProperties"));
        QVERIFY(toggle);
        QVERIFY(window.findChild<QMenu*>(QStringLiteral("menuView"))->actions().contains(toggle));
        QCOMPARE(window.windowTitle(), QStringLiteral("Untitled \u2014 Melodist"));
    }

    void saveThenOpenGivesTheSameProjectAndTitles() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tune"));  // ".melodist" is added
        engine::Project saved;
        {
            // GIVEN a project with notes and settings
            ui::MainWindow window;
            ui::ProjectDocument* doc = window.document();
            addMelody(doc);
            engine::Project settings = doc->settings();
            settings.tempoBpm = 84;
            settings.key = engine::ScaleKey{7, engine::ScaleMode::Major};
            doc->changeSettings(settings, QStringLiteral("Settings"));
            QCOMPARE(window.windowTitle(), QStringLiteral("Untitled* \u2014 Melodist"));
            QVERIFY(!filesOf(window)->save().ok());  // no file yet: says to use Save As
            QVERIFY(takeErrorBoxes(window).join(QString()).contains(QStringLiteral("Save As")));
            // WHEN saved under a new name
            const engine::Result<void> written = filesOf(window)->saveAs(path);
            QVERIFY2(written.ok(), written.ok() ? "" : written.error().c_str());
            // THEN the title names it without a star, and Open Recent lists it
            QCOMPARE(doc->filePath(), path + QStringLiteral(".melodist"));
            QVERIFY(!doc->isModified());
            QCOMPARE(window.windowTitle(), QStringLiteral("tune.melodist \u2014 Melodist"));
            QCOMPARE(ui::RecentFiles::list().value(0), path + QStringLiteral(".melodist"));
            saved = doc->toProject();
        }
        // AND another window opens the same project
        ui::MainWindow window;
        const engine::Result<void> opened = filesOf(window)->openProject(path + QStringLiteral(".melodist"));
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().c_str());
        const engine::Project loaded = window.document()->toProject();
        QCOMPARE(describeAll(loaded), describeAll(saved));
        QCOMPARE(engine::projectToJson(loaded), engine::projectToJson(saved));
        QVERIFY(!window.document()->isModified());
        QVERIFY(window.document()->undoStack()->count() == 0);
        QCOMPARE(window.windowTitle(), QStringLiteral("tune.melodist \u2014 Melodist"));
        // AND an edit puts the star in the title, undo takes it away
        window.document()->addNote({makeNote(60, 8, 1), false});
        QCOMPARE(window.windowTitle(), QStringLiteral("tune.melodist* \u2014 Melodist"));
        window.document()->undoStack()->undo();
        QCOMPARE(window.windowTitle(), QStringLiteral("tune.melodist \u2014 Melodist"));
        // AND New empties it
        QVERIFY(filesOf(window)->newProject().ok());
        QVERIFY(window.document()->notes().empty());
        QCOMPARE(window.windowTitle(), QStringLiteral("Untitled \u2014 Melodist"));
    }

    void openingABadFileKeepsTheWorkAndSaysWhy() {
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("bad.melodist"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"format": "melodist-project", "notes": [{"pitch": 300, "onset": "0", "duration": "1"}]})");
        file.close();
        ui::MainWindow window;
        addMelody(window.document());
        const engine::Result<void> opened = filesOf(window)->openProject(bad);
        QVERIFY(!opened.ok());
        QVERIFY2(QString::fromStdString(opened.error()).contains(QStringLiteral("notes[0].pitch")), opened.error().c_str());
        QCOMPARE(window.document()->notes().size(), size_t(4));  // untouched
        QVERIFY(window.document()->isModified());
        const QStringList boxes = takeErrorBoxes(window);
        QCOMPARE(boxes.size(), 1);
        QVERIFY(boxes[0].contains(bad));
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("notes[0].pitch")));
    }

    void importSeedIsOneUndoStepAndSaysWhatWasDropped() {
        // GIVEN a studio with a drawn note
        ui::MainWindow window;
        ui::ProjectDocument* doc = window.document();
        doc->addNote({makeNote(50, 0, 1), false});
        const int steps = doc->undoStack()->count();
        // WHEN a kern file in 3/4, G major is imported
        const QString kern = m_data + QStringLiteral("/kern/ties_dots_rests.krn");
        const engine::Result<void> imported = filesOf(window)->importSeed(kern);
        QVERIFY2(imported.ok(), imported.ok() ? "" : imported.error().c_str());
        // THEN its notes are the seed, with its meter and key, in one undo step
        const engine::Result<engine::Score> score = engine::readScoreFile(kern.toStdString());
        QVERIFY(score.ok());
        const engine::Project project = doc->toProject();
        QCOMPARE(project.notes.size(), score->parts[0].notes.size());
        for (size_t i = 0; i < project.notes.size(); ++i) {
            QVERIFY(project.notes[i].note == score->parts[0].notes[i]);
            QVERIFY(!project.notes[i].generated);
        }
        QCOMPARE(project.meterNumerator, 3);
        QVERIFY(project.key == (engine::ScaleKey{7, engine::ScaleMode::Major}));
        QCOMPARE(doc->undoStack()->count(), steps + 1);
        QVERIFY2(window.statusBar()->currentMessage().startsWith(QStringLiteral("Imported %1 notes from ties_dots_rests.krn").arg(project.notes.size())),
                 qPrintable(window.statusBar()->currentMessage()));
        doc->undoStack()->undo();
        QCOMPARE(doc->notes().size(), size_t(1));
        QCOMPARE(doc->settings().meterNumerator, 4);
        QVERIFY(!doc->settings().key);
        // AND a two-part MIDI file says it dropped the other part
        QVERIFY(filesOf(window)->importSeed(m_data + QStringLiteral("/midi/format1-two-tracks.mid")).ok());
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("dropped 1 other part")),
                 qPrintable(window.statusBar()->currentMessage()));
        // AND a file that is not music changes nothing and says why
        const size_t before = doc->notes().size();
        QVERIFY(!filesOf(window)->importSeed(m_data + QStringLiteral("/midi/not-midi.mid")).ok());
        QCOMPARE(doc->notes().size(), before);
        QCOMPARE(takeErrorBoxes(window).size(), 1);
    }

    void exportedMidiImportsAsTheSameNotes() {
        QTemporaryDir dir;
        ui::MainWindow window;
        addMelody(window.document());
        const engine::Project original = window.document()->toProject();
        const QString midi = dir.filePath(QStringLiteral("out.mid"));
        QVERIFY(filesOf(window)->exportTo(midi).ok());
        QVERIFY(filesOf(window)->importSeed(midi).ok());
        const engine::Project back = window.document()->toProject();
        QCOMPARE(back.notes.size(), original.notes.size());
        for (size_t i = 0; i < back.notes.size(); ++i) QCOMPARE(test::describe(back.notes[i].note), test::describe(original.notes[i].note));
        // MusicXML too, read back by the engine
        const QString xml = dir.filePath(QStringLiteral("out.musicxml"));
        QVERIFY(filesOf(window)->exportTo(xml).ok());
        const engine::Result<engine::Score> score = engine::readScoreFile(xml.toStdString());
        QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
        QCOMPARE(score->noteCount(), original.notes.size());
        // an unknown extension is refused with what to do
        const engine::Result<void> refused = filesOf(window)->exportTo(dir.filePath(QStringLiteral("out.mp3")));
        QVERIFY(!refused.ok());
        QVERIFY(QString::fromStdString(refused.error()).contains(QStringLiteral(".mid, .musicxml or .wav")));
        takeErrorBoxes(window);
    }

    void wavExportRendersOnAWorker() {
        const QString soundfont = test::builtInSoundfontForTests();
        if (!QFile::exists(soundfont)) QSKIP("the built-in soundfont is not built");
        QTemporaryDir dir;
        ui::MainWindow window;
        addMelody(window.document());
        engine::Project settings = window.document()->settings();
        settings.soundfont = soundfont.toStdString();
        window.document()->changeSettings(settings, QStringLiteral("Soundfont"));
        ui::FileController* files = filesOf(window);
        QSignalSpy finished(files, &ui::FileController::exportFinished);
        const QString wav = dir.filePath(QStringLiteral("out.wav"));
        QVERIFY(files->exportTo(wav).ok());
        QVERIFY(files->isExporting());
        QVERIFY(finished.count() == 1 || finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).toString(), wav);
        QVERIFY2(finished.at(0).at(1).toBool(), qPrintable(finished.at(0).at(2).toString()));
        QVERIFY(!files->isExporting());
        QFile file(wav);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray header = file.read(4);
        QCOMPARE(header, QByteArray("RIFF"));
        // 2 quarter notes at 120 BPM + 1.5 s tail = 2.5 s of 16-bit stereo at 44.1 kHz
        QVERIFY2(file.size() > 44 + 4 * 44100 * 2, qPrintable(QString::number(file.size())));
    }

    void recentFilesKeepTenAndPruneMissingOnes() {
        ui::RecentFiles::clear();
        QTemporaryDir dir;
        QStringList paths;
        for (int i = 0; i < 12; ++i) {
            paths << dir.filePath(QStringLiteral("song%1.melodist").arg(i));
            QVERIFY(engine::writeProjectFile(engine::Project{}, paths.back().toStdString()).ok());
            ui::RecentFiles::add(paths.back());
        }
        QCOMPARE(ui::RecentFiles::list().size(), 10);
        QCOMPARE(ui::RecentFiles::list().front(), paths[11]);
        ui::RecentFiles::add(paths[5]);  // moves to the front
        QCOMPARE(ui::RecentFiles::list().front(), paths[5]);
        QCOMPARE(ui::RecentFiles::list().size(), 10);
        QFile::remove(paths[11]);
        QFile::remove(paths[9]);
        // WHEN the menu is about to show
        ui::MainWindow window;
        auto* recent = window.findChild<QMenu*>(QStringLiteral("menuOpenRecent"));
        QVERIFY(recent);
        emit recent->aboutToShow();
        // THEN the missing ones are gone from it, and the status bar says so
        QCOMPARE(ui::RecentFiles::list().size(), 8);
        QVERIFY(!ui::RecentFiles::list().contains(paths[11]));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("song11.melodist")),
                 qPrintable(window.statusBar()->currentMessage()));
        QList<QAction*> entries;
        for (QAction* a : recent->actions())
            if (a->objectName().startsWith(QStringLiteral("actionRecent"))) entries << a;
        QCOMPARE(entries.size(), 8);
        QCOMPARE(entries[0]->data().toString(), paths[5]);
        // AND choosing one opens it
        entries[1]->trigger();
        QCOMPARE(window.document()->filePath(), ui::RecentFiles::list().front());
    }

    void unsavedQuestionCanCancelAClose() {
        ui::MainWindow window;
        window.show();
        window.document()->addNote({makeNote(60, 0, 1), false});
        QString asked;
        QTimer::singleShot(0, [&asked] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) return;
            asked = box->objectName() + QLatin1Char('|') + box->text();
            box->button(QMessageBox::Cancel)->click();
        });
        QVERIFY(!window.close());  // Cancel: stays open with the work
        QCOMPARE(asked, QStringLiteral("unsavedPrompt|Save the changes to Untitled?"));
        QVERIFY(window.isVisible());
        QCOMPARE(window.document()->notes().size(), size_t(1));
        // Save from the question writes the file the project came from
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("kept.melodist"));
        QVERIFY(filesOf(window)->saveAs(path).ok());
        window.document()->addNote({makeNote(62, 1, 1), false});
        QTimer::singleShot(0, [] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) box->button(QMessageBox::Save)->click();
        });
        QVERIFY(window.close());
        const engine::Result<engine::Project> saved = engine::readProjectFile(path.toStdString());
        QVERIFY(saved.ok());
        QCOMPARE(saved->notes.size(), size_t(2));
    }

    void propertiesPanelEditsAreSingleUndoSteps() {
        ui::MainWindow window;
        ui::ProjectDocument* doc = window.document();
        auto* dock = window.findChild<QDockWidget*>(QStringLiteral("propertiesDock"));
        QVERIFY(dock);
        auto* tempo = dock->findChild<QDoubleSpinBox*>(QStringLiteral("propertyTempo"));
        auto* numerator = dock->findChild<QSpinBox*>(QStringLiteral("propertyMeterNumerator"));
        auto* key = dock->findChild<QComboBox*>(QStringLiteral("propertyKey"));
        auto* instrument = dock->findChild<QComboBox*>(QStringLiteral("propertyInstrument"));
        auto* title = dock->findChild<QLineEdit*>(QStringLiteral("propertyTitle"));
        QVERIFY(tempo && numerator && key && instrument && title);
        for (QWidget* w : std::initializer_list<QWidget*>{tempo, numerator, key, instrument, title,
                                                          dock->findChild<QWidget*>(QStringLiteral("propertySoundfontChoose"))})
            QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
        QCOMPARE(instrument->count(), 128);
        QCOMPARE(instrument->itemText(73), QStringLiteral("Flute"));
        QCOMPARE(key->itemText(0), QStringLiteral("None"));
        // WHEN the tempo is stepped up five times
        tempo->setFocus();
        for (int i = 0; i < 5; ++i) tempo->stepUp();
        // THEN it is one undo step
        QCOMPARE(doc->settings().tempoBpm, 125.0);
        QCOMPARE(doc->undoStack()->count(), 1);
        // AND key, meter, instrument and title each add their own
        key->setCurrentIndex(key->findText(QStringLiteral("D dorian")));
        emit key->activated(key->currentIndex());
        QVERIFY(doc->settings().key == (engine::ScaleKey{2, engine::ScaleMode::Dorian}));
        numerator->setValue(3);
        instrument->setCurrentIndex(40);
        emit instrument->activated(40);
        QTest::keyClicks(title, QStringLiteral("Reel"));
        QCOMPARE(doc->settings().meterNumerator, 3);
        QCOMPARE(doc->settings().program, 40);
        QCOMPARE(doc->settings().title, std::string("Reel"));
        QCOMPARE(doc->undoStack()->count(), 5);
        // AND undo shows the old values in the panel
        doc->undoStack()->undo();  // title
        QCOMPARE(title->text(), QString());
        doc->undoStack()->undo();  // instrument
        QCOMPARE(instrument->currentIndex(), 0);
        doc->undoStack()->undo();  // meter
        QCOMPARE(numerator->value(), 4);
        doc->undoStack()->undo();  // key
        QCOMPARE(key->currentIndex(), 0);
        doc->undoStack()->undo();  // tempo
        QCOMPARE(tempo->value(), 120.0);
        QCOMPARE(doc->undoStack()->index(), 0);
        // AND opening a project shows its values
        engine::Project other;
        other.tempoBpm = 72;
        other.meterDenominator = 8;
        other.key = engine::ScaleKey{9, engine::ScaleMode::NaturalMinor};
        doc->resetTo(other, QString());
        QCOMPARE(tempo->value(), 72.0);
        QCOMPARE(key->currentText(), QStringLiteral("A minor"));
        QCOMPARE(dock->findChild<QComboBox*>(QStringLiteral("propertyMeterDenominator"))->currentText(), QStringLiteral("8"));
    }
};

QTEST_MAIN(FileControllerTest)
#include "FileControllerTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The piano roll as a user drives it: real mouse events on its viewport, keyboard and
// ruler, real key presses through its shortcuts, and pixels read back from its image.
// Each edit must be exactly one undo step on the shared ProjectDocument.
#include "tests/common/TestSupport.h"
#include "ui/MainWindow.h"
#include "ui/document/ProjectDocument.h"
#include "ui/pianoroll/NoteClipboard.h"
#include "ui/pianoroll/PianoKeyboard.h"
#include "ui/pianoroll/PianoRollRuler.h"
#include "ui/pianoroll/PianoRollView.h"
#include "ui/pianoroll/VelocityLane.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QScrollBar>
#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

#include <memory>

using namespace melodist::ui;
using melodist::engine::ProjectNote;
using melodist::engine::Rational;
using melodist::test::makeNote;
namespace engine = melodist::engine;

namespace {

// A shown roll over its own document: 16th grid, 48 px a quarter, C4 in the middle.
struct Roll {
    ProjectDocument document;
    PianoRollView view{&document};
    Roll() {
        view.resize(1000, 600);
        view.show();
        view.activateWindow();
        view.centreOnPitch(62);
        view.setFocus();
    }
    QWidget* vp() const { return view.viewport(); }
    // A point just inside the note that starts at `onset` (on the onset's grid cell).
    QPoint at(Rational onset, int pitch, int dx = 3) const {
        const QPointF p = view.pointFor(onset, pitch);
        return {qRound(p.x()) + dx, qRound(p.y())};
    }
    NoteId add(int pitch, Rational onset, Rational duration, bool generated = false, int velocity = 80) {
        return document.addNote(ProjectNote{makeNote(pitch, onset, duration, velocity), generated});
    }
    // The onset/pitch/duration of every note, in time order.
    QStringList describeAll() const {
        QStringList out;
        for (NoteId id : document.idsInTimeOrder()) out << melodist::test::describe(document.note(id).note);
        return out;
    }
};

void drag(QWidget* widget, QPoint from, QPoint to, Qt::KeyboardModifiers modifiers = {}) {
    QTest::mousePress(widget, Qt::LeftButton, modifiers, from);
    const QPoint middle = (from + to) / 2;
    QTest::mouseMove(widget, middle);
    QTest::mouseMove(widget, to);
    QTest::mouseRelease(widget, Qt::LeftButton, modifiers, to);
}

const engine::Note& only(const ProjectDocument& doc) { return doc.notes().begin()->second.note; }

QColor pixel(QWidget* widget, QPoint p) { return widget->grab().toImage().pixelColor(p); }

}  // namespace

class PianoRollEditTest : public QObject {
    Q_OBJECT
private slots:
    void drawsFourNotesByDragAndUndoesThem() {
        // GIVEN an empty roll on a 16th grid
        Roll roll;
        QSignalSpy pressed(&roll.view, &PianoRollView::keyPressed);
        // WHEN four notes are drawn: three by dragging, one by a plain click
        drag(roll.vp(), roll.at(0, 60), roll.at(1, 60, 0));                        // C4, a quarter
        drag(roll.vp(), roll.at(1, 62), roll.at(Rational(3, 2), 62, 0));           // D4, an eighth
        drag(roll.vp(), roll.at(Rational(3, 2), 64), roll.at(Rational(5, 2), 64, 1));  // E4, a quarter (snapped)
        QTest::mouseClick(roll.vp(), Qt::LeftButton, {}, roll.at(3, 65));          // F4, one grid step
        // THEN the notes have the rows' pitches, snapped onsets and the drags' lengths
        const QStringList expected{
            melodist::test::describe(makeNote(60, 0, 1)), melodist::test::describe(makeNote(62, 1, Rational(1, 2))),
            melodist::test::describe(makeNote(64, Rational(3, 2), 1)), melodist::test::describe(makeNote(65, 3, Rational(1, 4)))};
        QCOMPARE(roll.describeAll(), expected);
        QCOMPARE(roll.document.undoStack()->count(), 4);
        QCOMPARE(pressed.count(), 4);  // each drawn note sounds
        QCOMPARE(pressed.last().at(0).toInt(), 65);
        // WHEN undone twice and redone once
        roll.document.undoStack()->undo();
        roll.document.undoStack()->undo();
        QCOMPARE(roll.describeAll(), expected.mid(0, 2));
        roll.document.undoStack()->redo();
        QCOMPARE(roll.describeAll(), expected.mid(0, 3));
    }

    void clickSelectsShiftClickExtendsCtrlClickToggles() {
        Roll roll;
        const NoteId a = roll.add(60, 0, 1);
        const NoteId b = roll.add(62, 1, 1);
        const NoteId c = roll.add(64, 2, 1);
        QSignalSpy pressed(&roll.view, &PianoRollView::keyPressed);
        QTest::mouseClick(roll.vp(), Qt::LeftButton, {}, roll.at(0, 60, 10));
        QCOMPARE(roll.document.selection(), (QSet<NoteId>{a}));
        QCOMPARE(pressed.last().at(0).toInt(), 60);  // a clicked note sounds
        QTest::mouseClick(roll.vp(), Qt::LeftButton, Qt::ShiftModifier, roll.at(2, 64, 10));
        QCOMPARE(roll.document.selection(), (QSet<NoteId>{a, c}));
        QTest::mouseClick(roll.vp(), Qt::LeftButton, Qt::ControlModifier, roll.at(1, 62, 10));
        QCOMPARE(roll.document.selection(), (QSet<NoteId>{a, b, c}));
        QTest::mouseClick(roll.vp(), Qt::LeftButton, Qt::ControlModifier, roll.at(0, 60, 10));
        QCOMPARE(roll.document.selection(), (QSet<NoteId>{b, c}));
        // a plain click on one of several selected notes selects just it; nothing was edited
        QTest::mouseClick(roll.vp(), Qt::LeftButton, {}, roll.at(2, 64, 10));
        QCOMPARE(roll.document.selection(), (QSet<NoteId>{c}));
        QCOMPARE(roll.document.undoStack()->count(), 3);
    }

    void rubberBandSelectsWithSelectToolOrCtrlDrag() {
        Roll roll;
        const NoteId a = roll.add(60, 0, 1);
        const NoteId b = roll.add(62, 1, 1);
        const NoteId c = roll.add(67, 2, 1);
        QVERIFY(QTest::qWaitForWindowActive(&roll.view));
        // GIVEN the Draw tool: Ctrl+drag on empty space is a rubber band, not a note
        drag(roll.vp(), roll.at(0, 63) - QPoint(2, 0), roll.at(2, 59), Qt::ControlModifier);
        QCOMPARE(roll.document.selection(), (QSet<NoteId>{a, b}));
        QCOMPARE(roll.document.notes().size(), std::size_t(3));
        // GIVEN the Select tool (S): a plain drag selects, Shift adds
        QTest::keyClick(&roll.view, Qt::Key_S);
        QCOMPARE(roll.view.tool(), PianoRollView::Tool::Select);
        drag(roll.vp(), roll.at(Rational(3, 2), 68), roll.at(Rational(5, 2), 61));
        QCOMPARE(roll.document.selection(), (QSet<NoteId>{b, c}));
        drag(roll.vp(), roll.at(0, 61), roll.at(Rational(1, 2), 59), Qt::ShiftModifier);
        QCOMPARE(roll.document.selection(), (QSet<NoteId>{a, b, c}));
        // a click on empty space clears it
        QTest::mouseClick(roll.vp(), Qt::LeftButton, {}, roll.at(6, 72));
        QVERIFY(roll.document.selection().isEmpty());
        QCOMPARE(roll.document.undoStack()->count(), 3);
    }

    void draggingANoteMovesTheSelectionInOneUndoStep() {
        Roll roll;
        const NoteId a = roll.add(60, 0, 1);
        const NoteId b = roll.add(64, 1, 1);
        roll.document.setSelection({a, b});
        // WHEN note a is dragged one beat later and two rows up
        drag(roll.vp(), roll.at(0, 60, 10), roll.at(1, 62, 10));
        // THEN both moved by the same amount, as one undo step
        QCOMPARE(roll.document.note(a).note.onset, Rational(1));
        QCOMPARE(roll.document.note(a).note.pitch, 62);
        QCOMPARE(roll.document.note(b).note.onset, Rational(2));
        QCOMPARE(roll.document.note(b).note.pitch, 66);
        QCOMPARE(roll.document.undoStack()->count(), 3);
        QCOMPARE(roll.document.selection(), (QSet<NoteId>{a, b}));  // moved notes stay selected
        roll.document.undoStack()->undo();
        QCOMPARE(roll.document.note(a).note.onset, Rational(0));
        QCOMPARE(roll.document.note(b).note.pitch, 64);
    }

    void dragShowsAPreviewAndEscCancelsIt() {
        Roll roll;
        const NoteId a = roll.add(60, 0, 1);
        QTest::mousePress(roll.vp(), Qt::LeftButton, {}, roll.at(0, 60, 10));
        QTest::mouseMove(roll.vp(), roll.at(2, 60, 10));
        QCOMPARE(roll.view.dragPreview().value(a).note.onset, Rational(2));
        QCOMPARE(roll.document.note(a).note.onset, Rational(0));  // not committed while dragging
        QTest::keyClick(&roll.view, Qt::Key_Escape);
        QTest::mouseRelease(roll.vp(), Qt::LeftButton, {}, roll.at(2, 60, 10));
        QCOMPARE(roll.document.note(a).note.onset, Rational(0));
        QVERIFY(roll.view.dragPreview().isEmpty());
        QCOMPARE(roll.document.undoStack()->count(), 1);
    }

    void draggingTheRightEdgeResizes() {
        Roll roll;
        const NoteId a = roll.add(60, 0, 1);
        const QPoint edge = roll.at(1, 60, -3);  // inside the note, at its right edge
        drag(roll.vp(), edge, roll.at(Rational(5, 2), 60, 0));
        QCOMPARE(roll.document.note(a).note.duration, Rational(5, 2));
        QCOMPARE(roll.document.note(a).note.onset, Rational(0));
        // dragging left of the onset keeps one grid step
        drag(roll.vp(), roll.at(Rational(5, 2), 60, -3), roll.at(-1, 60));
        QCOMPARE(roll.document.note(a).note.duration, Rational(1, 4));
        QCOMPARE(roll.document.undoStack()->count(), 3);
    }

    void deleteCopyPasteAndSelectAllKeys() {
        Roll roll;
        QVERIFY(QTest::qWaitForWindowActive(&roll.view));
        roll.add(60, 0, 1);
        const NoteId b = roll.add(62, 1, Rational(1, 2));
        roll.document.setSelection({b});
        // Ctrl+C, Ctrl+V: a copy after the selection, selected
        QTest::keyClick(&roll.view, Qt::Key_C, Qt::ControlModifier);
        QTest::keyClick(&roll.view, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(roll.document.notes().size(), std::size_t(3));
        const NoteId pasted = *roll.document.selection().begin();
        QCOMPARE(roll.document.note(pasted).note.onset, Rational(3, 2));
        QCOMPARE(roll.document.note(pasted).note.pitch, 62);
        // with nothing selected it goes to the playhead
        roll.document.clearSelection();
        roll.view.setPlayheadQuarters(4.1);
        QTest::keyClick(&roll.view, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(roll.document.note(*roll.document.selection().begin()).note.onset, Rational(4));
        // Delete removes the selection; Ctrl+A then Ctrl+X empties the roll in one step each
        QTest::keyClick(&roll.view, Qt::Key_Delete);
        QCOMPARE(roll.document.notes().size(), std::size_t(3));
        QTest::keyClick(&roll.view, Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(roll.document.selection().size(), 3);
        QTest::keyClick(&roll.view, Qt::Key_X, Qt::ControlModifier);
        QVERIFY(roll.document.notes().empty());
        QCOMPARE(roll.document.undoStack()->count(), 2 + 2 + 1 + 1);
        roll.document.undoStack()->undo();
        QCOMPARE(roll.document.notes().size(), std::size_t(3));
        // the clipboard holds the three cut notes, onsets from 0
        const auto clip = notesFromClipboard();
        QVERIFY2(clip.ok(), clip.ok() ? "" : clip.error().c_str());
        QCOMPARE(clip->size(), std::size_t(3));
        QCOMPARE(clip->front().note.onset, Rational(0));
    }

    void arrowKeysTransposeAndMoveBySteps() {
        Roll roll;
        QVERIFY(QTest::qWaitForWindowActive(&roll.view));
        const NoteId a = roll.add(60, 1, 1);
        roll.document.setSelection({a});
        QTest::keyClick(&roll.view, Qt::Key_Up);
        QCOMPARE(roll.document.note(a).note.pitch, 61);
        QTest::keyClick(&roll.view, Qt::Key_Up, Qt::ShiftModifier);
        QCOMPARE(roll.document.note(a).note.pitch, 73);
        QTest::keyClick(&roll.view, Qt::Key_Down);
        QCOMPARE(roll.document.note(a).note.pitch, 72);
        QTest::keyClick(&roll.view, Qt::Key_Down, Qt::ShiftModifier);
        QCOMPARE(roll.document.note(a).note.pitch, 60);
        QTest::keyClick(&roll.view, Qt::Key_Right);
        QCOMPARE(roll.document.note(a).note.onset, Rational(5, 4));
        QTest::keyClick(&roll.view, Qt::Key_Left);
        QTest::keyClick(&roll.view, Qt::Key_Left);
        QCOMPARE(roll.document.note(a).note.onset, Rational(3, 4));
        QCOMPARE(roll.document.undoStack()->count(), 1 + 7);
        // an edit that cannot apply changes nothing and says why
        QSignalSpy status(&roll.view, &PianoRollView::statusMessage);
        roll.view.moveSelectionBySteps(-4);
        QCOMPARE(roll.document.note(a).note.onset, Rational(3, 4));
        QCOMPARE(status.count(), 1);
        QVERIFY(status.first().at(0).toString().contains(QStringLiteral("before the beginning")));
    }

    void velocityLaneDragSetsVelocityInOneStep() {
        Roll roll;
        const NoteId a = roll.add(60, 1, 1, false, 100);
        VelocityLane* lane = roll.view.velocityLane();
        const QPoint bar = lane->pointFor(a);
        const QPoint low(bar.x(), lane->height() * 3 / 4);
        drag(lane, bar, low);
        const int expected = lane->velocityAt(low.y());
        QVERIFY(expected < 60);
        QCOMPARE(roll.document.note(a).note.velocity, expected);
        QCOMPARE(roll.document.undoStack()->count(), 2);
        roll.document.undoStack()->undo();
        QCOMPARE(roll.document.note(a).note.velocity, 100);
    }

    void tripletGridDrawsSixthsOfAQuarter() {
        Roll roll;
        roll.view.setSnap(SnapGrid::SixteenthTriplet);
        QCOMPARE(roll.view.snapStep(), Rational(1, 6));
        QTest::mouseClick(roll.vp(), Qt::LeftButton, {}, roll.at(Rational(1, 3), 60));
        QCOMPARE(only(roll.document).onset, Rational(1, 3));
        QCOMPARE(only(roll.document).duration, Rational(1, 6));
        drag(roll.vp(), roll.at(1, 62), roll.at(Rational(3, 2), 62, 0));
        const NoteId second = roll.document.idsInTimeOrder().back();
        QCOMPARE(roll.document.note(second).note.duration, Rational(1, 2));
        // the View menu's snap action switches the grid
        roll.view.findChild<QAction*>(QStringLiteral("actionSnapEighthTriplet"))->trigger();
        QCOMPARE(roll.view.snapStep(), Rational(1, 3));
    }

    void ctrlWheelZoomKeepsTheNoteUnderTheCursor() {
        Roll roll;
        roll.add(60, 20, 1);
        roll.view.scrollToQuarters(16);
        const QPoint cursor = roll.at(20, 60, 5);
        const double before = roll.view.mapping().quartersAt(cursor.x());
        const double ppq = roll.view.pixelsPerQuarter();
        QWheelEvent wheel(cursor, roll.vp()->mapToGlobal(cursor), {}, QPoint(0, 240), Qt::NoButton, Qt::ControlModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(roll.vp(), &wheel);
        QVERIFY(roll.view.pixelsPerQuarter() > ppq * 1.5);
        QVERIFY(qAbs(roll.view.mapping().quartersAt(cursor.x()) - before) < 1.0 / roll.view.pixelsPerQuarter() + 1e-9);
        QCOMPARE(roll.view.pitchAt(cursor.y()), 60);
        // Ctrl+Shift+wheel makes the lanes taller about the cursor's pitch
        const int lane = roll.view.laneHeightPx();
        QWheelEvent tall(cursor, roll.vp()->mapToGlobal(cursor), {}, QPoint(0, 240), Qt::NoButton,
                         Qt::ControlModifier | Qt::ShiftModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(roll.vp(), &tall);
        QVERIFY(roll.view.laneHeightPx() > lane);
        QCOMPARE(roll.view.pitchAt(cursor.y()), 60);
        // Shift+wheel scrolls along time; Zoom Out (Ctrl+-) zooms out
        const int scrollX = roll.view.horizontalScrollBar()->value();
        QWheelEvent along(cursor, roll.vp()->mapToGlobal(cursor), {}, QPoint(0, -120), Qt::NoButton, Qt::ShiftModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(roll.vp(), &along);
        QCOMPARE(roll.view.horizontalScrollBar()->value(), scrollX + 120);
        const double zoomed = roll.view.pixelsPerQuarter();
        roll.view.findChild<QAction*>(QStringLiteral("actionZoomOut"))->trigger();
        QVERIFY(roll.view.pixelsPerQuarter() < zoomed);
    }

    void keyScaleShadesLanesOutsideIt() {
        Roll roll;
        auto lane = [&](int pitch) { return pixel(roll.vp(), roll.at(8, pitch)).lightness(); };
        // no key: the black keys are shaded
        QVERIFY(lane(61) < lane(60));
        // D major: C# is in the scale and C is not; the tonic is tinted
        engine::Project settings = roll.document.settings();
        settings.key = engine::ScaleKey{2, engine::ScaleMode::Major};
        roll.document.changeSettings(settings, QStringLiteral("Key"));
        QVERIFY(lane(61) > lane(60));
        QVERIFY(lane(63) < lane(64));
        const QColor tonic = pixel(roll.vp(), roll.at(8, 62));
        const QColor third = pixel(roll.vp(), roll.at(8, 66));
        QVERIFY(tonic != third);
    }

    void keyboardClickSoundsThePitch() {
        Roll roll;
        QSignalSpy pressed(&roll.view, &PianoRollView::keyPressed);
        QSignalSpy released(&roll.view, &PianoRollView::keyReleased);
        PianoKeyboard* keys = roll.view.keyboard();
        QTest::mouseClick(keys, Qt::LeftButton, {}, keys->pointFor(61));
        QCOMPARE(pressed.count(), 1);
        QCOMPARE(pressed.first().at(0).toInt(), 61);
        QCOMPARE(released.count(), 1);
        QCOMPARE(released.first().at(0).toInt(), 61);
        QTest::mouseClick(keys, Qt::LeftButton, {}, keys->pointFor(72));
        QCOMPARE(pressed.last().at(0).toInt(), 72);
    }

    void seedGeneratedSelectedAndPreviewColoursDiffer() {
        Roll roll;
        roll.add(60, 0, 2, /*generated=*/false, 100);
        const NoteId g = roll.add(62, 0, 2, /*generated=*/true, 100);
        const QImage image = roll.vp()->grab().toImage();
        const QColor seed = image.pixelColor(roll.at(1, 60));
        const QColor generated = image.pixelColor(roll.at(1, 62));
        QVERIFY2(seed.hue() > 180 && seed.hue() < 260, qPrintable(seed.name()));       // blue
        QVERIFY2(generated.hue() > 15 && generated.hue() < 50, qPrintable(generated.name()));  // orange
        roll.document.setSelection({g});
        QVERIFY(pixel(roll.vp(), roll.at(1, 62)) != generated);
        // a quiet note is paler than a loud one
        roll.add(64, 0, 2, false, 20);
        QVERIFY(pixel(roll.vp(), roll.at(1, 64)).saturation() < seed.saturation());
        // a candidate's preview shows where there are no notes
        const QColor empty = pixel(roll.vp(), roll.at(5, 67));
        roll.document.setPreview({ProjectNote{makeNote(67, 4, 2), true}});
        QVERIFY(pixel(roll.vp(), roll.at(5, 67)) != empty);
    }

    void rulerDragSetsTheLoopAndPlayheadIsDrawn() {
        Roll roll;
        PianoRollRuler* ruler = roll.view.ruler();
        const int y = ruler->height() / 2;
        drag(ruler, QPoint(qRound(roll.view.pointFor(4, 60).x()) + 2, y), QPoint(qRound(roll.view.pointFor(8, 60).x()) - 1, y));
        QVERIFY(roll.document.settings().loop.has_value());
        QCOMPARE(roll.document.settings().loop->start, Rational(4));
        QCOMPARE(roll.document.settings().loop->end, Rational(8));
        QCOMPARE(roll.document.undoStack()->count(), 1);
        // a click inside the loop clears it
        QTest::mouseClick(ruler, Qt::LeftButton, {}, QPoint(qRound(roll.view.pointFor(6, 60).x()), y));
        QVERIFY(!roll.document.settings().loop.has_value());
        // the playhead line
        const QPoint p = roll.at(Rational(3, 2), 72, 0);
        const QColor before = pixel(roll.vp(), p);
        roll.view.setPlayheadQuarters(1.5);
        const QColor line = pixel(roll.vp(), p);
        QVERIFY(line != before);
        QVERIFY(line.red() > 150 && line.green() < 120);
        roll.view.setPlayheadQuarters(-1);
        QCOMPARE(pixel(roll.vp(), p), before);
    }

    void darkPaletteMakesADarkRoll() {
        Roll roll;
        QPalette dark = roll.view.palette();
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
        dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
        QVERIFY(pixel(roll.vp(), roll.at(8, 60)).lightness() > 128);
        roll.view.setPalette(dark);
        QVERIFY(pixel(roll.vp(), roll.at(8, 60)).lightness() < 128);
    }

    void mainWindowMenusHoldTheRollsActions() {
        MainWindow window;
        QCOMPARE(window.pianoRoll()->document(), window.document());
        auto* edit = window.findChild<QMenu*>(QStringLiteral("menuEdit"));
        auto* view = window.findChild<QMenu*>(QStringLiteral("menuView"));
        QVERIFY(edit && view);
        QStringList editNames;
        for (QAction* a : edit->actions()) editNames << a->objectName();
        for (const char* name : {"actionCut", "actionCopy", "actionPaste", "actionDelete", "actionSelectAll", "actionDrawTool"})
            QVERIFY2(editNames.contains(QLatin1String(name)), name);
        QStringList viewNames;
        for (QAction* a : view->actions()) viewNames << a->objectName();
        QVERIFY(viewNames.contains(QStringLiteral("actionZoomIn")));
        QVERIFY(window.findChild<QMenu*>(QStringLiteral("menuSnap")) != nullptr);
        for (QAction* a : window.pianoRoll()->actions()) QVERIFY2(!a->toolTip().isEmpty(), qPrintable(a->objectName()));
    }

    void clipboardJsonRoundTripsAndRejectsBadNotes() {
        std::vector<ProjectNote> notes{{makeNote(62, Rational(7, 3), Rational(1, 3), 90), true},
                                       {makeNote(60, 2, Rational(1, 2)), false}};
        const auto back = notesFromClipboardJson(notesToClipboardJson(notes));
        QVERIFY(back.ok());
        QCOMPARE(back->size(), std::size_t(2));
        QCOMPARE((*back)[0].note.onset, Rational(0));
        QCOMPARE((*back)[1].note.onset, Rational(1, 3));
        QCOMPARE((*back)[1].note.duration, Rational(1, 3));
        QVERIFY((*back)[1].generated);
        const auto bad = notesFromClipboardJson(R"({"notes":[{"pitch":200,"onset":"0","duration":"1"}]})");
        QVERIFY(!bad.ok());
        QVERIFY(QString::fromStdString(bad.error()).contains(QStringLiteral("note 0")));
    }
};

QTEST_MAIN(PianoRollEditTest)
#include "PianoRollEditTest.moc"

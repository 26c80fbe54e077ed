// SPDX-License-Identifier: GPL-3.0-or-later
// engine/project/Project: the .melodist file -- a rich project survives save -> load
// unchanged (and byte for byte), missing keys take their defaults, unknown keys are
// ignored, every bad value is an error naming the file, key and note index, and the
// project <-> Score conversions on a real kern file and through MIDI.
#include "engine/project/Project.h"

#include "engine/io/MidiFile.h"
#include "engine/io/ScoreFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/common/TestSupport.h"

using namespace melodist::engine;
using melodist::test::makeNote;

namespace {

Project richProject() {
    Project project;
    project.title = "Morning \"song\" \xC3\xA9t\xC3\xA9";  // quotes and UTF-8
    project.tempoBpm = 96.5;
    project.meterNumerator = 6;
    project.meterDenominator = 8;
    project.key = ScaleKey{2, ScaleMode::Dorian};
    project.program = 73;
    project.soundfont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
    project.loop = LoopRegion{Rational(3), Rational(27, 2)};
    project.notes = {
        {makeNote(62, 0, Rational(1, 3), 90), false},
        {makeNote(64, Rational(1, 3), Rational(1, 3)), false},
        {makeNote(65, Rational(2, 3), Rational(5, 2), 1), true},
        {makeNote(69, Rational(2, 3), Rational(1, 2), 127), true},
    };
    project.notes[2].note.tiedParts = {Rational(1, 3), Rational(13, 6)};
    GenerationSettings& g = project.generation;
    g.model = "/home/me/runs/folk/best.melodist-model";
    g.complexity = 0.25;
    g.expert = true;
    g.temperature = 1.3f;
    g.topK = 12;
    g.topP = 0.9f;
    g.lengthBars = 16;
    g.lengthSteps = 64;
    g.candidates = 3;
    g.useKey = true;
    g.range = PitchRange{55, 81};
    g.rngSeed = 18446744073709551557ull;  // needs all 64 bits
    return project;
}

std::string minimal(const std::string& extra) {
    return "{\"format\": \"melodist-project\", \"version\": 1" + (extra.empty() ? std::string() : ", " + extra) + "}";
}

}  // namespace

class ProjectFileTest : public QObject {
    Q_OBJECT

private slots:
    void richProjectSurvivesSaveAndLoad() {
        // GIVEN every field set to a non-default value
        const Project project = richProject();
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("song.melodist")).toStdString();
        // WHEN it is saved and read back
        const Result<void> saved = writeProjectFile(project, path);
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().c_str());
        const Result<Project> loaded = readProjectFile(path);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
        // THEN it is the same project, and writing it again gives the same bytes
        QCOMPARE(loaded->title, project.title);
        QCOMPARE(loaded->tempoBpm, project.tempoBpm);
        QCOMPARE(loaded->meterNumerator, 6);
        QCOMPARE(loaded->meterDenominator, 8);
        QVERIFY(loaded->key == project.key);
        QCOMPARE(loaded->program, 73);
        QCOMPARE(loaded->soundfont, project.soundfont);
        QVERIFY(loaded->loop == project.loop);
        QCOMPARE(loaded->notes.size(), project.notes.size());
        for (size_t i = 0; i < project.notes.size(); ++i)
            QVERIFY2(loaded->notes[i] == project.notes[i], qPrintable(melodist::test::describe(loaded->notes[i].note)));
        QVERIFY(loaded->generation == project.generation);
        QCOMPARE(projectToJson(*loaded), projectToJson(project));
    }

    void fileIsReadableJsonWithExactTimes() {
        const std::string json = projectToJson(richProject());
        QVERIFY(json.find("\"format\": \"melodist-project\"") != std::string::npos);
        QVERIFY(json.find("\"onset\": \"1/3\"") != std::string::npos);
        QVERIFY(json.find("\"key\": \"D dorian\"") != std::string::npos);
        QVERIFY(json.find("\"temperature\": 1.3,") != std::string::npos);  // not 1.2999999523...
        QVERIFY(json.find("\"meter\": [\n    6,\n    8\n  ]") != std::string::npos);
    }

    void notesAreSortedByOnsetThenPitch() {
        Project project;
        project.notes = {{makeNote(70, 2, 1), false}, {makeNote(60, 2, 1), true}, {makeNote(65, 0, 1), false}};
        const Result<Project> loaded = parseProjectJson(projectToJson(project), "x.melodist");
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
        QCOMPARE(loaded->notes.size(), size_t(3));
        QCOMPARE(loaded->notes[0].note.pitch, 65);
        QCOMPARE(loaded->notes[1].note.pitch, 60);
        QCOMPARE(loaded->notes[2].note.pitch, 70);
        QCOMPARE(loaded->endTime(), Rational(3));
    }

    void missingKeysTakeTheirDefaults() {
        const Result<Project> loaded = parseProjectJson(minimal(R"("notes": [{"pitch": 67, "onset": "1/2", "duration": 1}])"), "old.melodist");
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
        const Project defaults;
        QCOMPARE(loaded->tempoBpm, defaults.tempoBpm);
        QCOMPARE(loaded->meterNumerator, 4);
        QCOMPARE(loaded->meterDenominator, 4);
        QVERIFY(!loaded->key);
        QCOMPARE(loaded->program, 0);
        QVERIFY(loaded->soundfont.empty());
        QVERIFY(!loaded->loop);
        QVERIFY(loaded->generation == GenerationSettings{});
        QCOMPARE(loaded->notes.size(), size_t(1));
        QCOMPARE(loaded->notes[0].note.velocity, 80);
        QCOMPARE(loaded->notes[0].note.onset, Rational(1, 2));
        QVERIFY(!loaded->notes[0].generated);
        QCOMPARE(loaded->barLength(), Rational(4));
    }

    void unknownKeysAreIgnored() {
        const Result<Project> loaded = parseProjectJson(
            minimal(R"("tempo_bpm": 80, "future_thing": {"a": [1, 2]}, "notes": [{"pitch": 60, "onset": "0", "duration": "1", "colour": "red"}],)"
                    R"( "generation": {"temperature": 0.5, "new_knob": true})"),
            "new.melodist");
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
        QCOMPARE(loaded->tempoBpm, 80.0);
        QCOMPARE(loaded->notes.size(), size_t(1));
        QCOMPARE(loaded->generation.temperature, 0.5f);
    }

    void badValuesGiveClearErrors_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QStringList>("expected");  // every part must be in the message
        const auto row = [](const char* name, const std::string& json, QStringList expected) {
            QTest::newRow(name) << QString::fromStdString(json) << expected;
        };
        row("not json", "{\"format\": ", {"bad.melodist", "not valid JSON"});
        row("not a project", R"({"symbols": [1, 2]})", {"bad.melodist", "not a Melodist project", "Import Seed"});
        row("newer version", R"({"format": "melodist-project", "version": 7})", {"version 7", "update Melodist"});
        row("tempo too fast", minimal(R"("tempo_bpm": 1000)"), {"bad.melodist", "tempo_bpm", "1000", "20", "400"});
        row("tempo as text", minimal(R"("tempo_bpm": "fast")"), {"tempo_bpm", "\"fast\""});
        row("meter unit", minimal(R"("meter": [3, 5])"), {"meter", "[3,5]", "1, 2, 4, 8, 16 or 32"});
        row("meter shape", minimal(R"("meter": "3/4")"), {"meter", "[3, 4]"});
        row("key", minimal(R"("key": "H major")"), {"bad.melodist", "key", "H major", "tonic"});
        row("program", minimal(R"("program": 128)"), {"program", "128", "0 to 127"});
        row("title", minimal(R"("title": 5)"), {"title", "not text"});
        row("loop order", minimal(R"("loop": {"start": "8", "end": "4"})"), {"loop", "not after its start", "make end later"});
        row("loop time", minimal(R"("loop": {"start": "x", "end": "4"})"), {"loop.start", "not a time", "3/2"});
        row("notes not a list", minimal(R"("notes": {"pitch": 60})"), {"notes", "list"});
        row("note pitch", minimal(R"("notes": [{"pitch": 60, "onset": "0", "duration": "1"}, {"pitch": 130, "onset": "1", "duration": "1"}])"),
            {"bad.melodist", "notes[1].pitch", "130", "0 to 127"});
        row("note pitch missing", minimal(R"("notes": [{"onset": "0", "duration": "1"}])"), {"notes[0].pitch", "missing"});
        row("note onset missing", minimal(R"("notes": [{"pitch": 60, "duration": "1"}])"), {"notes[0].onset", "missing"});
        row("note negative onset", minimal(R"("notes": [{"pitch": 60, "onset": "-1/2", "duration": "1"}])"), {"notes[0].onset", "negative"});
        row("note zero duration", minimal(R"("notes": [{"pitch": 60, "onset": "0", "duration": "0"}])"), {"notes[0].duration", "more than 0"});
        row("note bad fraction", minimal(R"("notes": [{"pitch": 60, "onset": "1/0", "duration": "1"}])"), {"notes[0].onset", "\"1/0\"", "not a time"});
        row("note velocity", minimal(R"("notes": [{"pitch": 60, "onset": "0", "duration": "1", "velocity": 0}])"), {"notes[0].velocity", "1 to 127"});
        row("note generated", minimal(R"("notes": [{"pitch": 60, "onset": "0", "duration": "1", "generated": "yes"}])"),
            {"notes[0].generated", "true or false"});
        row("note ties", minimal(R"("notes": [{"pitch": 60, "onset": "0", "duration": "2", "tied": ["1", "1/2"]}])"),
            {"notes[0].tied", "3/2", "delete \"tied\""});
        row("temperature", minimal(R"("generation": {"temperature": -1})"), {"generation.temperature", "-1"});
        row("top p", minimal(R"("generation": {"top_p": 2})"), {"generation.top_p", "2"});
        row("candidates", minimal(R"("generation": {"candidates": 0})"), {"generation.candidates", "0"});
        row("range order", minimal(R"("generation": {"range": {"lowest": 80, "highest": 60}})"), {"generation.range", "swap"});
        row("rng seed", minimal(R"("generation": {"rng_seed": -3})"), {"generation.rng_seed", "-3"});
    }
    void badValuesGiveClearErrors() {
        QFETCH(QString, json);
        QFETCH(QStringList, expected);
        const Result<Project> loaded = parseProjectJson(json.toStdString(), "bad.melodist");
        QVERIFY(!loaded.ok());
        const QString message = QString::fromStdString(loaded.error());
        QVERIFY2(message.startsWith(QStringLiteral("bad.melodist: ")), qPrintable(message));
        for (const QString& part : expected) QVERIFY2(message.contains(part), qPrintable(message + QStringLiteral("  -- lacks: ") + part));
    }

    void missingFileNamesIt() {
        const Result<Project> loaded = readProjectFile("/nonexistent/dir/song.melodist");
        QVERIFY(!loaded.ok());
        QVERIFY2(QString::fromStdString(loaded.error()).contains(QStringLiteral("/nonexistent/dir/song.melodist")), loaded.error().c_str());
    }

    void kernFileBecomesSeedAndGoesBackToAScore() {
        // GIVEN a real kern file in 3/4, G major, with a tie and a rest
        const std::string path = qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/kern/ties_dots_rests.krn";
        const Result<Score> score = readScoreFile(path);
        QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
        // WHEN it becomes a project
        int dropped = -1;
        const Project project = projectFromScore(*score, &dropped);
        // THEN its notes are seed notes with the file's meter and key
        QCOMPARE(dropped, 0);
        QCOMPARE(project.meterNumerator, 3);
        QCOMPARE(project.meterDenominator, 4);
        QVERIFY(project.key == (ScaleKey{7, ScaleMode::Major}));
        QCOMPARE(project.notes.size(), score->parts[0].notes.size());
        for (size_t i = 0; i < project.notes.size(); ++i) {
            QVERIFY(!project.notes[i].generated);
            QVERIFY(project.notes[i].note == score->parts[0].notes[i]);
        }
        QCOMPARE(project.notes[0].note.pitch, 67);  // 4.g
        QCOMPARE(project.notes[0].note.duration, Rational(3, 2));
        QCOMPARE(project.barLength(), Rational(3));
        // AND back as a Score it carries the same notes, meter, key and tempo
        const Score back = projectToScore(project);
        QCOMPARE(back.parts.size(), size_t(1));
        QCOMPARE(back.parts[0].name, std::string("Melody"));
        QVERIFY(back.parts[0].notes == score->parts[0].notes);
        QCOMPARE(back.meters.at(0).numerator, 3);
        QVERIFY(back.declaredKey() == (Key{7, Mode::Major}));
        QCOMPARE(back.keys.at(0).fifths, 1);
        QCOMPARE(back.tempos.at(0).bpm, project.tempoBpm);
    }

    void minorKernKeyAndModesMapToScoreKeys() {
        const std::string path = qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/kern/triplets.krn";
        const Result<Score> score = readScoreFile(path);
        QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
        Project project = projectFromScore(*score);
        QVERIFY(project.key == (ScaleKey{2, ScaleMode::NaturalMinor}));
        QCOMPARE(project.notes.at(0).note.duration, Rational(1, 3));
        Score back = projectToScore(project);
        QVERIFY(back.declaredKey() == (Key{2, Mode::Minor}));
        QCOMPARE(back.keys.at(0).fifths, -1);
        // A mode keeps its tonic and the quality of its third; the signature is its parent major's.
        project.key = ScaleKey{2, ScaleMode::Dorian};  // D dorian: C major's notes
        back = projectToScore(project);
        QVERIFY(back.declaredKey() == (Key{2, Mode::Minor}));
        QCOMPARE(back.keys.at(0).fifths, 0);
        project.key = ScaleKey{7, ScaleMode::Mixolydian};  // G mixolydian: C major's notes, major third
        QVERIFY(projectToScore(project).declaredKey() == (Key{7, Mode::Major}));
    }

    void projectThroughMidiKeepsNotesTempoAndProgram() {
        // GIVEN a project with seed and generated notes
        Project project = richProject();
        project.tempoBpm = 90;
        QTemporaryDir dir;
        const std::string midi = dir.filePath(QStringLiteral("song.mid")).toStdString();
        // WHEN written as MIDI and imported again
        const Result<void> written = writeMidiFile(projectToScore(project), midi);
        QVERIFY2(written.ok(), written.ok() ? "" : written.error().c_str());
        const Result<Score> read = readScoreFile(midi);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().c_str());
        const Project imported = projectFromScore(*read);
        // THEN the notes (all now seed), tempo, meter and program are the same
        QCOMPARE(imported.notes.size(), project.notes.size());
        for (size_t i = 0; i < project.notes.size(); ++i) {
            QCOMPARE(imported.notes[i].note.pitch, project.notes[i].note.pitch);
            QCOMPARE(imported.notes[i].note.onset, project.notes[i].note.onset);
            QCOMPARE(imported.notes[i].note.duration, project.notes[i].note.duration);
            QCOMPARE(imported.notes[i].note.velocity, project.notes[i].note.velocity);
            QVERIFY(!imported.notes[i].generated);
        }
        QCOMPARE(imported.tempoBpm, 90.0);
        QCOMPARE(imported.meterNumerator, 6);
        QCOMPARE(imported.meterDenominator, 8);
        QCOMPARE(imported.program, 73);
    }

    void otherPartsAreCountedAsDropped() {
        Score score;
        const auto part = [](const char* name, int program, std::vector<Note> notes) {
            Part p;
            p.name = name;
            p.program = program;
            p.notes = std::move(notes);
            return p;
        };
        score.parts.push_back(part("empty", 0, {}));
        score.parts.push_back(part("melody", 40, {makeNote(72, 0, 1)}));
        score.parts.push_back(part("bass", 0, {makeNote(36, 0, 4)}));
        score.parts.push_back(part("inner", 0, {makeNote(55, 0, 2)}));
        score.tempos.push_back({.onset = 0, .bpm = 1000});  // out of range: clamped
        int dropped = 0;
        const Project project = projectFromScore(score, &dropped);
        QCOMPARE(dropped, 2);
        QCOMPARE(project.notes.size(), size_t(1));
        QCOMPARE(project.notes[0].note.pitch, 72);
        QCOMPARE(project.program, 40);
        QCOMPARE(project.tempoBpm, 400.0);
    }
};

QTEST_GUILESS_MAIN(ProjectFileTest)
#include "ProjectFileTest.moc"

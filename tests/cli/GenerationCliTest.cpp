// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist generate`, `regenerate` and `predict` as a user runs them on the imported
// seed model (../shared; skipped without it): the issue's example, constraints honoured
// in the output, --stats, --device cuda refused clearly, a D major seed answered in D
// major (the model saw it in C), a polyphonic --seed-file, and a regenerated region.
#include "engine/generation/SeedFromScore.h"
#include "engine/io/MidiFile.h"
#include "engine/music/KeyEstimation.h"
#include "engine/music/StepEncoding.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <tuple>

#include "tests/common/TestSupport.h"

using melodist::test::makeNote;
using melodist::test::ProcessRun;
using melodist::test::haveSeedModel;
using melodist::test::importSeedModel;
using melodist::test::runMelodist;
using melodist::test::seedModelDir;
using namespace melodist::engine;

namespace {

const QString kSeed = QStringLiteral("67 _ 67 _ 67 _ _ 65 64 _ 64 _ 64 _ _");
const QString kDMajorSeed = QStringLiteral("62 _ 66 _ 69 _ 66 _ 62 _ 64 _ 66 _ 67 _ 69 _ _ _ 74 _ _ _ 73 _ 71 _ 69 _ _ _");


std::vector<std::string> symbolsOf(const QString& line) { return splitSymbols(line.trimmed().toStdString()); }

int pitchOf(const std::string& symbol) {
    return !symbol.empty() && symbol.find_first_not_of("0123456789") == std::string::npos ? std::stoi(symbol) : -1;
}

QJsonObject lastJsonLine(const QString& text) {
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return lines.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(lines.back().toUtf8()).object();
}

}  // namespace

class GenerationCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_model;

    QString out(const char* name) const { return m_dir.filePath(QLatin1String(name)); }
    ProcessRun generate(QStringList arguments) const {
        arguments.prepend(m_model);
        arguments.prepend(QStringLiteral("--model"));
        arguments.prepend(QStringLiteral("generate"));
        return runMelodist(arguments);
    }

private slots:
    void initTestCase() {
        if (!haveSeedModel())
            QSKIP("needs $MELODIST_SHARED_DIR/seed-models (the shared folder beside the checkout)");
        QVERIFY(m_dir.isValid());
        // GIVEN the seed model imported once for every test
        m_model = out("seeds.melodist-model");
        const ProcessRun run = importSeedModel(m_model);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }

    void theIssuesExampleWritesMidiAndPrintsTheMelody() {
        // WHEN the issue's exact command runs
        const QString midi = out("mel.mid");
        const ProcessRun run = generate({QStringLiteral("--seed"), kSeed, QStringLiteral("--steps"), QStringLiteral("500"),
                                         QStringLiteral("--temperature"), QStringLiteral("0.8"), QStringLiteral("--out"), midi,
                                         QStringLiteral("--text")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // THEN it prints one melody in the seeds' notation, starting with the seed
        const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines[0].startsWith(kSeed + QLatin1Char(' ')));
        Result<Part> printed = decodeSteps(symbolsOf(lines[0]));
        QVERIFY2(printed.ok(), printed ? "" : printed.error().c_str());
        // AND the MIDI file parses back to the same notes
        Result<Score> score = readMidiFile(midi.toStdString());
        QVERIFY2(score.ok(), score ? "" : score.error().c_str());
        QCOMPARE(score->parts.size(), size_t{1});
        QVERIFY(printed->notes.size() > 20);
        QCOMPARE(score->parts[0].notes.size(), printed->notes.size());
        for (size_t i = 0; i < printed->notes.size(); ++i) {
            QCOMPARE(score->parts[0].notes[i].pitch, printed->notes[i].pitch);
            QCOMPARE(score->parts[0].notes[i].onset, printed->notes[i].onset);
            QCOMPARE(score->parts[0].notes[i].duration, printed->notes[i].duration);
        }
    }

    void keyRangeLongestNoteAndRestsAreHonouredInTheOutput() {
        // WHEN generating in A minor (harmonic), A3..E5, notes at most a half note, rests at most 10 %
        const ProcessRun run = generate({QStringLiteral("--seed"), QStringLiteral("69 _ 71 _ 72 _ 76 _ 74 _ 72 _ 71 _ 69 _ _ _"),
                                         QStringLiteral("--steps"), QStringLiteral("300"), QStringLiteral("--temperature"),
                                         QStringLiteral("1.3"), QStringLiteral("--candidates"), QStringLiteral("4"),
                                         QStringLiteral("--key"), QStringLiteral("A harmonic minor"), QStringLiteral("--range"),
                                         QStringLiteral("A3-E5"), QStringLiteral("--max-note-steps"), QStringLiteral("8"),
                                         QStringLiteral("--max-rest-ratio"), QStringLiteral("0.1"), QStringLiteral("--out"),
                                         out("c.mid"), QStringLiteral("--text"), QStringLiteral("--stats")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        const std::array<int, 7> aHarmonicMinor = {9, 11, 0, 2, 4, 5, 8};
        size_t generatedSteps = 0;
        for (const QString& line : lines) {
            const std::vector<std::string> symbols = symbolsOf(line);
            int run = 0, rests = 0, steps = 0;
            bool inRest = false;
            for (size_t i = 18; i < symbols.size(); ++i, ++steps) {  // after the 18-symbol seed
                const int pitch = pitchOf(symbols[i]);
                // THEN every pitch is in the scale and the range, every run short enough, few rests
                if (pitch >= 0) {
                    QVERIFY2(pitch >= 57 && pitch <= 76, symbols[i].c_str());
                    QVERIFY2(std::find(aHarmonicMinor.begin(), aHarmonicMinor.end(), pitch % 12) != aHarmonicMinor.end(), symbols[i].c_str());
                    run = 1;
                    inRest = false;
                } else if (symbols[i] == "r") {
                    run = 1;
                    inRest = true;
                } else {
                    ++run;
                }
                rests += inRest ? 1 : 0;
                QVERIFY(run <= 8);
            }
            QVERIFY(rests <= 0.1 * steps + 1e-9);
            generatedSteps += static_cast<size_t>(steps);
        }
        QVERIFY(generatedSteps > 200);
        // AND the MIDI files hold the same: pitches in range and scale
        for (const char* name : {"c.mid", "c-2.mid", "c-3.mid", "c-4.mid"}) {
            Result<Score> score = readMidiFile(out(name).toStdString());
            QVERIFY(score.ok());
            for (const Note& note : score->parts[0].notes) QVERIFY(note.pitch >= 57 && note.pitch <= 76);
        }
        // AND --stats reports the constraints and the key handling
        const QJsonObject stats = lastJsonLine(run.err);
        QCOMPARE(stats.value(QStringLiteral("seed_key")).toString(), QStringLiteral("A harmonic minor"));
        QCOMPARE(stats.value(QStringLiteral("transpose")).toInt(), 0);
        const QJsonObject constraints = stats.value(QStringLiteral("constraints")).toObject();
        QCOMPARE(constraints.value(QStringLiteral("range")).toArray().at(0).toInt(), 57);
        QCOMPARE(constraints.value(QStringLiteral("max_note_steps")).toInt(), 8);
    }

    void statsHaveTheirFieldsAndCudaIsRefusedClearly() {
        // WHEN generating with --stats
        ProcessRun run = generate({QStringLiteral("--seed"), kSeed, QStringLiteral("--steps"), QStringLiteral("50"),
                                   QStringLiteral("--out"), out("s.mid"), QStringLiteral("--stats"), QStringLiteral("--device"),
                                   QStringLiteral("cpu")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // THEN the JSON line has the fields
        const QJsonObject stats = lastJsonLine(run.err);
        for (const char* field : {"generation_ms", "steps_per_s", "device", "architecture", "candidates", "context", "symbols_sampled",
                                  "decoder_steps", "seed_key", "seed_key_estimated", "transpose", "constraints"})
            QVERIFY2(stats.contains(QLatin1String(field)), field);
        QVERIFY(stats.value(QStringLiteral("device")).toString().startsWith(QStringLiteral("cpu (fp32 kernel, ")));
        QCOMPARE(stats.value(QStringLiteral("architecture")).toString(), QStringLiteral("lstm"));
        QCOMPARE(stats.value(QStringLiteral("context")).toInt(), 64);
        QVERIFY(stats.value(QStringLiteral("seed_key_estimated")).toBool());
        // WHEN CUDA is asked for on this machine THEN exit 1 with a message that says CUDA
        for (const QString& command : {QStringLiteral("generate"), QStringLiteral("predict")}) {
            QStringList arguments = {command, QStringLiteral("--model"), m_model, QStringLiteral("--device"), QStringLiteral("cuda")};
            arguments << (command == QLatin1String("generate") ? QStringList{QStringLiteral("--seed"), kSeed, QStringLiteral("--out"), out("x.mid")}
                                                               : QStringList{QStringLiteral("--window"), kSeed});
            run = runMelodist(arguments);
            QVERIFY2(run.exitCode == 1, qPrintable(command + QStringLiteral(": ") + run.err));
            QVERIFY2(run.err.contains(QStringLiteral("CUDA")), qPrintable(run.err));
        }
        // AND a bad device or key is a usage error naming the choices
        run = generate({QStringLiteral("--seed"), kSeed, QStringLiteral("--device"), QStringLiteral("gpu")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("auto, cpu or cuda")), qPrintable(run.err));
        run = generate({QStringLiteral("--seed"), kSeed, QStringLiteral("--key"), QStringLiteral("H major")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--key")), qPrintable(run.err));
    }

    void aSeedInDMajorComesBackInDMajor() {
        // WHEN a D major seed is continued, six times (one short melody can fool a key estimate)
        const ProcessRun run = generate({QStringLiteral("--seed"), kDMajorSeed, QStringLiteral("--steps"), QStringLiteral("300"),
                                         QStringLiteral("--temperature"), QStringLiteral("0.8"), QStringLiteral("--rng-seed"),
                                         QStringLiteral("2"), QStringLiteral("--candidates"), QStringLiteral("6"),
                                         QStringLiteral("--out"), out("d.mid"), QStringLiteral("--text"), QStringLiteral("--stats")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // THEN the model saw it in C major (moved down a tone) ...
        const QJsonObject stats = lastJsonLine(run.err);
        QCOMPARE(stats.value(QStringLiteral("seed_key")).toString(), QStringLiteral("D major"));
        QCOMPARE(stats.value(QStringLiteral("transpose")).toInt(), -2);
        // ... and the melodies the user gets are in D major, the seed's estimated key
        const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 6);
        Score generated;
        size_t symbols = 0;
        for (const QString& line : lines) {
            const std::vector<std::string> melody = symbolsOf(line);
            symbols += melody.size() - symbolsOf(kDMajorSeed).size();
            generated.parts.push_back(*decodeSteps(melody));
        }
        QVERIFY(symbols > 200);
        const std::optional<KeyEstimate> key = estimateKey(generated);
        QVERIFY(key.has_value());
        QVERIFY2(key->key == (Key{2, Mode::Major}), qPrintable(QStringLiteral("estimated tonic %1 mode %2").arg(key->key.tonic).arg(int(key->key.mode))));
        // AND with --keep-key the model is fed D major as it is
        const ProcessRun kept = generate({QStringLiteral("--seed"), kDMajorSeed, QStringLiteral("--steps"), QStringLiteral("20"),
                                          QStringLiteral("--out"), out("k.mid"), QStringLiteral("--keep-key"), QStringLiteral("--stats")});
        QVERIFY2(kept.exitCode == 0, qPrintable(kept.err));
        QCOMPARE(lastJsonLine(kept.err).value(QStringLiteral("transpose")).toInt(), 0);
    }

    void aPolyphonicSeedFileIsReducedToItsTopLine() {
        // GIVEN a MIDI file whose melody comes with chords under it
        Score score;
        score.parts.resize(1);
        const std::vector<std::pair<int, int>> line = {{72, 64}, {71, 62}, {69, 60}, {67, 59}};
        for (size_t i = 0; i < line.size(); ++i) {
            score.parts[0].notes.push_back(makeNote(line[i].first, static_cast<int64_t>(i), 1));
            score.parts[0].notes.push_back(makeNote(line[i].second, static_cast<int64_t>(i), 1));
        }
        score.sort();
        const QString seedFile = out("chords.mid");
        QVERIFY(writeMidiFile(score, seedFile.toStdString()).ok());
        // WHEN it seeds generation
        const ProcessRun run = generate({QStringLiteral("--seed-file"), seedFile, QStringLiteral("--steps"), QStringLiteral("30"),
                                         QStringLiteral("--out"), out("f.mid"), QStringLiteral("--text")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // THEN the melody starts with the top line on the 16th grid, and stderr says what happened to the chords
        QVERIFY2(run.out.startsWith(QStringLiteral("72 _ _ _ 71 _ _ _ 69 _ _ _ 67 _ _ _")), qPrintable(run.out));
        QVERIFY2(run.err.contains(QStringLiteral("4 lower chord note(s) dropped")), qPrintable(run.err));
    }

    void regenerateReplacesOnlyTheRegionAndRanksItsFills() {
        // GIVEN a melody of 48 steps
        const QString song = QStringLiteral("60 _ 64 _ 67 _ _ _ 65 _ 64 _ 62 _ _ _ 60 _ 62 _ 64 _ 65 _ 67 _ _ _ 69 _ 67 _ "
                                            "65 _ 64 _ 62 _ _ _ 64 _ 62 _ 60 _ _ _");
        const std::vector<std::string> original = symbolsOf(song);
        // WHEN steps 16..31 are regenerated from 6 candidates, keeping 2
        const ProcessRun run = runMelodist({QStringLiteral("regenerate"), QStringLiteral("--model"), m_model, QStringLiteral("--symbols"),
                                            song, QStringLiteral("--from-step"), QStringLiteral("16"), QStringLiteral("--to-step"),
                                            QStringLiteral("32"), QStringLiteral("--candidates"), QStringLiteral("6"),
                                            QStringLiteral("--keep"), QStringLiteral("2"), QStringLiteral("--rng-seed"),
                                            QStringLiteral("4"), QStringLiteral("--out"), out("region.mid"), QStringLiteral("--text"),
                                            QStringLiteral("--stats")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // THEN two melodies of the same length keep steps 0..15 and 32.. exactly
        const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        for (const QString& line : lines) {
            const std::vector<std::string> melody = symbolsOf(line);
            QCOMPARE(melody.size(), original.size());
            QVERIFY(std::equal(original.begin(), original.begin() + 16, melody.begin()));
            QVERIFY(std::equal(original.begin() + 32, original.end(), melody.begin() + 32));
            QVERIFY(std::find(melody.begin(), melody.end(), "/") == melody.end());
        }
        // AND the MIDI files have the notes before and after the region untouched
        for (const char* name : {"region.mid", "region-2.mid"}) {
            Result<Score> score = readMidiFile(out(name).toStdString());
            QVERIFY(score.ok());
            const Part expected = *decodeSteps(original);
            // (a fill may hold the last note before it longer: before the region, pitch and onset count)
            const auto outside = [](const Part& part) {
                std::vector<std::tuple<int, Rational, Rational>> notes;
                for (const Note& n : part.notes)
                    if (n.onset < Rational(4) || n.onset >= Rational(8))
                        notes.emplace_back(n.pitch, n.onset, n.onset < Rational(4) ? Rational(0) : n.duration);
                return notes;
            };
            QCOMPARE(outside(score->parts[0]), outside(expected));
        }
        // AND the scores come best first
        const QJsonArray scores = lastJsonLine(run.err).value(QStringLiteral("scores")).toArray();
        QCOMPARE(scores.size(), 6);
        for (int k = 1; k < scores.size(); ++k) QVERIFY(scores[k - 1].toDouble() >= scores[k].toDouble());
        // AND a region past the end is a usage error
        const ProcessRun past = runMelodist({QStringLiteral("regenerate"), QStringLiteral("--model"), m_model, QStringLiteral("--symbols"),
                                             song, QStringLiteral("--from-step"), QStringLiteral("40"), QStringLiteral("--to-step"),
                                             QStringLiteral("60"), QStringLiteral("--out"), out("x.mid")});
        QCOMPARE(past.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(GenerationCliTest)
#include "GenerationCliTest.moc"

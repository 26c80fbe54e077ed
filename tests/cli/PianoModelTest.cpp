// SPDX-License-Identifier: GPL-3.0-or-later
// The piano case (issue 5) as a user runs it: hand-made two-hand pieces
// (tests/data/midi/piano) preprocessed with --encoding chords --min-count, a tiny LSTM
// trained for a few dozen steps with `melodist train`, then `melodist generate` from a
// text seed and from a MIDI file in another key: every generated token decodes, the
// MIDI has onsets where several notes start together, --stats reports their share, and
// what a chords model cannot do is refused with a reason. On the real piano corpus
// (../shared; skipped without it), the encoding keeps both hands.
#include "engine/io/MidiFile.h"
#include "engine/music/ChordEncoding.h"
#include "engine/music/StepEncoding.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <set>

#include "tests/common/TestSupport.h"

using melodist::test::ProcessRun;
using melodist::test::runMelodist;
using namespace melodist::engine;

namespace {

QString fixtures() { return qEnvironmentVariable("MELODIST_TEST_DATA") + QStringLiteral("/midi/piano"); }

QJsonObject readJson(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

QStringList readLines(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QJsonObject lastJsonLine(const QString& text) {
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return lines.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(lines.back().toUtf8()).object();
}

// Onsets of `score` at or after `from` (quarter notes), counted like --stats.
OnsetPolyphony polyphonyFrom(const Score& score, Rational from) {
    Score after;
    for (const Part& part : score.parts) {
        Part kept;
        for (const Note& note : part.notes)
            if (note.onset >= from) kept.notes.push_back(note);
        after.parts.push_back(std::move(kept));
    }
    return onsetPolyphony(after);
}

Rational lengthOf(const std::vector<std::string>& tokens) {
    Rational total;
    for (const std::string& token : tokens) total += parseChordToken(token)->step;
    return total;
}

}  // namespace

class PianoModelTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data, m_model;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // GIVEN the four hand-made pieces, preprocessed as chords with rare tokens replaced
        m_data = path(QStringLiteral("data"));
        const ProcessRun preprocess = runMelodist({QStringLiteral("preprocess"), fixtures(), QStringLiteral("--encoding"),
                                                   QStringLiteral("chords"), QStringLiteral("--min-count"), QStringLiteral("2"),
                                                   QStringLiteral("--out"), m_data});
        QVERIFY2(preprocess.exitCode == 0, qPrintable(preprocess.err));
        QVERIFY2(preprocess.out.contains(QStringLiteral("chords: ")), qPrintable(preprocess.out));
        // AND a tiny LSTM with an embedding trained on them for 60 steps
        const QString run = path(QStringLiteral("run"));
        const ProcessRun train = runMelodist(
            {QStringLiteral("train"), m_data, QStringLiteral("--out"), run, QStringLiteral("--model"), QStringLiteral("lstm"),
             QStringLiteral("--layers"), QStringLiteral("1"), QStringLiteral("--units"), QStringLiteral("48"),
             QStringLiteral("--embed"), QStringLiteral("16"), QStringLiteral("--batching"), QStringLiteral("songs"),
             QStringLiteral("--seq-len"), QStringLiteral("16"), QStringLiteral("--batch"), QStringLiteral("2"),
             QStringLiteral("--val-split"), QStringLiteral("0.25"), QStringLiteral("--dropout"), QStringLiteral("0"),
             QStringLiteral("--lr"), QStringLiteral("0.01"), QStringLiteral("--patience"), QStringLiteral("0"),
             QStringLiteral("--max-steps"), QStringLiteral("60"), QStringLiteral("--threads"), QStringLiteral("1"),
             QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--rng-seed"), QStringLiteral("1")},
            240000);
        QVERIFY2(train.exitCode == 0, qPrintable(train.err));
        m_model = run + QStringLiteral("/best.melodist-model");
        QVERIFY(QFile::exists(m_model));
    }

    void manifestReportsTheReducedVocabulary() {
        // WHEN the dataset is read back
        const QJsonObject manifest = readJson(m_data + QStringLiteral("/manifest.json"));
        const QJsonObject reduction = manifest.value(QStringLiteral("chord_vocabulary")).toObject();
        const QJsonObject mapping = readJson(m_data + QStringLiteral("/mapping.json"));
        // THEN the manifest says what --min-count did, and the vocabulary is what it left (plus "/")
        QCOMPARE(manifest.value(QStringLiteral("options")).toObject().value(QStringLiteral("chord_min_count")).toInt(), 2);
        QCOMPARE(reduction.value(QStringLiteral("min_count")).toInt(), 2);
        const int before = reduction.value(QStringLiteral("tokens_before")).toInt();
        const int after = reduction.value(QStringLiteral("tokens_after")).toInt();
        QVERIFY2(after < before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        QCOMPARE(mapping.size(), after + 1);
        QVERIFY(reduction.value(QStringLiteral("share_replaced")).toDouble() > 0.0);
        // AND every symbol of every song is a chord token of the vocabulary, all four pieces with chords
        const QStringList songs = readLines(m_data + QStringLiteral("/songs.txt"));
        QCOMPARE(songs.size(), 4);
        for (const QString& song : songs) {
            const std::vector<std::string> tokens = splitSymbols(song.toStdString());
            for (const std::string& token : tokens) {
                QVERIFY2(mapping.contains(QString::fromStdString(token)), token.c_str());
                QVERIFY2(parseChordToken(token).ok(), token.c_str());
            }
            QVERIFY(onsetPolyphony(tokens).polyphonicOnsets > 0);
        }
    }

    void generatedChordsDecodeAndTheMidiHasChords() {
        // GIVEN the first bar of the C major piece as the seed
        const std::vector<std::string> song = splitSymbols(readLines(m_data + QStringLiteral("/songs.txt")).at(1).toStdString());
        const std::vector<std::string> seed(song.begin(), song.begin() + 8);
        // WHEN three candidates of 64 tokens are generated with text and stats
        const QString midi = path(QStringLiteral("chords.mid"));
        const ProcessRun run = runMelodist({QStringLiteral("generate"), QStringLiteral("--model"), m_model, QStringLiteral("--seed"),
                                            QString::fromStdString(joinSymbols(seed)), QStringLiteral("--steps"),
                                            QStringLiteral("64"), QStringLiteral("--candidates"), QStringLiteral("3"),
                                            QStringLiteral("--rng-seed"), QStringLiteral("5"), QStringLiteral("--out"), midi,
                                            QStringLiteral("--text"), QStringLiteral("--stats")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // THEN each candidate's text is the seed then chord tokens that all decode
        const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        int64_t sampledPolyphonic = 0;
        for (int c = 0; c < 3; ++c) {
            const std::vector<std::string> tokens = splitSymbols(lines[c].toStdString());
            QVERIFY(tokens.size() > seed.size());
            QVERIFY(std::equal(seed.begin(), seed.end(), tokens.begin()));
            for (const std::string& token : tokens) QVERIFY2(parseChordToken(token).ok(), token.c_str());
            const Result<Part> decoded = decodeChords(tokens);
            QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().c_str());
            // AND its MIDI file holds those notes, with chords after the seed
            const QString file = c == 0 ? midi : path(QStringLiteral("chords-%1.mid").arg(c + 1));
            const Result<Score> score = readMidiFile(file.toStdString());
            QVERIFY2(score.ok(), qPrintable(file));
            QCOMPARE(score->noteCount(), decoded->notes.size());
            sampledPolyphonic += polyphonyFrom(*score, lengthOf(seed)).polyphonicOnsets;
        }
        QVERIFY2(sampledPolyphonic > 0, "no generated onset has two notes starting together");
        // AND --stats reports the share of polyphonic onsets of the sampled music
        const QJsonObject stats = lastJsonLine(run.err);
        QCOMPARE(stats.value(QStringLiteral("notation")).toString(), QStringLiteral("chords"));
        QCOMPARE(stats.value(QStringLiteral("polyphonic_onsets")).toInt(), static_cast<int>(sampledPolyphonic));
        const double share = stats.value(QStringLiteral("polyphonic_share")).toDouble();
        QVERIFY2(share > 0.0 && share <= 1.0, qPrintable(run.err));
        QCOMPARE(stats.value(QStringLiteral("transpose")).toInt(), 0);  // C major already
    }

    void seedFileInAnotherKeyIsMovedForTheModelAndBack() {
        // GIVEN two bars of the C major piece moved to G major, written as MIDI with a G major signature
        const std::vector<std::string> song = splitSymbols(readLines(m_data + QStringLiteral("/songs.txt")).at(1).toStdString());
        const std::vector<std::string> bars(song.begin(), song.begin() + 16);
        Score original;
        original.parts.push_back(*decodeChords(*transposeChordTokens(bars, 7)));
        original.keys.push_back(KeyChange{.onset = 0, .key = Key{.tonic = 7, .mode = Mode::Major}, .declared = true, .fifths = 1});
        const QString seedFile = path(QStringLiteral("g-major-seed.mid"));
        QVERIFY(writeMidiFile(original, seedFile.toStdString()).ok());
        // WHEN generating from it
        const QString midi = path(QStringLiteral("from-g.mid"));
        const ProcessRun run = runMelodist({QStringLiteral("generate"), QStringLiteral("--model"), m_model,
                                            QStringLiteral("--seed-file"), seedFile, QStringLiteral("--steps"),
                                            QStringLiteral("32"), QStringLiteral("--out"), midi, QStringLiteral("--stats")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // THEN the key comes from the signature, the seed is moved as preprocessing moved G major
        // pieces (7 down: every token is one the model knows), and it comes back as written
        const QJsonObject stats = lastJsonLine(run.err);
        QCOMPARE(stats.value(QStringLiteral("seed_key")).toString(), QStringLiteral("G major"));
        QCOMPARE(stats.value(QStringLiteral("seed_key_estimated")).toBool(), false);
        QCOMPARE(stats.value(QStringLiteral("transpose")).toInt(), -7);
        QCOMPARE(stats.value(QStringLiteral("seed_tokens_replaced")).toInt(), 0);
        const Result<Score> generated = readMidiFile(midi.toStdString());
        QVERIFY(generated.ok());
        std::multiset<std::pair<Rational, int>> written, played;
        for (const Note& note : original.parts.front().notes) written.insert({note.onset, note.pitch});
        for (const Note& note : generated->parts.front().notes)
            if (note.onset < lengthOf(bars)) played.insert({note.onset, note.pitch});
        QVERIFY(written == played);
    }

    void unknownSeedTokensBecomeTheNearestAndUnsupportedUsesSayWhy() {
        // GIVEN a seed token the model lacks (a cluster at a dotted half)
        const ProcessRun replaced = runMelodist({QStringLiteral("generate"), QStringLiteral("--model"), m_model,
                                                 QStringLiteral("--seed"), QStringLiteral("61+62+63+66:3"), QStringLiteral("--steps"),
                                                 QStringLiteral("8"), QStringLiteral("--out"), path(QStringLiteral("cluster.mid"))});
        // THEN it is replaced by the nearest token and generation goes on
        QVERIFY2(replaced.exitCode == 0, qPrintable(replaced.err));
        QVERIFY2(replaced.err.contains(QStringLiteral("replaced by the nearest")), qPrintable(replaced.err));
        // AND a seed in the steps notation, a key constraint and region regeneration are refused with the reason
        const ProcessRun steps = runMelodist({QStringLiteral("generate"), QStringLiteral("--model"), m_model, QStringLiteral("--seed"),
                                              QStringLiteral("60 _ _ 62"), QStringLiteral("--out"), path(QStringLiteral("x.mid"))});
        QCOMPARE(steps.exitCode, 1);
        QVERIFY2(steps.err.contains(QStringLiteral("chord token '60'")), qPrintable(steps.err));
        const ProcessRun key = runMelodist({QStringLiteral("generate"), QStringLiteral("--model"), m_model, QStringLiteral("--seed"),
                                            QStringLiteral("60+64+67:1"), QStringLiteral("--key"), QStringLiteral("C"),
                                            QStringLiteral("--out"), path(QStringLiteral("y.mid"))});
        QCOMPARE(key.exitCode, 1);
        QVERIFY2(key.err.contains(QStringLiteral("cannot be applied")), qPrintable(key.err));
        const ProcessRun regenerate = runMelodist({QStringLiteral("regenerate"), QStringLiteral("--model"), m_model,
                                                   QStringLiteral("--symbols"), QStringLiteral("60 _ _ _ 62 _ _ _ 64 _ _ _"),
                                                   QStringLiteral("--from-step"), QStringLiteral("4"), QStringLiteral("--to-step"),
                                                   QStringLiteral("8"), QStringLiteral("--out"), path(QStringLiteral("z.mid"))});
        QCOMPARE(regenerate.exitCode, 1);
        QVERIFY2(regenerate.err.contains(QStringLiteral("chord tokens")), qPrintable(regenerate.err));
    }

    void realPianoFilesKeepBothHands() {
        const QString corpus = qEnvironmentVariable("MELODIST_SHARED_DIR") + QStringLiteral("/corpora/piano-midi");
        if (!QDir(corpus).exists())
            QSKIP("no piano corpus: $MELODIST_SHARED_DIR/corpora/piano-midi not found (set MELODIST_SHARED_DIR to ../shared)");
        // GIVEN three real two-hand pieces, in path order (the order of songs.txt)
        const QStringList files = {corpus + QStringLiteral("/chopin/chpn-p7.mid"), corpus + QStringLiteral("/schumann/scn15_13.mid"),
                                   corpus + QStringLiteral("/schumann/scn15_4.mid")};
        // WHEN preprocessed as chords without transposition
        const QString out = path(QStringLiteral("real"));
        const ProcessRun run = runMelodist(QStringList{QStringLiteral("preprocess")} + files +
                                           QStringList{QStringLiteral("--encoding"), QStringLiteral("chords"),
                                                       QStringLiteral("--no-transpose"), QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList songs = readLines(out + QStringLiteral("/songs.txt"));
        QCOMPARE(songs.size(), 3);
        for (int i = 0; i < 3; ++i) {
            // THEN the tokens hold nearly every note of both hands (a note is lost only when two
            // notes of one pitch start in the same 16th), low and high, and many chords
            const Result<Score> score = readMidiFile(files[i].toStdString());
            QVERIFY(score.ok());
            QVERIFY(score->parts.size() >= 2);
            size_t tokenNotes = 0;
            int lowest = 127, highest = 0;
            const std::vector<std::string> tokens = splitSymbols(songs[i].toStdString());
            for (const std::string& token : tokens) {
                const Result<ChordToken> parsed = parseChordToken(token);
                QVERIFY2(parsed.ok(), token.c_str());
                for (const int pitch : parsed->pitches) {
                    ++tokenNotes;
                    lowest = std::min(lowest, pitch);
                    highest = std::max(highest, pitch);
                }
            }
            qInfo("%s: %zu notes read, %zu in %zu tokens, pitches %d..%d, polyphonic onsets %.3f", qPrintable(files[i]),
                  score->noteCount(), tokenNotes, tokens.size(), lowest, highest, onsetPolyphony(tokens).share());
            QVERIFY(tokenNotes <= score->noteCount());
            QVERIFY2(tokenNotes * 100 >= score->noteCount() * 95, qPrintable(files[i]));
            QVERIFY(lowest < 48 && highest > 72);
            QVERIFY(onsetPolyphony(tokens).share() > 0.2);
        }
    }
};

QTEST_GUILESS_MAIN(PianoModelTest)
#include "PianoModelTest.moc"

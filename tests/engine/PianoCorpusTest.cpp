// SPDX-License-Identifier: GPL-3.0-or-later
// The MIDI reader, writer and chord encoding on the real piano corpus
// ($MELODIST_SHARED_DIR/corpora/piano-midi, 155 files by Bernd Krueger): every file
// loads, writes and reads back to the same notes, and encodes to chord tokens.
#include "engine/io/MidiFile.h"
#include "engine/music/ChordEncoding.h"

#include <QtTest>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

using namespace melodist::engine;

namespace {

std::vector<std::string> corpusFiles() {
    const std::filesystem::path root =
        std::filesystem::path(qEnvironmentVariable("MELODIST_SHARED_DIR").toStdString()) / "corpora" / "piano-midi";
    std::vector<std::string> files;
    if (!std::filesystem::is_directory(root)) return files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        std::string extension = entry.path().extension().string();
        std::transform(extension.begin(), extension.end(), extension.begin(), ::tolower);
        if (entry.is_regular_file() && extension == ".mid") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

class PianoCorpusTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        m_files = corpusFiles();
        if (m_files.empty())
            QSKIP("no piano corpus: $MELODIST_SHARED_DIR/corpora/piano-midi not found (set MELODIST_SHARED_DIR to ../shared)");
    }

    void everyFileLoadsWithPianoNotesTempoAndMeter() {
        // GIVEN every corpus file
        size_t notes = 0, parts = 0;
        const auto start = std::chrono::steady_clock::now();
        for (const std::string& path : m_files) {
            // WHEN
            const Result<Score> score = readMidiFile(path);
            // THEN it loads, with notes on the piano keyboard (A0..C8), a tempo and a meter
            QVERIFY2(score.ok(), score.ok() ? "" : score.error().c_str());
            QVERIFY2(score->noteCount() > 100, path.c_str());
            QVERIFY2(!score->tempos.empty() && !score->meters.empty(), path.c_str());
            for (const Part& part : score->parts) {
                QVERIFY2(std::is_sorted(part.notes.begin(), part.notes.end(),
                                        [](const Note& a, const Note& b) { return a.onset < b.onset; }), path.c_str());
                for (const Note& note : part.notes) {
                    QVERIFY2(note.pitch >= 21 && note.pitch <= 108, path.c_str());
                    QVERIFY2(note.duration > Rational(0) && note.velocity >= 1 && note.velocity <= 127, path.c_str());
                }
            }
            notes += score->noteCount();
            parts += score->parts.size();
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        qInfo("read %zu files: %zu notes in %zu parts in %.2f s", m_files.size(), notes, parts, seconds);
    }

    void everyFileRoundTripsThroughTheWriterExactly() {
        for (const std::string& path : m_files) {
            // GIVEN a corpus score
            const Result<Score> score = readMidiFile(path);
            QVERIFY(score.ok());
            // WHEN it is written and read back
            const std::string bytes = writeMidi(*score);
            const Result<Score> back = readMidi(bytes, path + " (rewritten)");
            // THEN notes, parts, tempos, meters and keys are the same
            QVERIFY2(back.ok(), back.ok() ? "" : back.error().c_str());
            QCOMPARE(back->title, score->title);
            QCOMPARE(back->parts.size(), score->parts.size());
            for (size_t p = 0; p < score->parts.size(); ++p) {
                QCOMPARE(back->parts[p].notes.size(), score->parts[p].notes.size());
                const auto& want = score->parts[p].notes;
                const auto& got = back->parts[p].notes;
                const auto first = std::mismatch(want.begin(), want.end(), got.begin());
                QVERIFY2(first.first == want.end(),
                         qPrintable(QString("%1 part %2: pitch %3 at %4 for %5 velocity %6 came back as pitch %7 at %8 for %9 velocity %10")
                                        .arg(QString::fromStdString(path)).arg(p)
                                        .arg(first.first->pitch).arg(QString::fromStdString(first.first->onset.toString()))
                                        .arg(QString::fromStdString(first.first->duration.toString())).arg(first.first->velocity)
                                        .arg(first.second->pitch).arg(QString::fromStdString(first.second->onset.toString()))
                                        .arg(QString::fromStdString(first.second->duration.toString())).arg(first.second->velocity)));
                QCOMPARE(back->parts[p].name, score->parts[p].name);
                QCOMPARE(back->parts[p].program, score->parts[p].program);
                QCOMPARE(back->parts[p].channel, score->parts[p].channel);
            }
            QCOMPARE(back->tempos.size(), score->tempos.size());
            for (size_t i = 0; i < score->tempos.size(); ++i) {
                QVERIFY(back->tempos[i].onset == score->tempos[i].onset);
                QCOMPARE(back->tempos[i].bpm, score->tempos[i].bpm);
            }
            QCOMPARE(back->meters.size(), score->meters.size());
            QCOMPARE(back->keys.size(), score->keys.size());
            for (size_t i = 0; i < score->keys.size(); ++i) QVERIFY(back->keys[i].key == score->keys[i].key);
            QCOMPARE(writeMidi(*back), bytes);
        }
    }

    void chordTokensRoundTripAndMostPianoOnsetsAreChords() {
        size_t onsets = 0, chords = 0, rests = 0;
        std::set<std::string> vocabulary;
        for (const std::string& path : m_files) {
            // GIVEN a corpus score
            const Result<Score> score = readMidiFile(path);
            QVERIFY(score.ok());
            // WHEN it is encoded at 1/12 quarter note, decoded and encoded again
            const std::vector<std::string> encoded = encodeChords(*score);
            const Result<Part> decoded = decodeChords(encoded);
            // THEN the second encoding is the first
            QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().c_str());
            QVERIFY2(encodeChords(*decoded) == encoded, path.c_str());
            for (const std::string& text : encoded) {
                const Result<ChordToken> token = parseChordToken(text);
                QVERIFY(token.ok());
                rests += token->isRest();
                onsets += !token->isRest();
                chords += token->isChord();
                vocabulary.insert(text);
            }
        }
        const double share = onsets ? double(chords) / double(onsets) : 0;
        qInfo("chord tokens (grid 1/12): %zu onsets, %zu polyphonic (%.1f%%), %zu rests, %zu distinct tokens", onsets,
              chords, 100 * share, rests, vocabulary.size());
        // Piano music in both hands: a large share of onsets sound several keys at once.
        QVERIFY(share > 0.2);
    }

private:
    std::vector<std::string> m_files;
};

QTEST_GUILESS_MAIN(PianoCorpusTest)
#include "PianoCorpusTest.moc"

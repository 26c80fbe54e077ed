// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/SeedFromScore.h"

#include "engine/io/ScoreFile.h"

#include <algorithm>

namespace melodist::engine {
namespace {

int64_t nearestStep(Rational time, Rational step) { return (time / step + Rational(1, 2)).floor(); }

struct GridNote {
    int pitch = 0;
    int64_t start = 0;  // steps
    int64_t end = 0;
};

}  // namespace

std::string SeedReduction::describe() const {
    std::string out = "seed";
    const auto add = [&](int count, const std::string& what) {
        if (count > 0) out += (out == "seed" ? ": " : "; ") + std::to_string(count) + " " + what;
    };
    if (partsIgnored > 0)
        out += ": used part " + std::to_string(partIndex + 1) + ", ignored " + std::to_string(partsIgnored) + " other part(s)";
    add(chordNotesDropped, "lower chord note(s) dropped (the highest note of each onset kept)");
    add(notesShortened, "note(s) cut where the next note starts (made monophonic)");
    add(notesMerged, "note(s) dropped that started within the same 16th as the previous one");
    add(notesMoved, "note(s) moved onto the 16th grid");
    if (!silenceDropped.isZero()) out += std::string(out == "seed" ? ": " : "; ") + "silence before the first note dropped";
    return out == "seed" ? "seed: used as written" : out;
}

Result<ScoreSeed> seedFromScore(const Score& score, Rational step) {
    ScoreSeed seed;
    int chosen = -1;
    for (size_t p = 0; p < score.parts.size(); ++p) {
        if (score.parts[p].notes.empty()) continue;
        if (chosen < 0) chosen = static_cast<int>(p);
        else ++seed.reduction.partsIgnored;
    }
    if (chosen < 0) return makeError("the file has no notes to start a melody from");
    seed.reduction.partIndex = chosen;
    std::vector<Note> notes = score.parts[static_cast<size_t>(chosen)].notes;
    std::stable_sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) {
        return a.onset != b.onset ? a.onset < b.onset : a.pitch > b.pitch;  // highest first at an onset
    });
    std::vector<GridNote> line;
    for (size_t i = 0; i < notes.size(); ++i) {
        const Note& note = notes[i];
        if (i > 0 && notes[i - 1].onset == note.onset) {
            ++seed.reduction.chordNotesDropped;
            continue;
        }
        GridNote grid{note.pitch, nearestStep(note.onset, step), nearestStep(note.end(), step)};
        if (Rational(grid.start) * step != note.onset || Rational(grid.end) * step != note.end()) ++seed.reduction.notesMoved;
        grid.end = std::max(grid.end, grid.start + 1);
        if (!line.empty() && grid.start <= line.back().start) {
            ++seed.reduction.notesMerged;
            continue;
        }
        if (!line.empty() && line.back().end > grid.start) {
            line.back().end = grid.start;
            ++seed.reduction.notesShortened;
        }
        line.push_back(grid);
    }
    seed.reduction.silenceDropped = notes.front().onset;
    int64_t time = line.front().start;
    for (const GridNote& note : line) {
        if (note.start > time) {  // a gap: a rest
            seed.symbols.emplace_back(kRestSymbol);
            for (int64_t t = time + 1; t < note.start; ++t) seed.symbols.emplace_back(kHoldSymbol);
        }
        seed.symbols.push_back(std::to_string(note.pitch));
        for (int64_t t = note.start + 1; t < note.end; ++t) seed.symbols.emplace_back(kHoldSymbol);
        time = note.end;
    }
    return seed;
}

Result<ScoreSeed> readSeedFile(const std::string& path, Rational step) {
    Result<Score> score = readScoreFile(path);
    if (!score) return makeError(score.error());
    Result<ScoreSeed> seed = seedFromScore(*score, step);
    if (!seed) return makeError(path + ": " + seed.error());
    return seed;
}

}  // namespace melodist::engine

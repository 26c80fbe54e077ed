// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A tiny real training corpus for the LibTorch net tests: the kern songs of
// tests/data/corpus through the seeds' preprocessing (and 4 transposed copies each), as
// one id stream with 8 "/" between songs, like the seeds' single-file dataset. Header-only;
// test threads only.

#include "engine/io/ScoreFile.h"
#include "engine/music/SeedPreprocessing.h"
#include "engine/music/StepEncoding.h"
#include "engine/music/Vocabulary.h"

#include <QString>
#include <QtGlobal>

#include <cstdint>
#include <string>
#include <vector>

namespace melodist::test {

struct NetTestCorpus {
    engine::Vocabulary vocabulary;       // "/" is id 0 (Vocabulary::fromSymbols)
    std::vector<int64_t> ids;            // every song, each followed by 8 "/"
    std::vector<std::string> firstSong;  // the first song's symbols
};

inline NetTestCorpus loadNetTestCorpus() {
    const std::string dir = qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/corpus/";
    std::vector<std::string> symbols;
    NetTestCorpus corpus;
    for (const char* name : {"c-major.krn", "major-g.krn", "minor-d.krn"}) {
        engine::Result<engine::Score> score = engine::readScoreFile(dir + name);
        if (!score) qFatal("%s", score.error().c_str());
        std::vector<int> shifts = {0};
        for (const int shift : engine::augmentationShifts(*score, 4, 48, 84)) shifts.push_back(shift);
        for (const int shift : shifts) {
            engine::Result<engine::Score> moved = engine::transposeScore(*score, shift);
            if (!moved) qFatal("%s", moved.error().c_str());
            engine::SeedSong song = engine::preprocessForSeeds(*moved, {.transpose = false});
            if (!song.kept) qFatal("%s: %s", name, song.detail.c_str());
            if (corpus.firstSong.empty()) corpus.firstSong = song.symbols;
            symbols.insert(symbols.end(), song.symbols.begin(), song.symbols.end());
            symbols.insert(symbols.end(), 8, std::string(engine::kSongDelimiterSymbol));
        }
    }
    corpus.vocabulary = engine::Vocabulary::fromSymbols(symbols);
    engine::Result<std::vector<int>> ids = corpus.vocabulary.toIds(symbols);
    if (!ids) qFatal("%s", ids.error().c_str());
    corpus.ids.assign(ids->begin(), ids->end());
    return corpus;
}

}  // namespace melodist::test

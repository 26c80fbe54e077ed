// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PreprocessOptions: what `melodist preprocess` reads, how it encodes it and where the
// dataset goes. The options that change the dataset (outputFingerprint) are stored in
// manifest.json: a cached dataset is reused only when they are equal. Plain value type.

#include "engine/music/Rational.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace melodist::training {

enum class DatasetEncoding {
    Steps,   // the seeds': one symbol per time step, pitch or "r" then "_" while it holds
    Chords,  // chord symbols per time step (engine/music/ChordEncoding.h), for polyphonic music
};

struct PreprocessOptions {
    std::vector<std::string> inputs;  // files and folders
    std::string outputDir;
    DatasetEncoding encoding = DatasetEncoding::Steps;
    // Steps: songs with any note or rest duration (quarter notes) outside this list are
    // skipped (the seeds' list). Chords quantise instead and ignore it.
    std::vector<engine::Rational> acceptedDurations = {
        engine::Rational(1, 4), engine::Rational(1, 2), engine::Rational(3, 4), engine::Rational(1),
        engine::Rational(3, 2), engine::Rational(2),    engine::Rational(3),    engine::Rational(4)};
    bool transpose = true;  // to C major / A minor, the seeds' way
    int augmentCopies = 0;  // extra transposed copies of each song
    // Quarter notes per symbol (steps) or the quantisation grid (chords); 0 = the
    // encoding's own: 1/4 for both (steps: the seeds'; chords: 16ths, triplets rounded --
    // a finer grid multiplies the tokens of piano music without making them learnable).
    engine::Rational timeStep = 0;
    // Chords: longer gaps between onsets are cut into rests of at most this (a bounded vocabulary).
    engine::Rational chordMaxStep = 2;
    // Chords: tokens seen fewer times over the whole dataset become the nearest frequent
    // one (engine/music/ChordVocabulary.h; reported in manifest.json "chord_vocabulary").
    // 0 or 1: every token is kept.
    uint64_t chordMinCount = 0;
    int delimiterLength = 64;  // "/" symbols between songs in file_dataset (the seeds' sequence length)
    int jobs = 0;              // threads; 0 = hardware threads. Never changes the output.
    bool force = false;        // rebuild even when the cache is up to date

    engine::Rational effectiveTimeStep() const;
    // The options that decide the output (not inputs, outputDir, jobs, force), as JSON.
    nlohmann::json outputFingerprint() const;
};

const char* encodingName(DatasetEncoding encoding);

}  // namespace melodist::training

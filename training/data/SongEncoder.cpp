// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/SongEncoder.h"

#include "engine/music/ChordEncoding.h"
#include "engine/music/SeedPreprocessing.h"
#include "engine/music/StepEncoding.h"

#include <charconv>

namespace melodist::training {
namespace {

FileOutcome skipped(std::string category, std::string reason) {
    FileOutcome outcome;
    outcome.status = FileStatus::Skipped;
    outcome.category = std::move(category);
    outcome.reason = std::move(reason);
    return outcome;
}

const char* skipCategory(engine::SeedSkipReason reason) {
    switch (reason) {
        case engine::SeedSkipReason::UnacceptableDuration:
            return "durations";
        case engine::SeedSkipReason::NoNotes:
            return "no notes";
        case engine::SeedSkipReason::OutOfRange:
            return "pitch range";
        case engine::SeedSkipReason::None:
            break;
    }
    return "other";
}

void addSong(FileOutcome& outcome, std::string song, size_t symbolCount) {
    outcome.steps += symbolCount;
    outcome.songs.push_back(std::move(song));
}

// A step-encoded song moved by `shift` semitones: only the pitch symbols change, so
// there is no need to transpose and encode the score again.
std::string shiftStepSymbols(const std::vector<std::string>& symbols, int shift) {
    std::string line;
    line.reserve(symbols.size() * 3);
    for (const std::string& symbol : symbols) {
        if (!line.empty()) line += ' ';
        int pitch = 0;
        const auto [end, error] = std::from_chars(symbol.data(), symbol.data() + symbol.size(), pitch);
        if (error == std::errc() && end == symbol.data() + symbol.size())
            line += std::to_string(pitch + shift);
        else
            line += symbol;
    }
    return line;
}

FileOutcome encodeWithSteps(const engine::Score& score, const std::string& sourceName,
                            const PreprocessOptions& options) {
    engine::SeedPreprocessOptions seedOptions;
    seedOptions.acceptableDurations = options.acceptedDurations;
    seedOptions.step = options.effectiveTimeStep();
    seedOptions.transpose = options.transpose;
    const engine::SeedSong song = engine::preprocessForSeeds(score, seedOptions);
    if (!song.kept) return skipped(skipCategory(song.reason), sourceName + ": " + song.detail);
    if (song.symbols.empty())
        return skipped("no notes", sourceName + ": every note is shorter than one time step of " +
                                       seedOptions.step.toString() + " quarter notes");
    FileOutcome outcome;
    outcome.status = FileStatus::Kept;
    addSong(outcome, engine::joinSymbols(song.symbols), song.symbols.size());
    if (options.augmentCopies > 0) {
        const auto moved = engine::transposeScore(score, song.shift);
        if (moved)
            for (const int shift : engine::augmentationShifts(*moved, options.augmentCopies))
                addSong(outcome, shiftStepSymbols(song.symbols, shift), song.symbols.size());
    }
    return outcome;
}

FileOutcome encodeWithChords(const engine::Score& score, const std::string& sourceName,
                             const PreprocessOptions& options) {
    if (score.noteCount() == 0) return skipped("no notes", sourceName + ": the score has no notes");
    int shift = 0;
    if (options.transpose)
        if (const auto key = engine::seedKey(score)) shift = engine::seedTranspositionShift(key->key);
    auto moved = engine::transposeScore(score, shift);
    if (!moved) return skipped("pitch range", sourceName + ": " + moved.error());
    const engine::ChordEncodingOptions chordOptions{.grid = options.effectiveTimeStep(),
                                                    .maxStep = options.chordMaxStep};
    FileOutcome outcome;
    outcome.status = FileStatus::Kept;
    const auto tokens = engine::encodeChords(*moved, chordOptions);
    addSong(outcome, engine::joinSymbols(tokens), tokens.size());
    if (options.augmentCopies > 0)
        for (const int extra : engine::augmentationShifts(*moved, options.augmentCopies)) {
            const auto copy = engine::transposeScore(*moved, extra);
            if (!copy) continue;
            const auto copyTokens = engine::encodeChords(*copy, chordOptions);
            addSong(outcome, engine::joinSymbols(copyTokens), copyTokens.size());
        }
    return outcome;
}

}  // namespace

FileOutcome encodeSongs(const engine::Score& score, const std::string& sourceName, const PreprocessOptions& options) {
    return options.encoding == DatasetEncoding::Chords ? encodeWithChords(score, sourceName, options)
                                                       : encodeWithSteps(score, sourceName, options);
}

}  // namespace melodist::training

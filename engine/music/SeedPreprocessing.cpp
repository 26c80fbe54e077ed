// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/music/SeedPreprocessing.h"

#include "engine/music/KeyEstimation.h"
#include "engine/music/StepEncoding.h"

#include <algorithm>

namespace melodist::engine {
namespace {

bool isAcceptable(Rational duration, std::span<const Rational> acceptable) {
    return std::find(acceptable.begin(), acceptable.end(), duration) != acceptable.end();
}

int fifthsOfKey(Key key) {
    const int majorTonic = key.mode == Mode::Major ? key.tonic : (key.tonic + 3) % 12;
    const int fifths = (majorTonic * 7) % 12;
    return fifths > 6 ? fifths - 12 : fifths;
}

}  // namespace

std::optional<UnacceptableDuration> firstUnacceptableDuration(const Part& part, std::span<const Rational> acceptable) {
    std::optional<UnacceptableDuration> first;
    auto consider = [&](Rational onset, Rational duration) {
        if (!isAcceptable(duration, acceptable) && (!first || onset < first->onset)) first = UnacceptableDuration{onset, duration};
    };
    for (const Rest& rest : part.rests) consider(rest.onset, rest.duration);
    for (const Note& note : part.notes) {
        if (note.tiedParts.empty()) {
            consider(note.onset, note.duration);
            continue;
        }
        Rational onset = note.onset;
        for (const Rational& written : note.tiedParts) {
            consider(onset, written);
            onset += written;
        }
    }
    return first;
}

int seedTranspositionShift(Key key) {
    const int tonic = ((key.tonic % 12) + 12) % 12;
    return key.mode == Mode::Major ? -tonic : 9 - tonic;
}

std::optional<SeedKey> seedKey(const Score& score) {
    if (const std::optional<Key> declared = score.declaredKey()) return SeedKey{*declared, false};
    if (const std::optional<KeyEstimate> estimate = estimateKey(score)) return SeedKey{estimate->key, true};
    return std::nullopt;
}

Result<Score> transposeScore(const Score& score, int semitones) {
    Score out = score;
    for (Part& part : out.parts) {
        for (Note& note : part.notes) {
            const int pitch = note.pitch + semitones;
            if (pitch < 0 || pitch > 127)
                return makeError("transposing by " + std::to_string(semitones) + " semitones moves the note at quarter " +
                                 note.onset.toString() + " to MIDI " + std::to_string(pitch) + ", outside 0..127");
            note.pitch = pitch;
        }
    }
    for (KeyChange& change : out.keys) {
        change.key.tonic = ((change.key.tonic + semitones) % 12 + 12) % 12;
        change.fifths = fifthsOfKey(change.key);
    }
    return out;
}

std::vector<int> augmentationShifts(const Score& score, int maxCount, int lowestPitch, int highestPitch) {
    int lowest = 128, highest = -1;
    for (const Part& part : score.parts) {
        for (const Note& note : part.notes) {
            lowest = std::min(lowest, note.pitch);
            highest = std::max(highest, note.pitch);
        }
    }
    std::vector<int> shifts;
    if (highest < 0) return shifts;
    for (int distance = 1; distance <= 6 && static_cast<int>(shifts.size()) < maxCount; ++distance) {
        for (const int shift : {distance, -distance}) {
            if (shift == -6) continue;  // +6 and -6 reach the same key
            if (static_cast<int>(shifts.size()) >= maxCount) break;
            if (lowest + shift >= lowestPitch && highest + shift <= highestPitch) shifts.push_back(shift);
        }
    }
    return shifts;
}

std::string toString(SeedSkipReason reason) {
    switch (reason) {
        case SeedSkipReason::None: return "kept";
        case SeedSkipReason::UnacceptableDuration: return "unacceptable duration";
        case SeedSkipReason::NoNotes: return "no notes";
        case SeedSkipReason::OutOfRange: return "out of MIDI range after transposition";
    }
    return "unknown";
}

SeedSong preprocessForSeeds(const Score& score, const SeedPreprocessOptions& options) {
    SeedSong song;
    if (options.partIndex < 0 || static_cast<size_t>(options.partIndex) >= score.parts.size() ||
        score.parts[static_cast<size_t>(options.partIndex)].notes.empty()) {
        song.reason = SeedSkipReason::NoNotes;
        song.detail = "the song has no notes in part " + std::to_string(options.partIndex);
        return song;
    }
    const Part& part = score.parts[static_cast<size_t>(options.partIndex)];
    if (const auto bad = firstUnacceptableDuration(part, options.acceptableDurations)) {
        song.reason = SeedSkipReason::UnacceptableDuration;
        song.detail = "duration " + bad->duration.toString() + " quarter notes at quarter " + bad->onset.toString() +
                      " is not an acceptable duration";
        return song;
    }
    song.key = seedKey(score);
    song.shift = options.transpose && song.key ? seedTranspositionShift(song.key->key) : 0;
    Result<Score> moved = transposeScore(score, song.shift);
    if (!moved) {
        song.reason = SeedSkipReason::OutOfRange;
        song.detail = moved.error();
        return song;
    }
    song.symbols = encodeSteps(moved->parts[static_cast<size_t>(options.partIndex)], options.step);
    song.kept = true;
    return song;
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/RollGeneration.h"

#include "engine/generation/MelodyGenerator.h"
#include "engine/music/ChordEncoding.h"

#include <algorithm>

namespace melodist::engine {
namespace {

GridSegment emptySegment(Rational start, Rational step) {
    GridSegment segment;
    segment.start = start;
    segment.step = step;
    return segment;
}

Score scoreOf(std::vector<Note> notes) {
    Score score;
    score.parts.emplace_back().name = "Melody";
    score.parts[0].notes = std::move(notes);
    score.sort();
    return score;
}

// The notes starting in [from, to) (nullopt: no bound), cut at `to`, without tied parts.
std::vector<Note> notesIn(std::span<const Note> notes, std::optional<Rational> from, std::optional<Rational> to) {
    std::vector<Note> out;
    for (const Note& note : notes) {
        if ((from && note.onset < *from) || (to && !(note.onset < *to)) || !(Rational(0) < note.duration)) continue;
        Note kept = note.withDuration(to && *to < note.end() ? *to - note.onset : note.duration);
        out.push_back(std::move(kept));
    }
    return out;
}

void appendRest(std::vector<std::string>& symbols, int64_t steps) {
    for (int64_t s = 0; s < steps; ++s) symbols.emplace_back(s == 0 ? kRestSymbol : kHoldSymbol);
}

// Drops a leading rest (and its holds), moving the segment's start past it.
void dropLeadingSilence(GridSegment& segment) {
    size_t silent = 0;
    if (!segment.symbols.empty() && segment.symbols[0] == kRestSymbol) {
        silent = 1;
        while (silent < segment.symbols.size() && segment.symbols[silent] == kHoldSymbol) ++silent;
    }
    segment.symbols.erase(segment.symbols.begin(), segment.symbols.begin() + static_cast<ptrdiff_t>(silent));
    segment.start += segment.step * Rational(static_cast<int64_t>(silent));
}

Rational latestEnd(std::span<const Note> notes) {
    Rational end;
    for (const Note& note : notes) end = std::max(end, note.end());
    return end;
}

Rational earliestOnset(std::span<const Note> notes) {
    Rational first = notes.front().onset;
    for (const Note& note : notes) first = std::min(first, note.onset);
    return first;
}

// Notes at `offset` onwards, those starting `limit` or more after it dropped and the rest
// cut there.
std::vector<Note> placed(const std::vector<Note>& decoded, Rational from, Rational offset, std::optional<Rational> limit) {
    std::vector<Note> out;
    for (const Note& note : decoded) {
        if (note.onset < from) continue;
        Note moved = note.withOnset(note.onset - from + offset);
        if (limit) {
            const Rational end = offset + *limit;
            if (!(moved.onset < end)) continue;
            if (end < moved.end()) moved = moved.withDuration(end - moved.onset);
        }
        moved.tiedParts.clear();
        out.push_back(std::move(moved));
    }
    return out;
}

}  // namespace

Rational floorToGrid(Rational t, Rational step) { return step * Rational((t / step).floor()); }

Rational ceilToGrid(Rational t, Rational step) {
    const Rational down = floorToGrid(t, step);
    return down == t ? t : down + step;
}

Rational nearestOnGrid(Rational t, Rational step) { return step * Rational((t / step + Rational(1, 2)).floor()); }

GridSegment encodeNotesOnGrid(std::span<const Note> notes, Rational from, Rational to, Rational step) {
    GridSegment segment = emptySegment(from, step);
    if (!(from < to) || !(Rational(0) < step)) return segment;
    const int64_t length = ((to - from) / step).floor();
    std::vector<Note> inside = notesIn(notes, from, to);
    for (Note& note : inside) note.onset -= from;  // the grid starts at `from`
    if (!inside.empty()) {
        Result<ScoreSeed> seed = seedFromScore(scoreOf(inside), step);
        if (seed) {  // it has notes, so it cannot fail
            const Rational firstOnset = earliestOnset(inside);
            appendRest(segment.symbols, (firstOnset / step + Rational(1, 2)).floor());
            segment.symbols.insert(segment.symbols.end(), seed->symbols.begin(), seed->symbols.end());
            segment.reduction = seed->reduction;
            segment.reduction.silenceDropped = Rational(0);  // kept, as a rest
        }
    }
    if (static_cast<int64_t>(segment.symbols.size()) > length) segment.symbols.resize(static_cast<size_t>(length));
    appendRest(segment.symbols, length - static_cast<int64_t>(segment.symbols.size()));
    return segment;
}

GridSegment continuationSeed(std::span<const Note> notes, std::optional<Rational> until, Rational step) {
    const std::vector<Note> used = notesIn(notes, std::nullopt, until);
    if (used.empty()) return emptySegment(until.value_or(Rational(0)), step);
    const Rational from = floorToGrid(earliestOnset(used), step);
    const Rational to = ceilToGrid(until.value_or(latestEnd(used)), step);
    GridSegment seed = encodeNotesOnGrid(used, from, to, step);
    dropLeadingSilence(seed);
    return seed;
}

Result<std::vector<Note>> continuationNotes(const GridSegment& seed, std::span<const std::string> melody,
                                            std::optional<Rational> lengthLimit) {
    Result<Part> decoded = decodeGeneratedMelody(melody);
    if (!decoded) return makeError(decoded.error());
    const Rational seedLength = seed.step * Rational(static_cast<int64_t>(seed.symbols.size()));
    return placed(decoded->notes, seedLength, seed.end(), lengthLimit);
}

RollRegion rollRegion(std::span<const Note> notes, Rational start, Rational end, Rational step) {
    RollRegion region;
    region.start = floorToGrid(start, step);
    region.end = std::max(ceilToGrid(end, step), region.start + step);
    region.before = emptySegment(region.start, step);
    region.after = emptySegment(region.end, step);
    const std::vector<Note> before = notesIn(notes, std::nullopt, region.start);
    if (!before.empty()) {
        region.before = encodeNotesOnGrid(before, floorToGrid(earliestOnset(before), step), region.start, step);
        dropLeadingSilence(region.before);
    }
    const std::vector<Note> after = notesIn(notes, region.end, std::nullopt);
    if (!after.empty()) region.after = encodeNotesOnGrid(after, region.end, ceilToGrid(latestEnd(after), step), step);
    return region;
}

Result<std::vector<Note>> regionFillNotes(const RollRegion& region, std::span<const std::string> fill) {
    Result<Part> decoded = decodeGeneratedMelody(fill);
    if (!decoded) return makeError(decoded.error());
    return placed(decoded->notes, Rational(0), region.start, region.end - region.start);
}

Result<ChordContinuationSeed> chordContinuationSeed(const MelodyModel& model, std::span<const Note> notes,
                                                    std::optional<Rational> until, bool normaliseKey) {
    const std::vector<Note> used = notesIn(notes, std::nullopt, until);
    ChordContinuationSeed out;
    if (used.empty()) {
        Result<ChordSeed> empty = fitChordSeed(model, {}, normaliseKey);
        if (!empty) return makeError(empty.error());
        out.seed = std::move(*empty);
        out.start = out.end = until.value_or(Rational(0));
        return out;
    }
    Result<ChordSeed> seed = chordSeedFromScore(model, scoreOf(used), normaliseKey);
    if (!seed) return makeError(seed.error());
    out.seed = std::move(*seed);
    out.start = nearestOnGrid(earliestOnset(used), chordOptionsOf(model.metadata()).grid);
    out.end = out.start;
    for (const std::string& token : out.seed.tokens)
        if (Result<ChordToken> parsed = parseChordToken(token)) out.end += parsed->step;
    return out;
}

Result<std::vector<Note>> chordContinuationNotes(const ChordContinuationSeed& seed, std::span<const std::string> melody,
                                                 std::optional<Rational> lengthLimit) {
    const size_t skip = std::min(seed.seed.tokens.size(), melody.size());
    Result<Part> decoded = decodeGeneratedChords(melody.subspan(skip), seed.seed.shift);
    if (!decoded) return makeError(decoded.error());
    return placed(decoded->notes, Rational(0), seed.end, lengthLimit);
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/io/MusicXmlLayout.h"

#include <algorithm>
#include <numeric>

namespace melodist::engine {
namespace {

// A score with notes absurdly far out would otherwise ask for billions of measures.
constexpr size_t kMaxMeasures = 200000;
// Tuplets beyond this many notes in the time of a power of two are not written as
// tuplets (the notes keep exact <duration>s but get the nearest plain note type).
constexpr int64_t kMaxTupletActual = 1023;

struct NoteValue {
    Rational length;  // in quarter notes
    const char* type;
    int dots;
};

// Every drawable note value, longest first: breve .. 1024th, plain, dotted, double dotted.
const std::vector<NoteValue>& noteValues() {
    static const std::vector<NoteValue> kValues = [] {
        const char* types[] = {"breve", "whole", "half", "quarter", "eighth", "16th",
                               "32nd",  "64th",  "128th", "256th", "512th", "1024th"};
        std::vector<NoteValue> values;
        Rational base = 8;
        for (const char* type : types) {
            values.push_back({base, type, 0});
            if (base >= Rational(1, 128)) values.push_back({base * Rational(3, 2), type, 1});
            if (base >= Rational(1, 64)) values.push_back({base * Rational(7, 4), type, 2});
            base /= 2;
        }
        std::stable_sort(values.begin(), values.end(), [](const NoteValue& a, const NoteValue& b) { return a.length > b.length; });
        return values;
    }();
    return kValues;
}

// `length` as drawable values, longest first (greedy is exact for any multiple of a
// 1024th). Whatever finer is left becomes one 1024th-typed value of that length.
std::vector<NoteValue> decompose(Rational length) {
    std::vector<NoteValue> pieces;
    while (length > Rational(0)) {
        const auto& values = noteValues();
        const auto fit = std::find_if(values.begin(), values.end(), [&](const NoteValue& v) { return v.length <= length; });
        if (fit == values.end()) {
            pieces.push_back({length, "1024th", 0});
            break;
        }
        pieces.push_back(*fit);
        length -= fit->length;
    }
    return pieces;
}

int64_t oddPart(int64_t value) {
    while (value > 0 && value % 2 == 0) value /= 2;
    return value;
}

int64_t largestPowerOfTwoBelow(int64_t value) {
    int64_t power = 1;
    while (power * 2 < value) power *= 2;
    return power;
}

// Notes of one part that start together and last equally long: written as one chord.
struct Group {
    Rational onset;
    Rational duration;
    std::vector<std::pair<int, int>> pitches;  // (pitch, velocity)
    std::vector<Rational> cuts;                // where the source wrote ties (tiedParts)
    Rational end() const { return onset + duration; }
};

// A stretch of one voice in one measure: part of a group, or a rest (group == nullptr).
struct Segment {
    Rational start;
    Rational end;
    const Group* group = nullptr;
    bool tieStop = false;
    bool tieStart = false;
};

struct TupletWindow {
    Rational start;
    Rational end;
    int64_t actual = 1;
    int64_t normal = 1;
};

void splitAt(std::vector<Segment>& segments, Rational time) {
    for (size_t i = 0; i < segments.size(); ++i) {
        if (segments[i].start < time && time < segments[i].end) {
            Segment second = segments[i];
            second.start = time;
            segments[i].end = time;
            if (segments[i].group) {
                segments[i].tieStart = true;
                second.tieStop = true;
            }
            segments.insert(segments.begin() + static_cast<ptrdiff_t>(i) + 1, second);
            return;
        }
    }
}

// The tuplet that writes every boundary in [start, end] exactly (1: none needed).
int64_t tupletFactor(const std::vector<Rational>& bounds, Rational start, Rational end) {
    int64_t factor = 1;
    for (const Rational& bound : bounds) {
        if (bound < start || bound > end) continue;
        factor = std::lcm(factor, oddPart((bound - start).den()));
        if (factor > kMaxTupletActual) return 1;
    }
    return factor;
}

// Tuplet windows of a measure: each beat (quarter) whose boundaries are not all on
// a binary grid becomes a tuplet; a tuplet note crossing into the next beat
// (quarter-note triplets) makes the two beats one window.
std::vector<TupletWindow> tupletWindows(const std::vector<Segment>& segments, Rational measureStart, Rational measureEnd) {
    std::vector<Rational> bounds;
    for (const Segment& segment : segments) {
        bounds.push_back(segment.start);
        bounds.push_back(segment.end);
    }
    std::vector<TupletWindow> windows;
    for (Rational start = measureStart; start < measureEnd;) {
        const Rational end = std::min(start + 1, measureEnd);
        const int64_t factor = tupletFactor(bounds, start, end);
        const bool crossesMiddle = std::find(bounds.begin(), bounds.end(), start + 1) == bounds.end();
        if (factor > 1 && crossesMiddle && start + 2 <= measureEnd) {
            const int64_t pairFactor = tupletFactor(bounds, start, start + 2);
            if (pairFactor > 1) {
                windows.push_back({start, start + 2, pairFactor, largestPowerOfTwoBelow(pairFactor)});
                start += 2;
                continue;
            }
        }
        if (factor > 1) windows.push_back({start, end, factor, largestPowerOfTwoBelow(factor)});
        start = end;
    }
    return windows;
}

std::vector<WrittenNote> writeSegments(const std::vector<Segment>& segments, const std::vector<TupletWindow>& windows,
                                       bool invisibleRests) {
    std::vector<WrittenNote> written;
    for (const Segment& segment : segments) {
        const auto window = std::find_if(windows.begin(), windows.end(), [&](const TupletWindow& w) {
            return w.start <= segment.start && segment.start < w.end;
        });
        const int64_t actual = window == windows.end() ? 1 : window->actual;
        const int64_t normal = window == windows.end() ? 1 : window->normal;
        const std::vector<NoteValue> pieces = decompose((segment.end - segment.start) * Rational(actual, normal));
        Rational start = segment.start;
        for (size_t i = 0; i < pieces.size(); ++i) {
            WrittenNote note;
            if (segment.group) note.pitches = segment.group->pitches;
            note.start = start;
            note.duration = pieces[i].length * Rational(normal, actual);
            note.type = pieces[i].type;
            note.dots = pieces[i].dots;
            note.tupletActual = static_cast<int>(actual);
            note.tupletNormal = static_cast<int>(normal);
            if (window != windows.end()) {
                note.tupletStart = start == window->start;
                note.tupletStop = start + note.duration == window->end;
            }
            if (segment.group) {
                note.tieStop = i > 0 || segment.tieStop;
                note.tieStart = i + 1 < pieces.size() || segment.tieStart;
            }
            note.invisible = !segment.group && invisibleRests;
            start += note.duration;
            written.push_back(std::move(note));
        }
    }
    return written;
}

std::vector<Group> groupNotes(const Part& part) {
    std::vector<Note> notes;
    for (const Note& note : part.notes)
        if (note.pitch >= 0 && note.pitch <= 127 && note.duration > Rational(0) && note.onset >= Rational(0))
            notes.push_back(note);
    std::stable_sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) {
        if (a.onset != b.onset) return a.onset < b.onset;
        if (a.duration != b.duration) return a.duration > b.duration;
        return a.pitch < b.pitch;
    });
    std::vector<Group> groups;
    for (const Note& note : notes) {
        if (groups.empty() || groups.back().onset != note.onset || groups.back().duration != note.duration)
            groups.push_back({note.onset, note.duration, {}, {}});
        Group& group = groups.back();
        const int velocity = std::clamp(note.velocity, 1, 127);
        if (group.pitches.empty() || group.pitches.back().first != note.pitch) group.pitches.emplace_back(note.pitch, velocity);
        Rational sum;
        for (const Rational& part : note.tiedParts) sum += part;
        if (sum != note.duration) continue;  // inconsistent tiedParts: ignore them
        Rational cut = note.onset;
        for (size_t i = 0; i + 1 < note.tiedParts.size(); ++i) group.cuts.push_back(cut += note.tiedParts[i]);
    }
    return groups;
}

}  // namespace

std::vector<WrittenMeasure> layoutMeasures(const Score& score, Rational end) {
    std::vector<MeterChange> meters = score.meters;
    for (MeterChange& meter : meters) meter.onset = std::max(meter.onset, Rational(0));
    std::stable_sort(meters.begin(), meters.end(), [](const MeterChange& a, const MeterChange& b) { return a.onset < b.onset; });
    MeterChange current;
    size_t next = 0;
    std::vector<WrittenMeasure> measures;
    Rational position;
    bool timeChanged = true;
    do {
        for (; next < meters.size() && meters[next].onset <= position; ++next) {
            current = meters[next];
            timeChanged = true;
        }
        // Free meters (numerator 0) and nonsense are barred as 4/4.
        const bool regular = current.numerator > 0 && current.denominator > 0 && current.numerator <= 1000 &&
                             current.denominator <= 1024;
        Rational measureEnd = position + (regular ? Rational(current.numerator * 4, current.denominator) : Rational(4));
        if (next < meters.size() && meters[next].onset < measureEnd) measureEnd = meters[next].onset;
        WrittenMeasure measure;
        measure.start = position;
        measure.length = measureEnd - position;
        if (timeChanged) measure.time = MeterChange{position, current.numerator, current.denominator};
        timeChanged = false;
        measures.push_back(std::move(measure));
        position = measureEnd;
    } while (position < end && measures.size() < kMaxMeasures);
    return measures;
}

void layoutPart(const Part& part, const std::vector<Rational>& cuts, std::vector<WrittenMeasure>& measures) {
    // Overlapping groups go to the first voice that is free when they start.
    std::vector<std::vector<Group>> voices(1);
    for (Group& group : groupNotes(part)) {
        auto voice = std::find_if(voices.begin(), voices.end(),
                                  [&](const std::vector<Group>& v) { return v.empty() || v.back().end() <= group.onset; });
        if (voice == voices.end()) voice = voices.insert(voices.end(), std::vector<Group>{});
        voice->push_back(std::move(group));
    }
    std::vector<size_t> cursors(voices.size(), 0);
    for (WrittenMeasure& measure : measures) {
        const Rational measureStart = measure.start, measureEnd = measure.start + measure.length;
        measure.voices.clear();
        for (size_t v = 0; v < voices.size(); ++v) {
            const std::vector<Group>& groups = voices[v];
            size_t& cursor = cursors[v];
            while (cursor < groups.size() && groups[cursor].end() <= measureStart) ++cursor;
            std::vector<Segment> segments;
            Rational time = measureStart;
            for (size_t g = cursor; g < groups.size() && groups[g].onset < measureEnd; ++g) {
                const Rational start = std::max(groups[g].onset, measureStart);
                const Rational end = std::min(groups[g].end(), measureEnd);
                if (time < start) segments.push_back({time, start});
                segments.push_back({start, end, &groups[g], groups[g].onset < start, groups[g].end() > end});
                time = end;
            }
            const bool empty = segments.empty();
            if (empty && v > 0) {
                measure.voices.emplace_back();
                continue;
            }
            if (time < measureEnd) segments.push_back({time, measureEnd});
            if (empty) {  // a whole-measure rest
                WrittenNote rest;
                rest.start = measureStart;
                rest.duration = measure.length;
                measure.voices.push_back({rest});
                continue;
            }
            for (size_t s = 0; s < segments.size(); ++s)
                if (segments[s].group)
                    for (const Rational& cut : segments[s].group->cuts) splitAt(segments, cut);
            if (v == 0)
                for (const Rational& cut : cuts) splitAt(segments, cut);
            const std::vector<TupletWindow> windows = tupletWindows(segments, measureStart, measureEnd);
            for (const TupletWindow& window : windows) {
                splitAt(segments, window.start);
                splitAt(segments, window.end);
            }
            measure.voices.push_back(writeSegments(segments, windows, v > 0));
        }
    }
}

}  // namespace melodist::engine

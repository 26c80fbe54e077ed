// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Quantizer: puts notes played in real time (seconds, TimedNote) on a musical grid
// (quarter notes, Note) at a fixed tempo. Onsets move to the nearest grid point by
// `strength` (1: onto it, 0.5: halfway, 0: not at all); durations become a whole number
// of grid steps, at least one, moved the same way. A pure value type; any thread.
//
//   Quantizer quantizer({.tempoBpm = 120, .grid = Rational(1, 4), .strength = 1.0});
//   std::vector<Note> notes = quantizer.quantize(recorded);   // 16th-note grid at 120 BPM
//
// Grids are in quarter notes: 1/4 = 16th notes, 1/2 = 8ths, 1/3 = 8th-note triplets,
// 1/6 = 16th-note triplets. What strength leaves off the grid is kept to 1/960 of a
// quarter note, so every time stays an exact Rational that a MIDI file can hold.

#include "engine/music/Note.h"
#include "engine/music/TimedNote.h"

#include <vector>

namespace melodist::engine {

struct QuantizeOptions {
    double tempoBpm = 120.0;          // quarter notes per minute, > 0
    Rational grid = Rational(1, 4);   // quarter notes per grid step, > 0
    double strength = 1.0;            // 0..1
    double originSeconds = 0.0;       // this moment becomes quarter note 0
};

class Quantizer {
public:
    static constexpr int kFineTicksPerQuarter = 960;

    explicit Quantizer(QuantizeOptions options);

    const QuantizeOptions& options() const { return m_options; }
    // Quarter notes since the origin (not quantized).
    double toQuarters(double seconds) const;
    // The quantized onset of something played at `seconds` (may be negative before the origin).
    Rational quantizeOnset(double seconds) const;
    // The quantized length of something held for `seconds`: at least one grid step.
    Rational quantizeDuration(double seconds) const;
    // Signed distance in seconds from the nearest grid point (how far off the beat it was played).
    double gridOffsetSeconds(double seconds) const;
    // Every note quantized, sorted by onset then pitch; onsets before the origin become 0.
    std::vector<Note> quantize(const std::vector<TimedNote>& played) const;

private:
    // `snapped` moved back towards `raw` by (1 - strength), kept on the fine tick grid.
    Rational blend(Rational snapped, double raw) const;

    QuantizeOptions m_options;
};

}  // namespace melodist::engine

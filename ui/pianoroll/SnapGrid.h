// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SnapGrid: the piano roll's grid choices (1/4 ... 1/32, the 1/8 and 1/16 triplets, Off)
// as exact steps in quarter notes, with the snapping arithmetic the editing tools share.
// Value functions; any thread (used by the UI thread only).
//
//   Rational step = snapStep(SnapGrid::SixteenthTriplet);  // 1/6 of a quarter
//   Rational onset = snapDown(Rational(7, 10), step);       // 2/3

#include "engine/music/Rational.h"

#include <array>
#include <cmath>

namespace melodist::ui {

enum class SnapGrid { Off, Quarter, Eighth, Sixteenth, ThirtySecond, EighthTriplet, SixteenthTriplet };

inline constexpr std::array<SnapGrid, 7> kSnapGrids = {SnapGrid::Off,          SnapGrid::Quarter,
                                                       SnapGrid::Eighth,       SnapGrid::Sixteenth,
                                                       SnapGrid::ThirtySecond, SnapGrid::EighthTriplet,
                                                       SnapGrid::SixteenthTriplet};

// With the grid Off, times still land on a fine grid (1/96 of a quarter, a multiple of
// every note value above), so the document's exact rationals stay small.
inline constexpr engine::Rational kFineStep{1, 96};

constexpr engine::Rational snapStep(SnapGrid grid) {
    switch (grid) {
    case SnapGrid::Off: return kFineStep;
    case SnapGrid::Quarter: return engine::Rational(1);
    case SnapGrid::Eighth: return engine::Rational(1, 2);
    case SnapGrid::Sixteenth: return engine::Rational(1, 4);
    case SnapGrid::ThirtySecond: return engine::Rational(1, 8);
    case SnapGrid::EighthTriplet: return engine::Rational(1, 3);
    case SnapGrid::SixteenthTriplet: return engine::Rational(1, 6);
    }
    return engine::Rational(1, 4);
}

// The length a plain click draws: one grid step (a 16th with the grid Off).
constexpr engine::Rational defaultNoteLength(SnapGrid grid) {
    return grid == SnapGrid::Off ? engine::Rational(1, 4) : snapStep(grid);
}

constexpr const char* snapLabel(SnapGrid grid) {
    switch (grid) {
    case SnapGrid::Off: return "Off";
    case SnapGrid::Quarter: return "1/4";
    case SnapGrid::Eighth: return "1/8";
    case SnapGrid::Sixteenth: return "1/16";
    case SnapGrid::ThirtySecond: return "1/32";
    case SnapGrid::EighthTriplet: return "1/8T";
    case SnapGrid::SixteenthTriplet: return "1/16T";
    }
    return "?";
}

// Multiples of `step` (> 0) from a time in quarter notes: the one at or before it, the
// nearest one.
inline engine::Rational snapDown(double quarters, engine::Rational step) {
    const double steps = std::floor(quarters / step.toDouble() + 1e-9);
    return step * engine::Rational(static_cast<int64_t>(steps));
}
inline engine::Rational snapNearest(double quarters, engine::Rational step) {
    const double steps = std::floor(quarters / step.toDouble() + 0.5);
    return step * engine::Rational(static_cast<int64_t>(steps));
}
inline engine::Rational snapDown(engine::Rational time, engine::Rational step) {
    return step * engine::Rational((time / step).floor());
}

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RollGrid: the vertical lines of the roll and its ruler -- bars, beats and the snap
// grid between them -- for a time window, thinned out as the zoom shrinks them (bars
// every 2, 4, 8 ... when they would be closer than a few pixels). Shared by RollPainter,
// PianoRollRuler and VelocityLane so they line up. Value functions; UI thread.
//
//   forEachGridLine(mapping, left, right, meter, step, [&](const GridLine& line) { ... });

#include "engine/music/Rational.h"
#include "ui/pianoroll/RollMapping.h"

#include <cmath>
#include <cstdint>

namespace melodist::ui {

struct GridLine {
    enum class Kind { Bar, Beat, Step };
    Kind kind = Kind::Bar;
    double quarters = 0;
    double x = 0;        // viewport pixels
    int64_t barIndex = 0; // 0-based bar the line is in (a bar line: the bar it starts)
};

struct RollMeter {
    engine::Rational barQuarters{4};   // quarter notes per bar
    engine::Rational beatQuarters{1};  // quarter notes per beat (4 / denominator)
    static RollMeter of(int numerator, int denominator) {
        return {engine::Rational(4 * numerator, denominator), engine::Rational(4, denominator)};
    }
};

// Lines with left <= x <= right, left to right. Bars every `barEvery` bars, at least
// `minBarSpacingPx` apart; beats when >= 5 px apart, the snap step when >= 6 px apart.
template <class Visit>
void forEachGridLine(const RollMapping& mapping, double left, double right, const RollMeter& meter,
                     engine::Rational step, Visit&& visit, double minBarSpacingPx = 4.0) {
    using engine::Rational;
    const double ppq = mapping.pixelsPerQuarter;
    const double from = std::max(0.0, mapping.quartersAt(left));
    const double to = mapping.quartersAt(right);
    if (to < from) return;
    Rational unit = meter.barQuarters;
    const bool showBeats = meter.beatQuarters.toDouble() * ppq >= 5.0;
    const bool showSteps = step.toDouble() * ppq >= 6.0 && step < meter.beatQuarters;
    if (showSteps) unit = step;
    else if (showBeats) unit = meter.beatQuarters;
    int64_t barEvery = 1;
    while (meter.barQuarters.toDouble() * ppq * static_cast<double>(barEvery) < minBarSpacingPx) barEvery *= 2;
    if (unit == meter.barQuarters) unit = meter.barQuarters * Rational(barEvery);
    const double unitQuarters = unit.toDouble();
    for (int64_t k = static_cast<int64_t>(std::floor(from / unitQuarters)); ; ++k) {
        const Rational t = unit * Rational(k);
        const double quarters = t.toDouble();
        if (quarters > to) break;
        const Rational inBars = t / meter.barQuarters;
        GridLine line;
        line.quarters = quarters;
        line.x = mapping.xFor(quarters);
        line.barIndex = inBars.floor();
        if (inBars.den() == 1) line.kind = GridLine::Kind::Bar;
        else if ((t / meter.beatQuarters).den() == 1) line.kind = GridLine::Kind::Beat;
        else line.kind = GridLine::Kind::Step;
        visit(line);
    }
}

}  // namespace melodist::ui

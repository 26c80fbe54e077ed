// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RollMapping: pixels <-> (time, pitch) for the piano roll and the strips beside it
// (keyboard, ruler, velocity lane), from the zoom and the scroll position. Time is in
// quarter notes; x and y are viewport pixels (x = 0 is the roll's left edge, which is
// time `scrollX / pixelsPerQuarter`). A value copied out of the view; any thread (the
// UI thread uses it).
//
//   RollMapping m = view->mapping();
//   double x = m.xFor(4.0);          // where bar 2 starts in 4/4
//   int pitch = m.pitchAt(y);        // the lane under y (clamped to 0..127)

#include <algorithm>
#include <cmath>

namespace melodist::ui {

struct RollMapping {
    static constexpr int kLowestPitch = 0;
    static constexpr int kHighestPitch = 127;
    static constexpr int kPitchCount = kHighestPitch - kLowestPitch + 1;

    double pixelsPerQuarter = 48.0;
    int laneHeightPx = 12;
    int scrollX = 0;  // content pixels scrolled off the left edge
    int scrollY = 0;  // content pixels scrolled off the top

    double xFor(double quarters) const { return quarters * pixelsPerQuarter - scrollX; }
    double quartersAt(double x) const { return (x + scrollX) / pixelsPerQuarter; }
    // Top of a pitch's lane in viewport pixels; its lane is laneHeightPx high.
    int laneTop(int pitch) const { return (kHighestPitch - pitch) * laneHeightPx - scrollY; }
    double laneCentre(int pitch) const { return laneTop(pitch) + laneHeightPx / 2.0; }
    int pitchAt(double y) const {
        const int row = static_cast<int>(std::floor((y + scrollY) / laneHeightPx));
        return std::clamp(kHighestPitch - row, kLowestPitch, kHighestPitch);
    }
    int contentHeight() const { return kPitchCount * laneHeightPx; }
};

}  // namespace melodist::ui

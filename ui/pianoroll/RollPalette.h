// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RollPalette: the piano roll's colours, light or dark after the widget's palette
// (dark when its window colour is dark), so the roll follows the system theme. Seed
// notes are blue, generated notes orange; velocity sets a note's brightness in eight
// steps, so painting batches notes by colour. UI thread; a value each paint makes.
//
//   const RollPalette colours = RollPalette::from(palette());
//   painter.fillRect(rect, colours.noteFill(/*generated=*/true, /*selected=*/false, velocity));

#include <QColor>
#include <QPalette>

namespace melodist::ui {

struct RollPalette {
    static constexpr int kVelocitySteps = 8;

    bool dark = false;
    QColor background;     // a white-key lane, or an in-scale lane
    QColor shadedLane;     // a black-key lane, or a lane outside the key's scale
    QColor scaleLane;      // an in-scale lane when a key is chosen
    QColor tonicLane;      // the key's tonic lane
    QColor octaveLine;
    QColor gridLine;       // the snap grid between beats
    QColor beatLine;
    QColor barLine;
    QColor seedNote;
    QColor generatedNote;
    QColor selectedOutline;
    QColor noteOutline;
    QColor loopShade;      // the loop region, over the lanes
    QColor loopEdge;
    QColor playhead;
    QColor rubberBand;
    QColor text;

    static RollPalette from(const QPalette& palette);
    static bool isDark(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }
    // 0 .. kVelocitySteps - 1
    static int velocityStep(int velocity) {
        const int v = velocity < 1 ? 1 : (velocity > 127 ? 127 : velocity);
        return (v - 1) * kVelocitySteps / 127;
    }
    QColor noteFill(bool generated, bool selected, int velocity) const;
    QColor noteFillForStep(bool generated, bool selected, int step) const;
};

}  // namespace melodist::ui

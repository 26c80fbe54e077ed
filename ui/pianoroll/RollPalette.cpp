// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/RollPalette.h"

namespace melodist::ui {
namespace {

QColor mix(const QColor& a, const QColor& b, double t) {  // t = 0: a, 1: b
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

}  // namespace

RollPalette RollPalette::from(const QPalette& palette) {
    RollPalette p;
    p.dark = isDark(palette);
    p.text = palette.color(QPalette::Text);
    if (p.dark) {
        p.background = QColor(0x2b, 0x2d, 0x31);
        p.shadedLane = QColor(0x22, 0x23, 0x27);
        p.scaleLane = QColor(0x30, 0x38, 0x42);
        p.tonicLane = QColor(0x36, 0x44, 0x54);
        p.octaveLine = QColor(0x55, 0x58, 0x60);
        p.gridLine = QColor(0x33, 0x35, 0x3a);
        p.beatLine = QColor(0x3c, 0x3f, 0x46);
        p.barLine = QColor(0x62, 0x66, 0x70);
        p.seedNote = QColor(0x5a, 0x9c, 0xf5);
        p.generatedNote = QColor(0xf5, 0x9e, 0x3c);
        p.selectedOutline = QColor(0xff, 0xff, 0xff);
        p.noteOutline = QColor(0x10, 0x10, 0x12);
        p.loopShade = QColor(0x7f, 0xc8, 0x7f, 28);
        p.loopEdge = QColor(0x7f, 0xc8, 0x7f);
        p.playhead = QColor(0xff, 0x5a, 0x5a);
        p.rubberBand = QColor(0xa0, 0xc8, 0xff);
    } else {
        p.background = QColor(0xfa, 0xfa, 0xfb);
        p.shadedLane = QColor(0xe6, 0xe8, 0xec);
        p.scaleLane = QColor(0xff, 0xff, 0xff);
        p.tonicLane = QColor(0xe8, 0xf1, 0xfc);
        p.octaveLine = QColor(0xa8, 0xac, 0xb4);
        p.gridLine = QColor(0xe9, 0xea, 0xee);
        p.beatLine = QColor(0xd4, 0xd6, 0xdc);
        p.barLine = QColor(0x98, 0x9c, 0xa6);
        p.seedNote = QColor(0x2f, 0x6f, 0xd0);
        p.generatedNote = QColor(0xe0, 0x7b, 0x1a);
        p.selectedOutline = QColor(0x10, 0x10, 0x10);
        p.noteOutline = QColor(0x40, 0x40, 0x48);
        p.loopShade = QColor(0x3c, 0xa0, 0x3c, 24);
        p.loopEdge = QColor(0x2e, 0x8b, 0x3a);
        p.playhead = QColor(0xd8, 0x20, 0x20);
        p.rubberBand = QColor(0x30, 0x70, 0xd0);
    }
    return p;
}

QColor RollPalette::noteFill(bool generated, bool selected, int velocity) const {
    return noteFillForStep(generated, selected, velocityStep(velocity));
}

QColor RollPalette::noteFillForStep(bool generated, bool selected, int step) const {
    const QColor base = generated ? generatedNote : seedNote;
    // Loud notes at full colour, the quietest at 45 % of the way from the lane.
    const double strength = 0.45 + 0.55 * (step + 1) / kVelocitySteps;
    QColor fill = mix(background, base, strength);
    if (selected) fill = dark ? fill.lighter(135) : mix(fill, QColor(0x0a, 0x1a, 0x40), 0.35);
    return fill;
}

}  // namespace melodist::ui

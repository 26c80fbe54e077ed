// SPDX-License-Identifier: GPL-3.0-or-later
// Quantizer: seconds to quarter notes on a grid, expectations computed by hand.
#include <QtTest>

#include "engine/music/Quantizer.h"
#include "tests/common/TestSupport.h"

using melodist::engine::Note;
using melodist::engine::QuantizeOptions;
using melodist::engine::Quantizer;
using melodist::engine::Rational;
using melodist::engine::TimedNote;

namespace {
QuantizeOptions options(double bpm, Rational grid, double strength = 1.0, double origin = 0.0) {
    QuantizeOptions o;
    o.tempoBpm = bpm;
    o.grid = grid;
    o.strength = strength;
    o.originSeconds = origin;
    return o;
}
}  // namespace

class QuantizerTest : public QObject {
    Q_OBJECT
private slots:
    void fullStrengthMovesOnsetsToTheNearestSixteenth() {
        // GIVEN 120 BPM (a quarter = 0.5 s) and a 16th grid (0.125 s)
        const Quantizer q(options(120, Rational(1, 4)));
        // WHEN / THEN 0.30 s = 0.6 quarters = 2.4 steps -> 2 steps = 1/2
        QCOMPARE(q.quantizeOnset(0.30), Rational(1, 2));
        // 0.33 s = 0.66 q = 2.64 steps -> 3 steps = 3/4
        QCOMPARE(q.quantizeOnset(0.33), Rational(3, 4));
        // 1.99 s = 3.98 q -> 16 steps = 4
        QCOMPARE(q.quantizeOnset(1.99), Rational(4));
        QCOMPARE(q.toQuarters(0.30), 0.6);
    }

    void halfStrengthMovesOnsetsHalfwayToTheGrid() {
        // GIVEN strength 0.5 WHEN 0.30 s (0.6 q, nearest grid point 0.5) is quantized
        const Quantizer q(options(120, Rational(1, 4), 0.5));
        // THEN it lands halfway: 0.55 = 11/20
        QCOMPARE(q.quantizeOnset(0.30), Rational(11, 20));
        // and zero strength keeps the time, on the 1/960 tick grid: 0.6 = 3/5
        QCOMPARE(Quantizer(options(120, Rational(1, 4), 0.0)).quantizeOnset(0.30), Rational(3, 5));
    }

    void tripletGridsSnapToThirdsAndSixths() {
        // GIVEN 90 BPM (1.5 quarters a second) and an 8th-triplet grid (1/3)
        const Quantizer eighthTriplets(options(90, Rational(1, 3)));
        // THEN 0.7 s = 1.05 q = 3.15 steps -> 1;  0.9 s = 1.35 q = 4.05 steps -> 4/3
        QCOMPARE(eighthTriplets.quantizeOnset(0.7), Rational(1));
        QCOMPARE(eighthTriplets.quantizeOnset(0.9), Rational(4, 3));
        // GIVEN 60 BPM and a 16th-triplet grid (1/6): 0.42 s = 2.52 steps -> 3 steps = 1/2
        QCOMPARE(Quantizer(options(60, Rational(1, 6))).quantizeOnset(0.42), Rational(1, 2));
    }

    void durationsBecomeWholeStepsAndAtLeastOne() {
        const Quantizer q(options(120, Rational(1, 4)));
        // 0.2 s = 0.4 q = 1.6 steps -> 2 steps = 1/2
        QCOMPARE(q.quantizeDuration(0.2), Rational(1, 2));
        // 0.01 s = 0.08 steps -> not zero: one step, 1/4
        QCOMPARE(q.quantizeDuration(0.01), Rational(1, 4));
        QCOMPARE(q.quantizeDuration(0.0), Rational(1, 4));
        // at strength 0 a very short note still lasts one step
        QCOMPARE(Quantizer(options(120, Rational(1, 4), 0.0)).quantizeDuration(0.01), Rational(1, 4));
    }

    void theOriginBecomesBeatZeroAndEarlierNotesStartAtZero() {
        // GIVEN the origin at 1.0 s
        const Quantizer q(options(120, Rational(1, 4), 1.0, /*origin=*/1.0));
        // THEN 1.26 s = 0.52 q after it -> 1/2, and the offset from the grid is +0.01 s
        QCOMPARE(q.quantizeOnset(1.26), Rational(1, 2));
        QVERIFY(std::abs(q.gridOffsetSeconds(1.26) - 0.01) < 1e-9);
        QVERIFY(std::abs(q.gridOffsetSeconds(1.24) + 0.01) < 1e-9);
        // WHEN notes are quantized, one of them before the origin
        const std::vector<Note> notes = q.quantize({TimedNote{64, 1.26, 0.2, 90, 0}, TimedNote{60, 0.9, 0.1, 200, 0}});
        // THEN they are sorted, the early one starts at 0, velocity is kept (and clamped)
        QCOMPARE(notes.size(), size_t(2));
        QCOMPARE(notes[0].pitch, 60);
        QCOMPARE(notes[0].onset, Rational(0));
        QCOMPARE(notes[0].velocity, 127);
        QCOMPARE(notes[1].pitch, 64);
        QCOMPARE(notes[1].onset, Rational(1, 2));
        QCOMPARE(notes[1].duration, Rational(1, 2));
        QCOMPARE(notes[1].velocity, 90);
    }

    void aPhrasePlayedSlightlyOffTheBeatComesOutEven() {
        // GIVEN eighth notes at 100 BPM (0.3 s apart) played up to 20 ms early or late
        const double offsets[] = {0.0, 0.012, -0.018, 0.020, -0.005};
        std::vector<TimedNote> played;
        for (int i = 0; i < 5; ++i) played.push_back(TimedNote{60 + i, 0.3 * i + offsets[i], 0.25, 80, 0});
        // WHEN quantized to 16ths (0.15 s)
        const std::vector<Note> notes = Quantizer(options(100, Rational(1, 4))).quantize(played);
        // THEN onsets are exactly 0, 1/2, 1, 3/2, 2 and each lasts 0.25 s = 0.4167 q -> 2 steps = 1/2
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(notes[i].onset, Rational(i, 2));
            QCOMPARE(notes[i].duration, Rational(1, 2));
        }
    }
};

QTEST_GUILESS_MAIN(QuantizerTest)
#include "QuantizerTest.moc"

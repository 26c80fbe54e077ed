// SPDX-License-Identifier: GPL-3.0-or-later
// Times one frame of the piano roll's viewport (1600 x 900) holding 10,000 notes spread
// over 1,000 bars of 4/4 (a melody's random walk, a third of it generated, velocities
// 40..120): at the default zoom in the middle of the piece, zoomed out so every note is
// in view (with and without all of them selected: outlines), and the 4-pixel column a
// playhead move repaints. Goal (issue 7): under 16 ms a frame. Offscreen Qt, raster.
//   build-pianoroll/tests/bin/pianoroll_paint_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one line)
#include "tests/common/TestSupport.h"
#include "ui/document/ProjectDocument.h"
#include "ui/pianoroll/PianoRollView.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>
#include <memory>
#include <vector>

namespace {

using melodist::engine::ProjectNote;
using melodist::engine::Rational;
using namespace melodist::ui;

constexpr int kNotes = 10000;
constexpr int kBars = 1000;

std::vector<ProjectNote> tenThousandNotes() {
    melodist::test::Lcg rng(7);
    std::vector<ProjectNote> notes;
    notes.reserve(kNotes);
    int pitch = 67;
    // 10 notes a bar: onsets on the 16th grid, lengths 1/4 .. 1 quarter.
    const Rational step(1, 4);
    Rational onset;
    for (int i = 0; i < kNotes; ++i) {
        pitch = std::clamp(pitch + rng.below(9) - 4, 48, 90);
        const Rational duration = step * Rational(1 + rng.below(4));
        ProjectNote note{melodist::test::makeNote(pitch, onset, duration, 40 + rng.below(81)), (i / 100) % 3 == 2};
        notes.push_back(note);
        onset += Rational(kBars * 4, kNotes);  // 2/5 of a quarter on average ...
        onset = step * Rational((onset / step).floor());  // ... on the grid
        if (onset <= note.note.onset) onset = note.note.onset + step;
    }
    return notes;
}

struct Fixture {
    ProjectDocument document;
    std::unique_ptr<PianoRollView> view;
    QImage image;
    Fixture() {
        melodist::engine::Project project;
        project.notes = tenThousandNotes();
        document.resetTo(project, {});
        view = std::make_unique<PianoRollView>(&document);
        view->resize(1600, 900);
        view->show();
        // Grow the widget until its viewport is exactly 1600 x 900.
        const QSize extra = view->size() - view->viewport()->size();
        view->resize(QSize(1600, 900) + extra);
        QApplication::processEvents();
        image = QImage(view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    }
    void frame(const QRegion& region = {}) { view->viewport()->render(&image, {}, region); }
};

std::unique_ptr<Fixture> g_fixture;  // made after, and destroyed before, the QApplication

Fixture& fixture() {
    if (!g_fixture) g_fixture = std::make_unique<Fixture>();
    return *g_fixture;
}

void BM_PaintDefaultZoomMiddle(benchmark::State& state) {
    Fixture& f = fixture();
    f.document.clearSelection();
    f.view->setPixelsPerQuarter(48, 0);
    f.view->scrollToQuarters(kBars * 2.0);
    f.view->centreOnPitch(67);
    for (auto _ : state) f.frame();
    state.counters["viewport_px"] = f.image.width() * f.image.height();
}
BENCHMARK(BM_PaintDefaultZoomMiddle)->Unit(benchmark::kMillisecond);

void BM_PaintAllNotesInView(benchmark::State& state) {
    Fixture& f = fixture();
    f.document.clearSelection();
    f.view->zoomToFit();
    for (auto _ : state) f.frame();
}
BENCHMARK(BM_PaintAllNotesInView)->Unit(benchmark::kMillisecond);

void BM_PaintAllNotesSelected(benchmark::State& state) {
    Fixture& f = fixture();
    f.view->zoomToFit();
    f.document.selectAll();
    for (auto _ : state) f.frame();
    f.document.clearSelection();
}
BENCHMARK(BM_PaintAllNotesSelected)->Unit(benchmark::kMillisecond);

// The part of a frame a playhead move repaints at the default zoom (old and new column).
void BM_PaintPlayheadColumns(benchmark::State& state) {
    Fixture& f = fixture();
    f.view->setPixelsPerQuarter(48, 0);
    f.view->scrollToQuarters(kBars * 2.0);
    const QRegion columns = QRegion(400, 0, 4, 900) + QRegion(402, 0, 4, 900);
    for (auto _ : state) f.frame(columns);
}
BENCHMARK(BM_PaintPlayheadColumns)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    g_fixture.reset();
    return 0;
}

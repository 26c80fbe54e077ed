// SPDX-License-Identifier: GPL-3.0-or-later
// Times the .melodist file work for a project of 10,000 notes (a random walk over 2,500
// bars, half of it generated): projectToJson and parseProjectJson (what the autosave
// writer and Open do), writeProjectFile (atomic, fsync'ed: the autosave writer thread),
// and ProjectDocument::toProject (the only part of an autosave on the UI thread).
//   build-files/tests/bin/project_file_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include "engine/project/Project.h"
#include "tests/common/TestSupport.h"
#include "ui/document/ProjectDocument.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <string>

namespace {

using namespace melodist;

engine::Project bigProject() {
    engine::Project project;
    project.key = engine::ScaleKey{2, engine::ScaleMode::Dorian};
    test::Lcg random(7);
    int pitch = 67;
    for (int i = 0; i < 10000; ++i) {
        pitch = std::clamp(pitch + random.below(7) - 3, 40, 90);
        const engine::Note note = test::makeNote(pitch, engine::Rational(i, 4), engine::Rational(1, 4 + random.below(3)), 40 + random.below(80));
        project.notes.push_back({note, i % 2 == 1});
    }
    return project;
}

void BM_ProjectToJson(benchmark::State& state) {
    const engine::Project project = bigProject();
    for (auto _ : state) benchmark::DoNotOptimize(engine::projectToJson(project));
}
BENCHMARK(BM_ProjectToJson)->Unit(benchmark::kMillisecond);

void BM_ParseProjectJson(benchmark::State& state) {
    const std::string json = engine::projectToJson(bigProject());
    state.counters["bytes"] = static_cast<double>(json.size());
    for (auto _ : state) benchmark::DoNotOptimize(engine::parseProjectJson(json, "bench.melodist"));
}
BENCHMARK(BM_ParseProjectJson)->Unit(benchmark::kMillisecond);

void BM_WriteProjectFile(benchmark::State& state) {
    const engine::Project project = bigProject();
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("bench.melodist")).toStdString();
    for (auto _ : state)
        if (!engine::writeProjectFile(project, path)) state.SkipWithError("write failed");
}
BENCHMARK(BM_WriteProjectFile)->Unit(benchmark::kMillisecond);

void BM_DocumentSnapshot(benchmark::State& state) {
    ui::ProjectDocument document;
    document.resetTo(bigProject(), QString());
    for (auto _ : state) benchmark::DoNotOptimize(document.toProject());
}
BENCHMARK(BM_DocumentSnapshot)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

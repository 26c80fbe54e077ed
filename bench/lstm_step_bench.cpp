// SPDX-License-Identifier: GPL-3.0-or-later
// Times LstmKernel's incremental step on a seed-sized model (38 symbols, LSTM 256,
// Dense 38): 500 steps of 1 sequence, and 500 steps of 64 candidates (stepBatch), for
// every code path this CPU runs (avx512f, avx2+fma, sse2) on 1 and 2 threads. With a BLAS
// at build time it also times the recurrent product alone through cblas_sgemv /
// cblas_sgemm (OpenBLAS: its own threads), the part a BLAS-based step would hand over.
//   build-speed/bin/lstm_step_bench [model.h5] [--runs N] [--quick]
// (default: random weights of the seed's size; --quick: only the best path.) Prints the
// best and the median of N runs (default 15), wall-clock, and the process CPU time of
// the best run (2 threads busy: CPU ~ 2 x wall).
#include "engine/keras/KerasMelodyModel.h"
#include "engine/keras/LstmKernel.h"
#include "engine/keras/RandomLstmWeights.h"

#ifdef MELODIST_BENCH_CBLAS
#include <cblas.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

using namespace melodist::engine;

namespace {

constexpr int kSteps = 500;
constexpr int kCandidates = 64;

double processCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

struct Timing {
    double bestMs = 0.0;
    double medianMs = 0.0;
    double cpuMsOfBest = 0.0;
};

template <class F>
Timing timeRuns(int runs, F&& run) {
    std::vector<double> walls;
    Timing timing{1e30, 0.0, 0.0};
    for (int i = 0; i < runs; ++i) {
        const double cpuStart = processCpuMs();
        const auto start = std::chrono::steady_clock::now();
        run();
        const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
        const double cpu = processCpuMs() - cpuStart;
        walls.push_back(elapsed.count());
        if (elapsed.count() < timing.bestMs) {
            timing.bestMs = elapsed.count();
            timing.cpuMsOfBest = cpu;
        }
    }
    std::sort(walls.begin(), walls.end());
    timing.medianMs = walls[walls.size() / 2];
    return timing;
}

void print(const char* what, const Timing& t) {
    std::printf("  %-28s best %8.2f ms  median %8.2f ms  (cpu %7.2f ms)\n", what, t.bestMs, t.medianMs, t.cpuMsOfBest);
}

}  // namespace

int main(int argc, char** argv) {
    const char* modelPath = nullptr;
    int runs = 15;
    bool quick = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
        else if (std::strcmp(argv[i], "--quick") == 0) quick = true;
        else modelPath = argv[i];
    }
    Result<LstmKernel> kernel =
        modelPath ? loadKerasMelodyLstm(modelPath) : LstmKernel::create(randomLstmWeights(38, {256}, 7, 0.1f));
    if (!kernel) {
        std::fprintf(stderr, "%s\n", kernel.error().c_str());
        return 1;
    }
    const int vocabulary = kernel->vocabularySize();
    const int units = kernel->units(0);
    std::printf("model: %s, %d symbols, LSTM %d; %d runs each\n", modelPath ? modelPath : "random weights", vocabulary,
                units, runs);

    float checksum = 0.0f;
    std::vector<float> logits(static_cast<size_t>(vocabulary) * kCandidates);
    const auto single = [&] {
        LstmState state = kernel->initialState(1);
        int id = 0;
        for (int s = 0; s < kSteps; ++s) {
            kernel->step(id, state, std::span(logits).first(static_cast<size_t>(vocabulary)));
            id = static_cast<int>(std::max_element(logits.begin(), logits.begin() + vocabulary) - logits.begin());
        }
        checksum += logits[0];
    };
    const auto batch = [&] {
        LstmState state = kernel->initialState(kCandidates);
        std::vector<int> ids(kCandidates);
        for (int b = 0; b < kCandidates; ++b) ids[static_cast<size_t>(b)] = b % vocabulary;
        for (int s = 0; s < kSteps; ++s) {
            kernel->stepBatch(ids, state, logits);
            for (int b = 0; b < kCandidates; ++b) {
                const auto row = logits.begin() + static_cast<ptrdiff_t>(b) * vocabulary;
                ids[static_cast<size_t>(b)] = static_cast<int>(std::max_element(row, row + vocabulary) - row);
            }
        }
        checksum += logits[0];
    };

    std::vector<std::string> paths = LstmKernel::instructionSets();
    if (quick) paths.resize(1);
    for (const std::string& path : paths) {
        LstmKernel::selectInstructionSet(path);
        for (const int threads : {1, 2}) {
            LstmKernel::setThreadLimit(threads);
            std::printf("%s, %d thread%s:\n", path.c_str(), threads, threads > 1 ? "s" : "");
            print("1 sequence x 500 steps", timeRuns(runs, single));
            print("64 candidates x 500 steps", timeRuns(runs, batch));
        }
    }

#ifdef MELODIST_BENCH_CBLAS
    // The recurrent product alone: z (4u) += h (u) * U (u x 4u), row-major.
    const int gates = 4 * units;
    std::vector<float> u(static_cast<size_t>(units) * gates, 0.01f), h(static_cast<size_t>(units) * kCandidates, 0.5f),
        z(static_cast<size_t>(gates) * kCandidates, 0.0f);
    std::printf("BLAS (its own threading), recurrent product only:\n");
    print("cblas_sgemv 1 x 500", timeRuns(runs, [&] {
              for (int s = 0; s < kSteps; ++s)
                  cblas_sgemv(CblasRowMajor, CblasTrans, units, gates, 1.0f, u.data(), gates, h.data(), 1, 1.0f, z.data(), 1);
          }));
    print("cblas_sgemm 64 x 500", timeRuns(runs, [&] {
              for (int s = 0; s < kSteps; ++s)
                  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kCandidates, gates, units, 1.0f, h.data(), units,
                              u.data(), gates, 1.0f, z.data(), gates);
          }));
    checksum += z[0];
#endif
    std::printf("(checksum %g)\n", static_cast<double>(checksum));
    return 0;
}

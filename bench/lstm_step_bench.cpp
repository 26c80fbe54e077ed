// SPDX-License-Identifier: GPL-3.0-or-later
// Times LstmKernel's incremental step on a seed-sized model (38 symbols, LSTM 256,
// Dense 38): 500 steps of 1 sequence, and 500 steps of 64 candidates (stepBatch). With
// a BLAS at build time it also times the recurrent product alone through cblas_sgemv /
// cblas_sgemm, the part a BLAS-based step would hand over.
//   build-keras/bin/lstm_step_bench [model.h5]   (default: random weights of the seed's size)
// Best of 9 runs; single-threaded.
#include "engine/keras/KerasMelodyModel.h"
#include "engine/keras/LstmKernel.h"
#include "engine/keras/RandomLstmWeights.h"

#ifdef MELODIST_BENCH_CBLAS
#include <cblas.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using namespace melodist::engine;

namespace {

constexpr int kSteps = 500;
constexpr int kCandidates = 64;
constexpr int kRuns = 9;


template <class F>
double bestMs(F&& run) {
    double best = 1e30;
    for (int i = 0; i < kRuns; ++i) {
        const auto start = std::chrono::steady_clock::now();
        run();
        const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
        best = std::min(best, elapsed.count());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    Result<LstmKernel> kernel = argc > 1 ? loadKerasMelodyLstm(argv[1]) : LstmKernel::create(randomLstmWeights(38, {256}, 7, 0.1f));
    if (!kernel) {
        std::fprintf(stderr, "%s\n", kernel.error().c_str());
        return 1;
    }
    const int vocabulary = kernel->vocabularySize();
    const int units = kernel->units(0);
    std::printf("model: %s, %d symbols, LSTM %d; code path %s\n", argc > 1 ? argv[1] : "random weights", vocabulary,
                units, LstmKernel::instructionSet());

    float checksum = 0.0f;
    std::vector<float> logits(static_cast<size_t>(vocabulary) * kCandidates);
    const double single = bestMs([&] {
        LstmState state = kernel->initialState(1);
        int id = 0;
        for (int s = 0; s < kSteps; ++s) {
            kernel->step(id, state, std::span(logits).first(static_cast<size_t>(vocabulary)));
            id = static_cast<int>(std::max_element(logits.begin(), logits.begin() + vocabulary) - logits.begin());
        }
        checksum += logits[0];
    });
    std::printf("1 sequence  x %d steps: %8.3f ms  (%.2f us/step)\n", kSteps, single, 1000.0 * single / kSteps);

    const double batch = bestMs([&] {
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
    });
    std::printf("%d candidates x %d steps: %8.3f ms  (%.2f us/step for the batch)\n", kCandidates, kSteps, batch,
                1000.0 * batch / kSteps);

#ifdef MELODIST_BENCH_CBLAS
    // The recurrent product alone: z (4u) += h (u) * U (u x 4u), row-major.
    const int gates = 4 * units;
    std::vector<float> u(static_cast<size_t>(units) * gates, 0.01f), h(static_cast<size_t>(units) * kCandidates, 0.5f),
        z(static_cast<size_t>(gates) * kCandidates, 0.0f);
    const double gemv = bestMs([&] {
        for (int s = 0; s < kSteps; ++s)
            cblas_sgemv(CblasRowMajor, CblasTrans, units, gates, 1.0f, u.data(), gates, h.data(), 1, 1.0f, z.data(), 1);
    });
    std::printf("cblas_sgemv recurrent product only, %d steps: %8.3f ms\n", kSteps, gemv);
    const double gemm = bestMs([&] {
        for (int s = 0; s < kSteps; ++s)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kCandidates, gates, units, 1.0f, h.data(), units, u.data(),
                        gates, 1.0f, z.data(), gates);
    });
    std::printf("cblas_sgemm recurrent product only, %d candidates x %d steps: %8.3f ms\n", kCandidates, kSteps, gemm);
    checksum += z[0];
#endif
    std::printf("(checksum %g)\n", static_cast<double>(checksum));
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The SIMD work items of one LstmKernel step, compiled for AVX-512F, AVX2+FMA and SSE2
// (function attributes, not file-wide flags, so no AVX code leaks into inline functions
// shared with the rest of the program) and picked at run time. Internal to engine/keras.
// Any thread; items of one step may run on different threads at once (each writes only
// its own columns or rows).
//
//   const LstmStepKernels& kernels = lstmStepKernels();     // the best this CPU runs
//   kernels.rowItems(context, 0, rowGroups(context.rows), /*worker=*/0);   // a whole step
//
// Every sum is computed the same way whatever the tile, the ISA's width, the number of
// rows or the thread: the recurrent products h_prev U as one chain of FMAs over k
// ascending from zero; z = the symbol's row (or bias + the chain over h_below K) + those
// products. So a row's results do not depend on the batch it is in, nor on which thread
// computed them, nor on whether its recurrent products were computed ahead.

#include "engine/keras/LstmPacked.h"

#include <string_view>
#include <vector>

namespace melodist::engine::detail {

constexpr int kDenseRowBlock = 8;
inline int denseRowBlocks(int rows) { return (rows + kDenseRowBlock - 1) / kDenseRowBlock; }
constexpr int kRowGroup = 4;
inline int rowGroups(int rows) { return (rows + kRowGroup - 1) / kRowGroup; }
// A unit block's rows are computed kChunkRows at a time.
constexpr int kChunkRows = 16;
// Scratch floats one worker needs (LstmStepContext::scratchPerWorker): a chunk's sums and
// its recurrent products, or a group of Dense rows.
inline int scratchPerWorker(int denseStride) {
    return 2 * kChunkRows * kPanelColumns > kDenseRowBlock * denseStride ? 2 * kChunkRows * kPanelColumns
                                                                          : kDenseRowBlock * denseStride;
}

// A step splits its work in one of two ways (LstmKernel::stepRows picks):
//  - by columns, for few rows: phase l < layers runs unit blocks of layer l over every row
//    (each thread keeps its blocks' weights in its own L2), phase `layers` runs groups of
//    kDenseRowBlock rows through the Dense layer;
//  - by rows, for many: one phase of groups of kRowGroup rows, each group through every
//    layer and the Dense layer, so no row's h crosses between the cores and there is no
//    barrier inside the step.
struct LstmStepKernels {
    // Items [first, end) of a phase of the column split.
    void (*columnItems)(const LstmStepContext& context, int phase, int first, int end, int worker);
    // Row groups [first, end) of the row split.
    void (*rowItems)(const LstmStepContext& context, int first, int end, int worker);
    // Row groups [first, end): only the recurrent products h_prev U of every layer, into
    // context.recurrentOut (computed ahead, while the caller samples; see LstmKernel.cpp).
    void (*recurrentItems)(const LstmStepContext& context, int first, int end);
    const char* name;  // "avx512f", "avx2+fma", "sse2"
};

// The kernels in use: the best this CPU runs, unless selectLstmStepKernels chose others.
const LstmStepKernels& lstmStepKernels();
// The names this CPU runs, best first.
std::vector<const char*> availableLstmStepKernels();
// False (and no change) when `name` is unknown or this CPU lacks it.
bool selectLstmStepKernels(std::string_view name);

}  // namespace melodist::engine::detail

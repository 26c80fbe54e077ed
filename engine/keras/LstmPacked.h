// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LstmKernel's packed weights and one step's working set, as the SIMD step code
// (LstmStepKernels) sees them. Internal to engine/keras: the packed model is immutable and
// shared (LstmKernel, jobs on the helper thread); a step context lives on the stack of one
// LstmKernel::stepBatch call, or in the job computing the next step's products.
//
// Layout. Gate columns are interleaved per block of kUnitBlock units: block b holds
// i, f, c, o of units 16b..16b+15 (16 columns each), so one block's 64 columns are all a
// unit needs and the blocks can be computed and activated independently. Matrices that are multiplied are
// stored as panels of kPanelColumns columns, k-major: panel p is [depth][its width],
// contiguous, so a tile streams it front to back.

#include "engine/keras/LstmActivation.h"

#include <vector>

namespace melodist::engine::detail {

constexpr int kUnitBlock = 16;
constexpr int kPanelColumns = 4 * kUnitBlock;  // one unit block of gates
constexpr int kColumnQuantum = 16;             // every stride is a multiple of this

struct LstmPackedLayer {
    int inputSize = 0;
    int units = 0;
    int gateStride = 0;   // 64 * unit blocks
    int stateOffset = 0;  // where this layer's h and c start, in units of batch rows
    int blockOffset = 0;  // unit blocks of the layers before this one
    LstmActivation activation = LstmActivation::Tanh;
    LstmActivation recurrentActivation = LstmActivation::Sigmoid;
    std::vector<float> input;      // layer 0: [inputSize][gateStride] rows, bias folded in; others: panels
    std::vector<float> recurrent;  // panels, depth units
    std::vector<float> bias;       // [gateStride], layers > 0
};

// A whole model, packed. Immutable; shared (std::shared_ptr) by LstmKernel and its jobs.
struct LstmPackedModel {
    int vocabularySize = 0;
    int stateSize = 0;    // sum of units over layers
    int blockCount = 0;   // unit blocks over layers
    int denseStride = 0;  // vocabularySize rounded up to kColumnQuantum
    std::vector<LstmPackedLayer> layers;
    std::vector<float> dense;      // panels, depth = last layer's units
    std::vector<float> denseBias;  // [denseStride]
};

// Everything one stepBatch reads and writes. `rows` rows are computed; the state arrays
// are laid out for `batch` rows (per layer [batch][units] at batch * stateOffset).
struct LstmStepContext {
    const LstmPackedLayer* layers = nullptr;
    int layerCount = 0;
    const float* dense = nullptr;      // panels, depth = last layer's units
    const float* denseBias = nullptr;  // [denseStride]
    int denseStride = 0;
    int vocabularySize = 0;
    const int* ids = nullptr;  // [rows]
    int rows = 0;
    int batch = 0;
    float* hidden = nullptr;                // this step's h (written)
    const float* previousHidden = nullptr;  // last step's h (read)
    float* cell = nullptr;                  // updated in place: each unit by its own block
    // Per worker (0: the calling thread, 1: the helper), scratch for an item's sums:
    // [rows][64] for a unit block, [kDenseRowBlock][denseStride] for Dense rows.
    float* scratch = nullptr;
    int scratchPerWorker = 0;  // floats
    float* logits = nullptr;  // [rows][vocabularySize]
    bool splitByRows = false;  // how the step's work is split (LstmStepKernels.h)
    // The recurrent products h_prev U computed ahead, per (layer, unit block) [batch][64]
    // at (blockOffset + block) * batch * 64; nullptr: each block computes its own.
    const float* recurrentIn = nullptr;
    float* recurrentOut = nullptr;  // where a job computing them ahead writes them
    float* hiddenCopy = nullptr;    // nullptr, or a second copy of this step's h (same layout)
};

}  // namespace melodist::engine::detail

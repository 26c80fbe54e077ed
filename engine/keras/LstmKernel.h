// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LstmKernel: a next-symbol LSTM (one-hot symbol -> LSTM layers -> Dense) in plain fp32
// C++, for generation where LibTorch's per-op overhead (10-20 us) would dominate. The
// weights are packed once: the first layer's input is a symbol id, so its "matmul" is
// one row of the input kernel (bias folded in); the gate columns are interleaved per
// block of 16 units and stored as k-major panels, run by register-blocked tiles over
// several batch rows at once (AVX-512F, AVX2+FMA or SSE2, chosen at run time). A step
// shares its work with one persistent helper thread when it is free (by unit blocks for
// fewer than 8 rows, by groups of rows from 8), and for batches the helper computes the
// next step's recurrent products h U while the caller samples (LstmStepTeam.h;
// setThreadLimit(1) keeps everything on the caller's thread). Every sum is computed the
// same way whatever the batch, tile, ISA width or thread (the recurrent products as one
// ascending FMA chain from zero, added to the input term), so a row's results do not
// depend on the rows beside it. Gate order and equations are Keras':
//   z = x K + h U + b;  i,f,o = rec(z_i,z_f,z_o);  c = f c + i act(z_c);  h = o act(c)
// Immutable after create(): any number of threads may step their own LstmState at once.
// The owner (a generator, a model cache) keeps it; states belong to their caller.
//
//   Result<LstmKernel> kernel = LstmKernel::create(std::move(weights));
//   LstmState state = kernel->initialState();             // zeros, one sequence
//   std::vector<float> logits(kernel->vocabularySize());
//   for (int id : window) kernel->step(id, state, logits);
//   LstmKernel::softmax(logits);                          // next-symbol probabilities

#include "engine/core/Result.h"
#include "engine/keras/LstmActivation.h"
#include "engine/keras/LstmPacked.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

namespace detail {
struct LstmAhead;
}

// Keras layouts, row-major: kernel (inputSize x 4 units), recurrentKernel (units x 4 units),
// bias (4 units), gates in the order i, f, c, o.
struct LstmLayerWeights {
    int inputSize = 0;
    int units = 0;
    LstmActivation activation = LstmActivation::Tanh;
    LstmActivation recurrentActivation = LstmActivation::Sigmoid;
    std::vector<float> kernel;
    std::vector<float> recurrentKernel;
    std::vector<float> bias;
};

// The first layer's inputSize is the vocabulary (one-hot); the Dense layer maps the last
// layer's units to vocabularySize logits: denseKernel (units x vocabularySize), denseBias.
struct LstmModelWeights {
    int vocabularySize = 0;
    std::vector<LstmLayerWeights> layers;
    std::vector<float> denseKernel;
    std::vector<float> denseBias;
};

// The next step's recurrent products, computed ahead by the helper thread while the
// caller samples (batches of 8 rows or more; LstmKernel.cpp). A copied state does not
// share them: the copy computes its own.
struct LstmAheadSlot {
    std::shared_ptr<detail::LstmAhead> job;
    LstmAheadSlot() = default;
    LstmAheadSlot(const LstmAheadSlot& /*other*/) {}
    LstmAheadSlot& operator=(const LstmAheadSlot& other) {
        if (this != &other) job.reset();
        return *this;
    }
    LstmAheadSlot(LstmAheadSlot&&) noexcept = default;
    LstmAheadSlot& operator=(LstmAheadSlot&&) noexcept = default;
    ~LstmAheadSlot() = default;
};

// The memory of `batchSize` sequences: per layer h and c, plus the step's scratch.
// Owned by the caller; one thread at a time.
struct LstmState {
    int batchSize = 0;
    std::vector<float> hidden;          // per layer, [batch][units]
    std::vector<float> cell;            // same layout as hidden
    std::vector<float> previousHidden;  // scratch: the last step's h while a step writes the new one
    std::vector<float> gates;           // scratch of the step's two threads (sums before activation)
    // Every row holds the same h and c (zeros, then the same symbols: a seed fed to all
    // candidates). While it holds, a step whose ids are all equal computes one row and
    // copies it (bit-identical, as rows do not depend on each other).
    bool rowsIdentical = true;
    LstmAheadSlot ahead;
};

class LstmKernel {
public:
    // Checks sizes (an error names the layer and the mismatch) and packs the weights.
    static Result<LstmKernel> create(LstmModelWeights weights);

    int vocabularySize() const { return m_model->vocabularySize; }
    int layerCount() const { return static_cast<int>(m_model->layers.size()); }
    int units(int layer) const { return m_model->layers[static_cast<size_t>(layer)].units; }
    // "avx512f", "avx2+fma" or "sse2": the code path in use (the best this CPU runs).
    static const char* instructionSet();
    // The code paths this CPU runs, best first; selectInstructionSet switches every kernel
    // of the process to one of them (benchmarks, tests: all give the same results).
    static std::vector<std::string> instructionSets();
    static bool selectInstructionSet(const std::string& name);
    // Threads a batch step may use: 2 (the caller and the helper) by default when the
    // machine has 2 or more cores, else 1. Process-wide; any thread.
    static int threadLimit();
    static void setThreadLimit(int threads);

    // Zero h and c, as Keras starts every sequence (stateful=False).
    LstmState initialState(int batchSize = 1) const;

    // One symbol in, the Dense layer's logits (before softmax) out: logitsOut has
    // vocabularySize() floats. An id outside 0..vocabularySize()-1 is a programming error.
    void step(int symbolId, LstmState& state, std::span<float> logitsOut) const;
    // One symbol per sequence of the batch (symbolIds.size() == state.batchSize);
    // logitsOut is [batch][vocabularySize()].
    void stepBatch(std::span<const int> symbolIds, LstmState& state, std::span<float> logitsOut) const;
    // Keeps only the batch rows listed (ascending, each < state.batchSize), in that order:
    // finished candidates leave the batch so later steps do less work.
    void keepRows(LstmState& state, std::span<const int> rows) const;

    // The seeds' prediction: zero state, feed `window`, softmax of the last step's logits.
    // Error when the window is empty or holds an id out of range.
    Result<std::vector<float>> probabilities(std::span<const int> window) const;

    // In place, numerically stable (subtracts the maximum).
    static void softmax(std::span<float> values);

private:
    LstmKernel() = default;
    // The step of `rows` rows of a state laid out for state.batchSize rows.
    void stepRows(std::span<const int> symbolIds, int rows, LstmState& state, std::span<float> logitsOut) const;
    // Starts the next step's recurrent products on the helper thread / waits for them.
    void postAhead(LstmState& state) const;
    static void collectAhead(LstmState& state);

    // Immutable once created; shared by copies of the kernel and by jobs still running
    // on the helper thread.
    std::shared_ptr<const detail::LstmPackedModel> m_model;
};

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LstmKernel: a next-symbol LSTM (one-hot symbol -> LSTM layers -> Dense) in plain fp32
// C++, for generation where LibTorch's per-op overhead (10-20 us) would dominate. The
// weights are packed once: the first layer's input is a symbol id, so its "matmul" is
// one row of the input kernel (bias folded in); the recurrent products run over
// k-major rows with register-blocked accumulators (AVX2+FMA when the CPU has it,
// chosen at run time, SSE2 otherwise). Gate order and equations are Keras':
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

#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

enum class LstmActivation { Sigmoid, HardSigmoid, Tanh };

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

// The memory of `batchSize` sequences: per layer h and c, plus the step's scratch.
// Owned by the caller; one thread at a time.
struct LstmState {
    int batchSize = 0;
    std::vector<float> hidden;  // per layer, [batch][units]
    std::vector<float> cell;    // same layout as hidden
    std::vector<float> gates;   // scratch, [batch][gate stride]
};

class LstmKernel {
public:
    // Checks sizes (an error names the layer and the mismatch) and packs the weights.
    static Result<LstmKernel> create(LstmModelWeights weights);

    int vocabularySize() const { return m_vocabularySize; }
    int layerCount() const { return static_cast<int>(m_layers.size()); }
    int units(int layer) const { return m_layers[static_cast<size_t>(layer)].units; }
    // "avx2+fma" or "sse2": the code path this CPU runs.
    static const char* instructionSet();

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
    struct PackedLayer {
        int inputSize = 0;
        int units = 0;
        int gateStride = 0;       // 4 units rounded up to the column block
        int stateOffset = 0;      // where this layer's h and c start, per batch row block
        LstmActivation activation = LstmActivation::Tanh;
        LstmActivation recurrentActivation = LstmActivation::Sigmoid;
        std::vector<float> input;      // [inputSize][gateStride]; layer 0: kernel row + bias
        std::vector<float> recurrent;  // [units][gateStride]
        std::vector<float> bias;       // [gateStride]; layers > 0 only
    };

    int m_vocabularySize = 0;
    int m_maxGateStride = 0;
    int m_stateSize = 0;  // sum of units over layers
    int m_denseStride = 0;
    std::vector<PackedLayer> m_layers;
    std::vector<float> m_dense;      // [last units][denseStride]
    std::vector<float> m_denseBias;  // [denseStride]
};

}  // namespace melodist::engine

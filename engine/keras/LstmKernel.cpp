// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/keras/LstmKernel.h"

#include "engine/core/Assert.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

// Built with -O3 -ffp-contract=fast (engine/CMakeLists.txt): the loops below rely on the
// vectoriser and on FMA contraction in the AVX2 variant.

namespace melodist::engine {

namespace {

// Columns are processed in blocks of 64 floats (8 AVX vectors); strides are padded to it.
constexpr int kColumnBlock = 64;

int roundUp(int value, int block) { return (value + block - 1) / block * block; }

// GCC/Clang vector extension: 8 floats, unaligned, may alias float. Without AVX the
// compiler splits each operation into two SSE ones.
typedef float Vec8 __attribute__((vector_size(32), aligned(4), may_alias));

[[gnu::always_inline]] inline Vec8 load8(const float* p) { return *reinterpret_cast<const Vec8*>(p); }
[[gnu::always_inline]] inline void store8(float* p, Vec8 v) { *reinterpret_cast<Vec8*>(p) = v; }

// z[r][0..8*Vectors) += sum_k a[r][k] * w[k][0..8*Vectors), accumulators in registers.
template <int Rows, int Vectors>
[[gnu::always_inline]] inline void tile(const float* __restrict a, int aStride, int depth, const float* __restrict w,
                                        int wStride, float* __restrict z, int zStride) {
    Vec8 acc[Rows][Vectors];
    for (int r = 0; r < Rows; ++r)
        for (int v = 0; v < Vectors; ++v) acc[r][v] = load8(z + r * zStride + 8 * v);
    for (int k = 0; k < depth; ++k) {
        Vec8 wv[Vectors];
        for (int v = 0; v < Vectors; ++v) wv[v] = load8(w + static_cast<ptrdiff_t>(k) * wStride + 8 * v);
        for (int r = 0; r < Rows; ++r) {
            const float s = a[r * aStride + k];
            for (int v = 0; v < Vectors; ++v) acc[r][v] += s * wv[v];
        }
    }
    for (int r = 0; r < Rows; ++r)
        for (int v = 0; v < Vectors; ++v) store8(z + r * zStride + 8 * v, acc[r][v]);
}

// z[rows][cols] += a[rows][depth] * w[depth][cols]; cols is a multiple of kColumnBlock
// and w is stored in panels (see packPanels): each tile then reads one contiguous
// stream, which the hardware prefetcher follows; row-major rows 4 KiB apart defeat it
// (measured on the seed model: 25.5 -> 13.7 us per step).
[[gnu::always_inline]] inline void accumulateImpl(const float* a, int aStride, int rows, int depth, const float* w,
                                                  int cols, float* z, int zStride) {
    const ptrdiff_t panelSize = static_cast<ptrdiff_t>(depth) * kColumnBlock;
    if (rows < 4) {
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; c += kColumnBlock)
                tile<1, kColumnBlock / 8>(a + r * aStride, aStride, depth, w + (c / kColumnBlock) * panelSize, kColumnBlock,
                                          z + r * zStride + c, zStride);
        return;
    }
    // Several rows: a 16-column strip of a panel stays in L1 while every row block uses it.
    const int fullRows = rows / 4 * 4;
    for (int c = 0; c < cols; c += 16) {
        const float* strip = w + (c / kColumnBlock) * panelSize + c % kColumnBlock;
        for (int r = 0; r < fullRows; r += 4)
            tile<4, 2>(a + r * aStride, aStride, depth, strip, kColumnBlock, z + r * zStride + c, zStride);
        for (int r = fullRows; r < rows; ++r)
            tile<1, 2>(a + r * aStride, aStride, depth, strip, kColumnBlock, z + r * zStride + c, zStride);
    }
}

// exp(x) from plain arithmetic so that the gate loops vectorise (Cephes expf
// polynomial, relative error ~2e-7 over the clamped range).
[[gnu::always_inline]] inline float expApprox(float x) {
    x = std::min(std::max(x, -87.0f), 88.0f);
    const float magic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    const float n = (x * 1.44269504088896341f + magic) - magic;
    const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    const int32_t exponent = (static_cast<int32_t>(n) + 127) << 23;
    return p * std::bit_cast<float>(exponent);
}

template <LstmActivation A>
[[gnu::always_inline]] inline float activate(float x) {
    if constexpr (A == LstmActivation::Sigmoid) {
        return 1.0f / (1.0f + expApprox(-x));
    } else if constexpr (A == LstmActivation::HardSigmoid) {
        return std::min(std::max(0.2f * x + 0.5f, 0.0f), 1.0f);  // Keras 2's hard_sigmoid
    } else {
        return 2.0f / (1.0f + expApprox(-2.0f * x)) - 1.0f;  // tanh; absolute error ~1e-7
    }
}

template <LstmActivation Act, LstmActivation Rec>
[[gnu::always_inline]] inline void gatesRow(const float* __restrict z, int units, float* __restrict h, float* __restrict c) {
    for (int j = 0; j < units; ++j) {
        const float inputGate = activate<Rec>(z[j]);
        const float forgetGate = activate<Rec>(z[units + j]);
        const float candidate = activate<Act>(z[2 * units + j]);
        const float outputGate = activate<Rec>(z[3 * units + j]);
        const float cell = forgetGate * c[j] + inputGate * candidate;
        c[j] = cell;
        h[j] = outputGate * activate<Act>(cell);
    }
}

[[gnu::always_inline]] inline void gatesImpl(LstmActivation act, LstmActivation rec, const float* z, int zStride,
                                             int rows, int units, float* h, float* c) {
    using enum LstmActivation;
    for (int r = 0; r < rows; ++r) {
        const float* zr = z + r * zStride;
        float* hr = h + r * units;
        float* cr = c + r * units;
        // The seed models use tanh with sigmoid (tf.keras) or hard_sigmoid (Keras 2.2).
        if (act == Tanh && rec == Sigmoid) gatesRow<Tanh, Sigmoid>(zr, units, hr, cr);
        else if (act == Tanh && rec == HardSigmoid) gatesRow<Tanh, HardSigmoid>(zr, units, hr, cr);
        else if (act == Tanh) gatesRow<Tanh, Tanh>(zr, units, hr, cr);
        else if (act == Sigmoid && rec == Sigmoid) gatesRow<Sigmoid, Sigmoid>(zr, units, hr, cr);
        else if (act == Sigmoid && rec == HardSigmoid) gatesRow<Sigmoid, HardSigmoid>(zr, units, hr, cr);
        else if (act == Sigmoid) gatesRow<Sigmoid, Tanh>(zr, units, hr, cr);
        else if (rec == Sigmoid) gatesRow<HardSigmoid, Sigmoid>(zr, units, hr, cr);
        else if (rec == HardSigmoid) gatesRow<HardSigmoid, HardSigmoid>(zr, units, hr, cr);
        else gatesRow<HardSigmoid, Tanh>(zr, units, hr, cr);
    }
}

// The same code compiled twice; the AVX2+FMA copy runs where the CPU has both.
[[gnu::target("avx2,fma")]] void accumulateAvx2(const float* a, int aStride, int rows, int depth, const float* w,
                                                int cols, float* z, int zStride) {
    accumulateImpl(a, aStride, rows, depth, w, cols, z, zStride);
}
void accumulateGeneric(const float* a, int aStride, int rows, int depth, const float* w, int cols, float* z,
                       int zStride) {
    accumulateImpl(a, aStride, rows, depth, w, cols, z, zStride);
}
[[gnu::target("avx2,fma")]] void gatesAvx2(LstmActivation act, LstmActivation rec, const float* z, int zStride, int rows,
                                           int units, float* h, float* c) {
    gatesImpl(act, rec, z, zStride, rows, units, h, c);
}
void gatesGeneric(LstmActivation act, LstmActivation rec, const float* z, int zStride, int rows, int units, float* h,
                  float* c) {
    gatesImpl(act, rec, z, zStride, rows, units, h, c);
}

struct Dispatch {
    decltype(&accumulateGeneric) accumulate;
    decltype(&gatesGeneric) gates;
    const char* name;
};

const Dispatch& dispatch() {
    static const Dispatch table = [] {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
            return Dispatch{&accumulateAvx2, &gatesAvx2, "avx2+fma"};
        return Dispatch{&accumulateGeneric, &gatesGeneric, "sse2"};
    }();
    return table;
}

// Copies a row-major [rows][cols] matrix into [rows][stride], zero padding.
std::vector<float> padColumns(const std::vector<float>& source, int rows, int cols, int stride) {
    std::vector<float> packed(static_cast<size_t>(rows) * static_cast<size_t>(stride), 0.0f);
    for (int r = 0; r < rows; ++r)
        std::copy_n(source.data() + static_cast<ptrdiff_t>(r) * cols, cols, packed.data() + static_cast<ptrdiff_t>(r) * stride);
    return packed;
}

// A row-major [rows][cols] matrix as panels of kColumnBlock columns, zero padded to
// `stride` columns: panel p holds columns p*64..p*64+63 of every row, row after row.
std::vector<float> packPanels(const std::vector<float>& source, int rows, int cols, int stride) {
    std::vector<float> packed(static_cast<size_t>(rows) * static_cast<size_t>(stride), 0.0f);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            packed[static_cast<size_t>(c / kColumnBlock) * static_cast<size_t>(rows) * kColumnBlock +
                   static_cast<size_t>(r) * kColumnBlock + static_cast<size_t>(c % kColumnBlock)] =
                source[static_cast<size_t>(r) * static_cast<size_t>(cols) + static_cast<size_t>(c)];
    return packed;
}

}  // namespace

const char* LstmKernel::instructionSet() { return dispatch().name; }

Result<LstmKernel> LstmKernel::create(LstmModelWeights weights) {
    if (weights.layers.empty()) return makeError("LSTM kernel: the model has no LSTM layer");
    if (weights.vocabularySize <= 0) return makeError("LSTM kernel: the vocabulary is empty");
    LstmKernel kernel;
    kernel.m_vocabularySize = weights.vocabularySize;
    int inputSize = weights.vocabularySize;
    for (size_t l = 0; l < weights.layers.size(); ++l) {
        const LstmLayerWeights& layer = weights.layers[l];
        const std::string name = "LSTM kernel: layer " + std::to_string(l);
        const auto size = [](int a, int b) { return static_cast<size_t>(a) * static_cast<size_t>(b); };
        if (layer.units <= 0) return makeError(name + " has no units");
        if (layer.inputSize != inputSize)
            return makeError(name + " takes " + std::to_string(layer.inputSize) + " inputs but receives " + std::to_string(inputSize));
        if (layer.kernel.size() != size(inputSize, 4 * layer.units) ||
            layer.recurrentKernel.size() != size(layer.units, 4 * layer.units) ||
            (!layer.bias.empty() && layer.bias.size() != size(1, 4 * layer.units)))
            return makeError(name + ": kernel, recurrent kernel or bias size does not match " + std::to_string(inputSize) +
                             " inputs and " + std::to_string(layer.units) + " units");
        PackedLayer packed;
        packed.inputSize = inputSize;
        packed.units = layer.units;
        packed.gateStride = roundUp(4 * layer.units, kColumnBlock);
        packed.stateOffset = kernel.m_stateSize;
        packed.activation = layer.activation;
        packed.recurrentActivation = layer.recurrentActivation;
        // Layer 0 looks up rows (one-hot input); the others multiply, so they get panels.
        packed.input = l == 0 ? padColumns(layer.kernel, inputSize, 4 * layer.units, packed.gateStride)
                              : packPanels(layer.kernel, inputSize, 4 * layer.units, packed.gateStride);
        packed.recurrent = packPanels(layer.recurrentKernel, layer.units, 4 * layer.units, packed.gateStride);
        packed.bias.assign(static_cast<size_t>(packed.gateStride), 0.0f);
        std::copy(layer.bias.begin(), layer.bias.end(), packed.bias.begin());
        if (l == 0) {  // one-hot input: the row of the symbol, bias included
            for (int row = 0; row < inputSize; ++row)
                for (int g = 0; g < packed.gateStride; ++g)
                    packed.input[static_cast<size_t>(row) * static_cast<size_t>(packed.gateStride) + static_cast<size_t>(g)] +=
                        packed.bias[static_cast<size_t>(g)];
        }
        kernel.m_maxGateStride = std::max(kernel.m_maxGateStride, packed.gateStride);
        kernel.m_stateSize += layer.units;
        inputSize = layer.units;
        kernel.m_layers.push_back(std::move(packed));
    }
    if (weights.denseKernel.size() != static_cast<size_t>(inputSize) * static_cast<size_t>(weights.vocabularySize) ||
        weights.denseBias.size() != static_cast<size_t>(weights.vocabularySize))
        return makeError("LSTM kernel: the Dense layer must map " + std::to_string(inputSize) + " units to " +
                         std::to_string(weights.vocabularySize) + " symbols");
    kernel.m_denseStride = roundUp(weights.vocabularySize, kColumnBlock);
    kernel.m_dense = packPanels(weights.denseKernel, inputSize, weights.vocabularySize, kernel.m_denseStride);
    kernel.m_denseBias.assign(static_cast<size_t>(kernel.m_denseStride), 0.0f);
    std::copy(weights.denseBias.begin(), weights.denseBias.end(), kernel.m_denseBias.begin());
    return kernel;
}

LstmState LstmKernel::initialState(int batchSize) const {
    LstmState state;
    state.batchSize = std::max(batchSize, 0);
    const size_t rows = static_cast<size_t>(state.batchSize);
    state.hidden.assign(rows * static_cast<size_t>(m_stateSize), 0.0f);
    state.cell.assign(rows * static_cast<size_t>(m_stateSize), 0.0f);
    state.gates.assign(rows * static_cast<size_t>(std::max(m_maxGateStride, m_denseStride)), 0.0f);
    return state;
}

void LstmKernel::keepRows(LstmState& state, std::span<const int> rows) const {
    const auto kept = static_cast<int>(rows.size());
    MELODIST_ASSERT(kept <= state.batchSize) { return; }
    // Each layer's block is [batch][units] at batch * stateOffset; rows only move down.
    const auto compact = [&](std::vector<float>& values) {
        for (const PackedLayer& layer : m_layers) {
            const float* from = values.data() + static_cast<ptrdiff_t>(state.batchSize) * layer.stateOffset;
            float* to = values.data() + static_cast<ptrdiff_t>(kept) * layer.stateOffset;
            for (int r = 0; r < kept; ++r) {
                MELODIST_ASSERT(rows[static_cast<size_t>(r)] >= r && rows[static_cast<size_t>(r)] < state.batchSize) { return; }
                std::memmove(to + static_cast<ptrdiff_t>(r) * layer.units,
                             from + static_cast<ptrdiff_t>(rows[static_cast<size_t>(r)]) * layer.units,
                             sizeof(float) * static_cast<size_t>(layer.units));
            }
        }
        values.resize(static_cast<size_t>(kept) * static_cast<size_t>(m_stateSize));
    };
    compact(state.hidden);
    compact(state.cell);
    state.batchSize = kept;
}

void LstmKernel::step(int symbolId, LstmState& state, std::span<float> logitsOut) const {
    stepBatch(std::span<const int>(&symbolId, 1), state, logitsOut);
}

void LstmKernel::stepBatch(std::span<const int> symbolIds, LstmState& state, std::span<float> logitsOut) const {
    const int rows = state.batchSize;
    MELODIST_ASSERT(static_cast<int>(symbolIds.size()) == rows && rows > 0 &&
                    logitsOut.size() >= static_cast<size_t>(rows) * static_cast<size_t>(m_vocabularySize) &&
                    state.hidden.size() == static_cast<size_t>(rows) * static_cast<size_t>(m_stateSize)) {
        return;
    }
    const Dispatch& kernels = dispatch();
    float* z = state.gates.data();
    for (size_t l = 0; l < m_layers.size(); ++l) {
        const PackedLayer& layer = m_layers[l];
        const int stride = layer.gateStride;
        float* h = state.hidden.data() + static_cast<ptrdiff_t>(rows) * layer.stateOffset;
        float* c = state.cell.data() + static_cast<ptrdiff_t>(rows) * layer.stateOffset;
        if (l == 0) {
            for (int r = 0; r < rows; ++r) {
                const int id = symbolIds[static_cast<size_t>(r)];
                MELODIST_ASSERT(id >= 0 && id < m_vocabularySize) { return; }
                std::memcpy(z + static_cast<ptrdiff_t>(r) * stride, layer.input.data() + static_cast<ptrdiff_t>(id) * stride,
                            sizeof(float) * static_cast<size_t>(stride));
            }
        } else {
            const float* below = state.hidden.data() + static_cast<ptrdiff_t>(rows) * m_layers[l - 1].stateOffset;
            for (int r = 0; r < rows; ++r)
                std::copy(layer.bias.begin(), layer.bias.end(), z + static_cast<ptrdiff_t>(r) * stride);
            kernels.accumulate(below, layer.inputSize, rows, layer.inputSize, layer.input.data(), stride, z, stride);
        }
        kernels.accumulate(h, layer.units, rows, layer.units, layer.recurrent.data(), stride, z, stride);
        kernels.gates(layer.activation, layer.recurrentActivation, z, stride, rows, layer.units, h, c);
    }
    const PackedLayer& last = m_layers.back();
    const float* h = state.hidden.data() + static_cast<ptrdiff_t>(rows) * last.stateOffset;
    for (int r = 0; r < rows; ++r)
        std::copy(m_denseBias.begin(), m_denseBias.end(), z + static_cast<ptrdiff_t>(r) * m_denseStride);
    kernels.accumulate(h, last.units, rows, last.units, m_dense.data(), m_denseStride, z, m_denseStride);
    for (int r = 0; r < rows; ++r)
        std::copy_n(z + static_cast<ptrdiff_t>(r) * m_denseStride, m_vocabularySize,
                    logitsOut.begin() + static_cast<ptrdiff_t>(r) * m_vocabularySize);
}

Result<std::vector<float>> LstmKernel::probabilities(std::span<const int> window) const {
    if (window.empty()) return makeError("LSTM kernel: an empty window has no prediction; give at least one symbol");
    for (size_t i = 0; i < window.size(); ++i)
        if (window[i] < 0 || window[i] >= m_vocabularySize)
            return makeError("LSTM kernel: symbol id " + std::to_string(window[i]) + " at position " + std::to_string(i) +
                             " is outside the vocabulary of " + std::to_string(m_vocabularySize));
    LstmState state = initialState(1);
    std::vector<float> logits(static_cast<size_t>(m_vocabularySize));
    for (const int id : window) step(id, state, logits);
    softmax(logits);
    return logits;
}

void LstmKernel::softmax(std::span<float> values) {
    if (values.empty()) return;
    const float maximum = *std::max_element(values.begin(), values.end());
    float sum = 0.0f;
    for (float& v : values) {
        v = std::exp(v - maximum);
        sum += v;
    }
    for (float& v : values) v /= sum;
}

}  // namespace melodist::engine

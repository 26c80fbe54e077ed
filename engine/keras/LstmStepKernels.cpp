// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/keras/LstmStepKernels.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>

// Built with -O3 -ffp-contract=fast -fno-trapping-math (engine/CMakeLists.txt): the
// loops rely on the vectoriser and on FMA contraction.

namespace melodist::engine::detail {

namespace {

// GCC/Clang vector extensions. Loads and stores go through memcpy (unaligned, no
// aliasing assumptions; compiled to vmovups), so the types need no attributes, which
// GCC would drop anyway where they are template arguments. Without AVX the compiler
// would split a Vec8 operation into two SSE ones (and spill): SSE2 gets its own Vec4.
typedef float Vec16 __attribute__((vector_size(64)));
typedef float Vec8 __attribute__((vector_size(32)));
typedef float Vec4 __attribute__((vector_size(16)));

template <class V>
constexpr int kLanes = static_cast<int>(sizeof(V) / sizeof(float));

template <class V>
[[gnu::always_inline]] inline V loadVec(const float* p) {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
}
template <class V>
[[gnu::always_inline]] inline void storeVec(float* p, V v) {
    std::memcpy(p, &v, sizeof(V));
}

// Tile shapes per instruction set. Batches: Rows x StripVectors accumulators (AVX-512:
// 4 x 4 zmm; 4..8 rows x 2..4 vectors, and keeping 32..128-deep slices of a panel in L1,
// measured no better on the seed model: ~47-52 GMAC/s on one core of this EPYC, whose
// 512-bit FMA peak is 58); a single row: WideVectors (enough independent FMA chains to
// hide their latency while the weights stream in).
struct Avx512Shape {
    using Vec = Vec16;
    static constexpr int kRows = 4, kStripVectors = 4, kWideVectors = 4;
};
struct Avx2Shape {
    using Vec = Vec8;
    static constexpr int kRows = 4, kStripVectors = 2, kWideVectors = 8;
};
struct Sse2Shape {  // 16 registers: 4 x 2 accumulators
    using Vec = Vec4;
    static constexpr int kRows = 4, kStripVectors = 2, kWideVectors = 8;
};

// z[r][0..NV*lanes) += sum_k a[r][k] * w[k][0..NV*lanes), k ascending, in registers.
// FromZero: z = the sum, the chain starting from +0 in registers (the same numbers as
// z zeroed first, without a pass that writes the output twice).
template <class V, int MR, int NV, bool FromZero>
[[gnu::always_inline]] inline void tile(const float* __restrict a, int aStride, int depth, const float* __restrict w,
                                        int wStride, float* __restrict z, int zStride) {
    constexpr int L = kLanes<V>;
    V acc[MR][NV];
    for (int r = 0; r < MR; ++r)
        for (int v = 0; v < NV; ++v) acc[r][v] = FromZero ? V{} : loadVec<V>(z + r * zStride + L * v);
    for (int k = 0; k < depth; ++k) {
        V wv[NV];
        for (int v = 0; v < NV; ++v) {
            wv[v] = loadVec<V>(w + static_cast<ptrdiff_t>(k) * wStride + L * v);
            // One load per vector: without this, GCC folds the loads of tiles of 2-3 rows
            // into every FMA (3 x the L1 traffic; 3 rows then cost more than 4).
            if constexpr (MR > 1 && MR < 4) __asm__("" : "+v"(wv[v]));
        }
        for (int r = 0; r < MR; ++r) {
            const float s = a[r * aStride + k];
            for (int v = 0; v < NV; ++v) acc[r][v] += s * wv[v];
        }
    }
    for (int r = 0; r < MR; ++r)
        for (int v = 0; v < NV; ++v) storeVec<V>(z + r * zStride + L * v, acc[r][v]);
}

// tile<V, MR, nv> for a run-time nv in 1..MaxNV.
template <class V, int MR, int MaxNV, bool FromZero>
[[gnu::always_inline]] inline void tileVectors(int nv, const float* a, int aStride, int depth, const float* w, int wStride,
                                               float* z, int zStride) {
    switch (nv) {
    case 1: tile<V, MR, 1, FromZero>(a, aStride, depth, w, wStride, z, zStride); break;
    case 2: if constexpr (MaxNV >= 2) tile<V, MR, 2, FromZero>(a, aStride, depth, w, wStride, z, zStride); break;
    case 3: if constexpr (MaxNV >= 3) tile<V, MR, 3, FromZero>(a, aStride, depth, w, wStride, z, zStride); break;
    case 4: if constexpr (MaxNV >= 4) tile<V, MR, 4, FromZero>(a, aStride, depth, w, wStride, z, zStride); break;
    case 6: if constexpr (MaxNV >= 6) tile<V, MR, 6, FromZero>(a, aStride, depth, w, wStride, z, zStride); break;
    case 8: if constexpr (MaxNV >= 8) tile<V, MR, 8, FromZero>(a, aStride, depth, w, wStride, z, zStride); break;
    default: break;  // widths are multiples of 16 columns: other counts never occur
    }
}

// tile<V, rows, nv> for the last rows (fewer than a row block) of a strip.
template <class V, int MaxRows, int MaxNV, bool FromZero>
[[gnu::always_inline]] inline void tailRows(int rows, int nv, const float* a, int aStride, int depth, const float* w,
                                            int wStride, float* z, int zStride) {
    if constexpr (MaxRows > 0) {
        if (rows == MaxRows)
            tileVectors<V, MaxRows, MaxNV, FromZero>(nv, a, aStride, depth, w, wStride, z, zStride);
        else
            tailRows<V, MaxRows - 1, MaxNV, FromZero>(rows, nv, a, aStride, depth, w, wStride, z, zStride);
    }
}

// z[rows][0..width) += a[rows][depth] * panel[depth][width] (one k-major panel); with
// FromZero, z = the product.
template <class Shape, bool FromZero = false>
[[gnu::always_inline]] inline void accumulatePanel(const float* a, int aStride, int rows, int depth, const float* panel,
                                                   int width, float* z, int zStride) {
    using V = typename Shape::Vec;
    constexpr int L = kLanes<V>;
    constexpr int MR = Shape::kRows;
    if (rows == 1) {
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < width; c += Shape::kWideVectors * L)
                tileVectors<V, 1, Shape::kWideVectors, FromZero>(std::min(Shape::kWideVectors, (width - c) / L),
                                                                 a + r * aStride, aStride, depth, panel + c, width,
                                                                 z + r * zStride + c, zStride);
        return;
    }
    // Several rows: a strip of the panel stays in L1/L2 while every row block uses it.
    for (int c = 0; c < width; c += Shape::kStripVectors * L) {
        const int nv = std::min(Shape::kStripVectors, (width - c) / L);
        int r = 0;
        for (; r + MR <= rows; r += MR)
            tileVectors<V, MR, Shape::kStripVectors, FromZero>(nv, a + r * aStride, aStride, depth, panel + c, width,
                                                               z + r * zStride + c, zStride);
        tailRows<V, MR - 1, Shape::kStripVectors, FromZero>(rows - r, nv, a + r * aStride, aStride, depth, panel + c,
                                                            width, z + r * zStride + c, zStride);
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

// The gates of `n` units of one block: z holds their i, f, c, o at 0, 16, 32, 48.
template <LstmActivation Act, LstmActivation Rec, int N>
[[gnu::always_inline]] inline void gatesBlock(const float* __restrict z, int n, float* __restrict h, float* __restrict c) {
    const int count = N > 0 ? N : n;
    for (int j = 0; j < count; ++j) {
        const float inputGate = activate<Rec>(z[j]);
        const float forgetGate = activate<Rec>(z[kUnitBlock + j]);
        const float candidate = activate<Act>(z[2 * kUnitBlock + j]);
        const float outputGate = activate<Rec>(z[3 * kUnitBlock + j]);
        const float cell = forgetGate * c[j] + inputGate * candidate;
        c[j] = cell;
        h[j] = outputGate * activate<Act>(cell);
    }
}

template <LstmActivation Act, LstmActivation Rec>
[[gnu::always_inline]] inline void gatesRows(const float* z, int zStride, int rows, int n, float* h, float* c, int units) {
    for (int r = 0; r < rows; ++r) {
        if (n == kUnitBlock) gatesBlock<Act, Rec, kUnitBlock>(z + r * zStride, n, h + r * units, c + r * units);
        else gatesBlock<Act, Rec, 0>(z + r * zStride, n, h + r * units, c + r * units);
    }
}

[[gnu::always_inline]] inline void gatesImpl(LstmActivation act, LstmActivation rec, const float* z, int zStride, int rows,
                                             int n, float* h, float* c, int units) {
    using enum LstmActivation;
    // The seed models use tanh with sigmoid (tf.keras) or hard_sigmoid (Keras 2.2).
    if (act == Tanh && rec == Sigmoid) gatesRows<Tanh, Sigmoid>(z, zStride, rows, n, h, c, units);
    else if (act == Tanh && rec == HardSigmoid) gatesRows<Tanh, HardSigmoid>(z, zStride, rows, n, h, c, units);
    else if (act == Tanh) gatesRows<Tanh, Tanh>(z, zStride, rows, n, h, c, units);
    else if (act == Sigmoid && rec == Sigmoid) gatesRows<Sigmoid, Sigmoid>(z, zStride, rows, n, h, c, units);
    else if (act == Sigmoid && rec == HardSigmoid) gatesRows<Sigmoid, HardSigmoid>(z, zStride, rows, n, h, c, units);
    else if (act == Sigmoid) gatesRows<Sigmoid, Tanh>(z, zStride, rows, n, h, c, units);
    else if (rec == Sigmoid) gatesRows<HardSigmoid, Sigmoid>(z, zStride, rows, n, h, c, units);
    else if (rec == HardSigmoid) gatesRows<HardSigmoid, HardSigmoid>(z, zStride, rows, n, h, c, units);
    else gatesRows<HardSigmoid, Tanh>(z, zStride, rows, n, h, c, units);
}

// The recurrent products of layer l, unit block `block`, rows [first, first + rows):
// out[rows][64] = h_prev U, one FMA chain per output from zero, k ascending.
template <class Shape>
[[gnu::always_inline]] inline void recurrentBlockImpl(const LstmStepContext& context, int l, int block, int first, int rows,
                                                      float* out) {
    const LstmPackedLayer& layer = context.layers[l];
    const ptrdiff_t state = static_cast<ptrdiff_t>(context.batch) * layer.stateOffset + static_cast<ptrdiff_t>(first) * layer.units;
    accumulatePanel<Shape, /*FromZero=*/true>(
        context.previousHidden + state, layer.units, rows, layer.units,
        layer.recurrent.data() + static_cast<ptrdiff_t>(block) * layer.units * kPanelColumns, kPanelColumns, out,
        kPanelColumns);
}

// Layer l, unit block `block`, rows [first, first + rows), rows <= kChunkRows: z = (the
// symbol's row of the input kernel, bias folded in | the bias + h_below K) + the
// recurrent products (taken from context.recurrentIn when computed ahead), then the gates.
template <class Shape>
[[gnu::always_inline]] inline void layerChunk(const LstmStepContext& context, int l, int block, int worker, int first,
                                              int rows) {
    const LstmPackedLayer& layer = context.layers[l];
    const int column = block * kPanelColumns;
    const int unit = block * kUnitBlock;
    // This block's sums, [rows][64], in the worker's own scratch (contiguous: a [rows][gate
    // stride] array puts the rows 4 KiB apart, in the same L1 sets).
    constexpr int zStride = kPanelColumns;
    float* z = context.scratch + static_cast<ptrdiff_t>(worker) * context.scratchPerWorker;
    const float* recurrent = nullptr;
    if (context.recurrentIn) {
        recurrent = context.recurrentIn +
                    (static_cast<ptrdiff_t>(layer.blockOffset + block) * context.batch + first) * kPanelColumns;
    } else {
        float* own = z + kChunkRows * zStride;
        recurrentBlockImpl<Shape>(context, l, block, first, rows, own);
        recurrent = own;
    }
    if (l == 0) {  // z = the symbol's row + the recurrent products, in one pass
        for (int r = 0; r < rows; ++r) {
            const float* __restrict input =
                layer.input.data() + static_cast<ptrdiff_t>(context.ids[first + r]) * layer.gateStride + column;
            const float* __restrict products = recurrent + static_cast<ptrdiff_t>(r) * zStride;
            float* __restrict sums = z + static_cast<ptrdiff_t>(r) * zStride;
            for (int i = 0; i < kPanelColumns; ++i) sums[i] = input[i] + products[i];
        }
    } else {
        for (int r = 0; r < rows; ++r)
            std::memcpy(z + static_cast<ptrdiff_t>(r) * zStride, layer.bias.data() + column,
                        sizeof(float) * kPanelColumns);
        const float* below = context.hidden + static_cast<ptrdiff_t>(context.batch) * context.layers[l - 1].stateOffset +
                             static_cast<ptrdiff_t>(first) * layer.inputSize;
        accumulatePanel<Shape>(below, layer.inputSize, rows, layer.inputSize,
                               layer.input.data() + static_cast<ptrdiff_t>(block) * layer.inputSize * kPanelColumns,
                               kPanelColumns, z, zStride);
        for (int i = 0; i < rows * zStride; ++i) z[i] += recurrent[i];
    }
    const ptrdiff_t state = static_cast<ptrdiff_t>(context.batch) * layer.stateOffset + static_cast<ptrdiff_t>(first) * layer.units;
    const int n = std::min(kUnitBlock, layer.units - unit);
    gatesImpl(layer.activation, layer.recurrentActivation, z, zStride, rows, n, context.hidden + state + unit,
              context.cell + state + unit, layer.units);
    if (context.hiddenCopy)  // written by the thread that computed it: no cache line crosses cores
        for (int r = 0; r < rows; ++r)
            std::memcpy(context.hiddenCopy + state + unit + static_cast<ptrdiff_t>(r) * layer.units,
                        context.hidden + state + unit + static_cast<ptrdiff_t>(r) * layer.units, sizeof(float) * n);
}

// The same for any number of rows, kChunkRows at a time (the scratch stays in L1; the
// weights stream from L2 once per 4 rows whatever the chunk).
template <class Shape>
[[gnu::always_inline]] inline void layerBlockImpl(const LstmStepContext& context, int l, int block, int worker, int first,
                                                  int rows) {
    for (int r = 0; r < rows; r += kChunkRows)
        layerChunk<Shape>(context, l, block, worker, first + r, std::min(kChunkRows, rows - r));
}

// The Dense layer for rows [first, first + rows), rows <= kDenseRowBlock.
template <class Shape>
[[gnu::always_inline]] inline void denseRowsImpl(const LstmStepContext& context, int worker, int first, int rows) {
    const LstmPackedLayer& last = context.layers[context.layerCount - 1];
    const int zStride = context.denseStride;
    float* z = context.scratch + static_cast<ptrdiff_t>(worker) * context.scratchPerWorker;
    const float* h = context.hidden + static_cast<ptrdiff_t>(context.batch) * last.stateOffset +
                     static_cast<ptrdiff_t>(first) * last.units;
    for (int r = 0; r < rows; ++r)
        std::memcpy(z + static_cast<ptrdiff_t>(r) * zStride, context.denseBias, sizeof(float) * context.denseStride);
    for (int column = 0; column < context.denseStride; column += kPanelColumns)
        accumulatePanel<Shape>(h, last.units, rows, last.units,
                               context.dense + static_cast<ptrdiff_t>(column) * last.units,
                               std::min(kPanelColumns, context.denseStride - column), z + column, zStride);
    for (int r = 0; r < rows; ++r)
        std::memcpy(context.logits + static_cast<ptrdiff_t>(first + r) * context.vocabularySize,
                    z + static_cast<ptrdiff_t>(r) * zStride, sizeof(float) * context.vocabularySize);
}

// Items: unit blocks of a layer (every row), or groups of Dense rows.
template <class Shape>
[[gnu::always_inline]] inline void columnItemsImpl(const LstmStepContext& context, int phase, int first, int end, int worker) {
    for (int item = first; item < end; ++item) {
        if (phase < context.layerCount) {
            layerBlockImpl<Shape>(context, phase, item, worker, 0, context.rows);
        } else {
            const int row = item * kDenseRowBlock;
            denseRowsImpl<Shape>(context, worker, row, std::min(kDenseRowBlock, context.rows - row));
        }
    }
}

// Items: groups of kRowGroup rows, each through every layer and the Dense layer.
template <class Shape>
[[gnu::always_inline]] inline void rowItemsImpl(const LstmStepContext& context, int first, int end, int worker) {
    const int row = first * kRowGroup;
    const int rows = std::min(end * kRowGroup, context.rows) - row;
    for (int l = 0; l < context.layerCount; ++l)
        for (int block = 0; block < context.layers[l].gateStride / kPanelColumns; ++block)
            layerBlockImpl<Shape>(context, l, block, worker, row, rows);
    for (int r = 0; r < rows; r += kDenseRowBlock)
        denseRowsImpl<Shape>(context, worker, row + r, std::min(kDenseRowBlock, rows - r));
}

// Row groups [first, end): the recurrent products of every layer and block into
// context.recurrentOut (a job computed ahead of the step that uses them).
template <class Shape>
[[gnu::always_inline]] inline void recurrentItemsImpl(const LstmStepContext& context, int first, int end) {
    const int row = first * kRowGroup;
    const int rows = std::min(end * kRowGroup, context.rows) - row;
    for (int l = 0; l < context.layerCount; ++l) {
        const LstmPackedLayer& layer = context.layers[l];
        for (int block = 0; block < layer.gateStride / kPanelColumns; ++block)
            recurrentBlockImpl<Shape>(context, l, block, row, rows,
                                      context.recurrentOut + (static_cast<ptrdiff_t>(layer.blockOffset + block) * context.batch + row) *
                                                                 kPanelColumns);
    }
}

// The same code compiled three times.
[[gnu::target("avx512f,avx2,fma")]] void columnItemsAvx512(const LstmStepContext& c, int phase, int first, int end, int worker) {
    columnItemsImpl<Avx512Shape>(c, phase, first, end, worker);
}
[[gnu::target("avx512f,avx2,fma")]] void rowItemsAvx512(const LstmStepContext& c, int first, int end, int worker) {
    rowItemsImpl<Avx512Shape>(c, first, end, worker);
}
[[gnu::target("avx512f,avx2,fma")]] void recurrentItemsAvx512(const LstmStepContext& c, int first, int end) {
    recurrentItemsImpl<Avx512Shape>(c, first, end);
}
[[gnu::target("avx2,fma")]] void columnItemsAvx2(const LstmStepContext& c, int phase, int first, int end, int worker) {
    columnItemsImpl<Avx2Shape>(c, phase, first, end, worker);
}
[[gnu::target("avx2,fma")]] void rowItemsAvx2(const LstmStepContext& c, int first, int end, int worker) {
    rowItemsImpl<Avx2Shape>(c, first, end, worker);
}
[[gnu::target("avx2,fma")]] void recurrentItemsAvx2(const LstmStepContext& c, int first, int end) {
    recurrentItemsImpl<Avx2Shape>(c, first, end);
}
void columnItemsSse2(const LstmStepContext& c, int phase, int first, int end, int worker) {
    columnItemsImpl<Sse2Shape>(c, phase, first, end, worker);
}
void rowItemsSse2(const LstmStepContext& c, int first, int end, int worker) { rowItemsImpl<Sse2Shape>(c, first, end, worker); }
void recurrentItemsSse2(const LstmStepContext& c, int first, int end) { recurrentItemsImpl<Sse2Shape>(c, first, end); }

constexpr LstmStepKernels kAvx512{&columnItemsAvx512, &rowItemsAvx512, &recurrentItemsAvx512, "avx512f"};
constexpr LstmStepKernels kAvx2{&columnItemsAvx2, &rowItemsAvx2, &recurrentItemsAvx2, "avx2+fma"};
constexpr LstmStepKernels kSse2{&columnItemsSse2, &rowItemsSse2, &recurrentItemsSse2, "sse2"};

std::vector<const LstmStepKernels*> supported() {
    __builtin_cpu_init();
    std::vector<const LstmStepKernels*> list;
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (avx2 && __builtin_cpu_supports("avx512f")) list.push_back(&kAvx512);
    if (avx2) list.push_back(&kAvx2);
    list.push_back(&kSse2);
    return list;
}

std::atomic<const LstmStepKernels*>& current() {
    static std::atomic<const LstmStepKernels*> kernels{supported().front()};
    return kernels;
}

}  // namespace

const LstmStepKernels& lstmStepKernels() { return *current().load(std::memory_order_relaxed); }

std::vector<const char*> availableLstmStepKernels() {
    std::vector<const char*> names;
    for (const LstmStepKernels* k : supported()) names.push_back(k->name);
    return names;
}

bool selectLstmStepKernels(std::string_view name) {
    for (const LstmStepKernels* k : supported())
        if (name == k->name) {
            current().store(k, std::memory_order_relaxed);
            return true;
        }
    return false;
}

}  // namespace melodist::engine::detail

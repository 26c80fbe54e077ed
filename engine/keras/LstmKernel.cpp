// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/keras/LstmKernel.h"

#include "engine/core/Assert.h"
#include "engine/keras/LstmStepKernels.h"
#include "engine/keras/LstmStepTeam.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <thread>

namespace melodist::engine {

using detail::kColumnQuantum;
using detail::kPanelColumns;
using detail::kUnitBlock;
using detail::LstmPackedLayer;
using detail::LstmPackedModel;

namespace {

int roundUp(int value, int block) { return (value + block - 1) / block * block; }

std::atomic<int>& threadLimitSetting() {
    static std::atomic<int> limit{std::thread::hardware_concurrency() >= 2 ? 2 : 1};
    return limit;
}

// Keras' gate columns [i | f | c | o] (units each) of a [rows][4 units] matrix, reordered
// into unit blocks: column g * units + u goes to (u / 16) * 64 + g * 16 + u % 16. Row-major
// [rows][gateStride], zero padded.
std::vector<float> interleaveGates(const std::vector<float>& source, int rows, int units, int gateStride) {
    std::vector<float> packed(static_cast<size_t>(rows) * static_cast<size_t>(gateStride), 0.0f);
    for (int r = 0; r < rows; ++r)
        for (int g = 0; g < 4; ++g)
            for (int u = 0; u < units; ++u)
                packed[static_cast<size_t>(r) * static_cast<size_t>(gateStride) +
                       static_cast<size_t>(u / kUnitBlock * kPanelColumns + g * kUnitBlock + u % kUnitBlock)] =
                    source[static_cast<size_t>(r) * 4 * static_cast<size_t>(units) + static_cast<size_t>(g * units + u)];
    return packed;
}

// A row-major [rows][stride] matrix (stride a multiple of 16) as panels of up to 64
// columns: panel p holds columns 64p.. of every row, row after row, at offset 64p * rows.
std::vector<float> toPanels(const std::vector<float>& rowMajor, int rows, int stride) {
    std::vector<float> packed(rowMajor.size());
    for (int column = 0; column < stride; column += kPanelColumns) {
        const int width = std::min(kPanelColumns, stride - column);
        float* panel = packed.data() + static_cast<ptrdiff_t>(column) * rows;
        for (int r = 0; r < rows; ++r)
            std::copy_n(rowMajor.data() + static_cast<ptrdiff_t>(r) * stride + column, width,
                        panel + static_cast<ptrdiff_t>(r) * width);
    }
    return packed;
}

// From this many rows a step is split by rows, below by columns (LstmStepKernels.h).
// Seed model, 2 threads, 500 steps, ms by columns / by rows: 1 row 4.1 / -, 4 rows
// 6.4 / 11.2 (one group: one thread), 8 rows 12.6 / 11.3, 32 rows 51 / 46, 64 rows
// 90-112 / 90-99 (the machine's two phases; by columns every row's h crosses cores).
constexpr int kRowSplitFrom = 8;

void runStepItems(const void* context, int phase, int first, int end, int worker) {
    const auto& step = *static_cast<const detail::LstmStepContext*>(context);
    const detail::LstmStepKernels& kernels = detail::lstmStepKernels();
    if (step.splitByRows) kernels.rowItems(step, first, end, worker);
    else kernels.columnItems(step, phase, first, end, worker);
}

void runAheadItems(const void* context, int /*phase*/, int first, int end, int /*worker*/) {
    detail::lstmStepKernels().recurrentItems(*static_cast<const detail::LstmStepContext*>(context), first, end);
}

}  // namespace

namespace detail {

// The next step's recurrent products h_t U of a batch of kRowSplitFrom rows or more,
// posted to the helper thread at the end of a step and collected at the start of the next
// one: the helper computes them while the caller samples the next symbols (64
// candidates: 25 of the ~130 ms were sampling, with the helper idle). It reads its own
// copy of h_t and the shared packed weights, so the state and even the kernel may go
// meanwhile (the team keeps this alive until the helper is done).
struct LstmAhead {
    std::shared_ptr<const LstmPackedModel> model;
    std::vector<float> hidden;     // h_t, the state's layout for `rows` rows
    std::vector<float> recurrent;  // per (layer, unit block) [rows][64]
    int rows = 0;
    LstmStepContext context;
    LstmStepWork work;
    uint32_t ticket = 0;   // from postLstmAhead; 0: the helper was busy, computed when collected
    bool pending = false;  // holds (or will hold) the products for the state's next step
    bool ready = false;    // computed and collected
};

}  // namespace detail

const char* LstmKernel::instructionSet() { return detail::lstmStepKernels().name; }

std::vector<std::string> LstmKernel::instructionSets() {
    std::vector<std::string> names;
    for (const char* name : detail::availableLstmStepKernels()) names.emplace_back(name);
    return names;
}

bool LstmKernel::selectInstructionSet(const std::string& name) { return detail::selectLstmStepKernels(name); }

int LstmKernel::threadLimit() { return threadLimitSetting().load(std::memory_order_relaxed); }

void LstmKernel::setThreadLimit(int threads) { threadLimitSetting().store(std::clamp(threads, 1, 2), std::memory_order_relaxed); }

Result<LstmKernel> LstmKernel::create(LstmModelWeights weights) {
    if (weights.layers.empty()) return makeError("LSTM kernel: the model has no LSTM layer");
    if (weights.vocabularySize <= 0) return makeError("LSTM kernel: the vocabulary is empty");
    auto model = std::make_shared<LstmPackedModel>();
    model->vocabularySize = weights.vocabularySize;
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
        LstmPackedLayer packed;
        packed.inputSize = inputSize;
        packed.units = layer.units;
        packed.gateStride = roundUp(layer.units, kUnitBlock) * 4;
        packed.stateOffset = model->stateSize;
        packed.blockOffset = model->blockCount;
        packed.activation = layer.activation;
        packed.recurrentActivation = layer.recurrentActivation;
        // Layer 0 looks up rows (one-hot input) with the bias folded in; the others
        // multiply, so they get panels.
        std::vector<float> input = interleaveGates(layer.kernel, inputSize, layer.units, packed.gateStride);
        packed.bias.assign(static_cast<size_t>(packed.gateStride), 0.0f);
        if (!layer.bias.empty()) packed.bias = interleaveGates(layer.bias, 1, layer.units, packed.gateStride);
        if (l == 0) {
            for (int row = 0; row < inputSize; ++row)
                for (int g = 0; g < packed.gateStride; ++g)
                    input[static_cast<size_t>(row) * static_cast<size_t>(packed.gateStride) + static_cast<size_t>(g)] +=
                        packed.bias[static_cast<size_t>(g)];
            packed.input = std::move(input);
        } else {
            packed.input = toPanels(input, inputSize, packed.gateStride);
        }
        packed.recurrent =
            toPanels(interleaveGates(layer.recurrentKernel, layer.units, layer.units, packed.gateStride), layer.units,
                     packed.gateStride);
        model->stateSize += layer.units;
        model->blockCount += packed.gateStride / kPanelColumns;
        inputSize = layer.units;
        model->layers.push_back(std::move(packed));
    }
    if (weights.denseKernel.size() != static_cast<size_t>(inputSize) * static_cast<size_t>(weights.vocabularySize) ||
        weights.denseBias.size() != static_cast<size_t>(weights.vocabularySize))
        return makeError("LSTM kernel: the Dense layer must map " + std::to_string(inputSize) + " units to " +
                         std::to_string(weights.vocabularySize) + " symbols");
    model->denseStride = roundUp(weights.vocabularySize, kColumnQuantum);
    std::vector<float> dense(static_cast<size_t>(inputSize) * static_cast<size_t>(model->denseStride), 0.0f);
    for (int r = 0; r < inputSize; ++r)
        std::copy_n(weights.denseKernel.data() + static_cast<ptrdiff_t>(r) * weights.vocabularySize, weights.vocabularySize,
                    dense.data() + static_cast<ptrdiff_t>(r) * model->denseStride);
    model->dense = toPanels(dense, inputSize, model->denseStride);
    model->denseBias.assign(static_cast<size_t>(model->denseStride), 0.0f);
    std::copy(weights.denseBias.begin(), weights.denseBias.end(), model->denseBias.begin());
    LstmKernel kernel;
    kernel.m_model = std::move(model);
    return kernel;
}

LstmState LstmKernel::initialState(int batchSize) const {
    LstmState state;
    state.batchSize = std::max(batchSize, 0);
    const size_t rows = static_cast<size_t>(state.batchSize), stateSize = static_cast<size_t>(m_model->stateSize);
    state.hidden.assign(rows * stateSize, 0.0f);
    state.cell.assign(rows * stateSize, 0.0f);
    state.previousHidden.assign(rows * stateSize, 0.0f);
    state.gates.assign(2 * static_cast<size_t>(detail::scratchPerWorker(m_model->denseStride)), 0.0f);
    state.rowsIdentical = true;
    return state;
}

void LstmKernel::collectAhead(LstmState& state) {
    detail::LstmAhead* ahead = state.ahead.job.get();
    if (ahead == nullptr || !ahead->pending || ahead->ready) return;
    if (ahead->ticket != 0) detail::finishLstmAhead(ahead->ticket, ahead->work);
    else runAheadItems(&ahead->context, 0, 0, ahead->work.itemCounts[0], 0);  // the helper was busy: here
    ahead->ready = true;
}

void LstmKernel::keepRows(LstmState& state, std::span<const int> rows) const {
    const auto kept = static_cast<int>(rows.size());
    MELODIST_ASSERT(kept <= state.batchSize) { return; }
    for (int r = 0; r < kept; ++r)
        MELODIST_ASSERT(rows[static_cast<size_t>(r)] >= r && rows[static_cast<size_t>(r)] < state.batchSize) { return; }
    // Row blocks are [batch][width] at batch * offset; rows only move down.
    const auto compactRows = [&](float* values, ptrdiff_t fromOffset, ptrdiff_t toOffset, int width) {
        for (int r = 0; r < kept; ++r)
            std::memmove(values + toOffset + static_cast<ptrdiff_t>(r) * width,
                         values + fromOffset + static_cast<ptrdiff_t>(rows[static_cast<size_t>(r)]) * width,
                         sizeof(float) * static_cast<size_t>(width));
    };
    for (std::vector<float>* values : {&state.hidden, &state.cell}) {
        for (const LstmPackedLayer& layer : m_model->layers)
            compactRows(values->data(), static_cast<ptrdiff_t>(state.batchSize) * layer.stateOffset,
                        static_cast<ptrdiff_t>(kept) * layer.stateOffset, layer.units);
        values->resize(static_cast<size_t>(kept) * static_cast<size_t>(m_model->stateSize));
    }
    state.previousHidden.resize(state.hidden.size());  // scratch: its contents do not matter
    if (detail::LstmAhead* ahead = state.ahead.job.get(); ahead != nullptr && ahead->pending) {
        collectAhead(state);  // then keep its rows too: per (layer, block) [batch][64]
        if (ahead->rows == state.batchSize) {
            for (int block = 0; block < m_model->blockCount; ++block)
                compactRows(ahead->recurrent.data(), static_cast<ptrdiff_t>(block) * state.batchSize * kPanelColumns,
                            static_cast<ptrdiff_t>(block) * kept * kPanelColumns, kPanelColumns);
            ahead->rows = kept;
        } else {
            ahead->pending = false;
        }
    }
    state.batchSize = kept;
}

void LstmKernel::step(int symbolId, LstmState& state, std::span<float> logitsOut) const {
    stepBatch(std::span<const int>(&symbolId, 1), state, logitsOut);
}

void LstmKernel::stepBatch(std::span<const int> symbolIds, LstmState& state, std::span<float> logitsOut) const {
    const int rows = state.batchSize;
    const int vocabularySize = m_model->vocabularySize;
    MELODIST_ASSERT(static_cast<int>(symbolIds.size()) == rows && rows > 0 &&
                    logitsOut.size() >= static_cast<size_t>(rows) * static_cast<size_t>(vocabularySize) &&
                    state.hidden.size() == static_cast<size_t>(rows) * static_cast<size_t>(m_model->stateSize) &&
                    state.previousHidden.size() == state.hidden.size()) {
        return;
    }
    for (const int id : symbolIds) MELODIST_ASSERT(id >= 0 && id < vocabularySize) { return; }
    const bool sameIds = std::all_of(symbolIds.begin(), symbolIds.end(), [&](int id) { return id == symbolIds[0]; });
    state.rowsIdentical = state.rowsIdentical && sameIds;
    if (!state.rowsIdentical || rows == 1) return stepRows(symbolIds, rows, state, logitsOut);
    // Every row would compute the same numbers: compute row 0, copy it.
    stepRows(symbolIds, 1, state, logitsOut);
    for (const LstmPackedLayer& layer : m_model->layers)
        for (std::vector<float>* values : {&state.hidden, &state.cell}) {
            float* block = values->data() + static_cast<ptrdiff_t>(rows) * layer.stateOffset;
            for (int r = 1; r < rows; ++r) std::copy_n(block, layer.units, block + static_cast<ptrdiff_t>(r) * layer.units);
        }
    for (int r = 1; r < rows; ++r)
        std::copy_n(logitsOut.begin(), vocabularySize, logitsOut.begin() + static_cast<ptrdiff_t>(r) * vocabularySize);
}

void LstmKernel::stepRows(std::span<const int> symbolIds, int rows, LstmState& state, std::span<float> logitsOut) const {
    const LstmPackedModel& model = *m_model;
    // The recurrent products of this step, computed ahead (LstmAhead), when they are for these rows.
    collectAhead(state);
    detail::LstmAhead* ahead = state.ahead.job.get();
    const bool useAhead = ahead != nullptr && ahead->pending && ahead->rows == rows && rows == state.batchSize &&
                          ahead->model == m_model;
    if (ahead != nullptr) ahead->pending = false;
    // And whether the next step's will be: then this step also writes h into the job's copy.
    const bool postNext = rows >= kRowSplitFrom && rows == state.batchSize && threadLimit() >= 2;
    if (postNext && (!state.ahead.job || state.ahead.job.use_count() > 1)) {
        state.ahead.job = std::make_shared<detail::LstmAhead>();  // the helper may still hold the old one
        ahead = state.ahead.job.get();
    }
    if (postNext) ahead->hidden.resize(state.hidden.size());
    std::swap(state.hidden, state.previousHidden);  // last step's h is read while the new one is written
    detail::LstmStepContext context;
    context.layers = model.layers.data();
    context.layerCount = layerCount();
    context.dense = model.dense.data();
    context.denseBias = model.denseBias.data();
    context.denseStride = model.denseStride;
    context.vocabularySize = model.vocabularySize;
    context.ids = symbolIds.data();
    context.rows = rows;
    context.batch = state.batchSize;
    context.hidden = state.hidden.data();
    context.previousHidden = state.previousHidden.data();
    context.cell = state.cell.data();
    context.scratch = state.gates.data();
    context.scratchPerWorker = detail::scratchPerWorker(model.denseStride);
    context.logits = logitsOut.data();
    context.splitByRows = rows >= kRowSplitFrom || layerCount() + 1 > detail::kMaxStepPhases;
    context.recurrentIn = useAhead ? ahead->recurrent.data() : nullptr;
    context.hiddenCopy = postNext ? ahead->hidden.data() : nullptr;
    detail::LstmStepWork work;
    work.runItems = &runStepItems;
    work.context = &context;
    if (context.splitByRows) {
        work.phaseCount = 1;
        work.itemCounts[0] = detail::rowGroups(rows);
        work.halves = true;
    } else {
        work.phaseCount = layerCount() + 1;
        for (int l = 0; l < layerCount(); ++l)
            work.itemCounts[static_cast<size_t>(l)] = model.layers[static_cast<size_t>(l)].gateStride / kPanelColumns;
        work.itemCounts[static_cast<size_t>(layerCount())] = detail::denseRowBlocks(rows);
    }
    detail::runLstmStep(work, threadLimit());
    if (postNext) postAhead(state);
}

void LstmKernel::postAhead(LstmState& state) const {
    detail::LstmAhead& ahead = *state.ahead.job;  // its `hidden` already holds this step's h
    const LstmPackedModel& model = *m_model;
    ahead.model = m_model;
    ahead.rows = state.batchSize;
    ahead.recurrent.resize(static_cast<size_t>(ahead.rows) * static_cast<size_t>(model.blockCount) * kPanelColumns);
    ahead.context = {};
    ahead.context.layers = model.layers.data();
    ahead.context.layerCount = layerCount();
    ahead.context.rows = ahead.rows;
    ahead.context.batch = ahead.rows;
    ahead.context.previousHidden = ahead.hidden.data();
    ahead.context.recurrentOut = ahead.recurrent.data();
    ahead.work = {};
    ahead.work.runItems = &runAheadItems;
    ahead.work.context = &ahead.context;
    ahead.work.phaseCount = 1;
    ahead.work.itemCounts[0] = detail::rowGroups(ahead.rows);
    ahead.ready = false;
    ahead.pending = true;  // posted, or computed at the next step if the helper was busy
    ahead.ticket = detail::postLstmAhead(ahead.work, state.ahead.job);
}

Result<std::vector<float>> LstmKernel::probabilities(std::span<const int> window) const {
    const int vocabularySize = m_model->vocabularySize;
    if (window.empty()) return makeError("LSTM kernel: an empty window has no prediction; give at least one symbol");
    for (size_t i = 0; i < window.size(); ++i)
        if (window[i] < 0 || window[i] >= vocabularySize)
            return makeError("LSTM kernel: symbol id " + std::to_string(window[i]) + " at position " + std::to_string(i) +
                             " is outside the vocabulary of " + std::to_string(vocabularySize));
    LstmState state = initialState(1);
    std::vector<float> logits(static_cast<size_t>(vocabularySize));
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

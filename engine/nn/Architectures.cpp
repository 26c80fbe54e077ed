// SPDX-License-Identifier: GPL-3.0-or-later
// The SequenceNet architectures "lstm", "gru", "lstm-attn" and "transformer" (the VAE is
// in Vae.cpp), the default trainingLoss and the factory. One translation unit on
// purpose: each file that includes LibTorch costs 10-20 s to compile.
#include "engine/nn/SequenceNet.h"
#include "engine/nn/Vae.h"

#include "engine/core/Log.h"

#include <cmath>
#include <limits>

namespace melodist::engine::nn {
namespace {

using torch::Tensor;

// Token ids [B, T] -> input vectors [B, T, E]: the embedding's rows, or one-hot (the seeds').
Tensor tokenInput(torch::nn::Embedding& embedding, const Tensor& tokens, int64_t vocabularySize) {
    if (!embedding.is_empty()) return embedding(tokens);
    return torch::one_hot(tokens, vocabularySize).to(torch::kFloat);
}

int64_t inputSize(const NetConfig& config) {
    return config.embed > 0 ? config.embed : config.vocabularySize;
}

// Dropout between stacked layers only: LibTorch warns about it on a single layer.
double interLayerDropout(const NetConfig& config) {
    return config.layers > 1 ? config.dropout : 0.0;
}

Tensor zeros(int64_t a, int64_t b, int64_t c, torch::Device device) {
    return torch::zeros({a, b, c}, torch::TensorOptions(device));
}

// An LSTM's initial state argument: nothing for zeros, else (h, c) from state[0], state[1].
torch::optional<std::tuple<Tensor, Tensor>> lstmState(const NetState& state) {
    torch::optional<std::tuple<Tensor, Tensor>> hx;
    if (state.size() >= 2) hx = std::make_tuple(state[0], state[1]);
    return hx;
}

// "lstm" and "gru": input -> stacked recurrent layers -> dropout -> Linear.
class RecurrentNet final : public SequenceNet {
public:
    explicit RecurrentNet(NetConfig netConfig) : SequenceNet(std::move(netConfig)), m_gru(config().type == "gru") {
        const NetConfig& c = config();
        if (c.embed > 0) m_embedding = register_module("embedding", torch::nn::Embedding(c.vocabularySize, c.embed));
        if (m_gru)
            m_gruLayers = register_module("gru", torch::nn::GRU(torch::nn::GRUOptions(inputSize(c), c.units)
                                                                    .num_layers(c.layers)
                                                                    .dropout(interLayerDropout(c))
                                                                    .batch_first(true)));
        else
            m_lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(inputSize(c), c.units)
                                                                 .num_layers(c.layers)
                                                                 .dropout(interLayerDropout(c))
                                                                 .batch_first(true)));
        m_dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
        m_output = register_module("output", torch::nn::Linear(c.units, c.vocabularySize));
    }

    Tensor forward(const Tensor& tokens) override { return forwardFrom(tokens, {}).first; }

    std::pair<Tensor, NetState> forwardFrom(const Tensor& tokens, NetState state) override {
        const Tensor input = tokenInput(m_embedding, tokens, config().vocabularySize);
        Tensor outputs;
        NetState next;
        if (m_gru) {
            auto [y, h] = m_gruLayers->forward(input, state.empty() ? Tensor() : state[0]);
            outputs = y;
            next = {h};
        } else {
            auto [y, hc] = m_lstm->forward(input, lstmState(state));
            outputs = y;
            next = {std::get<0>(hc), std::get<1>(hc)};
        }
        return {m_output(m_dropout(outputs)), std::move(next)};
    }

    NetState initialState(int64_t batch, torch::Device device) override {
        const NetConfig& c = config();
        if (m_gru) return {zeros(c.layers, batch, c.units, device)};
        return {zeros(c.layers, batch, c.units, device), zeros(c.layers, batch, c.units, device)};
    }

    std::pair<Tensor, NetState> step(const Tensor& ids, NetState state) override {
        auto [logits, next] = forwardFrom(ids.view({-1, 1}), std::move(state));
        return {logits.select(/*dim=*/1, 0), std::move(next)};
    }

    NetState selectRows(const NetState& state, const Tensor& rows) override {
        NetState kept;
        for (const Tensor& t : state) kept.push_back(t.index_select(/*dim=*/1, rows));
        return kept;
    }

private:
    bool m_gru = false;
    torch::nn::Embedding m_embedding{nullptr};
    torch::nn::LSTM m_lstm{nullptr};
    torch::nn::GRU m_gruLayers{nullptr};
    torch::nn::Dropout m_dropout{nullptr};
    torch::nn::Linear m_output{nullptr};
};

// Causal multi-head self-attention with an explicit key/value cache, written with plain
// matmul/softmax (LibTorch 1.13 has no scaled_dot_product_attention). Parameters "qkv"
// (width -> 3 width: queries, keys, values) and "out".
class CausalSelfAttentionImpl : public torch::nn::Module {
public:
    CausalSelfAttentionImpl(int64_t width, int64_t heads, double dropout) : m_heads(heads) {
        m_qkv = register_module("qkv", torch::nn::Linear(width, 3 * width));
        m_out = register_module("out", torch::nn::Linear(width, width));
        m_dropout = register_module("dropout", torch::nn::Dropout(dropout));
    }

    // x [B, T, width] at positions past..past+T-1, after the cached keys/values [B, heads,
    // past, d] (undefined or past == 0: none) -> ([B, T, width], keys and values [B, heads, past+T, d]).
    std::tuple<Tensor, Tensor, Tensor> forward(const Tensor& x, const Tensor& pastKeys, const Tensor& pastValues) {
        const int64_t batch = x.size(0), length = x.size(1), width = x.size(2), headWidth = width / m_heads;
        // [B, T, 3, heads, d] -> [3, B, heads, T, d]
        const Tensor qkv = m_qkv(x).view({batch, length, 3, m_heads, headWidth}).permute({2, 0, 3, 1, 4});
        const Tensor queries = qkv[0];
        Tensor keys = qkv[1], values = qkv[2];
        if (pastKeys.defined() && pastKeys.size(2) > 0) {
            keys = torch::cat({pastKeys, keys}, /*dim=*/2);
            values = torch::cat({pastValues, values}, /*dim=*/2);
        } else {
            keys = keys.contiguous();
            values = values.contiguous();
        }
        const int64_t past = keys.size(2) - length;
        Tensor scores = torch::matmul(queries, keys.transpose(-2, -1)) / std::sqrt(static_cast<double>(headWidth));
        if (length > 1) {  // query i (position past + i) sees keys 0..past + i
            const Tensor future = torch::ones({length, past + length}, x.options().dtype(torch::kBool)).triu(past + 1);
            scores = scores.masked_fill(future, -std::numeric_limits<float>::infinity());
        }
        const Tensor weights = m_dropout(torch::softmax(scores, /*dim=*/-1));
        const Tensor mixed = torch::matmul(weights, values).transpose(1, 2).reshape({batch, length, width});
        return {m_out(mixed), keys, values};
    }

private:
    int64_t m_heads = 1;
    torch::nn::Linear m_qkv{nullptr}, m_out{nullptr};
    torch::nn::Dropout m_dropout{nullptr};
};
TORCH_MODULE(CausalSelfAttention);

// "lstm-attn": the PyTorch tutorial's LSTM -> MultiheadAttention(lstm outputs) -> Linear,
// with the attention made causal (each position sees itself and the past only) so that
// step() is exact, plus a residual connection and layer norm around it.
class LstmAttentionNet final : public SequenceNet {
public:
    explicit LstmAttentionNet(NetConfig netConfig) : SequenceNet(std::move(netConfig)) {
        const NetConfig& c = config();
        if (c.embed > 0) m_embedding = register_module("embedding", torch::nn::Embedding(c.vocabularySize, c.embed));
        if (c.positionPeriod > 0)
            m_position = register_module("position", torch::nn::Embedding(c.positionPeriod, c.embed));
        m_lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(inputSize(c), c.units)
                                                             .num_layers(c.layers)
                                                             .dropout(interLayerDropout(c))
                                                             .batch_first(true)));
        m_attention = register_module("attention", CausalSelfAttention(c.units, c.heads, c.dropout));
        m_norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.units})));
        m_dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
        m_output = register_module("output", torch::nn::Linear(c.units, c.vocabularySize));
    }

    Tensor forward(const Tensor& tokens) override { return forwardFrom(tokens, {}).first; }

    std::pair<Tensor, NetState> forwardFrom(const Tensor& tokens, NetState state) override {
        const bool hasPast = state.size() == 4;
        Tensor input = tokenInput(m_embedding, tokens, config().vocabularySize);
        if (!m_position.is_empty()) {  // the steps' positions: after the cached keys, modulo the period
            const int64_t past = hasPast ? state[2].size(2) : 0;
            const Tensor positions =
                torch::arange(past, past + tokens.size(1), tokens.options().dtype(torch::kLong)).remainder(config().positionPeriod);
            input = input + m_position(positions);  // [T, E] broadcast over the batch
        }
        auto [outputs, hc] = m_lstm->forward(input, lstmState(state));
        auto [attended, keys, values] =
            m_attention->forward(outputs, hasPast ? state[2] : Tensor(), hasPast ? state[3] : Tensor());
        const Tensor mixed = m_norm(outputs + m_dropout(attended));
        return {m_output(m_dropout(mixed)), {std::get<0>(hc), std::get<1>(hc), keys, values}};
    }

    NetState initialState(int64_t batch, torch::Device device) override {
        const NetConfig& c = config();
        const Tensor noPast = torch::zeros({batch, c.heads, 0, c.units / c.heads}, torch::TensorOptions(device));
        return {zeros(c.layers, batch, c.units, device), zeros(c.layers, batch, c.units, device), noPast, noPast};
    }

    std::pair<Tensor, NetState> step(const Tensor& ids, NetState state) override {
        auto [logits, next] = forwardFrom(ids.view({-1, 1}), std::move(state));
        return {logits.select(/*dim=*/1, 0), std::move(next)};
    }

    NetState selectRows(const NetState& state, const Tensor& rows) override {
        NetState kept;
        for (size_t i = 0; i < state.size(); ++i) kept.push_back(state[i].index_select(i < 2 ? 1 : 0, rows));
        return kept;
    }

private:
    torch::nn::Embedding m_embedding{nullptr};
    torch::nn::Embedding m_position{nullptr};
    torch::nn::LSTM m_lstm{nullptr};
    CausalSelfAttention m_attention{nullptr};
    torch::nn::LayerNorm m_norm{nullptr};
    torch::nn::Dropout m_dropout{nullptr};
    torch::nn::Linear m_output{nullptr};
};

// One pre-norm decoder block: x + attention(norm1(x)), then x + feedForward(norm2(x)).
class TransformerBlockImpl : public torch::nn::Module {
public:
    TransformerBlockImpl(int64_t width, int64_t heads, int64_t feedForward, double dropout) {
        m_norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})));
        m_attention = register_module("attention", CausalSelfAttention(width, heads, dropout));
        m_norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})));
        m_ff1 = register_module("ff1", torch::nn::Linear(width, feedForward));
        m_ff2 = register_module("ff2", torch::nn::Linear(feedForward, width));
        m_dropout = register_module("dropout", torch::nn::Dropout(dropout));
    }

    std::tuple<Tensor, Tensor, Tensor> forward(const Tensor& x, const Tensor& pastKeys, const Tensor& pastValues) {
        auto [attended, keys, values] = m_attention->forward(m_norm1(x), pastKeys, pastValues);
        const Tensor y = x + m_dropout(attended);
        return {y + m_dropout(m_ff2(torch::gelu(m_ff1(m_norm2(y))))), keys, values};
    }

private:
    torch::nn::LayerNorm m_norm1{nullptr}, m_norm2{nullptr};
    CausalSelfAttention m_attention{nullptr};
    torch::nn::Linear m_ff1{nullptr}, m_ff2{nullptr};
    torch::nn::Dropout m_dropout{nullptr};
};
TORCH_MODULE(TransformerBlock);

// Sinusoidal position codes (Vaswani et al.) for positions first..first+count-1, [count, width]:
// sin and cos interleaved; computed, not stored, so there is no length limit.
Tensor sinusoidalPositions(int64_t first, int64_t count, int64_t width, torch::Device device) {
    const auto options = torch::TensorOptions(device).dtype(torch::kFloat);
    const Tensor position = torch::arange(first, first + count, options).unsqueeze(1);
    const Tensor frequency =
        torch::exp(torch::arange(0, width, 2, options) * (-std::log(10000.0) / static_cast<double>(width)));
    const Tensor angle = position * frequency;
    return torch::stack({torch::sin(angle), torch::cos(angle)}, /*dim=*/-1).reshape({count, width});
}

// "transformer": decoder-only; token embedding + sinusoidal positions, pre-norm blocks with
// a key/value cache (step() costs O(t), and equals forward()), final norm, Linear.
class TransformerNet final : public SequenceNet {
public:
    explicit TransformerNet(NetConfig netConfig) : SequenceNet(std::move(netConfig)) {
        const NetConfig& c = config();
        const int64_t feedForward = c.feedForward > 0 ? c.feedForward : 4 * c.units;
        m_embedding = register_module("embedding", torch::nn::Embedding(c.vocabularySize, c.units));
        m_blocks = register_module("blocks", torch::nn::ModuleList());
        for (int b = 0; b < c.layers; ++b) {
            m_blockList.push_back(TransformerBlock(c.units, c.heads, feedForward, c.dropout));
            m_blocks->push_back(m_blockList.back());
        }
        m_norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.units})));
        m_dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
        m_output = register_module("output", torch::nn::Linear(c.units, c.vocabularySize));
    }

    Tensor forward(const Tensor& tokens) override { return forwardFrom(tokens, {}).first; }

    std::pair<Tensor, NetState> forwardFrom(const Tensor& tokens, NetState state) override {
        const bool hasPast = state.size() == 2 * m_blocks->size();
        const int64_t first = hasPast ? state[0].size(2) : 0;
        Tensor x = m_embedding(tokens) + sinusoidalPositions(first, tokens.size(1), config().units, tokens.device());
        x = m_dropout(x);
        NetState next;
        for (size_t b = 0; b < m_blocks->size(); ++b) {
            auto [y, keys, values] =
                m_blockList[b]->forward(x, hasPast ? state[2 * b] : Tensor(), hasPast ? state[2 * b + 1] : Tensor());
            x = y;
            next.push_back(keys);
            next.push_back(values);
        }
        return {m_output(m_norm(x)), std::move(next)};
    }

    NetState initialState(int64_t batch, torch::Device device) override {
        const NetConfig& c = config();
        const Tensor noPast = torch::zeros({batch, c.heads, 0, c.units / c.heads}, torch::TensorOptions(device));
        return NetState(2 * m_blocks->size(), noPast);
    }

    std::pair<Tensor, NetState> step(const Tensor& ids, NetState state) override {
        auto [logits, next] = forwardFrom(ids.view({-1, 1}), std::move(state));
        return {logits.select(/*dim=*/1, 0), std::move(next)};
    }

    NetState selectRows(const NetState& state, const Tensor& rows) override {
        NetState kept;
        for (const Tensor& t : state) kept.push_back(t.index_select(/*dim=*/0, rows));
        return kept;
    }

    bool carriesState() const override { return false; }

private:
    torch::nn::Embedding m_embedding{nullptr};
    torch::nn::ModuleList m_blocks{nullptr};    // registers the blocks ("blocks.<n>.")
    std::vector<TransformerBlock> m_blockList;  // the same, typed
    torch::nn::LayerNorm m_norm{nullptr};
    torch::nn::Dropout m_dropout{nullptr};
    torch::nn::Linear m_output{nullptr};
};

}  // namespace

TrainingOutput SequenceNet::trainingLoss(const torch::Tensor& inputs, const torch::Tensor& targets, NetState state,
                                         int64_t ignoreIndex) {
    auto [logits, final] = forwardFrom(inputs, std::move(state));
    const Tensor flatLogits = logits.reshape({-1, logits.size(-1)});
    const Tensor flatTargets = targets.reshape({-1});
    TrainingOutput out;
    out.loss = torch::nn::functional::cross_entropy(
        flatLogits, flatTargets, torch::nn::functional::CrossEntropyFuncOptions().ignore_index(ignoreIndex));
    {
        torch::NoGradGuard noGrad;
        const Tensor counted = flatTargets != ignoreIndex;
        const Tensor hits = (flatLogits.argmax(/*dim=*/-1) == flatTargets).logical_and(counted);
        // One transfer for both counts (a device sync on CUDA).
        const Tensor counts = torch::stack({hits.sum(), counted.sum()}).to(torch::kCPU);
        out.correct = counts[0].item<int64_t>();
        out.targets = counts[1].item<int64_t>();
    }
    for (Tensor& t : final) t = t.detach();
    out.state = std::move(final);
    return out;
}

Result<std::shared_ptr<SequenceNet>> createSequenceNet(const NetConfig& config) {
    if (Result<void> valid = config.validate(); !valid) return makeError(valid.error());
    std::shared_ptr<SequenceNet> net;
    if (config.type == "lstm" || config.type == "gru")
        net = std::make_shared<RecurrentNet>(config);
    else if (config.type == "lstm-attn")
        net = std::make_shared<LstmAttentionNet>(config);
    else if (config.type == "transformer")
        net = std::make_shared<TransformerNet>(config);
    else
        net = std::make_shared<VaeNet>(config);
    return net;
}

std::shared_ptr<SequenceNet> makeSequenceNet(const NetConfig& config) {
    Result<std::shared_ptr<SequenceNet>> net = createSequenceNet(config);
    if (!net) {
        MELODIST_LOG_ERROR(net.error());
        return nullptr;
    }
    return std::move(*net);
}

}  // namespace melodist::engine::nn

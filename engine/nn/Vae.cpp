// SPDX-License-Identifier: GPL-3.0-or-later
// VaeNet (the "vae" SequenceNet) and the phrase helpers of VaePhrases.h.
#include "engine/nn/Vae.h"

#include "engine/nn/VaePhrases.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>

namespace melodist::engine::nn {
namespace {

using torch::Tensor;

// splitmix64 of (seed, stream): independent generator seeds for rows of one rngSeed.
uint64_t mixSeed(uint64_t seed, uint64_t stream) {
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
constexpr uint64_t kSymbolStream = ~0ull;  // the stream of the symbol draws, apart from the latents'

std::vector<std::vector<int64_t>> rowsOf(const Tensor& ids) {
    const Tensor host = ids.to(torch::kCPU, torch::kLong).contiguous();
    std::vector<std::vector<int64_t>> rows(static_cast<size_t>(host.size(0)));
    const int64_t* data = host.data_ptr<int64_t>();
    for (size_t r = 0; r < rows.size(); ++r)
        rows[r].assign(data + static_cast<int64_t>(r) * host.size(1),
                       data + static_cast<int64_t>(r + 1) * host.size(1));
    return rows;
}

int64_t inputSize(const NetConfig& config) {
    return config.embed > 0 ? config.embed : config.vocabularySize;
}

}  // namespace

VaeNet::VaeNet(NetConfig netConfig) : SequenceNet(std::move(netConfig)) {
    const NetConfig& c = config();
    const double dropout = c.layers > 1 ? c.dropout : 0.0;  // between layers only
    if (c.embed > 0) m_embedding = register_module("embedding", torch::nn::Embedding(c.vocabularySize, c.embed));
    m_encoder = register_module("encoder", torch::nn::LSTM(torch::nn::LSTMOptions(inputSize(c), c.units)
                                                               .num_layers(c.layers)
                                                               .dropout(dropout)
                                                               .bidirectional(true)
                                                               .batch_first(true)));
    m_toMu = register_module("to_mu", torch::nn::Linear(2 * c.units, c.latent));
    m_toLogvar = register_module("to_logvar", torch::nn::Linear(2 * c.units, c.latent));
    m_fromLatent = register_module("from_latent", torch::nn::Linear(c.latent, 2 * c.layers * c.units));
    m_decoder = register_module("decoder", torch::nn::LSTM(torch::nn::LSTMOptions(inputSize(c) + c.latent, c.units)
                                                               .num_layers(c.layers)
                                                               .dropout(dropout)
                                                               .batch_first(true)));
    m_dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
    m_output = register_module("output", torch::nn::Linear(c.units, c.vocabularySize));
}

Tensor VaeNet::inputVectors(const Tensor& tokens) {
    if (!m_embedding.is_empty()) return m_embedding(tokens);
    return torch::one_hot(tokens, config().vocabularySize).to(torch::kFloat);
}

Tensor VaeNet::forward(const Tensor& tokens) {
    return forwardFrom(tokens, {}).first;
}

std::pair<Tensor, NetState> VaeNet::forwardFrom(const Tensor& tokens, NetState state) {
    if (state.size() != 3) state = initialState(tokens.size(0), tokens.device());
    const Tensor z = state[2];
    const Tensor input = torch::cat({inputVectors(tokens), z.unsqueeze(1).expand({-1, tokens.size(1), -1})}, /*dim=*/2);
    auto [outputs, hc] = m_decoder->forward(input, std::make_tuple(state[0], state[1]));
    return {m_output(m_dropout(outputs)), {std::get<0>(hc), std::get<1>(hc), z}};
}

NetState VaeNet::initialState(int64_t batch, torch::Device device) {
    return initialStateFromLatent(torch::randn({batch, config().latent}, torch::TensorOptions(device)));
}

NetState VaeNet::initialStateFromLatent(const Tensor& z) {
    const NetConfig& c = config();
    // [B, 2 * layers * units] -> [2 (h, c), layers, B, units]
    const Tensor start = torch::tanh(m_fromLatent(z)).view({z.size(0), 2, c.layers, c.units}).permute({1, 2, 0, 3});
    return {start[0].contiguous(), start[1].contiguous(), z};
}

std::pair<Tensor, NetState> VaeNet::step(const Tensor& ids, NetState state) {
    auto [logits, next] = forwardFrom(ids.view({-1, 1}), std::move(state));
    return {logits.select(/*dim=*/1, 0), std::move(next)};
}

NetState VaeNet::selectRows(const NetState& state, const Tensor& rows) {
    NetState kept;
    for (size_t i = 0; i < state.size(); ++i) kept.push_back(state[i].index_select(i < 2 ? 1 : 0, rows));
    return kept;
}

VaeNet::Posterior VaeNet::encode(const Tensor& tokens) {
    auto [outputs, hc] = m_encoder->forward(inputVectors(tokens));
    const Tensor h = std::get<0>(hc);  // [layers * 2, B, units]: ..., last forward, last backward
    const int64_t n = h.size(0);
    const Tensor last = torch::cat({h[n - 2], h[n - 1]}, /*dim=*/1);
    return {m_toMu(last), m_toLogvar(last)};
}

TrainingOutput VaeNet::trainingLoss(const Tensor& inputs, const Tensor& targets, NetState state, int64_t ignoreIndex) {
    if (!state.empty()) return SequenceNet::trainingLoss(inputs, targets, std::move(state), ignoreIndex);
    const Posterior q = encode(inputs);
    const Tensor z = is_training() ? q.mu + torch::randn_like(q.mu) * torch::exp(0.5 * q.logvar) : q.mu;
    TrainingOutput out = SequenceNet::trainingLoss(inputs, targets, initialStateFromLatent(z), ignoreIndex);
    // KL(q(z|x) || N(0, I)) per phrase, in nats; the first freeBits nats are free.
    const Tensor kl = -0.5 * (1 + q.logvar - q.mu.pow(2) - q.logvar.exp()).sum(/*dim=*/1);
    const Tensor klCost = torch::clamp_min(kl - config().freeBits, 0.0).mean();
    out.loss = out.loss + klCost * (config().klWeight / static_cast<double>(std::max<int64_t>(1, targets.size(1))));
    return out;
}

Tensor VaeNet::decode(const Tensor& z, const PhraseDecoding& decoding, uint64_t rngSeed) {
    torch::NoGradGuard noGrad;
    const int64_t steps = decoding.steps > 0 ? decoding.steps : config().phraseLength;
    at::Generator generator = at::detail::createCPUGenerator(rngSeed);
    NetState state = initialStateFromLatent(z);
    Tensor ids = torch::full({z.size(0)}, decoding.startId, torch::TensorOptions(z.device()).dtype(torch::kLong));
    std::vector<Tensor> picked;
    for (int64_t s = 0; s < steps; ++s) {
        auto [logits, next] = step(ids, std::move(state));
        state = std::move(next);
        if (decoding.temperature <= 0.0f) {
            ids = logits.argmax(/*dim=*/-1);
        } else {
            const Tensor probabilities = torch::softmax(logits.to(torch::kCPU) / decoding.temperature, /*dim=*/-1);
            ids = torch::multinomial(probabilities, 1, /*replacement=*/false, generator).squeeze(1).to(z.device());
        }
        picked.push_back(ids.to(torch::kCPU));
    }
    if (picked.empty()) return torch::zeros({z.size(0), 0}, torch::kLong);
    return torch::stack(picked, /*dim=*/1);
}

Tensor VaeNet::priorLatents(int64_t count, uint64_t rngSeed) const {
    std::vector<Tensor> rows;
    for (int64_t r = 0; r < count; ++r) {
        at::Generator generator = at::detail::createCPUGenerator(mixSeed(rngSeed, static_cast<uint64_t>(r)));
        rows.push_back(torch::randn({config().latent}, generator, torch::TensorOptions().dtype(torch::kFloat)));
    }
    if (rows.empty()) return torch::zeros({0, config().latent});
    return torch::stack(rows);
}

std::vector<std::vector<int64_t>> VaeNet::samplePhrases(int64_t count, uint64_t rngSeed,
                                                        const PhraseDecoding& decoding) {
    torch::NoGradGuard noGrad;
    const Tensor z = priorLatents(count, rngSeed).to(m_output->weight.device());
    return rowsOf(decode(z, decoding, mixSeed(rngSeed, kSymbolStream)));
}

std::vector<std::vector<int64_t>> VaeNet::interpolate(std::span<const int64_t> phraseA,
                                                      std::span<const int64_t> phraseB, int64_t count,
                                                      const PhraseDecoding& decoding, uint64_t rngSeed) {
    torch::NoGradGuard noGrad;
    const torch::Device device = m_output->weight.device();
    const auto meanOf = [&](std::span<const int64_t> phrase) {
        const Tensor ids = torch::tensor(std::vector<int64_t>(phrase.begin(), phrase.end()), torch::kLong).to(device);
        return encode(ids.unsqueeze(0)).mu[0];
    };
    const Tensor a = meanOf(phraseA), b = meanOf(phraseB);
    std::vector<Tensor> path;
    for (int64_t i = 0; i < count; ++i)
        path.push_back(slerp(a, b, count > 1 ? static_cast<double>(i) / static_cast<double>(count - 1) : 0.0));
    return rowsOf(decode(torch::stack(path), decoding, mixSeed(rngSeed, kSymbolStream)));
}

Tensor VaeNet::slerp(const Tensor& a, const Tensor& b, double t) {
    const double normA = a.norm().item<double>(), normB = b.norm().item<double>();
    const double cosine =
        normA > 0 && normB > 0 ? std::clamp((a * b).sum().item<double>() / (normA * normB), -1.0, 1.0) : 1.0;
    const double omega = std::acos(cosine);
    if (std::sin(omega) < 1e-6) return a * (1.0 - t) + b * t;
    // x / x is exactly 1 and sin(0) exactly 0: t = 0 and t = 1 give a and b themselves.
    return a * (std::sin((1.0 - t) * omega) / std::sin(omega)) + b * (std::sin(t * omega) / std::sin(omega));
}

// ---- VaePhrases.h ----

namespace {

Result<VaeNet*> vaeOf(const LoadedNet& model) {
    auto* vae = dynamic_cast<VaeNet*>(model.net.get());
    if (vae == nullptr)
        return makeError("the model is a '" + (model.net ? model.net->config().type : std::string("?")) +
                         "' net, not a 'vae'; phrase sampling and interpolation need a VAE model");
    return vae;
}

Result<Phrases> symbolsOf(const LoadedNet& model, const std::vector<std::vector<int64_t>>& ids) {
    Phrases phrases;
    for (const std::vector<int64_t>& row : ids) {
        std::vector<std::string>& phrase = phrases.emplace_back();
        for (const int64_t id : row) {
            const std::optional<std::string_view> symbol = model.vocabulary.symbolOf(static_cast<int>(id));
            if (!symbol)
                return makeError("the model produced symbol id " + std::to_string(id) + " outside its vocabulary");
            phrase.emplace_back(*symbol);
        }
    }
    return phrases;
}

Result<std::vector<int64_t>> phraseIds(const LoadedNet& model, std::span<const std::string> symbols,
                                       const char* which) {
    const auto length = static_cast<size_t>(model.net->config().phraseLength);
    if (symbols.empty()) return makeError(std::string("the ") + which + " phrase is empty");
    Result<std::vector<int>> ids = model.vocabulary.toIds(symbols.first(std::min(symbols.size(), length)));
    if (!ids) return makeError(std::string("the ") + which + " phrase: " + ids.error());
    return std::vector<int64_t>(ids->begin(), ids->end());
}

}  // namespace

Result<Phrases> sampleVaePhrases(const LoadedNet& model, const PhraseOptions& options) {
    Result<VaeNet*> vae = vaeOf(model);
    if (!vae) return makeError(vae.error());
    if (options.count < 1 || options.count > 4096) return makeError("the number of phrases must be 1..4096");
    try {
        return symbolsOf(model, (*vae)->samplePhrases(options.count, options.rngSeed,
                                                      {.startId = model.startId, .temperature = options.temperature}));
    } catch (const c10::Error& error) {
        return makeError(std::string("sampling phrases failed in LibTorch: ") + error.what_without_backtrace());
    }
}

Result<Phrases> interpolateVaePhrases(const LoadedNet& model, std::span<const std::string> from,
                                      std::span<const std::string> to, const PhraseOptions& options) {
    Result<VaeNet*> vae = vaeOf(model);
    if (!vae) return makeError(vae.error());
    if (options.count < 2 || options.count > 4096)
        return makeError("the number of phrases must be 2..4096 (both ends included)");
    Result<std::vector<int64_t>> a = phraseIds(model, from, "first");
    if (!a) return makeError(a.error());
    Result<std::vector<int64_t>> b = phraseIds(model, to, "last");
    if (!b) return makeError(b.error());
    try {
        return symbolsOf(model, (*vae)->interpolate(*a, *b, options.count,
                                                    {.startId = model.startId, .temperature = options.temperature},
                                                    options.rngSeed));
    } catch (const c10::Error& error) {
        return makeError(std::string("interpolating failed in LibTorch: ") + error.what_without_backtrace());
    }
}

}  // namespace melodist::engine::nn

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SequenceNet: Melodist's LibTorch melody networks behind one interface, for training
// (training/) and for generation (engine/nn/TorchBackend). Token ids in, next-token
// logits out, trained from the initial state or from a carried state (truncated
// back-propagation), decoded one step at a time with an exact incremental state.
// Architectures (NetConfig::type): "lstm" (stacked LSTM, one-hot or embedding input),
// "gru", "lstm-attn" (LSTM then causal multi-head self-attention over its outputs),
// "transformer" (decoder-only, key/value cache), "vae" (MusicVAE-style: bidirectional
// LSTM encoder -> latent -> LSTM decoder; see Vae.h for sampling and interpolation).
// Parameter names (the checkpoint's tensor names) are LibTorch's under the module names
// "embedding" (only when embed > 0), "lstm" / "gru" (lstm.weight_ih_l0, lstm.bias_hh_l1, ...),
// "attention.qkv|out", "norm", "blocks.<n>.{norm1,attention.qkv,attention.out,norm2,ff1,ff2}",
// "encoder", "to_mu", "to_logvar", "from_latent", "decoder", "position" (lstm-attn with a
// position period) and "output" (Linear units -> V).
// Include only from .cpp files of engine/nn and training/ (LibTorch headers are slow:
// see engine/torch_pch.h). A module: one thread at a time per instance.
//
//   NetConfig config{.type = "gru", .vocabularySize = 38, .layers = 2, .units = 128};
//   std::shared_ptr<SequenceNet> net = makeSequenceNet(config);
//   torch::Tensor logits = net->forward(tokens);                  // [B, T] -> [B, T, V]
//   NetState state = net->initialState(4, torch::kCPU);
//   auto [stepLogits, next] = net->step(ids, std::move(state));    // [B] -> [B, V]

#include "engine/core/Result.h"
#include "engine/model/Checkpoint.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace melodist::engine::nn {

struct NetConfig {
    std::string type = "lstm";  // lstm | gru | lstm-attn | transformer | vae
    int vocabularySize = 0;
    int layers = 2;           // recurrent layers, or transformer blocks
    int units = 256;          // hidden size (transformer: model width)
    int embed = 0;            // embedding size; 0 = one-hot input (the seeds')
    float dropout = 0.0f;
    int heads = 4;            // lstm-attn, transformer
    int feedForward = 0;      // transformer; 0 = 4 x units
    int latent = 32;          // vae
    int phraseLength = 64;    // vae: symbols per encoded phrase
    float klWeight = 0.2f;    // vae: beta, the weight of the KL term (MusicVAE's 0.2)
    float freeBits = 0.0f;    // vae: KL nats per phrase that cost nothing (MusicVAE's free bits)
    // lstm-attn: a learned embedding of the step's position in the song (its index since the
    // state started, modulo this period) is added to the input, so the net knows the metric
    // phase (48 steps: a 4/4, 3/4, 6/8 or 2/4 bar of 16ths divides it). 0 = none. Needs embed > 0,
    // and training on whole songs (--batching songs), where the state starts at the song.
    int positionPeriod = 0;

    // The checkpoint's "architecture" object ({"type", "layout": "torch", ...}).
    nlohmann::ordered_json toJson() const;
    // Errors name the bad key and value.
    static Result<NetConfig> fromJson(const nlohmann::ordered_json& architecture);
    // Unknown type, sizes out of range, heads not dividing units, ...: errors name the value.
    Result<void> validate() const;
};

// Per-architecture incremental state, every tensor with the batch in one dimension:
//   lstm        {h, c}                [layers, B, units] each
//   gru         {h}                   [layers, B, units]
//   lstm-attn   {h, c, keys, values}  LSTM state; the attention's past keys and values [B, heads, t, units/heads]
//   transformer {k0, v0, k1, v1, ...} per block [B, heads, t, units/heads]; the position is t (no
//                                     separate counter: reading one back would cost a device sync per step)
//   vae         {h, c, z}             the decoder's LSTM state and the latent [B, latent]
using NetState = std::vector<torch::Tensor>;

struct TrainingOutput {
    torch::Tensor loss;   // scalar, mean over targets (a VAE adds its weighted KL term)
    int64_t correct = 0;  // argmax == target, over non-ignored targets
    int64_t targets = 0;  // targets counted (ignoreIndex excluded)
    NetState state;       // final state, detached (for carrying into the next chunk)
};

class SequenceNet : public torch::nn::Module {
public:
    explicit SequenceNet(NetConfig config) : m_config(std::move(config)) {}
    const NetConfig& config() const { return m_config; }

    // [B, T] int64 ids -> [B, T, V] logits, from the initial state.
    virtual torch::Tensor forward(const torch::Tensor& tokens) = 0;
    // The same from `state` (empty: the initial state); returns the final state too.
    virtual std::pair<torch::Tensor, NetState> forwardFrom(const torch::Tensor& tokens, NetState state) = 0;
    virtual NetState initialState(int64_t batch, torch::Device device) = 0;
    // One step: [B] int64 ids -> [B, V] logits and the next state; equal (to float
    // rounding) to forward()'s logits at that position.
    virtual std::pair<torch::Tensor, NetState> step(const torch::Tensor& ids, NetState state) = 0;
    // Keeps batch rows `rows` (int64 [K], on the state's device) of a state.
    virtual NetState selectRows(const NetState& state, const torch::Tensor& rows) = 0;
    // Cross-entropy of forwardFrom(inputs, state) against targets ([B, T]; ignoreIndex
    // skipped); an empty `state` starts from the initial state (and a VAE encodes `inputs`
    // to its latent, see Vae.h). Training mode is the caller's (net->train()).
    virtual TrainingOutput trainingLoss(const torch::Tensor& inputs, const torch::Tensor& targets, NetState state,
                                        int64_t ignoreIndex);
    // True when a state can be carried between chunks of a song (recurrent nets); false
    // for the transformer and VAE, which train on whole windows from the initial state.
    virtual bool carriesState() const { return true; }

private:
    NetConfig m_config;
};

// A new net with LibTorch's default initialisation (seeded by torch::manual_seed), on
// the CPU, in training mode. An invalid config (validate()) is an error naming the value.
Result<std::shared_ptr<SequenceNet>> createSequenceNet(const NetConfig& config);
// The same for a config known to be valid; an invalid one is a programming error: logged,
// nullptr returned.
std::shared_ptr<SequenceNet> makeSequenceNet(const NetConfig& config);

// Parameters (and buffers) by name, LibTorch's layout, into a Checkpoint whose metadata
// gets "architecture" = config.toJson(); `metadata` supplies the rest (vocabulary,
// encoding, context, corpus, metrics).
Checkpoint netToCheckpoint(SequenceNet& net, nlohmann::ordered_json metadata);
// A net built from the checkpoint's architecture with its weights, on the CPU, in eval
// mode; errors name the file and the missing or mis-shaped tensor (tensors the net does
// not have, e.g. a trainer's, are ignored). An LSTM in Keras' layout (an import) becomes
// the equal "lstm" net (LibTorch has no hard_sigmoid: such a model is an error).
Result<std::shared_ptr<SequenceNet>> netFromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName);

// "cpu" or "cuda": the device for a DeviceChoice-like request; errors say what is missing
// ("CUDA was asked for, but this LibTorch was built without CUDA" / "... no GPU found").
Result<torch::Device> resolveTorchDevice(const std::string& choice);  // "auto" | "cpu" | "cuda"

}  // namespace melodist::engine::nn

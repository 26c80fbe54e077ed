// SPDX-License-Identifier: GPL-3.0-or-later
// NetConfig <-> the checkpoint's "architecture" object, SequenceNet <-> Checkpoint
// (LibTorch's parameter names and shapes, float32 row-major), the Keras-layout LSTM
// import as an "lstm" net, and the device choice.
#include "engine/nn/SequenceNet.h"

#include "engine/core/Log.h"
#include "engine/model/LstmCheckpoint.h"

#include <atomic>
#include <cstring>

namespace melodist::engine::nn {
namespace {

bool isKnownType(const std::string& type) {
    return type == "lstm" || type == "gru" || type == "lstm-attn" || type == "transformer" || type == "vae";
}
bool hasHeads(const std::string& type) {
    return type == "lstm-attn" || type == "transformer";
}

// Reads architecture[key] into `out` when present; an error names the key and the value.
Result<void> readInt(const nlohmann::ordered_json& json, const char* key, int& out) {
    const auto it = json.find(key);
    if (it == json.end()) return {};
    if (!it->is_number_integer() || *it < -(1LL << 31) || *it > (1LL << 31) - 1)
        return makeError(std::string("architecture '") + key + "' must be a whole number, not " + it->dump());
    out = it->get<int>();
    return {};
}
Result<void> readFloat(const nlohmann::ordered_json& json, const char* key, float& out) {
    const auto it = json.find(key);
    if (it == json.end()) return {};
    if (!it->is_number())
        return makeError(std::string("architecture '") + key + "' must be a number, not " + it->dump());
    out = it->get<float>();
    return {};
}

Error outOfRange(const char* key, double value, const std::string& range) {
    std::string text = std::to_string(value);
    if (value == static_cast<double>(static_cast<long long>(value)))
        text = std::to_string(static_cast<long long>(value));
    return makeError(std::string("architecture '") + key + "' must be " + range + ", not " + text);
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// Every parameter and buffer of the net by its full name (LibTorch's, e.g. "lstm.weight_ih_l0").
std::vector<std::pair<std::string, torch::Tensor>> namedTensors(SequenceNet& net) {
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    for (const auto& item : net.named_parameters(/*recurse=*/true)) tensors.emplace_back(item.key(), item.value());
    for (const auto& item : net.named_buffers(/*recurse=*/true)) tensors.emplace_back(item.key(), item.value());
    return tensors;
}

// Transposes a row-major [rows x cols] matrix.
std::vector<float> transposed(const std::vector<float>& m, int64_t rows, int64_t cols) {
    std::vector<float> t(m.size());
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) t[static_cast<size_t>(c * rows + r)] = m[static_cast<size_t>(r * cols + c)];
    return t;
}

// An imported Keras LSTM (Keras' layout and gate order i, f, c, o = PyTorch's i, f, g, o)
// as the checkpoint of the equal one-hot "lstm" net: W_ih = K^T, W_hh = U^T, b_ih = b, b_hh = 0.
Result<Checkpoint> torchLayoutFromKeras(const Checkpoint& checkpoint, const std::string& sourceName) {
    Result<LstmModelWeights> weights = lstmWeightsFromCheckpoint(checkpoint, sourceName);
    if (!weights) return makeError(weights.error());
    const int units = weights->layers.front().units;
    for (const LstmLayerWeights& layer : weights->layers) {
        if (layer.units != units)
            return makeError(sourceName +
                             ": its LSTM layers differ in size; LibTorch's LSTM needs equal layers "
                             "(run it on the CPU, where the fp32 kernel takes it)");
        if (layer.activation != LstmActivation::Tanh || layer.recurrentActivation != LstmActivation::Sigmoid)
            return makeError(sourceName +
                             ": its LSTM uses activations other than tanh and sigmoid, which LibTorch's LSTM "
                             "does not have (run it on the CPU, where the fp32 kernel takes it)");
    }
    NetConfig config;
    config.type = "lstm";
    config.vocabularySize = weights->vocabularySize;
    config.layers = static_cast<int>(weights->layers.size());
    config.units = units;
    Checkpoint converted;
    converted.metadata = checkpoint.metadata;
    converted.metadata["architecture"] = config.toJson();
    const int64_t gates = 4 * static_cast<int64_t>(units);
    for (size_t l = 0; l < weights->layers.size(); ++l) {
        const LstmLayerWeights& layer = weights->layers[l];
        const std::string suffix = "_l" + std::to_string(l);
        converted.tensors.push_back(
            {"lstm.weight_ih" + suffix, {gates, layer.inputSize}, transposed(layer.kernel, layer.inputSize, gates)});
        converted.tensors.push_back(
            {"lstm.weight_hh" + suffix, {gates, units}, transposed(layer.recurrentKernel, units, gates)});
        converted.tensors.push_back({"lstm.bias_ih" + suffix, {gates}, layer.bias});
        converted.tensors.push_back(
            {"lstm.bias_hh" + suffix, {gates}, std::vector<float>(static_cast<size_t>(gates), 0.0f)});
    }
    converted.tensors.push_back({"output.weight",
                                 {weights->vocabularySize, units},
                                 transposed(weights->denseKernel, units, weights->vocabularySize)});
    converted.tensors.push_back({"output.bias", {weights->vocabularySize}, weights->denseBias});
    return converted;
}

}  // namespace

nlohmann::ordered_json NetConfig::toJson() const {
    nlohmann::ordered_json json = {{"type", type},      {"layout", "torch"}, {"vocabulary_size", vocabularySize},
                                   {"layers", layers},  {"units", units},    {"embed", embed},
                                   {"dropout", dropout}};
    if (hasHeads(type)) json["heads"] = heads;
    if (type == "transformer") json["feed_forward"] = feedForward > 0 ? feedForward : 4 * units;
    if (positionPeriod > 0) json["position_period"] = positionPeriod;
    if (type == "vae") {
        json["latent"] = latent;
        json["phrase_length"] = phraseLength;
        json["kl_weight"] = klWeight;
        json["free_bits"] = freeBits;
    }
    return json;
}

Result<NetConfig> NetConfig::fromJson(const nlohmann::ordered_json& architecture) {
    if (!architecture.is_object())
        return makeError("the architecture must be a JSON object, not " + architecture.dump());
    NetConfig config;
    const auto type = architecture.find("type");
    if (type == architecture.end() || !type->is_string())
        return makeError("the architecture has no 'type' (lstm, gru, lstm-attn, transformer or vae)");
    config.type = type->get<std::string>();
    const auto layout = architecture.find("layout");
    if (layout != architecture.end() && *layout != "torch")
        return makeError("architecture 'layout' is " + layout->dump() + ", not \"torch\"");
    for (const auto& [key, field] : {std::pair<const char*, int*>{"vocabulary_size", &config.vocabularySize},
                                     {"layers", &config.layers},
                                     {"units", &config.units},
                                     {"embed", &config.embed},
                                     {"heads", &config.heads},
                                     {"feed_forward", &config.feedForward},
                                     {"latent", &config.latent},
                                     {"phrase_length", &config.phraseLength},
                                     {"position_period", &config.positionPeriod}})
        if (Result<void> read = readInt(architecture, key, *field); !read) return makeError(read.error());
    for (const auto& [key, field] : {std::pair<const char*, float*>{"dropout", &config.dropout},
                                     {"kl_weight", &config.klWeight},
                                     {"free_bits", &config.freeBits}})
        if (Result<void> read = readFloat(architecture, key, *field); !read) return makeError(read.error());
    if (Result<void> valid = config.validate(); !valid) return makeError(valid.error());
    return config;
}

Result<void> NetConfig::validate() const {
    if (!isKnownType(type))
        return makeError("unknown architecture type '" + type + "': use lstm, gru, lstm-attn, transformer or vae");
    if (vocabularySize < 1 || vocabularySize > (1 << 20))
        return outOfRange("vocabulary_size", vocabularySize, "1..1048576");
    if (layers < 1 || layers > 64) return outOfRange("layers", layers, "1..64");
    if (units < 1 || units > 65536) return outOfRange("units", units, "1..65536");
    if (embed < 0 || embed > 65536) return outOfRange("embed", embed, "0 (one-hot) or an embedding size up to 65536");
    if (!(dropout >= 0.0f && dropout < 1.0f)) return outOfRange("dropout", dropout, "in [0, 1)");
    if (hasHeads(type) && (heads < 1 || units % heads != 0))
        return makeError("architecture 'heads' must divide 'units' (" + std::to_string(units) + "), not " +
                         std::to_string(heads));
    if (type == "transformer" && units % 2 != 0)
        return outOfRange("units", units, "even for a transformer (sine and cosine position pairs)");
    if (feedForward < 0 || feedForward > (1 << 18))
        return outOfRange("feed_forward", feedForward, "0 (4 x units) up to 262144");
    if (positionPeriod < 0 || positionPeriod > 4096) return outOfRange("position_period", positionPeriod, "0 (none) .. 4096");
    if (positionPeriod > 0 && (type != "lstm-attn" || embed < 1))
        return makeError("architecture 'position_period' " + std::to_string(positionPeriod) +
                         " needs type lstm-attn with an embedding (embed > 0), not " + type + " with embed " +
                         std::to_string(embed));
    if (type == "vae") {
        if (latent < 1 || latent > 65536) return outOfRange("latent", latent, "1..65536");
        if (phraseLength < 1 || phraseLength > (1 << 20))
            return outOfRange("phrase_length", phraseLength, "1..1048576");
        if (!(klWeight >= 0.0f)) return outOfRange("kl_weight", klWeight, "0 or more");
        if (!(freeBits >= 0.0f)) return outOfRange("free_bits", freeBits, "0 or more");
    }
    return {};
}

Checkpoint netToCheckpoint(SequenceNet& net, nlohmann::ordered_json metadata) {
    Checkpoint checkpoint;
    checkpoint.metadata["format_version"] = kCheckpointFormatVersion;
    checkpoint.metadata["architecture"] = net.config().toJson();
    for (auto& [key, value] : metadata.items())
        if (key != "architecture") checkpoint.metadata[key] = value;
    torch::NoGradGuard noGrad;
    for (const auto& [name, tensor] : namedTensors(net)) {
        const torch::Tensor host = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
        CheckpointTensor entry{name, std::vector<int64_t>(host.sizes().begin(), host.sizes().end()), {}};
        entry.values.resize(static_cast<size_t>(host.numel()));
        if (host.numel() > 0)
            std::memcpy(entry.values.data(), host.data_ptr<float>(), entry.values.size() * sizeof(float));
        checkpoint.tensors.push_back(std::move(entry));
    }
    return checkpoint;
}

Result<std::shared_ptr<SequenceNet>> netFromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName) {
    const auto architecture = checkpoint.metadata.find("architecture");
    if (architecture == checkpoint.metadata.end() || !architecture->is_object())
        return makeError(sourceName + ": the metadata has no 'architecture' object; the file is damaged");
    if (const auto type = architecture->find("type");
        type != architecture->end() && *type == "lstm" && !architecture->contains("layout")) {
        Result<Checkpoint> converted = torchLayoutFromKeras(checkpoint, sourceName);
        if (!converted) return makeError(converted.error());
        return netFromCheckpoint(*converted, sourceName);
    }
    Result<NetConfig> config = NetConfig::fromJson(*architecture);
    if (!config) return makeError(sourceName + ": " + config.error());
    if (const auto vocabulary = checkpoint.metadata.find("vocabulary");
        vocabulary != checkpoint.metadata.end() && vocabulary->is_array() &&
        vocabulary->size() != static_cast<size_t>(config->vocabularySize))
        return makeError(sourceName + ": the metadata lists " + std::to_string(vocabulary->size()) +
                         " symbols but the architecture's vocabulary_size is " +
                         std::to_string(config->vocabularySize) + "; the file is damaged");
    std::shared_ptr<SequenceNet> net;
    try {
        net = makeSequenceNet(*config);
        torch::NoGradGuard noGrad;
        for (auto& [name, tensor] : namedTensors(*net)) {
            const CheckpointTensor* stored = checkpoint.tensor(name);
            if (stored == nullptr)
                return makeError(sourceName + ": no tensor '" + name + "', which a " + config->type +
                                 " of this architecture has; the file is incomplete or from another model");
            const std::vector<int64_t> shape(tensor.sizes().begin(), tensor.sizes().end());
            if (stored->shape != shape)
                return makeError(sourceName + ": tensor '" + name + "' has the shape " + shapeText(stored->shape) +
                                 " but the architecture needs " + shapeText(shape) + "; the file is damaged");
            const torch::Tensor values = torch::from_blob(const_cast<float*>(stored->values.data()), tensor.sizes(),
                                                          torch::TensorOptions().dtype(torch::kFloat));
            tensor.copy_(values);
        }
    } catch (const c10::Error& error) {
        return makeError(sourceName + ": LibTorch could not build the net: " + error.what_without_backtrace());
    }
    net->eval();
    return net;
}

Result<torch::Device> resolveTorchDevice(const std::string& choice) {
    if (choice == "cpu") return torch::Device(torch::kCPU);
    if (choice == "auto") {
        if (torch::cuda::is_available()) return torch::Device(torch::kCUDA, 0);
        static std::atomic<bool> logged{false};
        if (!logged.exchange(true)) MELODIST_LOG_INFO("no CUDA device, using CPU");
        return torch::Device(torch::kCPU);
    }
    if (choice == "cuda") {
        if (torch::cuda::is_available()) return torch::Device(torch::kCUDA, 0);
        if (!at::hasCUDA())
            return makeError(
                "CUDA was asked for, but this LibTorch was built without CUDA (CPU only); "
                "use the CPU (--device cpu or auto), or install a CUDA build of LibTorch");
        return makeError(
            "CUDA was asked for, but no GPU was found (this LibTorch has CUDA; check the NVIDIA driver "
            "with nvidia-smi); use the CPU (--device cpu or auto)");
    }
    return makeError("unknown device '" + choice + "': use auto, cpu or cuda");
}

}  // namespace melodist::engine::nn

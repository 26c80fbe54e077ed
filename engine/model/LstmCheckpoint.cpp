// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/LstmCheckpoint.h"

#include "engine/core/Assert.h"
#include "engine/core/Checksum.h"
#include "engine/core/FileIO.h"
#include "engine/keras/KerasMelodyModel.h"
#include "engine/keras/KerasModelFile.h"
#include "engine/music/StepEncoding.h"

#include <filesystem>
#include <optional>

namespace melodist::engine {
namespace {

const char* activationName(LstmActivation activation) {
    switch (activation) {
    case LstmActivation::Sigmoid: return "sigmoid";
    case LstmActivation::HardSigmoid: return "hard_sigmoid";
    case LstmActivation::Tanh: return "tanh";
    }
    return "tanh";
}

std::optional<LstmActivation> activationNamed(const std::string& name) {
    if (name == "sigmoid") return LstmActivation::Sigmoid;
    if (name == "hard_sigmoid") return LstmActivation::HardSigmoid;
    if (name == "tanh") return LstmActivation::Tanh;
    return std::nullopt;
}

// One value for every layer when they agree (the common case reads naturally), else a list.
template <class F>
nlohmann::ordered_json perLayer(const LstmModelWeights& weights, F&& value) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const LstmLayerWeights& layer : weights.layers) list.push_back(value(layer));
    for (const auto& item : list)
        if (item != list.front()) return list;
    return list.front();
}

// The layer's entry of a per-layer value written by perLayer.
std::optional<std::string> layerString(const nlohmann::ordered_json& value, size_t layer) {
    const nlohmann::ordered_json& item = value.is_array() ? (layer < value.size() ? value[layer] : value) : value;
    if (!item.is_string()) return std::nullopt;
    return item.get<std::string>();
}

}  // namespace

Checkpoint makeLstmCheckpoint(const LstmModelWeights& weights, const Vocabulary& vocabulary,
                              nlohmann::ordered_json metadata) {
    MELODIST_ASSERT(vocabulary.size() == static_cast<size_t>(weights.vocabularySize) && !weights.layers.empty()) {}
    Checkpoint checkpoint;
    nlohmann::ordered_json architecture = {
        {"type", "lstm"},
        {"layers", weights.layers.size()},
        {"units", perLayer(weights, [](const LstmLayerWeights& l) { return nlohmann::ordered_json(l.units); })},
        {"input", "one-hot"},
        {"vocabulary_size", weights.vocabularySize},
        {"activation", perLayer(weights, [](const LstmLayerWeights& l) { return nlohmann::ordered_json(activationName(l.activation)); })},
        {"recurrent_activation",
         perLayer(weights, [](const LstmLayerWeights& l) { return nlohmann::ordered_json(activationName(l.recurrentActivation)); })},
        {"gate_order", "ifco"},
        {"output", "dense-softmax"}};
    checkpoint.metadata["format_version"] = kCheckpointFormatVersion;
    checkpoint.metadata["architecture"] = std::move(architecture);
    checkpoint.metadata["vocabulary"] = vocabulary.symbols();
    for (auto& [key, value] : metadata.items()) checkpoint.metadata[key] = value;
    for (size_t l = 0; l < weights.layers.size(); ++l) {
        const LstmLayerWeights& layer = weights.layers[l];
        const std::string prefix = "lstm." + std::to_string(l) + ".";
        checkpoint.tensors.push_back({prefix + "kernel", {layer.inputSize, 4 * layer.units}, layer.kernel});
        checkpoint.tensors.push_back({prefix + "recurrent_kernel", {layer.units, 4 * layer.units}, layer.recurrentKernel});
        checkpoint.tensors.push_back({prefix + "bias", {4 * layer.units}, layer.bias});
    }
    const int lastUnits = weights.layers.empty() ? 0 : weights.layers.back().units;
    checkpoint.tensors.push_back({"dense.kernel", {lastUnits, weights.vocabularySize}, weights.denseKernel});
    checkpoint.tensors.push_back({"dense.bias", {weights.vocabularySize}, weights.denseBias});
    return checkpoint;
}

Result<LstmModelWeights> lstmWeightsFromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName) {
    const nlohmann::ordered_json& metadata = checkpoint.metadata;
    const auto architecture = metadata.find("architecture");
    if (architecture == metadata.end() || !architecture->is_object() || architecture->value("type", "") != "lstm")
        return makeError(sourceName + ": not an LSTM melody model (metadata 'architecture.type' is not \"lstm\"); "
                         "this Melodist runs only LSTM models without LibTorch");
    const auto layerCount = architecture->find("layers");
    if (layerCount == architecture->end() || !layerCount->is_number_unsigned() || *layerCount == 0 || *layerCount > 16)
        return makeError(sourceName + ": metadata 'architecture.layers' must be 1..16");
    const auto vocabulary = metadata.find("vocabulary");
    if (vocabulary == metadata.end() || !vocabulary->is_array())
        return makeError(sourceName + ": metadata has no 'vocabulary' list; the file is damaged");

    LstmModelWeights weights;
    weights.vocabularySize = static_cast<int>(vocabulary->size());
    const auto tensorOfShape = [&](const std::string& name, std::vector<int64_t> shape) -> Result<std::vector<float>> {
        const CheckpointTensor* tensor = checkpoint.tensor(name);
        if (!tensor) return makeError(sourceName + ": no tensor '" + name + "'; the file is incomplete");
        if (tensor->shape != shape) return makeError(sourceName + ": tensor '" + name + "' does not have the shape the metadata implies");
        return tensor->values;
    };
    int inputSize = weights.vocabularySize;
    for (size_t l = 0; l < layerCount->get<size_t>(); ++l) {
        const std::string prefix = "lstm." + std::to_string(l) + ".";
        const CheckpointTensor* recurrent = checkpoint.tensor(prefix + "recurrent_kernel");
        if (!recurrent || recurrent->shape.size() != 2 || recurrent->shape[0] <= 0 || recurrent->shape[0] > 65536)
            return makeError(sourceName + ": no valid tensor '" + prefix + "recurrent_kernel'; the file is incomplete");
        LstmLayerWeights layer;
        layer.inputSize = inputSize;
        layer.units = static_cast<int>(recurrent->shape[0]);
        const std::optional<std::string> act = layerString(architecture->value("activation", nlohmann::ordered_json("tanh")), l);
        const std::optional<std::string> rec = layerString(architecture->value("recurrent_activation", nlohmann::ordered_json()), l);
        const std::optional<LstmActivation> a = act ? activationNamed(*act) : std::nullopt;
        const std::optional<LstmActivation> r = rec ? activationNamed(*rec) : std::nullopt;
        if (!a || !r)
            return makeError(sourceName + ": layer " + std::to_string(l) + " has no supported activation / recurrent_activation "
                             "(sigmoid, hard_sigmoid, tanh) in the metadata");
        layer.activation = *a;
        layer.recurrentActivation = *r;
        const int64_t gates = 4 * static_cast<int64_t>(layer.units);
        Result<std::vector<float>> kernel = tensorOfShape(prefix + "kernel", {inputSize, gates});
        if (!kernel) return makeError(kernel.error());
        Result<std::vector<float>> recurrentValues = tensorOfShape(prefix + "recurrent_kernel", {layer.units, gates});
        Result<std::vector<float>> bias = tensorOfShape(prefix + "bias", {gates});
        if (!recurrentValues || !bias) return makeError(!bias ? bias.error() : recurrentValues.error());
        layer.kernel = std::move(*kernel);
        layer.recurrentKernel = std::move(*recurrentValues);
        layer.bias = std::move(*bias);
        inputSize = layer.units;
        weights.layers.push_back(std::move(layer));
    }
    Result<std::vector<float>> denseKernel = tensorOfShape("dense.kernel", {inputSize, weights.vocabularySize});
    Result<std::vector<float>> denseBias = tensorOfShape("dense.bias", {weights.vocabularySize});
    if (!denseKernel || !denseBias) return makeError(!denseKernel ? denseKernel.error() : denseBias.error());
    weights.denseKernel = std::move(*denseKernel);
    weights.denseBias = std::move(*denseBias);
    return weights;
}

Result<Checkpoint> importKerasCheckpoint(const std::string& modelPath, const std::string& mappingPath) {
    Result<KerasModel> model = readKerasModelFile(modelPath);
    if (!model) return makeError(model.error());
    Result<LstmModelWeights> weights = melodyLstmWeights(*model);
    if (!weights) return makeError(weights.error());
    if (Result<LstmKernel> kernel = LstmKernel::create(*weights); !kernel) return makeError(modelPath + ": " + kernel.error());
    Result<Vocabulary> vocabulary = Vocabulary::load(mappingPath);
    if (!vocabulary) return makeError(vocabulary.error());
    if (vocabulary->size() != static_cast<size_t>(weights->vocabularySize))
        return makeError(mappingPath + " has " + std::to_string(vocabulary->size()) + " symbols but " + modelPath + " takes " +
                         std::to_string(weights->vocabularySize) + "; give the mapping.json the model was trained with");
    Result<std::string> bytes = readFileBytes(modelPath);
    if (!bytes) return makeError(bytes.error());
    const std::string sha256 = sha256Hex(*bytes);
    const std::string fileName = std::filesystem::path(modelPath).filename().string();
    nlohmann::ordered_json metadata = {
        {"encoding", {{"type", "steps"}, {"time_step", kSeedTimeStep.toString()}, {"transposition", "seeds"}}},
        {"context", {{"default", kKerasDefaultContext}, {"seed_padding", kKerasDefaultContext},
                     {"padding_symbol", std::string(kSongDelimiterSymbol)}, {"initial_state", "zeros"}}},
        {"corpus", {{"summary", "unknown: trained outside Melodist (the seeds' tutorial trains on Essen folk songs)"}}},
        {"metrics", nlohmann::ordered_json::object()},
        {"source", "imported from Keras " + fileName + " (sha256 " + sha256 + ")"},
        {"source_details", {{"keras_version", model->kerasVersion}, {"backend", model->backend},
                            {"model_class", model->modelClass}, {"sha256", sha256}}}};
    return makeLstmCheckpoint(*weights, *vocabulary, std::move(metadata));
}

}  // namespace melodist::engine

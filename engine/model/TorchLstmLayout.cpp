// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/TorchLstmLayout.h"

#include <optional>
#include <string>

namespace melodist::engine {
namespace {

bool hasString(const nlohmann::ordered_json& object, const char* key, std::string_view value) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() && it->get<std::string>() == value;
}

// architecture[key] as an int in lowest..highest, or fallback when absent.
std::optional<int> intAt(const nlohmann::ordered_json& object, const char* key, int lowest, int highest,
                         std::optional<int> fallback) {
    const auto it = object.find(key);
    if (it == object.end()) return fallback;
    if (!it->is_number_integer() || *it < lowest || *it > highest) return std::nullopt;
    return it->get<int>();
}

}  // namespace

bool isTorchLayoutLstm(const Checkpoint& checkpoint) {
    const auto architecture = checkpoint.metadata.find("architecture");
    return architecture != checkpoint.metadata.end() && architecture->is_object() &&
           hasString(*architecture, "type", "lstm") && hasString(*architecture, "layout", "torch");
}

Result<LstmModelWeights> lstmWeightsFromTorchLayout(const Checkpoint& checkpoint, const std::string& sourceName) {
    if (!isTorchLayoutLstm(checkpoint))
        return makeError(sourceName +
                         ": not an LSTM in LibTorch's layout (metadata architecture type \"lstm\", layout \"torch\")");
    const nlohmann::ordered_json& architecture = checkpoint.metadata.at("architecture");
    const std::optional<int> layers = intAt(architecture, "layers", 1, 64, std::nullopt);
    const std::optional<int> units = intAt(architecture, "units", 1, 65536, std::nullopt);
    const std::optional<int> embed = intAt(architecture, "embed", 0, 65536, 0);
    const std::optional<int> vocabularySize = intAt(architecture, "vocabulary_size", 1, 1 << 20, std::nullopt);
    if (!layers || !units || !embed || !vocabularySize)
        return makeError(sourceName +
                         ": metadata 'architecture' needs layers 1..64, units 1..65536, vocabulary_size and "
                         "embed 0..65536; the file is damaged");
    const auto vocabulary = checkpoint.metadata.find("vocabulary");
    if (vocabulary == checkpoint.metadata.end() || !vocabulary->is_array() ||
        vocabulary->size() != static_cast<size_t>(*vocabularySize))
        return makeError(
            sourceName +
            ": metadata 'vocabulary' is missing or does not have vocabulary_size symbols; the file is damaged");

    const auto tensorOfShape = [&](const std::string& name,
                                   std::vector<int64_t> shape) -> Result<const std::vector<float>*> {
        const CheckpointTensor* tensor = checkpoint.tensor(name);
        if (!tensor) return makeError(sourceName + ": no tensor '" + name + "'; the file is incomplete");
        if (tensor->shape != shape)
            return makeError(sourceName + ": tensor '" + name + "' does not have the shape the metadata implies");
        return &tensor->values;
    };
    const int64_t v = *vocabularySize, h = *units, gates = 4 * h;
    const std::vector<float>* embedding = nullptr;
    if (*embed > 0) {
        Result<const std::vector<float>*> e = tensorOfShape("embedding.weight", {v, *embed});
        if (!e) return makeError(e.error());
        embedding = *e;
    }

    LstmModelWeights weights;
    weights.vocabularySize = *vocabularySize;
    for (int l = 0; l < *layers; ++l) {
        const std::string suffix = "_l" + std::to_string(l);
        const int64_t input = l > 0 ? h : (*embed > 0 ? *embed : v);
        Result<const std::vector<float>*> wih = tensorOfShape("lstm.weight_ih" + suffix, {gates, input});
        if (!wih) return makeError(wih.error());
        Result<const std::vector<float>*> whh = tensorOfShape("lstm.weight_hh" + suffix, {gates, h});
        if (!whh) return makeError(whh.error());
        Result<const std::vector<float>*> bih = tensorOfShape("lstm.bias_ih" + suffix, {gates});
        if (!bih) return makeError(bih.error());
        Result<const std::vector<float>*> bhh = tensorOfShape("lstm.bias_hh" + suffix, {gates});
        if (!bhh) return makeError(bhh.error());
        const std::vector<float>&wi = **wih, &wh = **whh;

        LstmLayerWeights layer;
        layer.units = *units;
        layer.activation = LstmActivation::Tanh;
        layer.recurrentActivation = LstmActivation::Sigmoid;
        // PyTorch's gate rows (i, f, g, o) are Keras' columns (i, f, c, o): transpose.
        if (l == 0 && embedding != nullptr) {
            // The embedding folded in: row `symbol` of E · W_ih^T is that symbol's input term.
            const int64_t e = *embed;
            layer.inputSize = static_cast<int>(v);
            layer.kernel.resize(static_cast<size_t>(v * gates));
            for (int64_t symbol = 0; symbol < v; ++symbol)
                for (int64_t j = 0; j < gates; ++j) {
                    double sum = 0.0;
                    for (int64_t k = 0; k < e; ++k)
                        sum += static_cast<double>((*embedding)[static_cast<size_t>(symbol * e + k)]) *
                               wi[static_cast<size_t>(j * e + k)];
                    layer.kernel[static_cast<size_t>(symbol * gates + j)] = static_cast<float>(sum);
                }
        } else {
            layer.inputSize = static_cast<int>(input);
            layer.kernel.resize(static_cast<size_t>(input * gates));
            for (int64_t k = 0; k < input; ++k)
                for (int64_t j = 0; j < gates; ++j)
                    layer.kernel[static_cast<size_t>(k * gates + j)] = wi[static_cast<size_t>(j * input + k)];
        }
        layer.recurrentKernel.resize(static_cast<size_t>(h * gates));
        for (int64_t k = 0; k < h; ++k)
            for (int64_t j = 0; j < gates; ++j)
                layer.recurrentKernel[static_cast<size_t>(k * gates + j)] = wh[static_cast<size_t>(j * h + k)];
        layer.bias.resize(static_cast<size_t>(gates));
        for (int64_t j = 0; j < gates; ++j)
            layer.bias[static_cast<size_t>(j)] = (**bih)[static_cast<size_t>(j)] + (**bhh)[static_cast<size_t>(j)];
        weights.layers.push_back(std::move(layer));
    }
    Result<const std::vector<float>*> outputWeight = tensorOfShape("output.weight", {v, h});
    if (!outputWeight) return makeError(outputWeight.error());
    Result<const std::vector<float>*> outputBias = tensorOfShape("output.bias", {v});
    if (!outputBias) return makeError(outputBias.error());
    weights.denseKernel.resize(static_cast<size_t>(h * v));
    for (int64_t k = 0; k < h; ++k)
        for (int64_t s = 0; s < v; ++s)
            weights.denseKernel[static_cast<size_t>(k * v + s)] = (**outputWeight)[static_cast<size_t>(s * h + k)];
    weights.denseBias = **outputBias;
    return weights;
}

}  // namespace melodist::engine

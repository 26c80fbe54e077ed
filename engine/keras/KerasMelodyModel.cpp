// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/keras/KerasMelodyModel.h"

#include <optional>

namespace melodist::engine {

namespace {

const char* const kSupported =
    "Melodist imports one-hot input -> LSTM (stackable) -> optional Dropout -> Dense softmax";

std::optional<LstmActivation> activationNamed(const std::string& name) {
    if (name == "sigmoid") return LstmActivation::Sigmoid;
    if (name == "hard_sigmoid") return LstmActivation::HardSigmoid;
    if (name == "tanh") return LstmActivation::Tanh;
    return std::nullopt;
}

// A config value, or `fallback` when absent (Keras omits defaults in some versions).
template <class T>
T configValue(const KerasLayer& layer, const char* key, T fallback) {
    const auto it = layer.config.find(key);
    if (it == layer.config.end() || it->is_null()) return fallback;
    return it->template get<T>();
}

std::string describe(const KerasModel& model, const KerasLayer& layer) {
    return model.sourcePath + ": layer '" + layer.name + "' (" + layer.className + ")";
}

Result<std::vector<float>> weightOfShape(const KerasModel& model, const KerasLayer& layer, const std::string& name,
                                         std::vector<int64_t> shape) {
    const KerasWeight* weight = layer.weight(name);
    if (!weight)
        return makeError(describe(model, layer) + " has no '" + name + "' weight; the file is incomplete or not a Keras 2 model");
    if (weight->shape != shape) {
        std::string expected, found;
        for (const int64_t d : shape) expected += (expected.empty() ? "" : "x") + std::to_string(d);
        for (const int64_t d : weight->shape) found += (found.empty() ? "" : "x") + std::to_string(d);
        return makeError(describe(model, layer) + ": dataset '" + weight->path + "' has shape " + found + ", expected " + expected);
    }
    return weight->values;
}

Result<LstmLayerWeights> lstmLayer(const KerasModel& model, const KerasLayer& layer, int inputSize, bool last) {
    LstmLayerWeights out;
    const std::string where = describe(model, layer);
    try {
        out.units = configValue<int>(layer, "units", 0);
        const std::string activation = configValue<std::string>(layer, "activation", "tanh");
        // Keras 2.2's default is hard_sigmoid, tf.keras 2.x's sigmoid: always read it.
        const std::string recurrent = configValue<std::string>(layer, "recurrent_activation", "hard_sigmoid");
        const std::optional<LstmActivation> act = activationNamed(activation);
        const std::optional<LstmActivation> rec = activationNamed(recurrent);
        if (!act || !rec)
            return makeError(where + ": activation '" + activation + "' / recurrent_activation '" + recurrent +
                             "' is not supported (sigmoid, hard_sigmoid, tanh are)");
        out.activation = *act;
        out.recurrentActivation = *rec;
        if (configValue<bool>(layer, "go_backwards", false))
            return makeError(where + ": go_backwards=True is not supported; " + kSupported);
        if (configValue<bool>(layer, "return_state", false))
            return makeError(where + ": return_state=True is not supported; " + kSupported);
        if (!last && !configValue<bool>(layer, "return_sequences", false))
            return makeError(where + " feeds another LSTM but has return_sequences=False");
    } catch (const nlohmann::json::exception& e) {
        return makeError(where + ": unexpected config value (" + e.what() + ")");
    }
    if (out.units <= 0 || out.units > 16384) return makeError(where + ": bad 'units' in its config");
    out.inputSize = inputSize;
    const int64_t gates = 4 * static_cast<int64_t>(out.units);
    Result<std::vector<float>> kernel = weightOfShape(model, layer, "kernel", {inputSize, gates});
    if (!kernel) return makeError(kernel.error());
    Result<std::vector<float>> recurrent = weightOfShape(model, layer, "recurrent_kernel", {out.units, gates});
    if (!recurrent) return makeError(recurrent.error());
    out.kernel = std::move(*kernel);
    out.recurrentKernel = std::move(*recurrent);
    if (layer.weight("bias")) {
        Result<std::vector<float>> bias = weightOfShape(model, layer, "bias", {gates});
        if (!bias) return makeError(bias.error());
        out.bias = std::move(*bias);
    }
    return out;
}

}  // namespace

Result<LstmModelWeights> melodyLstmWeights(const KerasModel& model) {
    LstmModelWeights out;
    std::vector<const KerasLayer*> lstms;
    const KerasLayer* dense = nullptr;
    int vocabulary = 0;
    for (const KerasLayer& layer : model.layers) {
        const std::string where = describe(model, layer);
        if (dense) return makeError(where + " follows the Dense output layer; " + kSupported);
        if (layer.className == "InputLayer") {
            const auto shape = layer.config.find("batch_input_shape");
            if (shape != layer.config.end() && shape->is_array() && !shape->empty() && shape->back().is_number_integer())
                vocabulary = shape->back().get<int>();
        } else if (layer.className == "LSTM") {
            lstms.push_back(&layer);
        } else if (layer.className == "Dropout") {
            if (lstms.empty()) return makeError(where + " before the first LSTM is not supported; " + kSupported);
        } else if (layer.className == "Dense") {
            if (lstms.empty()) return makeError(where + " has no LSTM before it; " + kSupported);
            dense = &layer;
        } else {
            return makeError(where + ": layer type '" + layer.className + "' is not supported; " + kSupported);
        }
    }
    if (lstms.empty()) return makeError(model.sourcePath + ": the model has no LSTM layer; " + kSupported);
    if (!dense) return makeError(model.sourcePath + ": the model does not end in a Dense layer; " + kSupported);
    const KerasWeight* firstKernel = lstms.front()->weight("kernel");
    if (!firstKernel || firstKernel->shape.size() != 2)
        return makeError(describe(model, *lstms.front()) + " has no 2-D 'kernel' weight; the file is incomplete");
    if (vocabulary == 0) vocabulary = static_cast<int>(firstKernel->shape[0]);
    if (vocabulary <= 0 || vocabulary > 65536)
        return makeError(model.sourcePath + ": bad input size " + std::to_string(vocabulary));
    out.vocabularySize = vocabulary;

    int inputSize = vocabulary;
    for (size_t i = 0; i < lstms.size(); ++i) {
        Result<LstmLayerWeights> layer = lstmLayer(model, *lstms[i], inputSize, i + 1 == lstms.size());
        if (!layer) return makeError(layer.error());
        inputSize = layer->units;
        out.layers.push_back(std::move(*layer));
    }

    const std::string where = describe(model, *dense);
    const std::string activation = dense->config.value("activation", std::string());
    if (activation != "softmax")
        return makeError(where + ": activation '" + activation + "' is not supported; the output layer must be softmax");
    Result<std::vector<float>> kernel = weightOfShape(model, *dense, "kernel", {inputSize, vocabulary});
    if (!kernel)
        return makeError(kernel.error() + " (a generated symbol is fed back, so the outputs must be the " +
                         std::to_string(vocabulary) + " input symbols)");
    out.denseKernel = std::move(*kernel);
    if (dense->weight("bias")) {
        Result<std::vector<float>> bias = weightOfShape(model, *dense, "bias", {vocabulary});
        if (!bias) return makeError(bias.error());
        out.denseBias = std::move(*bias);
    } else {
        out.denseBias.assign(static_cast<size_t>(vocabulary), 0.0f);
    }
    return out;
}

Result<LstmKernel> loadKerasMelodyLstm(const std::string& path) {
    Result<KerasModel> model = readKerasModelFile(path);
    if (!model) return makeError(model.error());
    Result<LstmModelWeights> weights = melodyLstmWeights(*model);
    if (!weights) return makeError(weights.error());
    Result<LstmKernel> kernel = LstmKernel::create(std::move(*weights));
    if (!kernel) return makeError(path + ": " + kernel.error());
    return kernel;
}

}  // namespace melodist::engine

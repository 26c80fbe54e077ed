// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reads a whole-model Keras HDF5 file (model.save("model.h5"), Keras 2.x and tf.keras):
// the model_config attribute (the architecture, JSON) and every layer's weights from
// model_weights/<layer>/<weight name> (names from the weight_names attributes, e.g.
// "lstm/recurrent_kernel:0"). Nothing is interpreted here beyond the file layout; see
// KerasMelodyModel.h for the check that the model is one Melodist can run.
// Free function, any thread (the HDF5 library is serialised internally); the caller
// owns the returned value. HDF5's own error printing is switched off: every failure is
// a Result naming the file, the group, dataset or attribute, and what to do.
//
//   Result<KerasModel> model = readKerasModelFile("seed-models/velardo/model.h5");
//   if (!model) return makeError(model.error());
//   for (const KerasLayer& layer : model->layers) log(layer.className + " " + layer.name);

#include "engine/core/Result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace melodist::engine {

struct KerasWeight {
    std::string name;             // short name: "kernel", "recurrent_kernel", "bias"
    std::string path;             // dataset path in the file, for messages
    std::vector<int64_t> shape;   // as stored (row-major, Keras layout)
    std::vector<float> values;    // converted to float32 by HDF5

    int64_t elementCount() const;
};

struct KerasLayer {
    std::string className;  // "InputLayer", "LSTM", "Dropout", "Dense", ...
    std::string name;       // "lstm"
    nlohmann::json config;  // the layer's "config" object from model_config
    std::vector<KerasWeight> weights;

    const KerasWeight* weight(const std::string& shortName) const;  // nullptr when absent
};

struct KerasModel {
    std::string sourcePath;
    std::string kerasVersion;  // the keras_version attribute ("2.2.4-tf"); empty when absent
    std::string backend;       // "tensorflow", ...; empty when absent
    std::string modelClass;    // "Model", "Sequential", "Functional"
    std::vector<KerasLayer> layers;  // in model_config order
};

Result<KerasModel> readKerasModelFile(const std::string& path);

}  // namespace melodist::engine

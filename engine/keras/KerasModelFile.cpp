// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/keras/KerasModelFile.h"

#include <hdf5.h>

#include <filesystem>
#include <limits>
#include <system_error>
#include <utility>

namespace melodist::engine {

namespace {

// An HDF5 identifier closed on scope exit.
class Hid {
public:
    using Closer = herr_t (*)(hid_t);
    Hid(hid_t id, Closer closer) : m_id(id), m_closer(closer) {}
    Hid(const Hid&) = delete;
    Hid& operator=(const Hid&) = delete;
    ~Hid() {
        if (m_id >= 0) m_closer(m_id);
    }
    bool valid() const { return m_id >= 0; }
    operator hid_t() const { return m_id; }

private:
    hid_t m_id;
    Closer m_closer;
};

const char* const kSaveHint = "save the whole model with Keras' model.save(\"model.h5\")";

// Reads a string, or an array of strings, attribute (fixed-length or variable-length).
// A numeric attribute with no elements is an empty list: h5py writes an empty
// weight_names that way for layers without weights.
Result<std::vector<std::string>> readStringsAttribute(hid_t object, const char* name, const std::string& where) {
    const Hid attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    if (!attribute.valid()) return makeError(where + ": cannot open the attribute '" + name + "'");
    const Hid type(H5Aget_type(attribute), H5Tclose);
    const Hid space(H5Aget_space(attribute), H5Sclose);
    if (!type.valid() || !space.valid()) return makeError(where + ": the attribute '" + name + "' is unreadable");
    const hssize_t count = H5Sget_simple_extent_npoints(space);
    if (count < 0 || count > 1'000'000) return makeError(where + ": the attribute '" + name + "' has a bad size");
    std::vector<std::string> strings;
    if (H5Tget_class(type) != H5T_STRING) {
        if (count == 0) return strings;
        return makeError(where + ": the attribute '" + name + "' is not text");
    }
    const Hid memoryType(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_cset(memoryType, H5Tget_cset(type));
    if (H5Tis_variable_str(type) > 0) {
        H5Tset_size(memoryType, H5T_VARIABLE);
        std::vector<char*> pointers(static_cast<size_t>(count), nullptr);
        if (H5Aread(attribute, memoryType, pointers.data()) < 0)
            return makeError(where + ": cannot read the attribute '" + name + "' (damaged file?)");
        for (char* text : pointers) {
            strings.emplace_back(text ? text : "");
            H5free_memory(text);
        }
        return strings;
    }
    const size_t size = H5Tget_size(type);
    if (size == 0 || size > (size_t{1} << 30)) return makeError(where + ": the attribute '" + name + "' has a bad size");
    // One byte more than stored: h5py's fixed-length strings fill their width without a
    // terminator ("lstm/recurrent_kernel:0" in |S23), and a C string needs one.
    const size_t width = size + 1;
    H5Tset_size(memoryType, width);
    H5Tset_strpad(memoryType, H5T_STR_NULLTERM);
    std::string buffer(width * static_cast<size_t>(count), '\0');
    if (H5Aread(attribute, memoryType, buffer.data()) < 0)
        return makeError(where + ": cannot read the attribute '" + name + "' (damaged file?)");
    for (hssize_t i = 0; i < count; ++i)
        strings.emplace_back(buffer.c_str() + static_cast<size_t>(i) * width);
    return strings;
}

Result<std::string> readStringAttribute(hid_t object, const char* name, const std::string& where) {
    Result<std::vector<std::string>> strings = readStringsAttribute(object, name, where);
    if (!strings) return makeError(strings.error());
    if (strings->size() != 1) return makeError(where + ": the attribute '" + name + "' is not a single text");
    return std::move(strings->front());
}

Result<KerasWeight> readWeight(hid_t file, const std::string& datasetPath, const std::string& fileName) {
    const std::string where = fileName + ": dataset '" + datasetPath + "'";
    const Hid dataset(H5Dopen2(file, datasetPath.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dataset.valid())
        return makeError(where + " is missing although its layer lists it in weight_names; the file is incomplete: " +
                         kSaveHint + " again");
    const Hid type(H5Dget_type(dataset), H5Tclose);
    if (H5Tget_class(type) != H5T_FLOAT && H5Tget_class(type) != H5T_INTEGER)
        return makeError(where + " does not hold numbers");
    const Hid space(H5Dget_space(dataset), H5Sclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space) : -1;
    if (rank < 0 || rank > 4) return makeError(where + " has an unsupported shape (rank " + std::to_string(rank) + ")");
    hsize_t dims[4] = {};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    KerasWeight weight;
    weight.path = datasetPath;
    int64_t count = 1;
    for (int i = 0; i < rank; ++i) {
        weight.shape.push_back(static_cast<int64_t>(dims[i]));
        count *= static_cast<int64_t>(dims[i]);
        if (count > (int64_t{1} << 31)) return makeError(where + " is too large");
    }
    weight.values.resize(static_cast<size_t>(count));
    if (count > 0 && H5Dread(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, weight.values.data()) < 0)
        return makeError(where + " cannot be read: the file is truncated or damaged; copy it again or " + kSaveHint);
    const std::string::size_type slash = datasetPath.rfind('/');
    weight.name = datasetPath.substr(slash == std::string::npos ? 0 : slash + 1);
    weight.name.resize(weight.name.find(':') == std::string::npos ? weight.name.size() : weight.name.find(':'));
    return weight;
}

Result<std::vector<KerasLayer>> parseLayers(const std::string& configText, const std::string& where, std::string& modelClass) {
    const nlohmann::json config = nlohmann::json::parse(configText, nullptr, /*allow_exceptions=*/false);
    if (config.is_discarded() || !config.is_object())
        return makeError(where + ": the model_config attribute is not a JSON object; " + kSaveHint);
    modelClass = config.value("class_name", std::string());
    const nlohmann::json* list = nullptr;
    if (config.contains("config") && config["config"].is_array()) {
        list = &config["config"];  // Keras 2.2 Sequential: "config": [layers]
    } else if (config.contains("config") && config["config"].is_object() && config["config"].contains("layers") &&
               config["config"]["layers"].is_array()) {
        list = &config["config"]["layers"];
    }
    if (!list) return makeError(where + ": model_config has no layer list (class '" + modelClass + "')");
    std::vector<KerasLayer> layers;
    for (const nlohmann::json& item : *list) {
        if (!item.is_object() || !item.contains("class_name") || !item["class_name"].is_string() ||
            !item.contains("config") || !item["config"].is_object())
            return makeError(where + ": model_config has a layer without class_name or config");
        KerasLayer layer;
        layer.className = item["class_name"].get<std::string>();
        layer.config = item["config"];
        if (layer.config.contains("name") && layer.config["name"].is_string())
            layer.name = layer.config["name"].get<std::string>();
        else if (item.contains("name") && item["name"].is_string())
            layer.name = item["name"].get<std::string>();
        if (layer.name.empty()) return makeError(where + ": model_config has a " + layer.className + " layer without a name");
        layers.push_back(std::move(layer));
    }
    return layers;
}

}  // namespace

int64_t KerasWeight::elementCount() const {
    int64_t count = 1;
    for (const int64_t dim : shape) count *= dim;
    return count;
}

const KerasWeight* KerasLayer::weight(const std::string& shortName) const {
    for (const KerasWeight& w : weights)
        if (w.name == shortName) return &w;
    return nullptr;
}

Result<KerasModel> readKerasModelFile(const std::string& path) {
    // Per thread in a thread-safe HDF5 build: our messages replace HDF5's stack dumps.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);

    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return makeError(path + ": no such file; give the path of a Keras model (.h5)");
    const htri_t isHdf5 = H5Fis_hdf5(path.c_str());
    if (isHdf5 <= 0)
        return makeError(path + ": not an HDF5 file (no HDF5 signature); Melodist imports Keras models saved as .h5 (" +
                         kSaveHint + ")");
    const Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.valid())
        return makeError(path + ": an HDF5 file that cannot be opened: it is truncated or damaged; copy it again or " +
                         kSaveHint);

    if (H5Aexists(file, "model_config") <= 0)
        return makeError(path + ": no model_config attribute, so this is not a whole Keras model (weights only, or "
                                "another HDF5 file); " + kSaveHint);
    KerasModel model;
    model.sourcePath = path;
    Result<std::string> configText = readStringAttribute(file, "model_config", path);
    if (!configText) return makeError(configText.error());
    if (H5Aexists(file, "keras_version") > 0) {
        Result<std::string> version = readStringAttribute(file, "keras_version", path);
        if (version) model.kerasVersion = *version;
    }
    if (H5Aexists(file, "backend") > 0) {
        Result<std::string> backend = readStringAttribute(file, "backend", path);
        if (backend) model.backend = *backend;
    }
    Result<std::vector<KerasLayer>> layers = parseLayers(*configText, path, model.modelClass);
    if (!layers) return makeError(layers.error());
    model.layers = std::move(*layers);

    const bool nested = H5Lexists(file, "model_weights", H5P_DEFAULT) > 0;
    const std::string root = nested ? "model_weights/" : "";
    for (KerasLayer& layer : model.layers) {
        const std::string groupPath = root + layer.name;
        if (H5Lexists(file, groupPath.c_str(), H5P_DEFAULT) <= 0) continue;  // a layer without weights may have no group (InputLayer)
        const Hid group(H5Gopen2(file, groupPath.c_str(), H5P_DEFAULT), H5Gclose);
        if (!group.valid()) return makeError(path + ": the group '" + groupPath + "' cannot be opened (damaged file?)");
        if (H5Aexists(group, "weight_names") <= 0) continue;
        Result<std::vector<std::string>> names = readStringsAttribute(group, "weight_names", path + ": group '" + groupPath + "'");
        if (!names) return makeError(names.error());
        for (const std::string& name : *names) {
            Result<KerasWeight> weight = readWeight(file, groupPath + "/" + name, path);
            if (!weight) return makeError(weight.error());
            layer.weights.push_back(std::move(*weight));
        }
    }
    return model;
}

}  // namespace melodist::engine

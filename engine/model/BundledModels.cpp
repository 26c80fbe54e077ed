// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/BundledModels.h"

#include "engine/core/Checksum.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace melodist::engine {
namespace {

namespace fs = std::filesystem;

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (const std::string& part : parts) out += (out.empty() ? "" : separator) + part;
    return out;
}

std::string executablePath() {
    char self[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0) return {};
    self[length] = '\0';
    return self;
}

// The names of the .melodist-model files in `folder`, sorted.
std::vector<std::string> bundledModelNames(const std::string& folder) {
    std::vector<std::string> names;
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
        const std::string file = it->path().filename().string();
        std::error_code typeError;
        if (endsWith(file, kCheckpointExtension) && file.size() > kCheckpointExtension.size() &&
            fs::is_regular_file(it->path(), typeError))
            names.push_back(file.substr(0, file.size() - kCheckpointExtension.size()));
    }
    std::sort(names.begin(), names.end());
    return names;
}

// The first line of text of a model card: after any "---" front matter, not a heading,
// a blank line or an HTML comment; cut to one short line.
std::string cardSummary(const std::string& cardPath) {
    std::ifstream in(cardPath);
    std::string line;
    bool frontMatter = false, first = true;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const size_t begin = line.find_first_not_of(" \t");
        const std::string text = begin == std::string::npos ? std::string() : line.substr(begin);
        if (first && text == "---") {
            frontMatter = true;
            first = false;
            continue;
        }
        first = false;
        if (frontMatter) {
            frontMatter = text != "---";
            continue;
        }
        if (text.empty() || text[0] == '#' || text.rfind("<!--", 0) == 0) continue;
        constexpr size_t kMaxLength = 120;
        return text.size() <= kMaxLength ? text : text.substr(0, kMaxLength - 3) + "...";
    }
    return {};
}

std::string numberText(const nlohmann::ordered_json& value) {
    if (value.is_array() && !value.empty()) return numberText(value.front());
    return value.is_number_integer() ? std::to_string(value.get<long long>()) : std::string();
}

// "lstm, 2 x 256; trained on 1683 songs of erk" from the metadata alone.
std::string metadataSummary(const nlohmann::ordered_json& metadata, const std::string& architecture) {
    std::string summary = architecture.empty() ? std::string("unknown architecture") : architecture;
    if (const auto net = metadata.find("architecture"); net != metadata.end() && net->is_object()) {
        const std::string layers = numberText(net->value("layers", nlohmann::ordered_json()));
        const std::string units = numberText(net->value("units", nlohmann::ordered_json()));
        if (!layers.empty() && !units.empty()) summary += ", " + layers + " x " + units;
    }
    if (const auto corpus = metadata.find("corpus"); corpus != metadata.end() && corpus->is_object()) {
        if (const auto text = corpus->find("summary"); text != corpus->end() && text->is_string()) {
            summary += "; " + text->get<std::string>();
        } else if (const auto songs = corpus->find("songs"); songs != corpus->end() && songs->is_number_integer()) {
            summary += "; trained on " + std::to_string(songs->get<long long>()) + " songs";
            if (const auto dataset = corpus->find("dataset"); dataset != corpus->end() && dataset->is_string())
                summary += " of " + fs::path(dataset->get<std::string>()).filename().string();
        }
    }
    return summary;
}

}  // namespace

std::vector<std::string> bundledModelFolderCandidates(const std::string& executable, const char* modelsDirVariable) {
    std::vector<std::string> candidates;
    if (modelsDirVariable != nullptr && *modelsDirVariable != '\0') candidates.emplace_back(modelsDirVariable);
    if (executable.empty()) return candidates;
    const fs::path dir = fs::path(executable).parent_path();
    candidates.push_back((dir / "../share/melodist/models").lexically_normal().string());
    // melodist-ml is installed in <prefix>/libexec/melodist: it must find what melodist finds.
    if (dir.filename() == "melodist" && dir.parent_path().filename() == "libexec")
        candidates.push_back((dir / "../../share/melodist/models").lexically_normal().string());
    return candidates;
}

BundledModelFolder findBundledModelFolder() {
    BundledModelFolder folder;
    folder.searched = bundledModelFolderCandidates(executablePath(), std::getenv(kModelsDirVariable));
    for (const std::string& candidate : folder.searched) {
        std::error_code error;
        if (fs::is_directory(candidate, error)) {
            folder.path = candidate;
            break;
        }
    }
    return folder;
}

bool isBundledModelName(const std::string& value) {
    if (value == kDefaultModelAlias) return true;
    if (value.empty() || value.find('/') != std::string::npos || endsWith(value, kCheckpointExtension)) return false;
    // Only a file there shadows the name: a folder called "piano" (a dataset, a run) does not.
    std::error_code error;
    return !fs::is_regular_file(value, error);
}

Result<std::string> bundledModelPath(const std::string& name) {
    const bool isDefault = name == kDefaultModelAlias;
    const std::string wanted = isDefault ? std::string(kDefaultModelName) : name;
    const std::string what = "no bundled model '" + wanted + "'" + (isDefault ? " (the default)" : "");
    const std::string notAFile = isDefault ? "" : "'" + name + "' is not a file either; ";
    const BundledModelFolder folder = findBundledModelFolder();
    const char* variable = std::getenv(kModelsDirVariable);
    const bool variableSet = variable != nullptr && *variable != '\0';
    const bool fromVariable = variableSet && folder.path == variable;
    if (folder.path.empty()) {
        std::vector<std::string> searched = folder.searched;
        if (variableSet && !searched.empty()) searched.front() += " ($MELODIST_MODELS_DIR)";
        return makeError(what + ": there is no folder of bundled models (looked in " + join(searched, ", ") +
                         (variableSet ? "" : "; $MELODIST_MODELS_DIR is not set") + "); " + notAFile +
                         "give a model file's path, or set MELODIST_MODELS_DIR to a folder of " +
                         std::string(kCheckpointExtension) + " files");
    }
    const fs::path file = fs::path(folder.path) / (wanted + std::string(kCheckpointExtension));
    std::error_code error;
    if (fs::is_regular_file(file, error)) return file.string();
    const std::vector<std::string> names = bundledModelNames(folder.path);
    const std::string origin = fromVariable  ? " ($MELODIST_MODELS_DIR)"
                               : variableSet ? std::string(" ($MELODIST_MODELS_DIR, ") + variable + ", is not a folder)"
                                             : std::string();
    return makeError(what + ": " + folder.path + origin + " has no " + file.filename().string() +
                     " (" + (names.empty() ? std::string("it holds no models") : "its models: " + join(names, ", ")) + "); " +
                     notAFile + "give a model file's path" + (names.empty() ? "" : " or one of those names") +
                     " ('melodist models' lists them)");
}

Result<std::string> resolveModelPath(const std::string& value) {
    if (isBundledModelName(value)) return bundledModelPath(value);
    return value;
}

nlohmann::ordered_json ModelFileInfo::toJson() const {
    return {{"name", name},
            {"path", path},
            {"card", cardPath.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(cardPath)},
            {"architecture", architecture},
            {"size_bytes", sizeBytes},
            {"parameters", parameters},
            {"vocabulary_size", vocabularySize},
            {"summary", summary},
            {"weights_sha256", weightsSha256}};
}

Result<ModelFileInfo> describeModelFile(const std::string& path) {
    Result<Checkpoint> checkpoint = loadCheckpoint(path);
    if (!checkpoint) return makeError(checkpoint.error());
    const nlohmann::ordered_json& metadata = checkpoint->metadata;
    ModelFileInfo info;
    info.path = path;
    const std::string file = fs::path(path).filename().string();
    info.name = endsWith(file, kCheckpointExtension) ? file.substr(0, file.size() - kCheckpointExtension.size()) : file;
    std::error_code error;
    const uintmax_t size = fs::file_size(path, error);
    info.sizeBytes = error ? 0 : static_cast<uint64_t>(size);
    if (const auto net = metadata.find("architecture"); net != metadata.end() && net->is_object())
        if (const auto type = net->find("type"); type != net->end() && type->is_string()) info.architecture = type->get<std::string>();
    for (const CheckpointTensor& tensor : checkpoint->tensors)
        if (tensor.name.rfind("optimizer.", 0) != 0) info.parameters += static_cast<int64_t>(tensor.values.size());
    if (const auto vocabulary = metadata.find("vocabulary"); vocabulary != metadata.end() && vocabulary->is_array())
        info.vocabularySize = static_cast<int>(vocabulary->size());
    const fs::path card = fs::path(path).parent_path() / (info.name + ".md");
    if (fs::is_regular_file(card, error)) info.cardPath = card.string();
    if (const auto summary = metadata.find("summary"); summary != metadata.end() && summary->is_string())
        info.summary = summary->get<std::string>();
    if (info.summary.empty() && !info.cardPath.empty()) info.summary = cardSummary(info.cardPath);
    if (info.summary.empty()) info.summary = metadataSummary(metadata, info.architecture);
    info.weightsSha256 = weightsSha256(*checkpoint);
    return info;
}

std::vector<BundledModelEntry> listBundledModels(const std::string& folder) {
    std::vector<BundledModelEntry> entries;
    if (folder.empty()) return entries;
    for (const std::string& name : bundledModelNames(folder)) {
        BundledModelEntry entry;
        entry.name = name;
        entry.path = (fs::path(folder) / (name + std::string(kCheckpointExtension))).string();
        entry.isDefault = name == kDefaultModelName;
        entry.info = describeModelFile(entry.path);
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::string weightsSha256(const Checkpoint& checkpoint) {
    std::vector<const CheckpointTensor*> tensors;
    size_t floats = 0;
    for (const CheckpointTensor& tensor : checkpoint.tensors)
        if (tensor.name.rfind("optimizer.", 0) != 0) {
            tensors.push_back(&tensor);
            floats += tensor.values.size();
        }
    std::sort(tensors.begin(), tensors.end(), [](const CheckpointTensor* a, const CheckpointTensor* b) { return a->name < b->name; });
    // Little-endian float32, as the checkpoint stores them (every target of Melodist is little-endian).
    std::string bytes;
    bytes.reserve(floats * sizeof(float));
    for (const CheckpointTensor* tensor : tensors)
        bytes.append(reinterpret_cast<const char*>(tensor->values.data()), tensor->values.size() * sizeof(float));
    return sha256Hex(bytes);
}

Result<LoadedBundledModel> loadBundledModel(const std::string& name, DeviceChoice device) {
    Result<std::string> path = bundledModelPath(name);
    if (!path) return makeError(path.error());
    Result<MelodyModel> model = MelodyModel::load(*path, device);
    if (!model) return makeError(model.error());
    return LoadedBundledModel{name == kDefaultModelAlias ? std::string(kDefaultModelName) : name, *path, std::move(*model)};
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Bundled models: the trained `.melodist-model` files Melodist ships (with a model card
// `<name>.md` beside each) and how a `--model` value finds one. No Qt, no LibTorch, so
// `melodist`, `melodist-ml` and the studio resolve a name the same way. Free functions,
// any thread (they read the environment, the file system and /proc/self/exe).
//
// The folder is the first that exists of: $MELODIST_MODELS_DIR; <dir of the running
// executable>/../share/melodist/models (the installed layout, and the build tree, where
// resources/CMakeLists.txt copies resources/models/); for an executable in
// <prefix>/libexec/melodist (the installed melodist-ml), <prefix>/share/melodist/models.
// A `--model` value is a bundled name when it is "default" (= kDefaultModelName) or a bare
// word: no '/', no ".melodist-model" ending, and no file of that name exists; anything
// else is a path, returned unchanged.
//
//   Result<std::string> path = resolveModelPath("default");   // ".../share/melodist/models/folk.melodist-model"
//   if (!path) return fail(path.error());                     // names the folder searched and the models there
//   Result<MelodyModel> model = MelodyModel::load(*path);
//   for (const BundledModelEntry& entry : listBundledModels(findBundledModelFolder().path)) ...

#include "engine/core/Result.h"
#include "engine/model/Checkpoint.h"
#include "engine/model/MelodyModel.h"
#include "engine/model/ModelBackend.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace melodist::engine {

inline constexpr std::string_view kDefaultModelName = "folk";  // Essen German folk songs
inline constexpr std::string_view kDefaultModelAlias = "default";
inline constexpr const char* kModelsDirVariable = "MELODIST_MODELS_DIR";

// The folders to search, in order, for an executable at `executablePath` with
// $MELODIST_MODELS_DIR = `modelsDirVariable` (nullptr or "": not set). Pure: for tests.
std::vector<std::string> bundledModelFolderCandidates(const std::string& executablePath, const char* modelsDirVariable);

struct BundledModelFolder {
    std::string path;                   // the first candidate that is a folder; "" when none is
    std::vector<std::string> searched;  // every candidate, in order
};
// For this process: the environment and /proc/self/exe.
BundledModelFolder findBundledModelFolder();

// "default", or a bare word that is not an existing file: a bundled model's name.
bool isBundledModelName(const std::string& value);
// The file of the bundled model `name` ("default" means kDefaultModelName). The error names
// the folder(s) searched and the models found there, and says what to do.
Result<std::string> bundledModelPath(const std::string& name);
// A --model value as a file path: bundled names through bundledModelPath, paths unchanged.
Result<std::string> resolveModelPath(const std::string& value);

// What `melodist models` and `melodist model-info` print about one model file.
struct ModelFileInfo {
    std::string name;          // the file name without ".melodist-model"
    std::string path;
    std::string cardPath;      // <name>.md beside it, "" when there is none
    std::string architecture;  // metadata architecture.type
    uint64_t sizeBytes = 0;
    int64_t parameters = 0;    // floats of the net (optimizer state not counted)
    int vocabularySize = 0;
    std::string summary;       // one line: metadata "summary", else the card's first line of text, else made from the metadata
    std::string weightsSha256;  // weightsSha256() of the file
    nlohmann::ordered_json toJson() const;
};
// Reads the whole checkpoint (checksum included); an error names the file.
Result<ModelFileInfo> describeModelFile(const std::string& path);

struct BundledModelEntry {
    std::string name;
    std::string path;
    bool isDefault = false;
    Result<ModelFileInfo> info = makeError("not read");  // a damaged file is listed with its error
};
// The models in `folder` (files ending ".melodist-model"), sorted by name; empty for "".
std::vector<BundledModelEntry> listBundledModels(const std::string& folder);

// SHA-256 over the float32 little-endian bytes of the net's tensors, ordered by name
// ("optimizer.*" moments of a training checkpoint left out): equal nets, equal hashes,
// whichever file or process they are in (training/Trainer.cpp reports it per rank).
std::string weightsSha256(const Checkpoint& checkpoint);

// The studio's start-up: the bundled model `name` resolved and loaded for `device`.
struct LoadedBundledModel {
    std::string name;
    std::string path;
    MelodyModel model;
};
Result<LoadedBundledModel> loadBundledModel(const std::string& name = std::string(kDefaultModelName),
                                            DeviceChoice device = DeviceChoice::Auto);

}  // namespace melodist::engine

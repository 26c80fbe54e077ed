// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist models`: the bundled models (engine/model/BundledModels.h) -- name,
// architecture, size, one-line summary, which is the default; and `melodist model-info`:
// the same facts about one model file, with the hash of its weights. No LibTorch: both
// read only the checkpoint file.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "engine/model/BundledModels.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace melodist::cli {
namespace {

std::string sizeText(uint64_t bytes) {
    char text[32];
    if (bytes >= 1000000)
        std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    else
        std::snprintf(text, sizeof text, "%.0f kB", static_cast<double>(bytes) / 1e3);
    return text;
}

}  // namespace

int runModels(int argc, char** argv) {
    CommandLine args(argc, argv, 2, {{"json", false}});
    if (!args.error().empty()) return usageError("models", args.error());
    if (!args.positional().empty()) return usageError("models", "unexpected argument '" + args.positional().front() + "'");
    const engine::BundledModelFolder folder = engine::findBundledModelFolder();
    const std::vector<engine::BundledModelEntry> entries = engine::listBundledModels(folder.path);

    if (args.has("json")) {
        nlohmann::ordered_json out = {{"folder", folder.path.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(folder.path)},
                                      {"searched", folder.searched},
                                      {"default", std::string(engine::kDefaultModelName)},
                                      {"models", nlohmann::ordered_json::array()}};
        for (const engine::BundledModelEntry& entry : entries) {
            nlohmann::ordered_json model = entry.info ? entry.info->toJson()
                                                      : nlohmann::ordered_json{{"name", entry.name}, {"path", entry.path},
                                                                               {"error", entry.info.error()}};
            model["default"] = entry.isDefault;
            out["models"].push_back(std::move(model));
        }
        std::printf("%s\n", out.dump(1).c_str());
        return 0;
    }
    if (folder.path.empty()) {
        std::string searched;
        for (const std::string& path : folder.searched) searched += "\n  " + path;
        std::printf("No folder of bundled models; looked in:%s\nSet MELODIST_MODELS_DIR to a folder of .melodist-model files.\n",
                    searched.c_str());
        return 0;
    }
    std::printf("Bundled models in %s%s\n", folder.path.c_str(), entries.empty() ? ": none" : "");
    for (const engine::BundledModelEntry& entry : entries) {
        if (!entry.info) {
            std::printf("  %-12s %-9s unreadable: %s\n", entry.name.c_str(), entry.isDefault ? "(default)" : "",
                        entry.info.error().c_str());
            continue;
        }
        std::printf("  %-12s %-9s %-11s %8s  %s\n", entry.name.c_str(), entry.isDefault ? "(default)" : "",
                    entry.info->architecture.c_str(), sizeText(entry.info->sizeBytes).c_str(), entry.info->summary.c_str());
    }
    if (!entries.empty()) std::printf("Use one with --model NAME ('--model default' is %s).\n", std::string(engine::kDefaultModelName).c_str());
    return 0;
}

int runModelInfo(int argc, char** argv) {
    CommandLine args(argc, argv, 2, {{"json", false}});
    if (!args.error().empty()) return usageError("model-info", args.error());
    if (args.positional().size() != 1)
        return usageError("model-info", "give one model: a .melodist-model file or a bundled model's name");
    const engine::Result<std::string> path = engine::resolveModelPath(args.positional().front());
    if (!path) {
        std::fprintf(stderr, "melodist model-info: %s\n", path.error().c_str());
        return 1;
    }
    const engine::Result<engine::ModelFileInfo> info = engine::describeModelFile(*path);
    if (!info) {
        std::fprintf(stderr, "melodist model-info: %s\n", info.error().c_str());
        return 1;
    }
    if (args.has("json")) {
        std::printf("%s\n", info->toJson().dump(1).c_str());
        return 0;
    }
    std::printf("name          %s\npath          %s\narchitecture  %s\nsize          %s, %lld parameters, %d symbols\n"
                "summary       %s\ncard          %s\nweights       sha256 %s\n",
                info->name.c_str(), info->path.c_str(), info->architecture.c_str(), sizeText(info->sizeBytes).c_str(),
                static_cast<long long>(info->parameters), info->vocabularySize, info->summary.c_str(),
                info->cardPath.empty() ? "none" : info->cardPath.c_str(), info->weightsSha256.c_str());
    return 0;
}

}  // namespace melodist::cli

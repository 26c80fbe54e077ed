// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist predict`: a model's next-symbol probabilities for a window, as JSON
// (symbol -> probability, in id order). LSTMs on the fp32 kernel here; other
// architectures and CUDA are handed to melodist-ml.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "app/cli/GenerationArguments.h"
#include "engine/model/BundledModels.h"
#include "engine/model/MelodyModel.h"
#include "engine/music/StepEncoding.h"

#include <cstdio>

namespace melodist::cli {

int runPredict(int argc, char** argv) {
    CommandLine args(argc, argv, 2, {{"model", true}, {"window", true}, {"context", true}, {"device", true}});
    if (!args.error().empty()) return usageError("predict", args.error());
    if (!args.positional().empty()) return usageError("predict", "unexpected argument '" + args.positional().front() + "'");
    if (!args.has("window")) return usageError("predict", "give the symbols with --window \"67 _ 65 ...\"");
    const long contextOption = args.integer("context", -1);
    if (!args.error().empty()) return usageError("predict", args.error());
    if (args.has("context") && (contextOption < 0 || contextOption > 1 << 20))
        return usageError("predict", "--context is 0 (the whole window) or a number of symbols");
    engine::DeviceChoice device = engine::DeviceChoice::Auto;
    if (const std::string error = parseDevice(args, device); !error.empty()) return usageError("predict", error);
    const engine::Result<std::string> modelPath = engine::resolveModelPath(args.value("model", "default"));
    if (!modelPath) {
        std::fprintf(stderr, "melodist predict: --model: %s\n", modelPath.error().c_str());
        return 1;
    }
    if (const int handed = handOverIfNeedsLibTorch(*modelPath, device, argv); handed >= 0) return handed;

    const engine::Result<engine::MelodyModel> model = engine::MelodyModel::load(*modelPath, device);
    if (!model) {
        std::fprintf(stderr, "melodist predict: %s\n", model.error().c_str());
        return 1;
    }
    const std::vector<std::string> symbols = engine::splitSymbols(args.value("window"));
    if (symbols.empty()) return usageError("predict", "--window holds no symbols");
    const engine::Result<std::vector<int>> ids = model->vocabulary().toIds(symbols);
    if (!ids) {
        std::fprintf(stderr, "melodist predict: --window: %s\n", ids.error().c_str());
        return 1;
    }
    const int context = contextOption < 0 ? model->defaultContext() : static_cast<int>(contextOption);
    const engine::Result<std::vector<float>> probabilities = model->predict(*ids, context, device);
    if (!probabilities) {
        std::fprintf(stderr, "melodist predict: %s\n", probabilities.error().c_str());
        return 1;
    }
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (size_t id = 0; id < probabilities->size(); ++id)
        out[model->vocabulary().symbols()[id]] = static_cast<double>((*probabilities)[id]);
    std::printf("%s\n", out.dump(1).c_str());
    return 0;
}

}  // namespace melodist::cli

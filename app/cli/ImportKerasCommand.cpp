// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist import-keras`: a Keras .h5 melody model and its mapping.json in, one
// .melodist-model file out (engine/model/LstmCheckpoint.h). No LibTorch.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "engine/model/LstmCheckpoint.h"

#include <cstdio>

namespace melodist::cli {

int runImportKeras(int argc, char** argv) {
    CommandLine args(argc, argv, 2, {{"out", true}});
    if (!args.error().empty()) return usageError("import-keras", args.error());
    if (args.positional().size() != 2)
        return usageError("import-keras", "give the Keras model and its mapping: melodist import-keras model.h5 mapping.json");
    const std::string modelPath = args.positional()[0];
    const std::string mappingPath = args.positional()[1];
    const std::string output = args.value("out", "model" + std::string(engine::kCheckpointExtension));

    const engine::Result<engine::Checkpoint> checkpoint = engine::importKerasCheckpoint(modelPath, mappingPath);
    if (!checkpoint) {
        std::fprintf(stderr, "melodist import-keras: %s\n", checkpoint.error().c_str());
        return 1;
    }
    if (const engine::Result<void> saved = engine::saveCheckpoint(*checkpoint, output); !saved) {
        std::fprintf(stderr, "melodist import-keras: %s\n", saved.error().c_str());
        return 1;
    }
    const auto& architecture = checkpoint->metadata["architecture"];
    std::printf("import-keras: %s: LSTM %s layer(s) of %s units, %zu symbols, context %d; %s\n", output.c_str(),
                architecture["layers"].dump().c_str(), architecture["units"].dump().c_str(),
                checkpoint->metadata["vocabulary"].size(), engine::kKerasDefaultContext,
                checkpoint->metadata["source"].get<std::string>().c_str());
    return 0;
}

}  // namespace melodist::cli

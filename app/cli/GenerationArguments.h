// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The options `melodist generate` and `melodist regenerate` share -- sampling,
// constraints, key handling, device -- parsed into engine::GenerationOptions with one
// set of messages, plus the hand-over to melodist-ml and the --stats fields both print.
// CLI main thread only.
//
//   CommandLine args(argc, argv, 2, withGenerationOptions({{"model", true}, ...}));
//   engine::GenerationOptions options;
//   if (std::string error = parseGenerationOptions(args, options); !error.empty()) return usageError("generate", error);
//   if (const int handed = handOverIfNeedsLibTorch(args.value("model"), options.device, argv); handed >= 0) return handed;

#include "app/cli/CommandLine.h"
#include "engine/generation/MelodyGenerator.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace melodist::cli {

// `specs` plus temperature, top-k, top-p, candidates, context, rng-seed, device, key,
// range, max-note-steps, max-rest-ratio, keep-key.
std::vector<OptionSpec> withGenerationOptions(std::vector<OptionSpec> specs);
// Fills everything but `steps`; returns a usage error message, or "" when all are valid.
std::string parseGenerationOptions(CommandLine& args, engine::GenerationOptions& options);
// The --device value (auto when absent); "" and the choice, or the error message.
std::string parseDevice(const CommandLine& args, engine::DeviceChoice& device);

// In the light `melodist` (no LibTorch): when the model needs LibTorch for `device`,
// replaces the process with melodist-ml running the same command; returns its failure
// code. -1 when the command should go on here (always in melodist-ml).
int handOverIfNeedsLibTorch(const std::string& modelPath, engine::DeviceChoice device, char** argv);

// The --stats fields about the key: <name> ("D major" or null), <name>_estimated, transpose.
nlohmann::ordered_json keyStats(const std::string& name, const std::optional<engine::ScaleKey>& key, bool estimated, int transpose);
// The constraints as given, for --stats.
nlohmann::ordered_json constraintStats(const engine::MelodyConstraints& constraints);

// melody.mid, melody-2.mid, melody-3.mid, ...
std::string numberedPath(const std::string& path, size_t index);

}  // namespace melodist::cli

// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist train`: a preprocessed dataset in, a run folder out (training/Trainer.h).
// SIGINT/SIGTERM ask the loop to stop after the current step and save; a second
// SIGINT ends the process at once.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "training/TrainOptions.h"
#include "training/Trainer.h"
#include "training/data/ProgressWriter.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <unistd.h>

namespace melodist::cli {
namespace {

std::atomic<bool> g_stopRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onStopSignal(int signal) {
    if (g_stopRequested.exchange(true) && signal == SIGINT) ::_exit(130);
}

void installStopHandlers() {
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

std::string formatSeconds(double seconds) {
    const long total = std::lround(seconds);
    char text[32];
    if (total >= 3600)
        std::snprintf(text, sizeof text, "%ldh%02ldm", total / 3600, total / 60 % 60);
    else
        std::snprintf(text, sizeof text, "%ldm%02lds", total / 60, total % 60);
    return text;
}

// Human-readable lines on stderr (batches at most every 10 s).
void printEvent(const std::string& event, const nlohmann::json& f) {
    static auto lastBatchLine = std::chrono::steady_clock::time_point{};
    if (event == "start") {
        std::fprintf(stderr, "train: %s, %lld parameters, %zu songs to train on, %zu to validate, %lld steps planned, on %s%s\n",
                     f["options"]["model"].get<std::string>().c_str(), f["parameters"].get<long long>(),
                     f["songs_train"].get<size_t>(), f["songs_validation"].get<size_t>(),
                     f["planned_steps"].get<long long>(), f["device"].get<std::string>().c_str(),
                     f["resumed"].get<bool>() ? (", resumed at step " + std::to_string(f["step"].get<long long>())).c_str() : "");
    } else if (event == "batch") {
        if (std::chrono::steady_clock::now() - lastBatchLine < std::chrono::seconds(10)) return;
        lastBatchLine = std::chrono::steady_clock::now();
        std::fprintf(stderr, "  epoch %d batch %lld/%lld: loss %.4f accuracy %.1f%%, %.0f symbols/s, ETA %s\n",
                     f["epoch"].get<int>(), f["batch"].get<long long>(), f["batches"].get<long long>(),
                     f["loss_train"].get<double>(), 100 * f["accuracy_train"].get<double>(),
                     f["symbols_per_s"].get<double>(), formatSeconds(f["eta_s"].get<double>()).c_str());
    } else if (event == "epoch") {
        char valid[128] = "";
        if (f.contains("loss_valid"))
            std::snprintf(valid, sizeof valid, "; validation loss %.4f accuracy %.1f%% perplexity %.3f",
                          f["loss_valid"].get<double>(), 100 * f["accuracy_valid"].get<double>(),
                          f["perplexity_valid"].get<double>());
        std::fprintf(stderr, "epoch %d (step %lld): loss %.4f accuracy %.1f%%%s; %.0f symbols/s, %.1f s, ETA %s\n",
                     f["epoch"].get<int>(), f["step"].get<long long>(), f["loss_train"].get<double>(),
                     100 * f["accuracy_train"].get<double>(), valid, f["symbols_per_s"].get<double>(),
                     f["epoch_s"].get<double>(), formatSeconds(f["eta_s"].get<double>()).c_str());
    } else if (event == "early_stop") {
        std::fprintf(stderr, "early stop: no better validation loss for %d epochs\n", f["patience"].get<int>());
    }
}

}  // namespace

int runTrain(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     {{"out", true},       {"model", true},      {"layers", true},     {"units", true},
                      {"embed", true},     {"dropout", true},    {"heads", true},      {"batching", true},
                      {"position-period", true},
                      {"seq-len", true},   {"batch", true},      {"val-split", true},  {"rng-seed", true},
                      {"augment-transpose", true},               {"epochs", true},     {"lr", true},
                      {"lr-schedule", true}, {"warmup", true},   {"clip", true},       {"patience", true},
                      {"max-steps", true}, {"device", true},     {"threads", true},    {"resume", false},
                      {"checkpoint-every", true},                {"progress", true}});
    if (!args.error().empty()) return usageError("train", args.error());
    if (args.positional().size() != 1) return usageError("train", "give one dataset folder (made by 'melodist preprocess')");
    training::TrainOptions options;
    options.datasetDir = args.positional()[0];
    options.runDir = args.value("out");
    if (options.runDir.empty()) return usageError("train", "give the run folder with --out DIR");
    options.model = args.value("model", options.model);
    options.layers = static_cast<int>(args.integer("layers", options.layers));
    options.units = static_cast<int>(args.integer("units", options.units));
    options.embed = static_cast<int>(args.integer("embed", options.embed));
    options.dropout = args.number("dropout", options.dropout);
    options.heads = static_cast<int>(args.integer("heads", options.heads));
    options.positionPeriod = static_cast<int>(args.integer("position-period", options.positionPeriod));
    const std::string batching = args.value("batching", "windows");
    if (batching != "windows" && batching != "songs")
        return usageError("train", "--batching is windows or songs, not '" + batching + "'");
    options.batching = batching == "songs" ? training::BatchMode::Songs : training::BatchMode::Windows;
    options.sequenceLength = static_cast<int>(args.integer("seq-len", options.sequenceLength));
    options.batchSize = static_cast<int>(args.integer("batch", options.batchSize));
    options.validationSplit = args.number("val-split", options.validationSplit);
    options.rngSeed = static_cast<uint64_t>(args.integer("rng-seed", static_cast<long>(options.rngSeed)));
    options.augmentTranspose = static_cast<int>(args.integer("augment-transpose", options.augmentTranspose));
    options.epochs = static_cast<int>(args.integer("epochs", options.epochs));
    options.learningRate = args.number("lr", options.learningRate);
    options.lrSchedule = args.value("lr-schedule", options.lrSchedule);
    options.warmupSteps = args.integer("warmup", static_cast<long>(options.warmupSteps));
    options.clip = args.number("clip", options.clip);
    options.patience = static_cast<int>(args.integer("patience", options.patience));
    options.maxSteps = args.integer("max-steps", 0);
    options.device = args.value("device", options.device);
    options.threads = static_cast<int>(args.integer("threads", 0));
    options.checkpointEverySteps = args.integer("checkpoint-every", 0);
    options.resume = args.has("resume");
    if (!args.error().empty()) return usageError("train", args.error());
    const std::string progressFormat = args.value("progress");
    if (!progressFormat.empty() && progressFormat != "jsonl")
        return usageError("train", "--progress takes 'jsonl', not '" + progressFormat + "'");

    std::unique_ptr<training::ProgressWriter> progress;
    if (!progressFormat.empty()) progress = std::make_unique<training::ProgressWriter>(stdout);
    const auto fail = [&](const std::string& message) {
        if (progress) progress->write("error", {{"message", message}});
        std::fprintf(stderr, "melodist train: %s\n", message.c_str());
        return 1;
    };
    if (!std::filesystem::is_directory(options.datasetDir))
        return fail(options.datasetDir + ": no such dataset folder; make one with 'melodist preprocess CORPUS --out " +
                    options.datasetDir + "'");
    if (options.resume) {
        // The run's own options, except those typed now: model options must agree.
        std::set<std::string> given;
        const nlohmann::ordered_json typed = options.toJson();
        for (const auto& [key, value] : typed.items()) {
            std::string flag = key;
            std::replace(flag.begin(), flag.end(), '_', '-');
            if (args.has(flag)) given.insert(key);
        }
        auto run = training::readRunJson(options.runDir);
        if (!run) return fail(run.error() + "; is --out the folder of an earlier 'melodist train'?");
        auto stored = training::TrainOptions::fromJson((*run)["options"]);
        if (!stored) return fail(options.runDir + "/run.json: " + stored.error());
        auto merged = training::optionsForResume(*stored, options, given);
        if (!merged) return fail(merged.error());
        options = std::move(*merged);
    } else if (const std::string problem = options.validate(); !problem.empty()) {
        return usageError("train", problem);
    }

    installStopHandlers();
    auto result = training::runTraining(
        options,
        [&](const std::string& event, const nlohmann::json& fields) {
            if (progress) progress->write(event, fields);
            if (!progress || event != "batch") printEvent(event, fields);
        },
        &g_stopRequested);
    if (!result) return fail(result.error());
    const nlohmann::json& best = result->metrics["best"];
    char bestText[128] = "";
    if (best.contains("loss_valid"))
        std::snprintf(bestText, sizeof bestText, ", best validation loss %.4f (accuracy %.1f%%, perplexity %.3f)",
                      best["loss_valid"].get<double>(), 100 * best["accuracy_valid"].get<double>(),
                      best["perplexity_valid"].get<double>());
    if (result->status == "stopped")
        std::fprintf(stderr, "train: stopped at step %lld; saved %s/%s. Continue with: melodist train %s --out %s --resume\n",
                     static_cast<long long>(result->steps), options.runDir.c_str(), training::kLastModelFileName,
                     options.datasetDir.c_str(), options.runDir.c_str());
    else
        std::fprintf(stderr, "train: %s after %d epochs, %lld steps, %s%s; %s\n", result->status.c_str(), result->epochs,
                     static_cast<long long>(result->steps), formatSeconds(result->metrics.value("wall_time_s", 0.0)).c_str(),
                     bestText,
                     result->metrics.value("rank", 0) == 0 ? ("models in " + options.runDir).c_str() : "rank 0 keeps the models");
    if (const int world = result->metrics.value("world_size", 1); world > 1)  // compare the ranks' lines: equal weights
        std::fprintf(stderr, "train: rank %d of %d, weights sha256 %s%s\n", result->metrics.value("rank", 0), world,
                     result->metrics.value("weights_sha256", std::string()).c_str(),
                     result->metrics.value("rank", 0) == 0 ? "" : " (rank 0 saves the models)");
    return 0;
}

}  // namespace melodist::cli

// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist evaluate-model`: next-symbol loss, accuracy and perplexity of a model (or
// of the order-n Kneser-Ney baseline, MODEL = ngram:N) over every song of a dataset
// folder (training/data/Evaluate.h). LSTMs run here on the fp32 kernel; other
// architectures and --device cuda are handed to melodist-ml.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "app/cli/GenerationArguments.h"
#include "engine/model/BundledModels.h"
#include "training/data/Evaluate.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace melodist::cli {
namespace {

constexpr const char* kNgramPrefix = "ngram:";

void printText(const nlohmann::ordered_json& out, const training::EvaluationResult& result) {
    std::printf("model       %s (%s, context %d, padding %d)\n", out["model"].get<std::string>().c_str(),
                out["architecture"].get<std::string>().c_str(), result.context, result.padding);
    std::printf("dataset     %s: %lld songs, %lld symbols scored (%s)\n", out["dataset"].get<std::string>().c_str(),
                static_cast<long long>(result.songs), static_cast<long long>(result.symbols),
                result.songEndSymbols == 0 ? "the songs' own symbols"
                                           : ("the songs' own symbols and " + std::to_string(result.songEndSymbols) + " '/' after each").c_str());
    std::printf("loss        %.4f nats/symbol\n", result.loss());
    std::printf("accuracy    %.2f %%\n", 100.0 * result.accuracy());
    std::printf("perplexity  %.3f\n", result.perplexity());
    if (result.missingTargets > 0) {
        std::string list;
        for (const auto& [symbol, count] : result.missingSymbols)
            list += (list.empty() ? "" : ", ") + symbol + " x" + std::to_string(count);
        std::printf("missing     %lld symbols the model lacks, scored as misses at p = %g: %s\n",
                    static_cast<long long>(result.missingTargets), result.probabilityFloor, list.c_str());
    }
    if (result.unscoredSymbols > 0)
        std::printf("unscored    %lld first symbols (the model has no '/' to start a song from)\n",
                    static_cast<long long>(result.unscoredSymbols));
    std::printf("time        %.2f s on %s\n", result.seconds, result.device.c_str());
}

}  // namespace

int runEvaluateModel(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     {{"context", true}, {"device", true}, {"songs", true}, {"train-dataset", true}, {"batch", true},
                      {"floor", true}, {"count-end", true}, {"split-of", true}, {"train-split-of", true}, {"json", false}});
    if (!args.error().empty()) return usageError("evaluate-model", args.error());
    if (args.positional().size() != 2) return usageError("evaluate-model", "give the model and the dataset folder: MODEL DATASET_DIR");
    const std::string modelName = args.positional()[0];
    const std::string datasetDir = args.positional()[1];
    training::EvaluationOptions options;
    if (const std::string error = parseDevice(args, options.device); !error.empty()) return usageError("evaluate-model", error);
    const long context = args.integer("context", -1);
    const long songs = args.integer("songs", -1);
    const long batch = args.integer("batch", options.batchRows);
    const long countEnd = args.integer("count-end", 0);
    options.probabilityFloor = args.number("floor", options.probabilityFloor);
    if (!args.error().empty()) return usageError("evaluate-model", args.error());
    if (args.has("context") && (context < 0 || context > 1 << 20))
        return usageError("evaluate-model", "--context is 0 (carry the state) or a number of symbols");
    if (args.has("songs") && songs < 1) return usageError("evaluate-model", "--songs is a number of songs, 1 or more");
    if (batch < 1 || batch > 65536) return usageError("evaluate-model", "--batch is 1..65536 rows");
    if (countEnd < 0 || countEnd > 4096) return usageError("evaluate-model", "--count-end is 0..4096 '/' after each song");
    if (!(options.probabilityFloor > 0.0 && options.probabilityFloor < 1.0))
        return usageError("evaluate-model", "--floor is a probability between 0 and 1");
    options.context = static_cast<int>(context);
    options.maxSongs = songs;
    options.batchRows = static_cast<int>(batch);
    options.songEndSymbols = static_cast<int>(countEnd);
    const bool ngram = modelName.rfind(kNgramPrefix, 0) == 0;
    if (args.has("train-split-of") && !ngram) return usageError("evaluate-model", "--train-split-of is for MODEL = ngram:N only");
    if (ngram != args.has("train-dataset"))
        return usageError("evaluate-model", ngram ? "an n-gram baseline needs --train-dataset DIR to count n-grams in"
                                                  : "--train-dataset is for MODEL = ngram:N only");
    std::string modelPath = modelName;
    if (!ngram) {
        const engine::Result<std::string> resolved = engine::resolveModelPath(modelName);  // "default", bundled names
        if (!resolved) {
            std::fprintf(stderr, "melodist evaluate-model: %s\n", resolved.error().c_str());
            return 1;
        }
        modelPath = *resolved;
        if (const int handed = handOverIfNeedsLibTorch(modelPath, options.device, argv); handed >= 0) return handed;
    }

    // --split-of RUN: only the songs that run held out; --train-split-of RUN: an n-gram counts only its training songs.
    const std::string splitRun = args.value("split-of");
    const std::string trainSplitRun = args.value("train-split-of");
    const engine::Result<training::EvaluationDataset> dataset =
        splitRun.empty() ? training::loadEvaluationDataset(datasetDir)
                         : training::loadRunSplit(datasetDir, splitRun, training::RunSplitPart::Validation);
    if (!dataset) {
        std::fprintf(stderr, "melodist evaluate-model: %s\n", dataset.error().c_str());
        return 1;
    }
    nlohmann::ordered_json out;
    out["model"] = modelPath;
    out["dataset"] = datasetDir;
    if (!splitRun.empty()) out["split_of"] = splitRun;
    engine::Result<training::EvaluationResult> result = engine::makeError("not evaluated");
    if (ngram) {
        const std::string orderText = modelName.substr(std::char_traits<char>::length(kNgramPrefix));
        if (orderText.size() != 1 || orderText[0] < '1' || orderText[0] > '4')
            return usageError("evaluate-model", "the n-gram order is 1..4: ngram:3");
        if (args.has("context")) return usageError("evaluate-model", "--context is for neural models; an n-gram of order N reads N-1 symbols");
        const std::string trainDir = args.value("train-dataset");
        const engine::Result<training::EvaluationDataset> train =
            trainSplitRun.empty() ? training::loadEvaluationDataset(trainDir)
                                  : training::loadRunSplit(trainDir, trainSplitRun, training::RunSplitPart::Train);
        if (!train) {
            std::fprintf(stderr, "melodist evaluate-model: --train-dataset: %s\n", train.error().c_str());
            return 1;
        }
        const engine::Result<training::NgramModel> model = training::trainNgramModel(*train, {.order = orderText[0] - '0'});
        if (!model) {
            std::fprintf(stderr, "melodist evaluate-model: %s\n", model.error().c_str());
            return 1;
        }
        out["architecture"] = "ngram (interpolated Kneser-Ney)";
        out["train_dataset"] = trainDir;
        if (!trainSplitRun.empty()) out["train_split_of"] = trainSplitRun;
        out["train_songs"] = train->data.songCount();
        out["discounts"] = nlohmann::ordered_json::array();
        for (int length = 1; length <= model->order(); ++length) out["discounts"].push_back(model->discount(length));
        result = training::evaluateNgram(*model, train->vocabulary, *dataset, options);
    } else {
        const engine::Result<engine::MelodyModel> model = engine::MelodyModel::load(modelPath, options.device);
        if (!model) {
            std::fprintf(stderr, "melodist evaluate-model: %s\n", model.error().c_str());
            return 1;
        }
        out["architecture"] = model->architecture();
        result = training::evaluateModel(*model, *dataset, options);
    }
    if (!result) {
        std::fprintf(stderr, "melodist evaluate-model: %s\n", result.error().c_str());
        return 1;
    }
    if (args.has("json")) {
        out.update(result->toJson());
        std::printf("%s\n", out.dump(1).c_str());
    } else {
        printText(out, *result);
    }
    return 0;
}

}  // namespace melodist::cli

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Next-symbol evaluation of a melody model over every song of a preprocessed dataset
// folder (dataset.bin + mapping.json): loss (nats per symbol), accuracy and perplexity,
// the numbers `melodist evaluate-model` prints. No LibTorch: MelodyModel runs LSTMs on
// the fp32 kernel and other architectures through the decoder its backend makes.
//
// What is scored: every symbol of every song (the song's own symbols), predicted from
// the model's padding ("/" x MelodyModel::seedPadding(), 64 for Keras imports; one "/"
// when that is 0, none when the model has no "/") and the song's symbols before it.
// The padding is not a target, unless songEndSymbols asks for that many "/" after each
// song: 1, the end of the song; 64, the targets of the seeds' file_dataset (songs
// between 64 "/"), what Keras' accuracy counted in their training. Symbols are matched by NAME between the dataset's and the
// model's vocabularies: a dataset symbol the model lacks is a miss scored at
// probabilityFloor as a target, is not fed as input (the model never saw it), and is
// listed with its count.
//   context 0: incremental, state carried through padding and song (rows = songs, one
//              decoder batch; finished songs leave it through keepRows).
//   context N: the seeds' way: each symbol from the last N symbols fed from a fresh state
//              (rows = prediction windows of one length, N steps each).
// Free functions; any one thread (the decoders use their own helper threads); the
// caller owns the results.
//
//   Result<EvaluationDataset> data = loadEvaluationDataset("/tmp/fink");
//   Result<EvaluationResult> r = evaluateModel(model, *data, {.context = 64});
//   std::printf("%s\n", r->toJson().dump(1).c_str());

#include "engine/core/Result.h"
#include "engine/model/MelodyModel.h"
#include "engine/music/Vocabulary.h"
#include "training/data/DatasetBinary.h"
#include "training/data/NgramModel.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace melodist::training {

struct EvaluationDataset {
    engine::Vocabulary vocabulary;  // mapping.json
    DatasetBinary data;             // dataset.bin
};

// Reads DIR/dataset.bin and DIR/mapping.json (`melodist preprocess --out DIR` writes both).
engine::Result<EvaluationDataset> loadEvaluationDataset(const std::string& directory);

// The songs of DATASET_DIR that the training run in RUN_DIR trained on or held out for
// validation: the run's split by source file, recomputed from its run.json (val_split,
// rng_seed) exactly as `melodist train` made it. DATASET_DIR must be the run's dataset
// (same songs; its song count is checked against the run's). So a model, another run's
// model or the n-gram baseline can be scored on the very songs a run never saw.
enum class RunSplitPart { Train, Validation };
engine::Result<EvaluationDataset> loadRunSplit(const std::string& datasetDir, const std::string& runDir,
                                               RunSplitPart part);

struct EvaluationOptions {
    int context = -1;  // -1: the model's default (64 for Keras imports, 0 for Melodist models)
    engine::DeviceChoice device = engine::DeviceChoice::Auto;
    int64_t maxSongs = -1;           // the first N songs of the dataset; -1: all
    int batchRows = 512;             // decoder rows at a time
    double probabilityFloor = 1e-6;  // a target the model lacks gets this probability
    int songEndSymbols = 0;          // "/" scored after each song: 0, 1 (the end), 64 (the seeds' file)
};

struct EvaluationResult {
    int64_t songs = 0;
    int64_t symbols = 0;          // targets scored
    int64_t correct = 0;          // targets that were the most likely symbol
    double lossSumNats = 0.0;     // sum of -ln p(target)
    int64_t missingTargets = 0;   // targets the model lacks (all misses)
    std::map<std::string, int64_t> missingSymbols;  // dataset symbol -> its count as a target
    int64_t unscoredSymbols = 0;  // first symbols of songs with no padding to predict them from
    int context = 0;              // the context used
    int padding = 0;              // "/" fed before each song
    int songEndSymbols = 0;       // "/" scored after each song
    double probabilityFloor = 0.0;
    std::string device;           // the decoder's, or "cpu (n-gram)"
    int64_t decoderSteps = 0;     // rows stepped, summed over steps: the work done
    double seconds = 0.0;         // the evaluation alone (not loading)

    double loss() const { return symbols > 0 ? lossSumNats / static_cast<double>(symbols) : 0.0; }
    double accuracy() const { return symbols > 0 ? static_cast<double>(correct) / static_cast<double>(symbols) : 0.0; }
    double perplexity() const;
    nlohmann::ordered_json toJson() const;
};

engine::Result<EvaluationResult> evaluateModel(const engine::MelodyModel& model, const EvaluationDataset& dataset,
                                               const EvaluationOptions& options);

// The order-n Kneser-Ney baseline trained on every song of `train` (its vocabulary is the
// model's), then scored like a model on `dataset` with `padding` = order - 1.
engine::Result<NgramModel> trainNgramModel(const EvaluationDataset& train, const NgramOptions& options);
engine::Result<EvaluationResult> evaluateNgram(const NgramModel& model, const engine::Vocabulary& modelVocabulary,
                                               const EvaluationDataset& dataset, const EvaluationOptions& options);

}  // namespace melodist::training

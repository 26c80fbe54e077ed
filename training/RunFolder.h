// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RunFolder: the files of a training run folder (see Trainer.h): the model metadata
// every checkpoint carries, last/best checkpoints with or without the optimizer, the
// resume point read back (run.json: TrainOptions.h). Include from training/*.cpp only (LibTorch).
// Free functions for the training thread; every write is atomic (engine/core/FileIO.h).
//
//   nlohmann::ordered_json metadata = modelMetadata(data, options, split);
//   saveRunCheckpoint(*net, &adam, metadata, trainingState, runDir + "/last.melodist-model");
//   Result<ResumePoint> resume = loadResumePoint(runDir + "/last.melodist-model");

#include "engine/core/Result.h"
#include "engine/model/Checkpoint.h"
#include "engine/nn/SequenceNet.h"
#include "training/AdamOptimizer.h"
#include "training/TrainOptions.h"
#include "training/data/TrainingData.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace melodist::training {

// vocabulary (id order), encoding (the dataset's preprocess options), context
// {default, seed_padding, padding_symbol} as trained, corpus, training options, source.
nlohmann::ordered_json modelMetadata(const TrainingDataset& data, const TrainOptions& options, const SongSplit& split);

// The net (netToCheckpoint) with `metadata` plus "metrics"; with `adam`, its moments
// and "training_state" too (the last checkpoint).
engine::Result<void> saveRunCheckpoint(engine::nn::SequenceNet& net, const AdamOptimizer* adam,
                                       nlohmann::ordered_json metadata, const nlohmann::json& metrics,
                                       const nlohmann::json& trainingState, const std::string& path);

struct ResumePoint {
    engine::Checkpoint checkpoint;  // the whole file, optimizer tensors included
    std::shared_ptr<engine::nn::SequenceNet> net;
    nlohmann::json trainingState;
};
engine::Result<ResumePoint> loadResumePoint(const std::string& path);

// "AMD EPYC 7B13, 2 hardware threads, 2 LibTorch threads, cpu, OpenBLAS 0.3.21"
nlohmann::json describeMachine(const std::string& device);

}  // namespace melodist::training

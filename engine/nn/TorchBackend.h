// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The LibTorch part's entry points for code that must not include LibTorch (the CLI's
// main, the studio, tests of the CLI). No LibTorch in this header.
//
// registerTorchBackend() installs the ModelBackend loader (engine/model/ModelBackend.h)
// through which MelodyModel runs what the fp32 kernel does not: GRU, LSTM with attention,
// Transformer and VAE checkpoints, and any model on CUDA. Its decoders run the net in
// eval mode under torch::NoGradGuard on the chosen device (Auto: CUDA when there is one,
// else the CPU), one host copy of the logits per step; a VAE decoder's reset() draws each
// row's latent from (rngSeed, row). A decoder's step() may throw c10::Error (a
// std::exception) on a device failure such as CUDA running out of memory: the
// generation worker's top-level catch turns it into an error.
//
//   int main() { melodist::engine::nn::registerTorchBackend(); ... }   // melodist-ml, studio
//   Result<LoadedNet> vae = loadNetModel("phrases.melodist-model");  // the VAE commands

#include "engine/core/Result.h"
#include "engine/model/Checkpoint.h"
#include "engine/model/ModelBackend.h"
#include "engine/music/Vocabulary.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace melodist::engine::nn {

class SequenceNet;  // engine/nn/SequenceNet.h (LibTorch)

// Installs loadTorchBackend as engine::torchBackendLoader(). Call once at start-up.
void registerTorchBackend();

// The loader itself: the net from the checkpoint (netFromCheckpoint), shared read-only by
// every decoder it makes; a CUDA copy is made on the first CUDA decoder. Any thread.
Result<std::shared_ptr<const ModelBackend>> loadTorchBackend(const Checkpoint& checkpoint,
                                                             const std::string& sourceName);

// A LibTorch model file loaded for direct use: the net (CPU, eval mode), its vocabulary
// and metadata. Owned by the caller; the net is one-thread-at-a-time.
struct LoadedNet {
    std::shared_ptr<SequenceNet> net;
    Vocabulary vocabulary;
    nlohmann::ordered_json metadata;
    int startId = 0;  // the context's padding symbol ("/"), which precedes a song; 0 without one
};
Result<LoadedNet> loadNetModel(const std::string& path);
Result<LoadedNet> loadedNetFromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName);

}  // namespace melodist::engine::nn

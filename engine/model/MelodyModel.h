// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MelodyModel: a loaded `.melodist-model` of any architecture, ready to predict and
// generate: the vocabulary, the context it was trained with, and what runs it -- the
// fp32 LstmKernel (no LibTorch) for LSTMs (Keras' layout, or LibTorch's converted by
// engine/model/TorchLstmLayout.h) on the CPU, or a ModelBackend from the LibTorch part
// (engine/nn) for every other architecture and for CUDA. Generation code sees neither:
// it steps the SequenceDecoder that makeDecoder() returns. Immutable after load(); any
// number of threads may use it at once (each with its own decoder); copies are cheap
// and share the weights. The owner (the CLI command, a model cache, a GenerationJob)
// keeps it.
//
//   Result<MelodyModel> model = MelodyModel::load("seeds.melodist-model");
//   Result<std::vector<int>> ids = model->vocabulary().toIds(splitSymbols("67 _ 65"));
//   Result<std::vector<float>> p = model->predict(*ids, model->defaultContext());
//   Result<std::unique_ptr<SequenceDecoder>> decoder = model->makeDecoder(DeviceChoice::Auto, /*rngSeed=*/0);

#include "engine/core/Result.h"
#include "engine/generation/SequenceDecoder.h"
#include "engine/keras/LstmKernel.h"
#include "engine/model/Checkpoint.h"
#include "engine/model/ModelBackend.h"
#include "engine/music/Vocabulary.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

class MelodyModel {
public:
    // `device` is where the caller means to run it: an LSTM loads its fp32 kernel for Auto
    // and Cpu, and a LibTorch backend for Cuda; other architectures always load a backend.
    // Without a registered backend loader (the light `melodist`), a model that needs one
    // is an error saying it needs LibTorch (melodist-ml).
    static Result<MelodyModel> load(const std::string& path, DeviceChoice device = DeviceChoice::Auto);
    static Result<MelodyModel> fromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName,
                                              DeviceChoice device = DeviceChoice::Auto);
    // Whether loading `path` for `device` needs LibTorch: reads only the file's header and
    // metadata (milliseconds), so the light CLI can hand the command to melodist-ml before
    // doing anything. An error only when the file cannot be read as a checkpoint.
    static Result<bool> needsLibTorch(const std::string& path, DeviceChoice device);

    // The metadata's architecture.type: "lstm", "gru", "lstm-attn", "transformer", "vae".
    const std::string& architecture() const { return m_architecture; }
    // The fp32 kernel of an LSTM loaded for the CPU; nullptr when a backend runs the model.
    const LstmKernel* kernel() const { return m_kernel.get(); }
    const Vocabulary& vocabulary() const { return m_vocabulary; }
    const nlohmann::ordered_json& metadata() const { return m_metadata; }
    // Symbols per prediction window, fed from a zero state (0: the whole history, state
    // carried). 64 for imported Keras models.
    int defaultContext() const { return m_defaultContext; }
    // How many padding symbols ("/") go before a seed, as in training (the seeds: 64).
    int seedPadding() const { return m_seedPadding; }
    int paddingId() const { return m_paddingId; }  // -1 when the vocabulary has no padding symbol

    // A fresh decoding session: the kernel's (device "cpu (fp32 kernel, avx2+fma)") for an
    // LSTM on Auto or Cpu, else the backend's. `rngSeed` seeds what an architecture draws
    // at reset() (a VAE's latents). Cuda where there is none is an error that says so.
    Result<std::unique_ptr<SequenceDecoder>> makeDecoder(DeviceChoice device = DeviceChoice::Auto, uint64_t rngSeed = 0) const;

    // Next-symbol probabilities: the last `context` ids of `window` (all of them when
    // context is 0 or the window is shorter) fed from the initial state, through a
    // decoder on `device`. Error on an empty window, an id out of range or a negative context.
    Result<std::vector<float>> predict(std::span<const int> window, int context, DeviceChoice device = DeviceChoice::Auto) const;

private:
    MelodyModel() = default;

    std::string m_architecture;
    std::string m_sourceName;
    std::shared_ptr<const LstmKernel> m_kernel;
    std::shared_ptr<const ModelBackend> m_backend;
    Vocabulary m_vocabulary;
    nlohmann::ordered_json m_metadata;
    int m_defaultContext = 0;
    int m_seedPadding = 0;
    int m_paddingId = -1;
};

}  // namespace melodist::engine

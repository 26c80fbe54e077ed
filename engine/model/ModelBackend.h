// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How a loaded model runs. MelodyModel (no LibTorch) runs LSTMs on the fp32 LstmKernel
// itself; every other architecture (GRU, LSTM with attention, Transformer, VAE) and
// any model on CUDA runs through a ModelBackend made by the LibTorch part (engine/nn),
// which registers its loader at start-up in processes that link it (melodist-ml, the
// studio). Without a registered loader, such a model's load() fails with a message that
// says so, and the light `melodist` CLI hands the command to melodist-ml.
//
// Device choice: Auto = the fastest place for this model -- the fp32 kernel for LSTMs
// (faster than a GPU at one symbol per step), CUDA when available for the others, else
// CPU. Cuda where there is none is an error naming what is missing (no silent
// fallback: that happens only for Auto). Cpu always works.

#include "engine/core/Result.h"
#include "engine/generation/SequenceDecoder.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace melodist::engine {

struct Checkpoint;

enum class DeviceChoice { Auto, Cpu, Cuda };

// "auto", "cpu", "cuda" (case-sensitive); an error lists the choices.
Result<DeviceChoice> parseDeviceChoice(std::string_view text);
const char* deviceChoiceName(DeviceChoice choice);

class ModelBackend {
public:
    virtual ~ModelBackend() = default;
    // A decoder on the chosen device. `rngSeed` seeds what the architecture draws per
    // row at reset() (a VAE's latents); others ignore it. Thread-safe: the backend's
    // weights are shared and read-only.
    virtual Result<std::unique_ptr<SequenceDecoder>> makeDecoder(DeviceChoice device, uint64_t rngSeed) const = 0;
};

// Installed once at start-up by the LibTorch part (engine/nn: registerTorchBackend()).
using TorchBackendLoader = Result<std::shared_ptr<const ModelBackend>> (*)(const Checkpoint& checkpoint,
                                                                           const std::string& sourceName);
void setTorchBackendLoader(TorchBackendLoader loader);
TorchBackendLoader torchBackendLoader();  // nullptr in processes without LibTorch

}  // namespace melodist::engine

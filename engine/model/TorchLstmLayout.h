// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LSTMs trained by Melodist (engine/nn, LibTorch) are saved with LibTorch's parameter
// names and layouts, so training resumes exactly; this converts such a checkpoint into
// the fp32 LstmKernel's weights (no LibTorch), so the CLI and studio generate with it at
// kernel speed. PyTorch's gate order (i, f, g, o) is Keras' (i, f, c, o); the matrices
// are transposed, b_ih + b_hh become one bias, and an embedding is folded into the
// first layer's kernel (E · W_ih^T: one row per symbol, as for one-hot input).
// Tensor names: see engine/nn/Architectures.h ("embedding.weight", "lstm.weight_ih_l0",
// "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0", ..., "output.weight",
// "output.bias"). A value function; any thread.

#include "engine/core/Result.h"
#include "engine/keras/LstmKernel.h"
#include "engine/model/Checkpoint.h"

namespace melodist::engine {

// True when the checkpoint is an LSTM in LibTorch's layout (metadata architecture.type
// "lstm" and architecture.layout "torch").
bool isTorchLayoutLstm(const Checkpoint& checkpoint);
// Errors name the missing or mis-shaped tensor.
Result<LstmModelWeights> lstmWeightsFromTorchLayout(const Checkpoint& checkpoint, const std::string& sourceName);

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The activations an LSTM layer of LstmKernel may use (Keras' names): `activation` for
// the candidate and the cell output, `recurrentActivation` for the i, f, o gates.

namespace melodist::engine {

enum class LstmActivation { Sigmoid, HardSigmoid, Tanh };

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The check that a Keras model read by readKerasModelFile is a melody model Melodist can
// run, and its weights in LstmKernel's form. Supported: [InputLayer (one-hot)] -> LSTM
// (activation and recurrent_activation sigmoid / hard_sigmoid / tanh, stacked LSTMs
// with return_sequences) -> [Dropout, identity at inference] -> Dense softmax, with as
// many outputs as inputs (a generated symbol is fed back). Anything else is an error
// that names the layer and what is unsupported. Free functions, any thread.
//
//   Result<KerasModel> file = readKerasModelFile(path);
//   Result<LstmModelWeights> weights = file ? melodyLstmWeights(*file) : makeError(file.error());
//   Result<LstmKernel> kernel = weights ? LstmKernel::create(std::move(*weights)) : ...;

#include "engine/core/Result.h"
#include "engine/keras/KerasModelFile.h"
#include "engine/keras/LstmKernel.h"

#include <string>

namespace melodist::engine {

Result<LstmModelWeights> melodyLstmWeights(const KerasModel& model);

// readKerasModelFile + melodyLstmWeights + LstmKernel::create.
Result<LstmKernel> loadKerasMelodyLstm(const std::string& path);

}  // namespace melodist::engine

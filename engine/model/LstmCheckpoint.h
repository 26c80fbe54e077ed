// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The LSTM melody model as a Checkpoint, both ways, and the import of a Keras .h5 model.
// Tensors keep Keras' layouts and gate order (i, f, c, o): "lstm.<l>.kernel" (input x
// 4 units), "lstm.<l>.recurrent_kernel" (units x 4 units), "lstm.<l>.bias" (4 units),
// "dense.kernel" (units x vocabulary), "dense.bias" (vocabulary). The architecture's
// activations are in the metadata ({"type": "lstm", "layers": 1, "units": 256,
// "input": "one-hot", "activation": "tanh", "recurrent_activation": "sigmoid", ...}).
// Free functions, any thread; the caller owns what they return.
//
//   Result<Checkpoint> checkpoint = importKerasCheckpoint("model.h5", "mapping.json");
//   Result<void> saved = checkpoint ? saveCheckpoint(*checkpoint, "seeds.melodist-model") : ...;

#include "engine/core/Result.h"
#include "engine/keras/LstmKernel.h"
#include "engine/model/Checkpoint.h"
#include "engine/music/Vocabulary.h"

#include <string>

namespace melodist::engine {

// Imported Keras models were trained on 64-symbol windows from a zero state, after 64
// "/" (the seeds' SEQUENCE_LENGTH): their default context and seed padding.
inline constexpr int kKerasDefaultContext = 64;

// Tensors from `weights`, "architecture" and "vocabulary" written into `metadata`
// (which supplies encoding, context, corpus, metrics and source). Sizes must agree
// (vocabulary.size() == weights.vocabularySize): a programming error otherwise.
Checkpoint makeLstmCheckpoint(const LstmModelWeights& weights, const Vocabulary& vocabulary,
                              nlohmann::ordered_json metadata);

// The weights back, checked against the metadata (an error names the file and tensor).
Result<LstmModelWeights> lstmWeightsFromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName);

// Reads the .h5 (engine/keras), checks it is a melody LSTM (melodyLstmWeights), checks
// the mapping has one symbol per input, and describes the source (path, sha256).
Result<Checkpoint> importKerasCheckpoint(const std::string& modelPath, const std::string& mappingPath);

}  // namespace melodist::engine

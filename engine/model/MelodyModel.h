// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MelodyModel: a loaded `.melodist-model` LSTM, ready to predict and generate on the
// fp32 LstmKernel (no LibTorch): the kernel, the vocabulary and the context the model
// was trained with. Immutable after load(); any number of threads may use it at once
// (each with its own LstmState). The owner (the CLI command, a model cache) keeps it.
//
//   Result<MelodyModel> model = MelodyModel::load("seeds.melodist-model");
//   Result<std::vector<int>> ids = model->vocabulary().toIds(splitSymbols("67 _ 65"));
//   Result<std::vector<float>> p = model->predict(*ids, model->defaultContext());

#include "engine/core/Result.h"
#include "engine/keras/LstmKernel.h"
#include "engine/model/Checkpoint.h"
#include "engine/music/Vocabulary.h"

#include <span>
#include <string>
#include <vector>

namespace melodist::engine {

class MelodyModel {
public:
    static Result<MelodyModel> load(const std::string& path);
    static Result<MelodyModel> fromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName);

    const LstmKernel& kernel() const { return m_kernel; }
    const Vocabulary& vocabulary() const { return m_vocabulary; }
    const nlohmann::ordered_json& metadata() const { return m_metadata; }
    // Symbols per prediction window, fed from a zero state (0: the whole history, state
    // carried). 64 for imported Keras models.
    int defaultContext() const { return m_defaultContext; }
    // How many padding symbols ("/") go before a seed, as in training (the seeds: 64).
    int seedPadding() const { return m_seedPadding; }
    int paddingId() const { return m_paddingId; }  // -1 when the vocabulary has no padding symbol

    // Next-symbol probabilities: the last `context` ids of `window` (all of them when
    // context is 0 or the window is shorter) fed from a zero state. Error on an empty
    // window or a negative context.
    Result<std::vector<float>> predict(std::span<const int> window, int context) const;

private:
    MelodyModel(LstmKernel kernel) : m_kernel(std::move(kernel)) {}

    LstmKernel m_kernel;
    Vocabulary m_vocabulary;
    nlohmann::ordered_json m_metadata;
    int m_defaultContext = 0;
    int m_seedPadding = 0;
    int m_paddingId = -1;
};

}  // namespace melodist::engine

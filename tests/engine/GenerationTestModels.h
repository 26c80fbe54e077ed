// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Small random-weight melody models for the generation tests (no shared files): an
// LSTM over a steps vocabulary, with peaked predictions like a trained model's and a
// rare "/", so melodies run long enough to check. Header-only; test threads only.

#include "engine/keras/RandomLstmWeights.h"
#include "engine/model/LstmCheckpoint.h"
#include "engine/model/MelodyModel.h"
#include "engine/music/StepEncoding.h"

#include <QtGlobal>

#include <string>
#include <vector>

namespace melodist::test {

// "/", "_", "r", then C major and a few more pitches 55..79.
inline std::vector<std::string> testVocabulary() {
    std::vector<std::string> symbols = {"/", "_", "r"};
    for (int pitch = 55; pitch <= 79; ++pitch) symbols.push_back(std::to_string(pitch));
    return symbols;
}

// `metadata` adds to {"context": {default: context, seed_padding: 8}}: e.g. an "encoding".
inline engine::MelodyModel randomMelodyModel(int context, const std::vector<std::string>& symbols = testVocabulary(),
                                             nlohmann::ordered_json metadata = nlohmann::ordered_json::object(), unsigned seed = 5) {
    using namespace melodist::engine;
    const int vocabulary = static_cast<int>(symbols.size());
    LstmModelWeights w = randomLstmWeights(vocabulary, {24}, seed, 0.8f);
    for (float& x : w.denseKernel) x *= 4.0f;
    const std::optional<int> stop = Vocabulary::fromSymbols(symbols).idOf("/");
    if (stop) w.denseBias[static_cast<size_t>(*stop)] = -4.0f;
    metadata["context"] = {{"default", context}, {"seed_padding", 8}, {"padding_symbol", "/"}};
    Result<MelodyModel> model =
        MelodyModel::fromCheckpoint(makeLstmCheckpoint(w, Vocabulary::fromSymbols(symbols), std::move(metadata)), "random.melodist-model");
    if (!model) qFatal("%s", model.error().c_str());
    return std::move(*model);
}

// The MIDI pitch of a steps symbol, -1 for anything else.
inline int pitchOf(const std::string& symbol) {
    if (symbol.empty() || symbol.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoi(symbol);
}

}  // namespace melodist::test

// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/MelodyModel.h"

#include "engine/model/LstmCheckpoint.h"
#include "engine/music/StepEncoding.h"

namespace melodist::engine {

Result<MelodyModel> MelodyModel::load(const std::string& path) {
    Result<Checkpoint> checkpoint = loadCheckpoint(path);
    if (!checkpoint) return makeError(checkpoint.error());
    return fromCheckpoint(*checkpoint, path);
}

Result<MelodyModel> MelodyModel::fromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName) {
    std::vector<std::string> symbols;
    try {
        symbols = checkpoint.metadata.at("vocabulary").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception&) {
        return makeError(sourceName + ": metadata 'vocabulary' is not a list of symbols; the file is damaged");
    }
    nlohmann::ordered_json mapping = nlohmann::ordered_json::object();
    for (size_t id = 0; id < symbols.size(); ++id) mapping[symbols[id]] = id;
    Result<Vocabulary> vocabulary = Vocabulary::fromJson(mapping.dump(), sourceName + " (vocabulary)");
    if (!vocabulary) return makeError(vocabulary.error());
    if (vocabulary->size() != symbols.size())
        return makeError(sourceName + ": metadata 'vocabulary' lists a symbol twice; the file is damaged");

    Result<LstmModelWeights> weights = lstmWeightsFromCheckpoint(checkpoint, sourceName);
    if (!weights) return makeError(weights.error());
    Result<LstmKernel> kernel = LstmKernel::create(std::move(*weights));
    if (!kernel) return makeError(sourceName + ": " + kernel.error());

    MelodyModel model(std::move(*kernel));
    model.m_vocabulary = std::move(*vocabulary);
    model.m_metadata = checkpoint.metadata;
    const nlohmann::ordered_json context = checkpoint.metadata.value("context", nlohmann::ordered_json::object());
    const auto count = [&](const char* key) -> int {
        const auto it = context.find(key);
        return it != context.end() && it->is_number_unsigned() && *it <= 1 << 20 ? it->get<int>() : 0;
    };
    model.m_defaultContext = count("default");
    model.m_seedPadding = count("seed_padding");
    const std::string padding = context.value("padding_symbol", std::string(kSongDelimiterSymbol));
    model.m_paddingId = model.m_vocabulary.idOf(padding).value_or(-1);
    if (model.m_paddingId < 0) model.m_seedPadding = 0;
    return model;
}

Result<std::vector<float>> MelodyModel::predict(std::span<const int> window, int context) const {
    if (context < 0) return makeError("the context must be 0 (the whole window) or a number of symbols, not " + std::to_string(context));
    if (context > 0 && window.size() > static_cast<size_t>(context)) window = window.last(static_cast<size_t>(context));
    return m_kernel.probabilities(window);
}

}  // namespace melodist::engine

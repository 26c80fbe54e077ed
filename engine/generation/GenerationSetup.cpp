// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/GenerationSetup.h"

#include "engine/music/StepEncoding.h"

#include <charconv>

namespace melodist::engine {
namespace {

// Key normalisation reads pitches: only for the steps encoding's symbols.
bool isStepVocabulary(const Vocabulary& vocabulary) {
    for (const std::string& symbol : vocabulary.symbols()) {
        if (symbol == kRestSymbol || symbol == kHoldSymbol || symbol == kSongDelimiterSymbol) continue;
        int pitch = -1;
        const auto [end, error] = std::from_chars(symbol.data(), symbol.data() + symbol.size(), pitch);
        if (error != std::errc() || end != symbol.data() + symbol.size() || pitch < 0 || pitch > 127) return false;
    }
    return true;
}

}  // namespace

Result<std::vector<int>> GenerationSetup::modelIds(const MelodyModel& model, std::span<const std::string> symbols,
                                                   const char* what) const {
    Result<std::vector<std::string>> moved = transposeSymbols(symbols, key.shift);
    if (!moved) return makeError(std::string(what) + ": " + moved.error());
    Result<std::vector<int>> ids = model.vocabulary().toIds(*moved);
    if (!ids) return makeError(std::string(what) + ": " + ids.error());
    return ids;
}

Result<std::vector<std::string>> GenerationSetup::userSymbols(const MelodyModel& model, std::span<const int> ids) const {
    std::vector<std::string> symbols;
    symbols.reserve(ids.size());
    for (const int id : ids) symbols.emplace_back(*model.vocabulary().symbolOf(id));
    return transposeSymbols(symbols, -key.shift);
}

Result<GenerationSetup> prepareGeneration(const MelodyModel& model, std::span<const std::string> keySource,
                                          const GenerationOptions& options) {
    if (options.candidates < 1 || options.candidates > 4096)
        return makeError("the number of candidates must be 1..4096, not " + std::to_string(options.candidates));
    if (options.steps < 0) return makeError("the number of steps must be 0 or more");
    GenerationSetup setup;
    setup.context = options.context < 0 ? model.defaultContext() : options.context;
    if (options.normaliseKey && modelIsKeyNormalised(model.metadata()) && isStepVocabulary(model.vocabulary())) {
        Result<KeyTransposition> key = chooseKeyTransposition(keySource, options.constraints.key, model.vocabulary());
        if (!key) return makeError(key.error());
        setup.key = *key;
    }
    Result<ConstraintMask> mask = ConstraintMask::create(options.constraints, model.vocabulary(), setup.key.shift);
    if (!mask) return makeError(mask.error());
    setup.mask = std::move(*mask);
    Result<std::unique_ptr<SequenceDecoder>> decoder = model.makeDecoder(options.device, options.rngSeed);
    if (!decoder) return makeError(decoder.error());
    setup.decoder = std::move(*decoder);
    if (setup.decoder->vocabularySize() != static_cast<int>(model.vocabulary().size()))
        return makeError("the model's network has " + std::to_string(setup.decoder->vocabularySize()) + " outputs but its vocabulary " +
                         std::to_string(model.vocabulary().size()) + " symbols; the file is damaged");
    setup.stopId = model.vocabulary().idOf(kSongDelimiterSymbol).value_or(-1);
    return setup;
}

}  // namespace melodist::engine

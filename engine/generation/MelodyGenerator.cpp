// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/MelodyGenerator.h"

#include "engine/generation/CandidateBatch.h"
#include "engine/generation/GenerationSetup.h"
#include "engine/music/StepEncoding.h"

#include <charconv>

namespace melodist::engine {
namespace {

bool decodable(const std::string& symbol) {
    if (symbol == kRestSymbol || symbol == kHoldSymbol || symbol == kSongDelimiterSymbol) return true;
    int pitch = -1;
    const auto [end, error] = std::from_chars(symbol.data(), symbol.data() + symbol.size(), pitch);
    return error == std::errc() && end == symbol.data() + symbol.size() && pitch >= 0 && pitch <= 127;
}

}  // namespace

Result<GeneratedMelodies> generateMelodies(const MelodyModel& model, std::span<const std::string> seed,
                                           const GenerationOptions& options, const std::atomic<bool>* cancel,
                                           const GenerationProgress& progress) {
    Result<GenerationSetup> setup = prepareGeneration(model, seed, options);
    if (!setup) return makeError(setup.error());
    Result<std::vector<int>> seedIds = setup->modelIds(model, seed, "the seed");
    if (!seedIds) return makeError(seedIds.error());
    std::vector<int> prefix(static_cast<size_t>(model.seedPadding()), model.paddingId());
    prefix.insert(prefix.end(), seedIds->begin(), seedIds->end());
    if (prefix.empty()) return makeError("the seed is empty and the model has no padding symbol to start from; give a seed");

    CandidateBatchRequest request{.prefix = prefix, .steps = options.steps, .context = setup->context,
                                  .candidates = options.candidates, .sampling = options.sampling, .rngSeed = options.rngSeed,
                                  .mask = &*setup->mask, .stopId = setup->stopId, .stopAtDelimiter = true,
                                  .minSteps = options.minSteps};
    const int64_t total = options.steps;
    Result<CandidateBatchOutcome> sampled = sampleCandidates(*setup->decoder, request, cancel, [&](int64_t done) {
        if (progress) progress(done, total);
    });
    if (!sampled) return makeError(sampled.error());

    GeneratedMelodies out;
    out.context = setup->context;
    out.symbolsSampled = sampled->symbolsSampled;
    out.decoderSteps = sampled->decoderSteps;
    out.device = setup->decoder->device();
    out.seedKey = setup->key.key;
    out.seedKeyEstimated = setup->key.estimated;
    out.transpose = setup->key.shift;
    for (const std::vector<int>& ids : sampled->sampled) {
        Result<std::vector<std::string>> continuation = setup->userSymbols(model, ids);
        if (!continuation) return makeError(continuation.error());
        std::vector<std::string> melody(seed.begin(), seed.end());
        melody.insert(melody.end(), continuation->begin(), continuation->end());
        out.melodies.push_back(std::move(melody));
    }
    return out;
}

Result<Part> decodeGeneratedMelody(std::span<const std::string> symbols) {
    std::vector<std::string> kept;
    kept.reserve(symbols.size());
    for (const std::string& symbol : symbols)
        if (decodable(symbol)) kept.push_back(symbol);
    return decodeSteps(kept);
}

}  // namespace melodist::engine

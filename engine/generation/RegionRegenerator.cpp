// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/RegionRegenerator.h"

#include "engine/generation/CandidateBatch.h"
#include "engine/generation/ChordGeneration.h"
#include "engine/generation/GenerationSetup.h"

#include <algorithm>

namespace melodist::engine {
namespace {

constexpr int kMaxGapSteps = 100000;

struct RegionIds {
    std::vector<int> prefix;  // padding + before
    std::vector<int> after;
};

Result<RegionIds> regionIds(const MelodyModel& model, const GenerationSetup& setup, std::span<const std::string> before,
                            std::span<const std::string> after) {
    RegionIds ids;
    Result<std::vector<int>> beforeIds = setup.modelIds(model, before, "before the region");
    if (!beforeIds) return makeError(beforeIds.error());
    Result<std::vector<int>> afterIds = setup.modelIds(model, after, "after the region");
    if (!afterIds) return makeError(afterIds.error());
    ids.prefix.assign(static_cast<size_t>(model.seedPadding()), model.paddingId());
    ids.prefix.insert(ids.prefix.end(), beforeIds->begin(), beforeIds->end());
    if (ids.prefix.empty()) return makeError("nothing comes before the region and the model has no padding symbol to start from");
    ids.after = std::move(*afterIds);
    return ids;
}

std::vector<std::string> joined(std::span<const std::string> a, std::span<const std::string> b) {
    std::vector<std::string> out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

}  // namespace

Result<RegeneratedRegion> regenerateRegion(const MelodyModel& model, std::span<const std::string> before,
                                           std::span<const std::string> after, int gapSteps, const GenerationOptions& options,
                                           const std::atomic<bool>* cancel, const GenerationProgress& progress) {
    if (gapSteps < 1 || gapSteps > kMaxGapSteps)
        return makeError("the region must be 1.." + std::to_string(kMaxGapSteps) + " steps long, not " + std::to_string(gapSteps));
    if (const Result<ModelNotation> notation = modelNotation(model.metadata()); !notation || *notation != ModelNotation::Steps)
        return makeError(notation ? "regeneration fills a region of 16th-note steps, so it needs a model of the seeds' step "
                                    "notation; this model writes chord tokens (encoding 'chords'): use generate"
                                  : notation.error());
    GenerationOptions checked = options;
    checked.steps = gapSteps;
    Result<GenerationSetup> setup = prepareGeneration(model, joined(before, after), checked);
    if (!setup) return makeError(setup.error());
    Result<RegionIds> ids = regionIds(model, *setup, before, after);
    if (!ids) return makeError(ids.error());

    const size_t scored = scoredTargetCount(ids->after.size(), setup->context);
    const auto total = static_cast<int64_t>(gapSteps) + static_cast<int64_t>(scored);
    CandidateBatchRequest request{.prefix = ids->prefix, .steps = gapSteps, .context = setup->context,
                                  .candidates = options.candidates, .sampling = options.sampling, .rngSeed = options.rngSeed,
                                  .mask = &*setup->mask, .stopId = setup->stopId, .stopAtDelimiter = false};
    Result<CandidateBatchOutcome> sampled = sampleCandidates(*setup->decoder, request, cancel, [&](int64_t done) {
        if (progress) progress(done, total);
    });
    if (!sampled) return makeError(sampled.error());
    RegeneratedRegion out;
    out.decoderSteps = sampled->decoderSteps;
    std::vector<std::vector<int>> histories;
    for (const std::vector<int>& fill : sampled->sampled) {
        histories.push_back(ids->prefix);
        histories.back().insert(histories.back().end(), fill.begin(), fill.end());
    }
    Result<std::vector<double>> scores = scoreContinuations(*setup->decoder, histories, ids->after, setup->context, cancel,
                                                            [&](int64_t done) {
                                                                if (progress) progress(gapSteps + done, total);
                                                            },
                                                            out.decoderSteps);
    if (!scores) return makeError(scores.error());

    for (size_t c = 0; c < sampled->sampled.size(); ++c) {
        Result<std::vector<std::string>> symbols = setup->userSymbols(model, sampled->sampled[c]);
        if (!symbols) return makeError(symbols.error());
        out.fills.push_back({std::move(*symbols), (*scores)[c], static_cast<int>(c)});
    }
    std::stable_sort(out.fills.begin(), out.fills.end(), [](const RegionFill& a, const RegionFill& b) { return a.score > b.score; });
    out.scoredSymbols = scored;
    out.context = setup->context;
    out.device = setup->decoder->device();
    out.songKey = setup->key.key;
    out.songKeyEstimated = setup->key.estimated;
    out.transpose = setup->key.shift;
    return out;
}

Result<std::vector<double>> scoreRegionFills(const MelodyModel& model, std::span<const std::string> before,
                                             std::span<const std::string> after,
                                             const std::vector<std::vector<std::string>>& fills, const GenerationOptions& options) {
    if (fills.empty()) return std::vector<double>{};
    GenerationOptions checked = options;
    checked.candidates = static_cast<int>(std::min<size_t>(fills.size(), 4096));
    Result<GenerationSetup> setup = prepareGeneration(model, joined(before, after), checked);
    if (!setup) return makeError(setup.error());
    Result<RegionIds> ids = regionIds(model, *setup, before, after);
    if (!ids) return makeError(ids.error());
    std::vector<std::vector<int>> histories;
    for (const std::vector<std::string>& fill : fills) {
        if (fill.size() != fills.front().size()) return makeError("the fills to score must all be of one length");
        Result<std::vector<int>> fillIds = setup->modelIds(model, fill, "a fill");
        if (!fillIds) return makeError(fillIds.error());
        histories.push_back(ids->prefix);
        histories.back().insert(histories.back().end(), fillIds->begin(), fillIds->end());
    }
    int64_t steps = 0;
    return scoreContinuations(*setup->decoder, histories, ids->after, setup->context, nullptr, {}, steps);
}

}  // namespace melodist::engine

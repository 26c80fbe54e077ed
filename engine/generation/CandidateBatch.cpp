// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/CandidateBatch.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace melodist::engine {
namespace {

Error cancelled() { return makeError("generation cancelled"); }

bool isCancelled(const std::atomic<bool>* cancel) { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }

// log softmax(logits)[target], in double.
double logProbability(std::span<const float> logits, int target) {
    const double maximum = *std::max_element(logits.begin(), logits.end());
    double sum = 0.0;
    for (const float x : logits) sum += std::exp(static_cast<double>(x) - maximum);
    return static_cast<double>(logits[static_cast<size_t>(target)]) - maximum - std::log(sum);
}

}  // namespace

Result<CandidateBatchOutcome> sampleCandidates(SequenceDecoder& decoder, const CandidateBatchRequest& request,
                                               const std::atomic<bool>* cancel, const StepProgress& progress) {
    const auto rows = static_cast<size_t>(request.candidates);
    const auto vocabularySize = static_cast<size_t>(decoder.vocabularySize());
    const ConstraintMask& mask = *request.mask;
    const bool masking = mask.active() || !request.stopAtDelimiter || request.minSteps > 0;
    std::vector<Sampler> samplers;
    samplers.reserve(rows);
    for (size_t c = 0; c < rows; ++c) samplers.emplace_back(request.sampling, request.rngSeed, c);
    const std::vector<int> prefix(request.prefix.begin(), request.prefix.end());
    std::vector<std::vector<int>> history(rows, prefix);
    std::vector<ConstraintTracker> trackers(rows, masking ? mask.trackerAfter(prefix) : ConstraintTracker{});
    std::vector<int> ids(rows);
    std::vector<float> logits(rows * vocabularySize);
    CandidateBatchOutcome out;

    // Batch row r runs candidate active[r]; a finished candidate leaves the batch.
    std::vector<size_t> active(rows);
    for (size_t c = 0; c < rows; ++c) active[c] = c;
    const auto feed = [&](size_t from, size_t to) {  // history[c][from..to) for every active candidate
        ids.resize(active.size());
        for (size_t t = from; t < to; ++t) {
            for (size_t r = 0; r < active.size(); ++r) ids[r] = history[active[r]][t];
            decoder.step(ids, std::span<float>(logits).first(active.size() * vocabularySize));  // exactly rows x V
            out.decoderSteps += static_cast<int64_t>(active.size());
        }
    };
    if (request.context == 0) {
        decoder.reset(static_cast<int>(rows));
        feed(0, prefix.size());
    }
    std::vector<int> keep;
    for (int step = 0; step < request.steps; ++step) {
        if (isCancelled(cancel)) return cancelled();
        const size_t length = history[active.front()].size();  // equal for all active candidates
        if (request.context > 0) {
            decoder.reset(static_cast<int>(active.size()));
            feed(length - std::min(length, static_cast<size_t>(request.context)), length);
        }
        keep.clear();
        for (size_t r = 0; r < active.size(); ++r) {
            const size_t c = active[r];
            const std::span<float> row = std::span<float>(logits).subspan(r * vocabularySize, vocabularySize);
            if (masking && !mask.apply(trackers[c], row, request.stopAtDelimiter && step >= request.minSteps))
                return makeError("the constraints leave no symbol to choose at step " + std::to_string(step + 1) +
                                 "; loosen them");
            const int next = samplers[c].sample(row);
            ++out.symbolsSampled;
            if (masking) mask.advance(trackers[c], next, /*generated=*/true);
            if (request.stopAtDelimiter && next == request.stopId) continue;  // finished
            history[c].push_back(next);
            keep.push_back(static_cast<int>(r));
        }
        if (progress) progress(step + 1);
        if (keep.empty()) break;
        if (keep.size() < active.size()) {
            for (size_t k = 0; k < keep.size(); ++k) active[k] = active[static_cast<size_t>(keep[k])];
            active.resize(keep.size());
            if (request.context == 0) decoder.keepRows(keep);
        }
        if (request.context == 0 && step + 1 < request.steps) feed(length, length + 1);
    }
    if (progress) progress(request.steps);
    for (size_t c = 0; c < rows; ++c) out.sampled.emplace_back(history[c].begin() + static_cast<ptrdiff_t>(prefix.size()), history[c].end());
    return out;
}

size_t scoredTargetCount(size_t targets, int context) {
    return context > 0 ? std::min(targets, static_cast<size_t>(context)) : targets;
}

Result<std::vector<double>> scoreContinuations(SequenceDecoder& decoder, const std::vector<std::vector<int>>& histories,
                                               std::span<const int> targets, int context, const std::atomic<bool>* cancel,
                                               const StepProgress& progress, int64_t& decoderSteps) {
    const size_t rows = histories.size();
    std::vector<double> scores(rows, 0.0);
    if (rows == 0 || targets.empty()) return scores;
    const size_t length = histories.front().size();
    if (length == 0) return makeError("nothing comes before the region, so it cannot be scored");
    const auto vocabularySize = static_cast<size_t>(decoder.vocabularySize());
    std::vector<int> ids(rows);
    std::vector<float> logits(rows * vocabularySize);
    const auto symbolAt = [&](size_t r, size_t t) { return t < length ? histories[r][t] : targets[t - length]; };
    const auto stepAt = [&](size_t t) {
        for (size_t r = 0; r < rows; ++r) ids[r] = symbolAt(r, t);
        decoder.step(ids, logits);
        decoderSteps += static_cast<int64_t>(rows);
    };
    const auto addScores = [&](int target) {
        for (size_t r = 0; r < rows; ++r)
            scores[r] += logProbability(std::span<const float>(logits).subspan(r * vocabularySize, vocabularySize), target);
    };
    const size_t scored = scoredTargetCount(targets.size(), context);
    if (context == 0) decoder.reset(static_cast<int>(rows));
    if (context == 0)
        for (size_t t = 0; t < length; ++t) stepAt(t);
    for (size_t j = 0; j < scored; ++j) {
        if (isCancelled(cancel)) return cancelled();
        if (context > 0) {  // a fresh window over the last `context` symbols before targets[j]
            decoder.reset(static_cast<int>(rows));
            const size_t end = length + j;
            for (size_t t = end - std::min(end, static_cast<size_t>(context)); t < end; ++t) stepAt(t);
        }
        addScores(targets[j]);
        if (progress) progress(static_cast<int64_t>(j + 1));
        if (context == 0 && j + 1 < scored) stepAt(length + j);
    }
    return scores;
}

}  // namespace melodist::engine

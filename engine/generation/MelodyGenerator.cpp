// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/MelodyGenerator.h"

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
                                           const GenerationOptions& options, const std::atomic<bool>* cancel) {
    if (options.candidates < 1 || options.candidates > 4096)
        return makeError("the number of candidates must be 1..4096, not " + std::to_string(options.candidates));
    if (options.steps < 0) return makeError("the number of steps must be 0 or more");
    const int context = options.context < 0 ? model.defaultContext() : options.context;
    Result<std::vector<int>> seedIds = model.vocabulary().toIds(seed);
    if (!seedIds) return makeError("the seed: " + seedIds.error());
    std::vector<int> prefix(static_cast<size_t>(model.seedPadding()), model.paddingId());
    prefix.insert(prefix.end(), seedIds->begin(), seedIds->end());
    if (prefix.empty()) return makeError("the seed is empty and the model has no padding symbol to start from; give a seed");

    const LstmKernel& kernel = model.kernel();
    const auto rows = static_cast<size_t>(options.candidates);
    const auto vocabularySize = static_cast<size_t>(kernel.vocabularySize());
    const int stopId = model.vocabulary().idOf(kSongDelimiterSymbol).value_or(-1);
    std::vector<Sampler> samplers;
    for (size_t c = 0; c < rows; ++c) samplers.emplace_back(options.sampling, options.rngSeed, c);
    std::vector<std::vector<int>> history(rows, prefix);
    std::vector<bool> finished(rows, false);
    std::vector<int> ids(rows);
    std::vector<float> logits(rows * vocabularySize);
    GeneratedMelodies out;
    out.context = context;

    // Batch row r runs candidate active[r]. With a context the state is rebuilt every step,
    // so finished candidates leave the batch; incremental states keep all rows (a finished
    // one is fed "/" and ignored), as moving rows would mean knowing LstmState's layout.
    std::vector<size_t> active(rows);
    for (size_t c = 0; c < rows; ++c) active[c] = c;
    LstmState state = kernel.initialState(options.candidates);
    const auto feed = [&](size_t from, size_t to) {  // history[c][from..to) for every active candidate
        ids.resize(active.size());
        for (size_t t = from; t < to; ++t) {
            for (size_t r = 0; r < active.size(); ++r) ids[r] = history[active[r]][t];
            kernel.stepBatch(ids, state, logits);
            out.kernelSteps += static_cast<int64_t>(active.size());
        }
    };
    if (context == 0) feed(0, prefix.size());
    for (int step = 0; step < options.steps; ++step) {
        if (cancel && cancel->load(std::memory_order_relaxed)) return makeError("generation cancelled");
        const size_t length = history[0].size();  // equal for all: finished candidates keep stepping
        if (context > 0) {
            std::erase_if(active, [&](size_t c) { return finished[c]; });
            state = kernel.initialState(static_cast<int>(active.size()));
            feed(length - std::min(length, static_cast<size_t>(context)), length);
        }
        bool allFinished = true;
        for (size_t r = 0; r < active.size(); ++r) {
            const size_t c = active[r];
            if (!finished[c]) {
                const int next = samplers[c].sample(std::span<const float>(logits).subspan(r * vocabularySize, vocabularySize));
                ++out.symbolsSampled;
                finished[c] = next == stopId;
                history[c].push_back(next);
            }
            allFinished = allFinished && finished[c];
        }
        for (size_t c = 0; c < rows; ++c)
            if (history[c].size() == length) history[c].push_back(stopId);  // finished: keep lengths equal
        if (allFinished) break;
        if (context == 0 && step + 1 < options.steps) feed(length, length + 1);
    }

    for (size_t c = 0; c < rows; ++c) {
        std::vector<std::string> melody(seed.begin(), seed.end());
        for (size_t t = prefix.size(); t < history[c].size() && history[c][t] != stopId; ++t)
            melody.emplace_back(*model.vocabulary().symbolOf(history[c][t]));
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

// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/NgramModel.h"

#include <algorithm>
#include <string>

namespace melodist::training {
namespace {

constexpr int kMaxOrder = 4;  // 4 ids of 16 bits pack into one uint64_t key

// Ids packed 16 bits each, oldest in the high bits; every key of one map has the same length.
uint64_t pack(std::span<const int> ids) {
    uint64_t key = 0;
    for (int id : ids) key = key << 16 | static_cast<uint64_t>(id);
    return key;
}

}  // namespace

engine::Result<NgramModel> NgramModel::train(std::span<const std::vector<int>> songs, int vocabularySize, int paddingId,
                                             const NgramOptions& options) {
    if (options.order < 1 || options.order > kMaxOrder)
        return engine::makeError("the n-gram order must be 1.." + std::to_string(kMaxOrder) + ", not " + std::to_string(options.order));
    if (vocabularySize < 1 || vocabularySize > 65535)
        return engine::makeError("the n-gram vocabulary must hold 1..65535 symbols, not " + std::to_string(vocabularySize));
    if (paddingId < 0 || paddingId >= vocabularySize)
        return engine::makeError("the padding id " + std::to_string(paddingId) + " is outside the vocabulary");
    if (options.discount >= 0.0 && !(options.discount > 0.0 && options.discount < 1.0))
        return engine::makeError("the Kneser-Ney discount must be between 0 and 1 (exclusive)");

    NgramModel model;
    model.m_order = options.order;
    model.m_vocabularySize = vocabularySize;
    model.m_paddingId = paddingId;
    model.m_levels.resize(static_cast<size_t>(options.order));
    const auto n = static_cast<size_t>(options.order);

    // The highest order: raw counts over "/"*(n-1) song "/".
    Level& top = model.m_levels[n - 1];
    std::vector<int> sequence;
    for (const std::vector<int>& song : songs) {
        sequence.assign(n - 1, paddingId);
        for (int id : song) {
            if (id < 0 || id >= vocabularySize)
                return engine::makeError("symbol id " + std::to_string(id) + " is outside the n-gram vocabulary");
            sequence.push_back(id);
        }
        sequence.push_back(paddingId);
        for (size_t end = n; end <= sequence.size(); ++end)
            top.counts[pack(std::span<const int>(sequence).subspan(end - n, n))] += 1.0;
    }
    if (top.counts.empty()) return engine::makeError("no songs to train the n-gram model on");

    // Lower orders: continuation counts, how many distinct symbols precede each k-gram.
    for (size_t k = n - 1; k >= 1; --k) {
        const uint64_t mask = (uint64_t{1} << (16 * k)) - 1;
        for (const auto& entry : model.m_levels[k].counts) model.m_levels[k - 1].counts[entry.first & mask] += 1.0;
    }

    for (size_t k = 1; k <= n; ++k) {
        Level& level = model.m_levels[k - 1];
        double once = 0.0;
        double twice = 0.0;
        for (const auto& [key, count] : level.counts) {
            ContextStats& context = level.contexts[key >> 16];  // the k-1 older ids
            context.total += count;
            context.distinct += 1.0;
            once += count == 1.0 ? 1.0 : 0.0;
            twice += count == 2.0 ? 1.0 : 0.0;
        }
        if (options.discount > 0.0)
            level.discount = options.discount;
        else
            level.discount = once + 2.0 * twice > 0.0 ? std::clamp(once / (once + 2.0 * twice), 0.1, 0.9) : 0.5;
    }
    return model;
}

std::array<int, 3> NgramModel::lastContext(std::span<const int> history) const {
    std::array<int, 3> context;
    context.fill(m_paddingId);
    const size_t take = std::min(history.size(), context.size());
    std::copy(history.end() - static_cast<std::ptrdiff_t>(take), history.end(), context.end() - static_cast<std::ptrdiff_t>(take));
    return context;
}

double NgramModel::levelProbability(int length, const std::array<int, 3>& context, int next) const {
    if (length == 0) return 1.0 / m_vocabularySize;
    const double lower = levelProbability(length - 1, context, next);
    const Level& level = m_levels[static_cast<size_t>(length - 1)];
    const std::span<const int> history = std::span<const int>(context).last(static_cast<size_t>(length - 1));
    const uint64_t contextKey = pack(history);
    const auto stats = level.contexts.find(contextKey);
    if (stats == level.contexts.end() || stats->second.total <= 0.0) return lower;
    const auto found = level.counts.find(contextKey << 16 | static_cast<uint64_t>(next));
    const double count = found == level.counts.end() ? 0.0 : found->second;
    return std::max(count - level.discount, 0.0) / stats->second.total +
           level.discount * stats->second.distinct / stats->second.total * lower;
}

double NgramModel::probability(std::span<const int> history, int next) const {
    if (next < 0 || next >= m_vocabularySize) return 0.0;
    return levelProbability(m_order, lastContext(history), next);
}

std::vector<double> NgramModel::distribution(std::span<const int> history) const {
    const std::array<int, 3> context = lastContext(history);
    std::vector<double> out(static_cast<size_t>(m_vocabularySize));
    for (int id = 0; id < m_vocabularySize; ++id) out[static_cast<size_t>(id)] = levelProbability(m_order, context, id);
    return out;
}

}  // namespace melodist::training

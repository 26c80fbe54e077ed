// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// NgramModel: an order-n (1..4) interpolated Kneser-Ney language model over symbol ids,
// the baseline a neural melody model must beat (issue #5). Trained on whole songs, each
// read as n-1 padding symbols ("/"), the song, and one "/" that ends it -- the seeds'
// songs-between-slashes layout -- so it predicts the end of a song as the LSTMs do.
//
// Interpolated Kneser-Ney (Chen & Goodman 1998, one discount per order):
//   P_k(w | h) = max(c_k(h w) - D_k, 0) / c_k(h .)  +  D_k * N1+(h .) / c_k(h .) * P_{k-1}(w | h')
// where h' drops h's oldest symbol, c_n is the raw count, c_k (k < n) the continuation
// count (how many distinct symbols precede h w), N1+(h .) how many distinct w follow h,
// and P_0(w) = 1 / vocabularySize. A context never seen falls through to P_{k-1}. Each
// D_k is n1 / (n1 + 2 n2) (n1, n2: k-grams counted exactly once, twice), clamped to
// [0.1, 0.9], unless a fixed discount is given. Every distribution sums to 1 over the
// vocabulary, and every symbol has a probability above 0.
// Immutable after train(); any thread may query it; its owner is the caller.
//
//   Result<NgramModel> model = NgramModel::train(songs, vocabularySize, paddingId, {.order = 3});
//   double p = model->probability(history, nextId);        // history: the ids before it
//   std::vector<double> all = model->distribution(history); // sums to 1

#include "engine/core/Result.h"

#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace melodist::training {

struct NgramOptions {
    int order = 3;           // 1..4
    double discount = -1.0;  // in (0, 1): the same D for every order; < 0: estimated per order
};

class NgramModel {
public:
    // `songs`: token ids, each < vocabularySize (<= 65535); paddingId pads and ends songs.
    static engine::Result<NgramModel> train(std::span<const std::vector<int>> songs, int vocabularySize, int paddingId,
                                            const NgramOptions& options);

    int order() const { return m_order; }
    int vocabularySize() const { return m_vocabularySize; }
    int paddingId() const { return m_paddingId; }
    double discount(int length) const { return m_levels[static_cast<size_t>(length - 1)].discount; }  // length 1..order

    // P(next | the last order-1 ids of history); a history shorter than that is taken as
    // preceded by padding, as in training.
    double probability(std::span<const int> history, int next) const;
    std::vector<double> distribution(std::span<const int> history) const;

private:
    struct ContextStats {
        double total = 0.0;    // c_k(h .)
        double distinct = 0;   // N1+(h .)
    };
    struct Level {
        std::unordered_map<uint64_t, double> counts;          // key(h w) -> c_k(h w)
        std::unordered_map<uint64_t, ContextStats> contexts;  // key(h) -> totals
        double discount = 0.5;
    };

    std::array<int, 3> lastContext(std::span<const int> history) const;  // oldest first, padded
    double levelProbability(int length, const std::array<int, 3>& context, int next) const;

    int m_order = 3;
    int m_vocabularySize = 0;
    int m_paddingId = 0;
    std::vector<Level> m_levels;  // [k - 1] for k-grams, k = 1..order
};

}  // namespace melodist::training

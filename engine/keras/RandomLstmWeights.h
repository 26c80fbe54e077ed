// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// randomLstmWeights: a stacked LSTM + Dense model with uniformly random weights in
// [-range, range], reproducible from `seed`. For tests and benchmarks that need a
// model of a given shape without trained weights. Any thread; returns a value.

#include "engine/keras/LstmKernel.h"

#include <cstdint>
#include <vector>

namespace melodist::engine {

LstmModelWeights randomLstmWeights(int vocabularySize, const std::vector<int>& units, uint32_t seed, float range);

}  // namespace melodist::engine

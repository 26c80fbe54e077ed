// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/keras/RandomLstmWeights.h"

#include <random>

namespace melodist::engine {

LstmModelWeights randomLstmWeights(int vocabularySize, const std::vector<int>& units, uint32_t seed, float range) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-range, range);
    const auto fill = [&](size_t n) {
        std::vector<float> values(n);
        for (float& x : values) x = uniform(rng);
        return values;
    };
    LstmModelWeights weights;
    weights.vocabularySize = vocabularySize;
    int input = vocabularySize;
    for (const int layerUnits : units) {
        LstmLayerWeights layer;
        layer.inputSize = input;
        layer.units = layerUnits;
        layer.kernel = fill(static_cast<size_t>(input) * 4 * layerUnits);
        layer.recurrentKernel = fill(static_cast<size_t>(layerUnits) * 4 * layerUnits);
        layer.bias = fill(4 * static_cast<size_t>(layerUnits));
        weights.layers.push_back(std::move(layer));
        input = layerUnits;
    }
    weights.denseKernel = fill(static_cast<size_t>(input) * vocabularySize);
    weights.denseBias = fill(static_cast<size_t>(vocabularySize));
    return weights;
}

}  // namespace melodist::engine

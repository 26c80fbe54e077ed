// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// AdamOptimizer: Adam (Kingma & Ba), the same arithmetic as torch.optim.Adam without
// amsgrad, with its state kept by parameter name so a checkpoint can hold it. Why not
// torch::optim::Adam: its state is keyed by the TensorImpl's address, a key whose type
// differs between LibTorch 1.13 and 2.x, and a resumed run must find each parameter's
// moments again in a new process. Include from training/*.cpp only (LibTorch). Used by
// the training thread only; it refers to the net's parameters, which the caller owns.
//
//   AdamOptimizer adam(net->named_parameters());
//   adam.zeroGrad(); loss.backward(); adam.step(/*learningRate=*/1e-3);
//   adam.appendState(checkpoint);   // "optimizer.<name>.exp_avg" / ".exp_avg_sq"

#include "engine/core/Result.h"
#include "engine/model/Checkpoint.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace melodist::training {

class AdamOptimizer {
public:
    explicit AdamOptimizer(const torch::OrderedDict<std::string, torch::Tensor>& parameters, double beta1 = 0.9,
                           double beta2 = 0.999, double epsilon = 1e-8);

    void zeroGrad();
    void step(double learningRate);
    int64_t steps() const { return m_steps; }

    // The moments as float32 tensors named "optimizer.<parameter>.exp_avg|exp_avg_sq".
    void appendState(engine::Checkpoint& checkpoint) const;
    // Moments back from a checkpoint written by appendState after `steps` steps; an
    // error names the file and the missing or mis-shaped tensor.
    engine::Result<void> restoreState(const engine::Checkpoint& checkpoint, int64_t steps,
                                      const std::string& sourceName);

private:
    struct Slot {
        std::string name;
        torch::Tensor parameter, expAvg, expAvgSq;
    };
    std::vector<Slot> m_slots;
    double m_beta1, m_beta2, m_epsilon;
    int64_t m_steps = 0;
};

}  // namespace melodist::training

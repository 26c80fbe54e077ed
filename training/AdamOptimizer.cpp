// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/AdamOptimizer.h"

#include <cmath>

namespace melodist::training {
namespace {

std::vector<float> toFloats(const torch::Tensor& tensor) {
    const torch::Tensor cpu = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
}

}  // namespace

AdamOptimizer::AdamOptimizer(const torch::OrderedDict<std::string, torch::Tensor>& parameters, double beta1,
                             double beta2, double epsilon)
    : m_beta1(beta1), m_beta2(beta2), m_epsilon(epsilon) {
    for (const auto& item : parameters) {
        if (!item.value().requires_grad()) continue;
        m_slots.push_back({item.key(), item.value(), torch::zeros_like(item.value()), torch::zeros_like(item.value())});
    }
}

void AdamOptimizer::zeroGrad() {
    for (Slot& slot : m_slots)
        if (slot.parameter.grad().defined()) slot.parameter.mutable_grad().zero_();
}

void AdamOptimizer::step(double learningRate) {
    torch::NoGradGuard noGrad;
    ++m_steps;
    const double correction1 = 1 - std::pow(m_beta1, static_cast<double>(m_steps));
    const double correction2Sqrt = std::sqrt(1 - std::pow(m_beta2, static_cast<double>(m_steps)));
    for (Slot& slot : m_slots) {
        const torch::Tensor& grad = slot.parameter.grad();
        if (!grad.defined()) continue;
        // torch.optim.Adam's _single_tensor_adam, step for step.
        slot.expAvg.mul_(m_beta1).add_(grad, 1 - m_beta1);
        slot.expAvgSq.mul_(m_beta2).addcmul_(grad, grad, 1 - m_beta2);
        const torch::Tensor denominator = (slot.expAvgSq.sqrt() / correction2Sqrt).add_(m_epsilon);
        slot.parameter.addcdiv_(slot.expAvg, denominator, -learningRate / correction1);
    }
}

void AdamOptimizer::appendState(engine::Checkpoint& checkpoint) const {
    for (const Slot& slot : m_slots) {
        const std::vector<int64_t> shape(slot.parameter.sizes().begin(), slot.parameter.sizes().end());
        checkpoint.tensors.push_back({"optimizer." + slot.name + ".exp_avg", shape, toFloats(slot.expAvg)});
        checkpoint.tensors.push_back({"optimizer." + slot.name + ".exp_avg_sq", shape, toFloats(slot.expAvgSq)});
    }
}

engine::Result<void> AdamOptimizer::restoreState(const engine::Checkpoint& checkpoint, int64_t steps,
                                                 const std::string& sourceName) {
    torch::NoGradGuard noGrad;
    for (Slot& slot : m_slots) {
        for (const char* part : {"exp_avg", "exp_avg_sq"}) {
            const std::string name = "optimizer." + slot.name + "." + part;
            const engine::CheckpointTensor* tensor = checkpoint.tensor(name);
            const std::vector<int64_t> shape(slot.parameter.sizes().begin(), slot.parameter.sizes().end());
            if (!tensor || tensor->shape != shape)
                return engine::makeError(sourceName + ": optimizer state '" + name +
                                         "' is missing or has another shape; the run cannot be resumed exactly "
                                         "(train into a new --out folder)");
            torch::Tensor values = torch::from_blob(const_cast<float*>(tensor->values.data()), shape, torch::kFloat32);
            (std::string_view(part) == "exp_avg" ? slot.expAvg : slot.expAvgSq).copy_(values);
        }
    }
    m_steps = steps;
    return {};
}

}  // namespace melodist::training

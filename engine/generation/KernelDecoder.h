// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// KernelDecoder: the SequenceDecoder of an LSTM on the fp32 LstmKernel (no LibTorch):
// one LstmState of `rows` sequences, stepped with stepBatch, compacted with keepRows.
// Made by MelodyModel::makeDecoder for LSTMs on DeviceChoice Auto or Cpu; it shares the
// model's packed weights (read-only), so it may outlive the MelodyModel that made it.
// One thread at a time (its state is its own); the caller owns it.
//
//   KernelDecoder decoder(kernel);          // std::shared_ptr<const LstmKernel>
//   decoder.reset(2);
//   decoder.step(std::vector<int>{5, 7}, logits);   // logits: 2 x vocabularySize()

#include "engine/generation/SequenceDecoder.h"
#include "engine/keras/LstmKernel.h"

#include <memory>

namespace melodist::engine {

class KernelDecoder final : public SequenceDecoder {
public:
    explicit KernelDecoder(std::shared_ptr<const LstmKernel> kernel);

    int vocabularySize() const override { return m_kernel->vocabularySize(); }
    void reset(int rows) override;
    void step(std::span<const int> ids, std::span<float> logitsOut) override;
    void keepRows(std::span<const int> keep) override;
    // "cpu (fp32 kernel, avx2+fma)" (or sse2: LstmKernel::instructionSet()).
    std::string device() const override;

private:
    std::shared_ptr<const LstmKernel> m_kernel;
    LstmState m_state;
};

}  // namespace melodist::engine

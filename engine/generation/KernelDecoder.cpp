// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/KernelDecoder.h"

#include "engine/core/Assert.h"

namespace melodist::engine {

KernelDecoder::KernelDecoder(std::shared_ptr<const LstmKernel> kernel) : m_kernel(std::move(kernel)) {}

void KernelDecoder::reset(int rows) {
    m_state = m_kernel->initialState(rows);
    m_rows = m_state.batchSize;
}

void KernelDecoder::step(std::span<const int> ids, std::span<float> logitsOut) {
    MELODIST_ASSERT(static_cast<int>(ids.size()) == m_rows && m_rows > 0) { return; }
    m_kernel->stepBatch(ids, m_state, logitsOut);
}

void KernelDecoder::keepRows(std::span<const int> keep) {
    m_kernel->keepRows(m_state, keep);
    m_rows = m_state.batchSize;
}

std::string KernelDecoder::device() const { return std::string("cpu (fp32 kernel, ") + LstmKernel::instructionSet() + ")"; }

}  // namespace melodist::engine

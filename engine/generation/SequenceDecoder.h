// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SequenceDecoder: one generation session of a model -- `rows` sequences stepped
// together, one symbol each per step, logits out. The generator (MelodyGenerator) only
// sees this interface, so the fp32 LstmKernel (LSTMs on the CPU) and LibTorch networks
// (every architecture, CPU or CUDA; engine/nn) drive the same sampling code.
// Made by MelodyModel::makeDecoder; owned by its caller; one thread at a time.
//
//   Result<std::unique_ptr<SequenceDecoder>> decoder = model.makeDecoder(DeviceChoice::Auto);
//   (*decoder)->reset(4);                              // 4 sequences from the start state
//   (*decoder)->step(ids, logits);                     // ids: 4 symbols, logits: 4 x V
//   (*decoder)->keepRows(std::vector<int>{0, 2});      // rows 1 and 3 finished

#include <span>
#include <string>

namespace melodist::engine {

class SequenceDecoder {
public:
    virtual ~SequenceDecoder() = default;

    virtual int vocabularySize() const = 0;
    // Starts `rows` sequences from the model's initial state (zeros; a VAE draws each row's
    // latent here from the seed given when the decoder was made).
    virtual void reset(int rows) = 0;
    int rows() const { return m_rows; }
    // One symbol id per row in (ids.size() == rows()), logits [rows()][vocabularySize()] out
    // (logitsOut.size() == rows() * vocabularySize() exactly: after keepRows, pass the
    // smaller span). Ids must be < vocabularySize().
    virtual void step(std::span<const int> ids, std::span<float> logitsOut) = 0;
    // Keeps only the rows listed (ascending, each < rows()), in that order.
    virtual void keepRows(std::span<const int> keep) = 0;
    // Where it runs, for status lines and --stats: "cpu (fp32 kernel, avx2+fma)", "cuda:0 (NVIDIA H100)".
    virtual std::string device() const = 0;

protected:
    int m_rows = 0;  // kept up to date by reset() and keepRows()
};

}  // namespace melodist::engine

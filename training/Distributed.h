// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Data-parallel training across processes with LibTorch's own c10d backends (Gloo on
// CPU, NCCL on CUDA when LibTorch has it), configured the torchrun way by the
// environment: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT (and LOCAL_RANK for the GPU).
// Rank 0 hosts the TCPStore. With WORLD_SIZE unset or 1 it is a no-op group of one, so
// the trainer calls it unconditionally. Include from training/*.cpp only (LibTorch).
// One per process, used by the training thread only.
//
//   Result<std::unique_ptr<DistributedGroup>> group = DistributedGroup::fromEnvironment(device);
//   (*group)->broadcastParameters(*net);      // every rank starts from rank 0's weights
//   loss.backward(); (*group)->averageGradients(*net); optimizer.step();

#include "engine/core/Result.h"

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>

namespace melodist::training {

class DistributedGroup {
public:
    virtual ~DistributedGroup() = default;
    // Reads RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT; an error names the bad variable or
    // says why the store/backend could not be reached (and after how long).
    // MELODIST_DIST_TIMEOUT_S (default 1800, torch's) bounds the rendezvous and every
    // collective; MELODIST_DIST_BACKEND=gloo|nccl overrides the choice (nccl for CUDA
    // devices when LibTorch has it, else gloo); GLOO_SOCKET_IFNAME picks the interface.
    static engine::Result<std::unique_ptr<DistributedGroup>> fromEnvironment(const torch::Device& device);
    // The device this process should train on: `device`, except that CUDA without an index
    // becomes cuda:LOCAL_RANK (one GPU per process, torchrun's way; cuda:0 without LOCAL_RANK).
    static torch::Device localDevice(const torch::Device& device);

    virtual int rank() const = 0;
    virtual int worldSize() const = 0;
    virtual std::string backendName() const = 0;  // "none", "gloo", "nccl"
    // Rank 0's parameters and buffers to everyone.
    virtual void broadcastParameters(torch::nn::Module& module) = 0;
    // Sum then divide every parameter's gradient by worldSize() (flattened into one buffer).
    virtual void averageGradients(torch::nn::Module& module) = 0;
    // Sum a few scalars over ranks (losses, counts for metrics).
    virtual void sumInPlace(torch::Tensor& values) = 0;
    virtual void barrier() = 0;
    // The largest |w - w on rank 0| over every parameter and buffer on every rank: 0 when
    // the ranks are in step. A check for the end of a run (one broadcast, one allreduce).
    virtual double maxParameterDifference(torch::nn::Module& module) = 0;
};

}  // namespace melodist::training

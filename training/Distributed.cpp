// SPDX-License-Identifier: GPL-3.0-or-later
// DistributedGroup over LibTorch's c10d: a TCPStore hosted by rank 0 for the rendezvous,
// then ProcessGroupGloo (CPU tensors) or ProcessGroupNCCL (CUDA, when LibTorch has it)
// for the collectives. Every collective works on one flat buffer per dtype, so a step
// costs one allreduce however many parameter tensors the model has.
//
// Versions: Debian's LibTorch 1.13 and CUDA LibTorch 2.x. Both have the same
// TCPStoreOptions fields we set, ProcessGroupGloo::Options{timeout, devices, threads}
// and allreduce/broadcast/barrier(std::vector<at::Tensor>&, opts) returning a Work
// handle; 2.x derives the process groups from c10d::Backend instead of ProcessGroup,
// which this file never names (the group is a template over the concrete class).
// The torch target defines USE_C10D_GLOO (and USE_C10D_NCCL in CUDA builds), under which
// the c10d headers declare those classes; LibTorch archives may lack the Gloo headers or
// nccl.h they include, so each backend is compiled only when its headers are there.
#include "training/Distributed.h"

#include "engine/core/Log.h"

#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if defined(USE_C10D_GLOO) && __has_include(<gloo/algorithm.h>)
#define MELODIST_HAVE_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if defined(USE_C10D_NCCL) && __has_include(<nccl.h>)
#define MELODIST_HAVE_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <string_view>

namespace melodist::training {
namespace {

using engine::makeError;
using engine::Result;

// torch's own default for process groups (kProcessGroupDefaultTimeout, 30 min).
constexpr double kDefaultTimeoutSeconds = 1800.0;

struct GroupConfig {
    int rank = 0;
    int worldSize = 1;
    std::string masterAddress;
    uint16_t masterPort = 0;
    std::chrono::milliseconds timeout{0};
    double timeoutSeconds = 0.0;
    std::string backend;  // MELODIST_DIST_BACKEND: "", "gloo" or "nccl"
};

std::optional<std::string> environment(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

std::optional<long> parseInteger(std::string_view text) {
    long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string formatSeconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g s", seconds);
    return text;
}

Result<GroupConfig> readConfig() {
    GroupConfig config;
    const std::optional<std::string> worldSize = environment("WORLD_SIZE");
    if (worldSize) {
        const std::optional<long> value = parseInteger(*worldSize);
        if (!value || *value < 1 || *value > 65536)
            return makeError("WORLD_SIZE is '" + *worldSize + "'; it must be the number of training processes (1 or more)");
        config.worldSize = static_cast<int>(*value);
    }
    const std::optional<std::string> rank = environment("RANK");
    if (rank) {
        const std::optional<long> value = parseInteger(*rank);
        if (!value || *value < 0 || *value >= config.worldSize)
            return makeError("RANK is '" + *rank + "'; with WORLD_SIZE=" + std::to_string(config.worldSize) +
                             " it must be 0.." + std::to_string(config.worldSize - 1));
        config.rank = static_cast<int>(*value);
    }
    if (config.worldSize == 1) return config;

    if (!rank)
        return makeError("RANK is not set; with WORLD_SIZE=" + std::to_string(config.worldSize) +
                         " every process needs its own RANK, 0.." + std::to_string(config.worldSize - 1));
    const std::optional<std::string> address = environment("MASTER_ADDR");
    if (!address)
        return makeError("MASTER_ADDR is not set; give the address of rank 0's machine (127.0.0.1 when every rank runs on this one)");
    config.masterAddress = *address;
    const std::optional<std::string> port = environment("MASTER_PORT");
    if (!port) return makeError("MASTER_PORT is not set; give a free TCP port on rank 0's machine, the same for every rank (e.g. 29500)");
    const std::optional<long> portValue = parseInteger(*port);
    if (!portValue || *portValue < 1 || *portValue > 65535)
        return makeError("MASTER_PORT is '" + *port + "'; it must be a TCP port, 1..65535");
    config.masterPort = static_cast<uint16_t>(*portValue);

    config.timeoutSeconds = kDefaultTimeoutSeconds;
    if (const std::optional<std::string> timeout = environment("MELODIST_DIST_TIMEOUT_S")) {
        char* end = nullptr;
        const double seconds = std::strtod(timeout->c_str(), &end);
        if (end == timeout->c_str() || *end != '\0' || !(seconds > 0.0) || seconds > 7.0 * 24 * 3600)
            return makeError("MELODIST_DIST_TIMEOUT_S is '" + *timeout + "'; it must be a number of seconds above 0");
        config.timeoutSeconds = seconds;
    }
    config.timeout = std::chrono::milliseconds(static_cast<int64_t>(config.timeoutSeconds * 1000.0 + 0.5));
    config.backend = environment("MELODIST_DIST_BACKEND").value_or("");
    if (!config.backend.empty() && config.backend != "gloo" && config.backend != "nccl")
        return makeError("MELODIST_DIST_BACKEND is '" + config.backend + "'; it must be gloo or nccl (or unset: nccl on CUDA, else gloo)");
    return config;
}

// The first line of a c10 error (LibTorch appends a C++ backtrace that means nothing to a
// user), without its final full stop: our message goes on after it.
std::string firstLine(const std::string& message) {
    std::string line = message.substr(0, message.find('\n'));
    while (!line.empty() && (line.back() == '.' || line.back() == ' ')) line.pop_back();
    return line;
}

std::string describe(const std::exception& error) {
    if (const auto* c10Error = dynamic_cast<const c10::Error*>(&error)) return firstLine(c10Error->what_without_backtrace());
    return firstLine(error.what());
}

bool isLoopback(const std::string& address) {
    return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

class SingleProcessGroup final : public DistributedGroup {
public:
    int rank() const override { return 0; }
    int worldSize() const override { return 1; }
    std::string backendName() const override { return "none"; }
    void broadcastParameters(torch::nn::Module&) override {}
    void averageGradients(torch::nn::Module&) override {}
    void sumInPlace(torch::Tensor&) override {}
    void barrier() override {}
    double maxParameterDifference(torch::nn::Module&) override { return 0.0; }
};

// The tensors, flattened into one buffer per dtype (std::map: the same order on every rank).
std::map<c10::ScalarType, std::vector<torch::Tensor>> byDtype(const std::vector<torch::Tensor>& tensors) {
    std::map<c10::ScalarType, std::vector<torch::Tensor>> groups;
    for (const torch::Tensor& tensor : tensors) groups[tensor.scalar_type()].push_back(tensor);
    return groups;
}

// Parameters then buffers, detached (their storage: writing them writes the module).
std::vector<torch::Tensor> stateTensors(torch::nn::Module& module) {
    std::vector<torch::Tensor> tensors;
    for (const torch::Tensor& parameter : module.parameters()) tensors.push_back(parameter.detach());
    for (const torch::Tensor& buffer : module.buffers()) tensors.push_back(buffer.detach());
    return tensors;
}

torch::Tensor flatten(const std::vector<torch::Tensor>& tensors) {
    std::vector<torch::Tensor> flat;
    flat.reserve(tensors.size());
    for (const torch::Tensor& tensor : tensors) flat.push_back(tensor.reshape({-1}));
    return torch::cat(flat);
}

void unflattenInto(const torch::Tensor& flat, const std::vector<torch::Tensor>& tensors) {
    int64_t offset = 0;
    for (const torch::Tensor& tensor : tensors) {
        const int64_t count = tensor.numel();
        tensor.copy_(flat.narrow(/*dim=*/0, offset, count).view_as(tensor));
        offset += count;
    }
}

// A c10d process group (ProcessGroupGloo or ProcessGroupNCCL: the same collective API
// in 1.13 and 2.x). Collectives run on `commDevice` (CPU for Gloo, this rank's GPU for
// NCCL); tensors elsewhere are copied there and back.
template <class Backend>
class C10dGroup final : public DistributedGroup {
public:
    C10dGroup(c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<Backend> backend, const GroupConfig& config,
              std::string name, torch::Device commDevice)
        : m_store(std::move(store)), m_backend(std::move(backend)), m_rank(config.rank), m_worldSize(config.worldSize),
          m_name(std::move(name)), m_commDevice(commDevice) {}

    int rank() const override { return m_rank; }
    int worldSize() const override { return m_worldSize; }
    std::string backendName() const override { return m_name; }

    void broadcastParameters(torch::nn::Module& module) override {
        torch::NoGradGuard noGrad;
        for (const auto& [dtype, group] : byDtype(stateTensors(module))) {
            torch::Tensor flat = onCommDevice(flatten(group));
            std::vector<torch::Tensor> buffers{flat};
            c10d::BroadcastOptions options;
            options.rootRank = 0;
            m_backend->broadcast(buffers, options)->wait();
            if (m_rank != 0) unflattenInto(flat, group);
        }
    }

    void averageGradients(torch::nn::Module& module) override {
        torch::NoGradGuard noGrad;
        std::vector<torch::Tensor> gradients;
        for (torch::Tensor& parameter : module.parameters()) {
            if (!parameter.requires_grad()) continue;
            // A parameter this rank's batch did not reach has no gradient; every rank must
            // send the same layout, so it contributes zeros.
            if (!parameter.grad().defined()) parameter.mutable_grad() = torch::zeros_like(parameter);
            gradients.push_back(parameter.grad());
        }
        for (const auto& [dtype, group] : byDtype(gradients)) {
            torch::Tensor flat = onCommDevice(flatten(group));
            allreduceSum(flat);
            flat.div_(static_cast<double>(m_worldSize));
            unflattenInto(flat, group);
        }
    }

    void sumInPlace(torch::Tensor& values) override {
        torch::NoGradGuard noGrad;
        torch::Tensor flat = onCommDevice(values.detach().reshape({-1})).contiguous();
        if (flat.data_ptr() == values.data_ptr() && values.is_contiguous()) {
            allreduceSum(flat);  // already in place
            return;
        }
        allreduceSum(flat);
        values.detach().copy_(flat.view_as(values));
    }

    void barrier() override { m_backend->barrier()->wait(); }

    double maxParameterDifference(torch::nn::Module& module) override {
        torch::NoGradGuard noGrad;
        double largest = 0.0;
        for (const auto& [dtype, group] : byDtype(stateTensors(module))) {
            const torch::Tensor mine = onCommDevice(flatten(group)).to(torch::kFloat64);
            torch::Tensor rank0 = mine.clone();
            std::vector<torch::Tensor> buffers{rank0};
            c10d::BroadcastOptions options;
            options.rootRank = 0;
            m_backend->broadcast(buffers, options)->wait();
            largest = std::max(largest, (mine - rank0).abs().max().item<double>());
        }
        torch::Tensor result = onCommDevice(torch::tensor({largest}, torch::kFloat64));
        std::vector<torch::Tensor> buffers{result};
        c10d::AllreduceOptions options;
        options.reduceOp = c10d::ReduceOp::MAX;
        m_backend->allreduce(buffers, options)->wait();
        return result.cpu().item<double>();
    }

private:
    torch::Tensor onCommDevice(const torch::Tensor& tensor) const {
        return tensor.device() == m_commDevice ? tensor : tensor.to(m_commDevice);
    }

    void allreduceSum(torch::Tensor& flat) {
        std::vector<torch::Tensor> buffers{flat};
        m_backend->allreduce(buffers)->wait();  // default options: ReduceOp SUM
    }

    c10::intrusive_ptr<c10d::Store> m_store;  // rank 0: the server the others talk to; kept alive with the group
    c10::intrusive_ptr<Backend> m_backend;
    int m_rank;
    int m_worldSize;
    std::string m_name;
    torch::Device m_commDevice;
};

std::string whereStore(const GroupConfig& config) {
    return config.masterAddress + ":" + std::to_string(config.masterPort);
}

std::string rankOf(const GroupConfig& config) {
    return "rank " + std::to_string(config.rank) + " of " + std::to_string(config.worldSize);
}

// " (MELODIST_DIST_TIMEOUT_S=3 s, waited 3.01 s): <LibTorch's reason>"
std::string timedOut(const GroupConfig& config, std::chrono::steady_clock::time_point start, const std::exception& error) {
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return " (MELODIST_DIST_TIMEOUT_S=" + formatSeconds(config.timeoutSeconds) + ", waited " + formatSeconds(waited) +
           "): " + describe(error);
}

Result<c10::intrusive_ptr<c10d::Store>> connectStore(const GroupConfig& config) {
    c10d::TCPStoreOptions options;
    options.port = config.masterPort;
    options.isServer = config.rank == 0;
    options.numWorkers = static_cast<size_t>(config.worldSize);
    options.waitWorkers = true;  // the server returns once every rank has connected (or the timeout)
    options.timeout = config.timeout;
    const auto start = std::chrono::steady_clock::now();
    try {
        return c10::intrusive_ptr<c10d::Store>(c10::make_intrusive<c10d::TCPStore>(config.masterAddress, options));
    } catch (const std::exception& error) {
        if (config.rank == 0)
            return makeError(rankOf(config) + ": could not open the rendezvous store on " + whereStore(config) +
                             timedOut(config, start, error) + "; is MASTER_PORT free, and MASTER_ADDR this machine?");
        return makeError(rankOf(config) + ": could not reach rank 0's rendezvous store at " + whereStore(config) +
                         timedOut(config, start, error) +
                         "; is rank 0 running, and are MASTER_ADDR and MASTER_PORT the same for every rank?");
    }
}

#ifdef MELODIST_HAVE_GLOO
Result<std::unique_ptr<DistributedGroup>> makeGlooGroup(const GroupConfig& config, c10::intrusive_ptr<c10d::Store> store) {
    const auto start = std::chrono::steady_clock::now();
    try {
        auto options = c10d::ProcessGroupGloo::Options::create(config.timeout);
        // GLOO_SOCKET_IFNAME picks the network interface, as in PyTorch; on one machine the
        // loopback address; otherwise the address this machine's hostname resolves to.
        if (const std::optional<std::string> interface = environment("GLOO_SOCKET_IFNAME"))
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(*interface));
        else if (isLoopback(config.masterAddress))
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
        else
            options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        options->threads = 2;
        auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, config.rank, config.worldSize, options);
        return std::unique_ptr<DistributedGroup>(std::make_unique<C10dGroup<c10d::ProcessGroupGloo>>(
            std::move(store), std::move(group), config, "gloo", torch::Device(torch::kCPU)));
    } catch (const std::exception& error) {
        return makeError(rankOf(config) + ": not every rank met through the store at " + whereStore(config) +
                         timedOut(config, start, error) + "; start all " + std::to_string(config.worldSize) +
                         " ranks with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE");
    }
}
#endif

#ifdef MELODIST_HAVE_NCCL
Result<std::unique_ptr<DistributedGroup>> makeNcclGroup(const GroupConfig& config, c10::intrusive_ptr<c10d::Store> store,
                                                        const torch::Device& device) {
    try {
        auto options = c10d::ProcessGroupNCCL::Options::create();
        options->timeout = config.timeout;
        // NCCL makes its communicators at the first collective, on the device of its tensors.
        auto group = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, config.rank, config.worldSize, options);
        return std::unique_ptr<DistributedGroup>(
            std::make_unique<C10dGroup<c10d::ProcessGroupNCCL>>(std::move(store), std::move(group), config, "nccl", device));
    } catch (const std::exception& error) {
        return makeError(rankOf(config) + ": NCCL could not start on " + device.str() + ": " + describe(error));
    }
}
#endif

}  // namespace

torch::Device DistributedGroup::localDevice(const torch::Device& device) {
    if (!device.is_cuda() || device.has_index()) return device;
    const std::optional<std::string> localRank = environment("LOCAL_RANK");
    const std::optional<long> index = localRank ? parseInteger(*localRank) : std::nullopt;
    if (!index || *index < 0 || *index > 255) return torch::Device(torch::kCUDA, 0);
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(*index));
}

Result<std::unique_ptr<DistributedGroup>> DistributedGroup::fromEnvironment(const torch::Device& device) {
    Result<GroupConfig> config = readConfig();
    if (!config) return makeError(config.error());
    if (config->worldSize == 1) return std::unique_ptr<DistributedGroup>(std::make_unique<SingleProcessGroup>());

#ifdef MELODIST_HAVE_NCCL
    const bool nccl = config->backend == "nccl" || (config->backend.empty() && device.is_cuda());
#else
    if (config->backend == "nccl")
        return makeError("MELODIST_DIST_BACKEND=nccl, but this Melodist was built without NCCL (LibTorch without CUDA, or "
                         "no nccl.h at build time); use gloo");
    const bool nccl = false;
#endif
#ifndef MELODIST_HAVE_GLOO
    if (!nccl)
        return makeError("WORLD_SIZE=" + std::to_string(config->worldSize) +
                         ", but this Melodist was built without Gloo (no gloo headers at build time: install libgloo-dev "
                         "and rebuild), so it cannot train in several processes on the CPU");
#endif

    Result<c10::intrusive_ptr<c10d::Store>> store = connectStore(*config);
    if (!store) return makeError(store.error());

    Result<std::unique_ptr<DistributedGroup>> group = makeError("no c10d backend");
#ifdef MELODIST_HAVE_NCCL
    if (nccl) group = makeNcclGroup(*config, std::move(*store), localDevice(device));
#endif
#ifdef MELODIST_HAVE_GLOO
    if (!nccl) group = makeGlooGroup(*config, std::move(*store));
#endif
    if (group)
        MELODIST_LOG_INFO(rankOf(*config) + ", " + (*group)->backendName() + ", store " + whereStore(*config));
    return group;
}

}  // namespace melodist::training

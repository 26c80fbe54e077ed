// SPDX-License-Identifier: GPL-3.0-or-later
// The ModelBackend of LibTorch nets: decoders that step a SequenceNet on the CPU or CUDA.
#include "engine/nn/TorchBackend.h"

#include "engine/core/Assert.h"
#include "engine/music/StepEncoding.h"
#include "engine/nn/SequenceNet.h"
#include "engine/nn/Vae.h"

#include <dlfcn.h>

#include <cstring>
#include <mutex>

namespace melodist::engine::nn {
namespace {

// The GPU's name through the CUDA driver API (libcuda, loaded by LibTorch once it uses
// CUDA): cuDeviceGet and cuDeviceGetName have kept their C signatures since CUDA 2, so no
// CUDA headers are needed here and CPU-only LibTorch builds compile this too.
std::string cudaDeviceName(int index) {
    void* driver = ::dlopen("libcuda.so.1", RTLD_LAZY | RTLD_NOLOAD);
    if (driver == nullptr) return {};
    using DeviceGet = int (*)(int*, int);
    using DeviceGetName = int (*)(char*, int, int);
    auto deviceGet = reinterpret_cast<DeviceGet>(::dlsym(driver, "cuDeviceGet"));
    auto deviceGetName = reinterpret_cast<DeviceGetName>(::dlsym(driver, "cuDeviceGetName"));
    std::string name;
    int device = 0;
    char buffer[256] = {};
    if (deviceGet != nullptr && deviceGetName != nullptr && deviceGet(&device, index) == 0 &&
        deviceGetName(buffer, sizeof buffer - 1, device) == 0)
        name = buffer;
    ::dlclose(driver);
    return name;
}

std::string describeDevice(const torch::Device& device) {
    if (device.is_cpu()) {
        const int threads = at::get_num_threads();
        return "cpu (LibTorch, " + std::to_string(threads) + (threads == 1 ? " thread)" : " threads)");
    }
    const int index = device.has_index() ? device.index() : 0;
    const std::string name = cudaDeviceName(index);
    const std::string id = "cuda:" + std::to_string(index);
    return id + " (" + (name.empty() ? id : name) + ")";
}

// One generation session: `rows` sequences of the net stepped together on `device`.
class TorchDecoder final : public SequenceDecoder {
public:
    TorchDecoder(std::shared_ptr<SequenceNet> net, torch::Device device, uint64_t rngSeed)
        : m_net(std::move(net)),
          m_device(device),
          m_rngSeed(rngSeed),
          m_deviceName(describeDevice(device)),
          m_vae(dynamic_cast<VaeNet*>(m_net.get())) {}

    int vocabularySize() const override { return m_net->config().vocabularySize; }

    void reset(int rows) override {
        torch::NoGradGuard noGrad;
        m_state = m_vae != nullptr ? m_vae->initialStateFromLatent(m_vae->priorLatents(rows, m_rngSeed).to(m_device))
                                   : m_net->initialState(rows, m_device);
        m_rows = rows;
    }

    void step(std::span<const int> ids, std::span<float> logitsOut) override {
        const auto vocabulary = static_cast<size_t>(vocabularySize());
        MELODIST_ASSERT(ids.size() == static_cast<size_t>(m_rows) && logitsOut.size() == ids.size() * vocabulary) {
            return;
        }
        torch::Tensor input = torch::empty({m_rows}, torch::kLong);
        int64_t* data = input.data_ptr<int64_t>();
        for (size_t r = 0; r < ids.size(); ++r) {
            MELODIST_ASSERT(ids[r] >= 0 && static_cast<size_t>(ids[r]) < vocabulary) {
                return;
            }
            data[r] = ids[r];
        }
        torch::NoGradGuard noGrad;
        auto [logits, next] = m_net->step(input.to(m_device), std::move(m_state));
        m_state = std::move(next);
        const torch::Tensor host = logits.to(torch::kCPU, torch::kFloat).contiguous();  // the step's one copy back
        std::memcpy(logitsOut.data(), host.data_ptr<float>(), logitsOut.size() * sizeof(float));
    }

    void keepRows(std::span<const int> keep) override {
        std::vector<int64_t> rows(keep.begin(), keep.end());
        torch::NoGradGuard noGrad;
        m_state = m_net->selectRows(m_state, torch::tensor(rows, torch::kLong).to(m_device));
        m_rows = static_cast<int>(keep.size());
    }

    std::string device() const override { return m_deviceName; }

private:
    std::shared_ptr<SequenceNet> m_net;
    torch::Device m_device;
    uint64_t m_rngSeed = 0;
    std::string m_deviceName;
    VaeNet* m_vae = nullptr;  // m_net as a VAE, else nullptr
    NetState m_state;
};

class TorchModelBackend final : public ModelBackend {
public:
    explicit TorchModelBackend(std::shared_ptr<SequenceNet> net) : m_cpuNet(std::move(net)) {}

    Result<std::unique_ptr<SequenceDecoder>> makeDecoder(DeviceChoice choice, uint64_t rngSeed) const override {
        Result<torch::Device> device = resolveTorchDevice(deviceChoiceName(choice));
        if (!device) return makeError(device.error());
        try {
            std::shared_ptr<SequenceNet> net = device->is_cpu() ? m_cpuNet : cudaNet(*device);
            return std::unique_ptr<SequenceDecoder>(std::make_unique<TorchDecoder>(std::move(net), *device, rngSeed));
        } catch (const c10::Error& error) {
            return makeError(std::string("could not put the model on ") + device->str() + ": " +
                             error.what_without_backtrace());
        }
    }

private:
    // A copy of the weights on the GPU, made once and then shared like the CPU net.
    std::shared_ptr<SequenceNet> cudaNet(const torch::Device& device) const {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_cudaNet != nullptr) return m_cudaNet;
        std::shared_ptr<SequenceNet> copy = makeSequenceNet(m_cpuNet->config());
        torch::NoGradGuard noGrad;
        const auto source = m_cpuNet->named_parameters();
        for (auto& item : copy->named_parameters()) item.value().copy_(source[item.key()]);
        const auto sourceBuffers = m_cpuNet->named_buffers();
        for (auto& item : copy->named_buffers()) item.value().copy_(sourceBuffers[item.key()]);
        copy->to(device);
        copy->eval();
        m_cudaNet = copy;
        return copy;
    }

    std::shared_ptr<SequenceNet> m_cpuNet;  // eval mode; read by every CPU decoder
    mutable std::mutex m_mutex;
    mutable std::shared_ptr<SequenceNet> m_cudaNet;
};

}  // namespace

Result<std::shared_ptr<const ModelBackend>> loadTorchBackend(const Checkpoint& checkpoint,
                                                             const std::string& sourceName) {
    Result<std::shared_ptr<SequenceNet>> net = netFromCheckpoint(checkpoint, sourceName);
    if (!net) return makeError(net.error());
    return std::shared_ptr<const ModelBackend>(std::make_shared<TorchModelBackend>(std::move(*net)));
}

void registerTorchBackend() {
    setTorchBackendLoader(&loadTorchBackend);
}

Result<LoadedNet> loadedNetFromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName) {
    Result<Vocabulary> vocabulary = checkpointVocabulary(checkpoint, sourceName);
    if (!vocabulary) return makeError(vocabulary.error());
    Result<std::shared_ptr<SequenceNet>> net = netFromCheckpoint(checkpoint, sourceName);
    if (!net) return makeError(net.error());
    LoadedNet loaded{std::move(*net), std::move(*vocabulary), checkpoint.metadata, 0};
    std::string padding(kSongDelimiterSymbol);
    if (const auto context = checkpoint.metadata.find("context");
        context != checkpoint.metadata.end() && context->is_object())
        if (const auto symbol = context->find("padding_symbol"); symbol != context->end() && symbol->is_string())
            padding = symbol->get<std::string>();
    loaded.startId = loaded.vocabulary.idOf(padding).value_or(0);
    return loaded;
}

Result<LoadedNet> loadNetModel(const std::string& path) {
    Result<Checkpoint> checkpoint = loadCheckpoint(path);
    if (!checkpoint) return makeError(checkpoint.error());
    return loadedNetFromCheckpoint(*checkpoint, path);
}

}  // namespace melodist::engine::nn

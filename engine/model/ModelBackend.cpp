// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/ModelBackend.h"

#include <atomic>

namespace melodist::engine {
namespace {

std::atomic<TorchBackendLoader> g_torchBackendLoader{nullptr};

}  // namespace

Result<DeviceChoice> parseDeviceChoice(std::string_view text) {
    if (text == "auto") return DeviceChoice::Auto;
    if (text == "cpu") return DeviceChoice::Cpu;
    if (text == "cuda") return DeviceChoice::Cuda;
    return makeError("unknown device '" + std::string(text) + "': use auto, cpu or cuda");
}

const char* deviceChoiceName(DeviceChoice choice) {
    switch (choice) {
        case DeviceChoice::Auto: return "auto";
        case DeviceChoice::Cpu: return "cpu";
        case DeviceChoice::Cuda: return "cuda";
    }
    return "auto";
}

void setTorchBackendLoader(TorchBackendLoader loader) { g_torchBackendLoader.store(loader); }
TorchBackendLoader torchBackendLoader() { return g_torchBackendLoader.load(); }

}  // namespace melodist::engine

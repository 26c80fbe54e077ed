// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The names a user knows their processor and graphics card by, for the studio's status bar
// ("Device: GPU NVIDIA H100 80GB HBM3", "Device: CPU AMD EPYC 9B14"): read from Linux's
// /proc (cpuinfo, and the NVIDIA driver's per-GPU information files), so no CUDA or
// LibTorch header is needed. Free functions; any thread; "" or empty when unknown.
//
//   std::string cpu = cpuModelName();                      // "AMD EPYC 9B14"
//   std::vector<std::string> gpus = nvidiaGpuNames();      // {"NVIDIA H100 80GB HBM3"}

#include <string>
#include <string_view>
#include <vector>

namespace melodist::engine {

// The first "model name" of /proc/cpuinfo's text, trimmed; "" when there is none.
std::string parseCpuModelName(std::string_view cpuinfo);
// The "Model:" line of /proc/driver/nvidia/gpus/<bus id>/information, trimmed; "" when none.
std::string parseNvidiaGpuModel(std::string_view information);

std::string cpuModelName();
std::vector<std::string> nvidiaGpuNames();  // in bus-id order

}  // namespace melodist::engine

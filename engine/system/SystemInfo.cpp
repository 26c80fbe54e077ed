// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/system/SystemInfo.h"

#include "engine/core/Version.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <climits>
#include <cstdlib>
#include <string>

namespace melodist::engine {
namespace {

std::string resolvedPath(const char* path) {
    char buffer[PATH_MAX];
    if (path != nullptr && ::realpath(path, buffer) != nullptr) return buffer;
    return path != nullptr ? path : "";
}

bool contains(const std::string& haystack, const char* needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

std::string melodistVersion() {
    std::string version = MELODIST_VERSION;
    const std::string revision = MELODIST_GIT_REVISION;
    if (!revision.empty()) version += " (" + revision + ")";
    return version;
}

BlasInfo detectBlas() {
    BlasInfo info;
    // The library that the global symbol scope resolves sgemm_ to is the one LibTorch calls.
    void* sgemm = ::dlsym(RTLD_DEFAULT, "sgemm_");
    Dl_info where{};
    if (sgemm != nullptr && ::dladdr(sgemm, &where) != 0) info.path = resolvedPath(where.dli_fname);

    void* handle = info.path.empty() ? nullptr : ::dlopen(info.path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
    using ConfigFn = char* (*)();
    using ThreadsFn = int (*)();
    auto config = handle ? reinterpret_cast<ConfigFn>(::dlsym(handle, "openblas_get_config")) : nullptr;
    auto threads = handle ? reinterpret_cast<ThreadsFn>(::dlsym(handle, "openblas_get_num_threads")) : nullptr;

    if (config != nullptr) {
        info.name = "OpenBLAS";
        info.version = config();
        if (threads != nullptr) info.threads = threads();
    } else if (contains(info.path, "mkl")) {
        info.name = "MKL";
    } else if (contains(info.path, "blis")) {
        info.name = "BLIS";
    } else if (contains(info.path, "atlas")) {
        info.name = "ATLAS";
    } else if (!info.path.empty()) {
        info.name = "reference BLAS (netlib)";
        info.isReference = true;
    } else if (at::hasMKL()) {
        info.name = "MKL (inside LibTorch)";
    } else {
        info.name = "none found";
    }
    if (handle != nullptr) ::dlclose(handle);
    return info;
}

TorchInfo detectTorch() {
    TorchInfo info;
    info.version = TORCH_VERSION;
    info.cudaBuilt = at::hasCUDA();
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDeviceCount = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    info.intraOpThreads = at::get_num_threads();
    info.mkl = at::hasMKL();
    return info;
}

std::vector<std::string> engineVersionLines() {
    const TorchInfo torch = detectTorch();
    const BlasInfo blas = detectBlas();
    std::vector<std::string> lines;
    lines.push_back("Melodist " + melodistVersion());
    std::string cuda;
    if (torch.cudaAvailable)
        cuda = "CUDA usable, " + std::to_string(torch.cudaDeviceCount) + " device(s)";
    else if (torch.cudaBuilt)
        cuda = "built with CUDA, but no CUDA device found: using the CPU";
    else
        cuda = "CPU only (LibTorch built without CUDA)";
    lines.push_back("LibTorch " + torch.version + " (" + cuda + "), " +
                    std::to_string(torch.intraOpThreads) + " intra-op threads");
    std::string blasLine = "BLAS: " + blas.name;
    if (!blas.version.empty()) blasLine += " [" + blas.version + "]";
    if (blas.threads > 0) blasLine += ", " + std::to_string(blas.threads) + " threads";
    if (!blas.path.empty()) blasLine += ", " + blas.path;
    if (blas.isReference)
        blasLine += " -- SLOW: install libopenblas0-pthread (5-15x faster generation and training)";
    lines.push_back(blasLine);
    return lines;
}

}  // namespace melodist::engine

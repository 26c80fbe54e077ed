// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SystemInfo: what this process runs on -- Melodist's version, LibTorch's version and
// whether CUDA is usable, and the BLAS library that LibTorch's matrix products
// actually go through (Debian's LibTorch calls whatever libblas.so.3 the system
// provides; the reference BLAS is 5-15x slower than OpenBLAS, so we name it).
// Any thread may call these; they only read process state.
//
//   const auto blas = melodist::engine::detectBlas();
//   if (blas.isReference) warn("install libopenblas0-pthread");

#include <string>
#include <vector>

namespace melodist::engine {

struct BlasInfo {
    std::string name;      // "OpenBLAS", "reference BLAS (netlib)", "MKL (inside LibTorch)", ...
    std::string version;   // e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"
    std::string path;      // the library that provides sgemm_, symlinks resolved
    int threads = 0;       // BLAS worker threads (0 when the library does not say)
    bool isReference = false;
};

struct TorchInfo {
    std::string version;      // e.g. "1.13.0"
    bool cudaBuilt = false;   // LibTorch was built with CUDA support
    bool cudaAvailable = false;
    int cudaDeviceCount = 0;
    int intraOpThreads = 0;
    bool mkl = false;
};

std::string melodistVersion();       // "0.1.0 (abc1234)"
BlasInfo detectBlas();
TorchInfo detectTorch();
// One line per fact, the same lines for `melodist --version` and Help > About.
std::vector<std::string> engineVersionLines();

}  // namespace melodist::engine

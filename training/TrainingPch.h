// SPDX-License-Identifier: GPL-3.0-or-later
// Precompiled header of melodist_training: LibTorch's C++ API (torch/torch.h costs 10-20 s
// per translation unit on a 2-core machine) and nlohmann/json, compiled once.
#pragma once
#include <nlohmann/json.hpp>
#include <torch/torch.h>

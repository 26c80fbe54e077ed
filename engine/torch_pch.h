// SPDX-License-Identifier: GPL-3.0-or-later
// Precompiled header for the LibTorch translation units of melodist_engine.
#pragma once
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <nlohmann/json.hpp>

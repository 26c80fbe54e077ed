// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Programming-error checks: log, abort in debug builds, recover in release builds.
//   MELODIST_ASSERT(index < size) { return; }   // the block runs when the check fails

#include "engine/core/Log.h"

#include <cassert>

#define MELODIST_ASSERT(cond)                                                      \
    if (!(cond) && (::melodist::engine::logMessage(::melodist::engine::LogLevel::Error, \
                                                   __func__, "assertion failed: " #cond), \
                    assert(!#cond), true))

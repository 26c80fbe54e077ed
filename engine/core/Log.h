// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Minimal thread-safe logging to stderr for the engine, the training process and the
// CLI. Never call it from the audio callback (it locks and allocates).
// MELODIST_LOG=debug|info|warning|error selects the threshold (default: info).

#include <string_view>

namespace melodist::engine {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

void logMessage(LogLevel level, const char* function, std::string_view message);
bool logEnabled(LogLevel level);

}  // namespace melodist::engine

#define MELODIST_LOG_DEBUG(msg) ::melodist::engine::logMessage(::melodist::engine::LogLevel::Debug, __func__, (msg))
#define MELODIST_LOG_INFO(msg) ::melodist::engine::logMessage(::melodist::engine::LogLevel::Info, __func__, (msg))
#define MELODIST_LOG_WARNING(msg) ::melodist::engine::logMessage(::melodist::engine::LogLevel::Warning, __func__, (msg))
#define MELODIST_LOG_ERROR(msg) ::melodist::engine::logMessage(::melodist::engine::LogLevel::Error, __func__, (msg))

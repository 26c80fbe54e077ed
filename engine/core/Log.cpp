// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/Log.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace melodist::engine {
namespace {

LogLevel thresholdFromEnvironment() {
    const char* value = std::getenv("MELODIST_LOG");
    if (value == nullptr) return LogLevel::Info;
    if (std::strcmp(value, "debug") == 0) return LogLevel::Debug;
    if (std::strcmp(value, "warning") == 0) return LogLevel::Warning;
    if (std::strcmp(value, "error") == 0) return LogLevel::Error;
    return LogLevel::Info;
}

const char* levelName(LogLevel level) {
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
    }
    return "?";
}

}  // namespace

bool logEnabled(LogLevel level) {
    static const LogLevel threshold = thresholdFromEnvironment();
    return level >= threshold;
}

void logMessage(LogLevel level, const char* function, std::string_view message) {
    if (!logEnabled(level)) return;
    static std::mutex mutex;
    const std::lock_guard<std::mutex> lock(mutex);
    std::fprintf(stderr, "melodist %s [%s]: %.*s\n", levelName(level), function,
                 static_cast<int>(message.size()), message.data());
}

}  // namespace melodist::engine

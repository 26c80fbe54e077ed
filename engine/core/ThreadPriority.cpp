// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/ThreadPriority.h"

#include <algorithm>

#if defined(__linux__)
#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace melodist::engine {

bool lowerCurrentThreadPriority(int niceIncrement) {
#if defined(__linux__)
    const auto thread = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, thread);
    if (current == -1 && errno != 0) return false;
    return ::setpriority(PRIO_PROCESS, thread, std::min(19, current + std::max(0, niceIncrement))) == 0;
#else
    (void)niceIncrement;
    return false;
#endif
}

}  // namespace melodist::engine

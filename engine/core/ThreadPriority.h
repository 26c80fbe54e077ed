// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Background CPU priority for a worker thread, so the threads a user feels -- the UI's,
// the audio driver's -- win the CPU when it is short (2 cores busy with generation, a
// training run, a build). Linux: the calling thread's own nice value is raised (nice
// is per thread there), and threads it starts later (a LibTorch/OpenMP pool) inherit
// it. Elsewhere nothing happens. Best effort; call it on the worker itself.
//
//   std::thread worker([] { lowerCurrentThreadPriority(); heavyWork(); });

namespace melodist::engine {

// False when the system does not support it or refuses (the thread runs on unchanged).
bool lowerCurrentThreadPriority(int niceIncrement = 10);

}  // namespace melodist::engine

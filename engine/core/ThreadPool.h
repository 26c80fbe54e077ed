// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ThreadPool: a fixed set of worker threads that run one parallel loop at a time over
// an index range. Indices are handed out one by one from an atomic counter, so uneven
// items (a 40 KB MIDI file beside a 500-byte song) balance themselves, and no task
// object is allocated per index. The calling thread works too, so a pool of N threads
// starts N - 1 workers. Owned by whoever runs the loop (the preprocessor, a command);
// call parallelFor from one thread at a time. The body runs on every worker thread
// and on the caller, concurrently: it must be thread-safe, and must not throw.
//
//   ThreadPool pool(ThreadPool::defaultThreadCount());
//   std::vector<Result<Score>> scores(paths.size(), makeError("not read"));
//   pool.parallelFor(paths.size(), [&](size_t i) { scores[i] = readScoreFile(paths[i]); }, &cancel);

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace melodist::engine {

class ThreadPool {
public:
    // threadCount <= 0 means defaultThreadCount().
    explicit ThreadPool(int threadCount);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    // The hardware threads of this machine (at least 1).
    static int defaultThreadCount();
    int threadCount() const { return static_cast<int>(m_workers.size()) + 1; }

    // Runs body(i) for every i in [0, count) and returns when all have finished. When
    // *cancel becomes true, indices not yet started are left out (those running finish).
    void parallelFor(size_t count, const std::function<void(size_t index)>& body,
                     const std::atomic<bool>* cancel = nullptr);

private:
    void workerLoop();
    void runIndices();

    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake;      // workers wait here for a new loop (or shutdown)
    std::condition_variable m_finished;  // the caller waits here for the workers to finish
    // The current loop; written under m_mutex before m_generation changes.
    const std::function<void(size_t)>* m_body = nullptr;
    const std::atomic<bool>* m_cancel = nullptr;
    size_t m_count = 0;
    std::atomic<size_t> m_next{0};
    unsigned long m_generation = 0;
    int m_busyWorkers = 0;
    bool m_stopping = false;
};

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/ThreadPool.h"

namespace melodist::engine {

ThreadPool::ThreadPool(int threadCount) {
    const int total = threadCount > 0 ? threadCount : defaultThreadCount();
    m_workers.reserve(static_cast<size_t>(total - 1));
    for (int i = 1; i < total; ++i) m_workers.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (std::thread& worker : m_workers) worker.join();
}

int ThreadPool::defaultThreadCount() {
    const unsigned hardware = std::thread::hardware_concurrency();
    return hardware == 0 ? 1 : static_cast<int>(hardware);
}

void ThreadPool::parallelFor(size_t count, const std::function<void(size_t)>& body, const std::atomic<bool>* cancel) {
    if (count == 0) return;
    // One item, or no workers: no reason to wake anybody.
    if (m_workers.empty() || count == 1) {
        for (size_t i = 0; i < count; ++i) {
            if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return;
            body(i);
        }
        return;
    }
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_body = &body;
        m_cancel = cancel;
        m_count = count;
        m_next.store(0, std::memory_order_relaxed);
        m_busyWorkers = static_cast<int>(m_workers.size());
        ++m_generation;
    }
    m_wake.notify_all();
    runIndices();
    std::unique_lock<std::mutex> lock(m_mutex);
    m_finished.wait(lock, [this] { return m_busyWorkers == 0; });
    m_body = nullptr;
    m_cancel = nullptr;
}

void ThreadPool::runIndices() {
    for (;;) {
        if (m_cancel != nullptr && m_cancel->load(std::memory_order_relaxed)) return;
        const size_t index = m_next.fetch_add(1, std::memory_order_relaxed);
        if (index >= m_count) return;
        (*m_body)(index);
    }
}

void ThreadPool::workerLoop() {
    unsigned long seen = 0;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || m_generation != seen; });
            if (m_stopping) return;
            seen = m_generation;
        }
        runIndices();
        bool last = false;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            last = --m_busyWorkers == 0;
        }
        if (last) m_finished.notify_one();
    }
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SpscQueue: a fixed-capacity, lock-free queue for exactly one producer thread and one
// consumer thread, e.g. the RtMidi callback (producer: MIDI thread) and the recorder's
// drain (consumer: a normal thread), or the UI feeding the audio callback. All storage
// lives inside the object, so neither side allocates, locks or blocks: tryPush fails
// when the queue is full and tryPop when it is empty. The owner constructs it before
// either thread starts and destroys it after both have stopped.
//
//   SpscQueue<MidiEvent, 1024> queue;           // capacity: a power of two
//   queue.tryPush(event);                        // producer thread only
//   MidiEvent e; while (queue.tryPop(e)) use(e); // consumer thread only
//
// The indices grow without wrapping back (size_t: 2^64 pushes) and are masked into the
// ring, which is why the capacity must be a power of two. Each index is written by one
// thread only; release/acquire on it publishes the slot contents.

#include <array>
#include <atomic>
#include <cstddef>
#include <type_traits>

namespace melodist::engine {

template <class T, std::size_t Capacity>
class SpscQueue {
    static_assert(Capacity >= 2 && (Capacity & (Capacity - 1)) == 0, "SpscQueue capacity must be a power of two");
    static_assert(std::is_nothrow_copy_assignable_v<T>, "the producer must never throw");

public:
    static constexpr std::size_t kCapacity = Capacity;

    // Producer thread only. False (and nothing stored) when the queue is full.
    bool tryPush(const T& value) noexcept {
        const std::size_t tail = m_tail.load(std::memory_order_relaxed);
        if (tail - m_head.load(std::memory_order_acquire) == Capacity) return false;
        m_slots[tail & kMask] = value;
        m_tail.store(tail + 1, std::memory_order_release);
        return true;
    }

    // Consumer thread only. False (and `out` untouched) when the queue is empty.
    bool tryPop(T& out) noexcept {
        const std::size_t head = m_head.load(std::memory_order_relaxed);
        if (head == m_tail.load(std::memory_order_acquire)) return false;
        out = m_slots[head & kMask];
        m_head.store(head + 1, std::memory_order_release);
        return true;
    }

    // Any thread; exact only when neither side is running.
    std::size_t sizeApprox() const noexcept {
        return m_tail.load(std::memory_order_acquire) - m_head.load(std::memory_order_acquire);
    }

private:
    static constexpr std::size_t kMask = Capacity - 1;

    // On separate cache lines, so the two threads do not invalidate each other's line.
    alignas(64) std::atomic<std::size_t> m_head{0};  // next slot to read; written by the consumer
    alignas(64) std::atomic<std::size_t> m_tail{0};  // next slot to write; written by the producer
    alignas(64) std::array<T, Capacity> m_slots{};
};

}  // namespace melodist::engine

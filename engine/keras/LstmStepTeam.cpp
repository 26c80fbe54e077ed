// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/keras/LstmStepTeam.h"

#include "engine/core/Log.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>

#if defined(__linux__)
#include <pthread.h>
#endif

namespace melodist::engine::detail {

namespace {

void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// Waits for a partner that is running (an item in progress, a helper leaving): spin a
// little, then yield so that on a loaded machine the partner gets the core.
template <class Ready>
void spinUntil(Ready ready) {
    for (int i = 0; !ready(); ++i) {
        if (i < 4000) cpuRelax();
        else std::this_thread::yield();
    }
}

void runAlone(const LstmStepWork& work) {
    for (int p = 0; p < work.phaseCount; ++p)
        work.runItems(work.context, p, 0, work.itemCounts[static_cast<size_t>(p)], /*worker=*/0);
}

// How long the idle helper spins before it sleeps: longer than a generator spends between
// two steps (64 candidates: sampling, bookkeeping ~60-70 us), or it would sleep every step
// and join each one late (a futex wake-up takes 10-50 us here): 50 us cost 25 ms of 130.
constexpr int kIdleSpinUs = 500;

// The claim word: (epoch << 3) | state. The helper may join only the epoch it read.
//   Open: posted, the helper may join.         Joined: the helper runs items.
//   Closed: the caller closed it unjoined.     JoinedClosed: the caller collects an ahead
//   job beside the helper.                     Released: the helper ran a whole ahead job
//                                              alone and freed the team.
constexpr uint32_t kOpen = 1, kJoined = 2, kClosed = 3, kJoinedClosed = 4, kReleased = 5;
uint32_t claimWord(uint32_t epoch, uint32_t state) { return (epoch << 3) | state; }
uint32_t epochOf(uint32_t word) { return word >> 3; }
uint32_t stateOf(uint32_t word) { return word & 7u; }

class StepTeam {
public:
    ~StepTeam() {
        if (!m_thread.joinable()) return;
        m_stop.store(true, std::memory_order_seq_cst);
        m_posted.fetch_add(1, std::memory_order_seq_cst);
        m_posted.notify_one();
        m_thread.join();
    }

    void run(const LstmStepWork& work) {
        if (!acquire()) return runAlone(work);  // another thread's step, or no helper
        const uint32_t epoch = post(work, /*ahead=*/false, {});
        participate(work, /*helper=*/false);
        uint32_t open = claimWord(epoch, kOpen);
        if (!m_claim.compare_exchange_strong(open, claimWord(epoch, kClosed), std::memory_order_acq_rel))
            spinUntil([&] { return m_left.load(std::memory_order_acquire) == epoch; });  // it joined: let it leave
        m_busy.clear(std::memory_order_release);
    }

    uint32_t postAhead(const LstmStepWork& work, std::shared_ptr<void> keepAlive) {
        if (!acquire()) return 0;
        return post(work, /*ahead=*/true, std::move(keepAlive));  // the team stays taken until finished
    }

    void finishAhead(uint32_t ticket, const LstmStepWork& work) {
        for (;;) {
            uint32_t word = m_claim.load(std::memory_order_acquire);
            // Another epoch or Released: the helper ran it all and freed the team.
            if (epochOf(word) != epochOf(claimWord(ticket, 0)) || stateOf(word) == kReleased) return;
            if (stateOf(word) == kOpen &&
                m_claim.compare_exchange_strong(word, claimWord(ticket, kClosed), std::memory_order_acq_rel)) {
                m_keepAlive.reset();  // the helper never joined
                participate(work, /*helper=*/false);
                m_busy.clear(std::memory_order_release);
                return;
            }
            if (stateOf(word) == kJoined &&
                m_claim.compare_exchange_strong(word, claimWord(ticket, kJoinedClosed), std::memory_order_acq_rel)) {
                participate(work, /*helper=*/false);
                spinUntil([&] { return m_left.load(std::memory_order_acquire) == ticket; });
                m_busy.clear(std::memory_order_release);
                return;
            }
        }
    }

private:
    // The items not yet claimed in a phase are [front, back). Each side first takes what is
    // left of its half ([0, split) the caller, [split, count) the helper), then halves of
    // what remains from its end, or with LstmStepWork::halves false one item at a time (the
    // other side may come any moment: a big last claim would leave it waiting). So with
    // both on time each thread gets the same items every step and their data stays in its
    // core's L2 (one shared counter moved the panels between the cores every step: 185 ->
    // 150 ms instead of ~95 ms for 64 x 500 steps on 2 threads), and few cache lines cross
    // between the cores (a round trip costs ~0.46 us on this VM).
    struct alignas(64) PhaseRange {
        std::atomic<uint64_t> items{0};  // front | back << 32
    };
    // Items each worker ran per phase, published once when it finds nothing left to claim.
    struct alignas(64) DoneCounts {
        std::atomic<int> items[kMaxStepPhases];
    };
    static uint64_t range(uint32_t front, uint32_t back) { return front | (static_cast<uint64_t>(back) << 32); }

    // [first, end) claimed for this side; empty when nothing is left.
    static std::pair<int, int> claim(PhaseRange& phase, int count, bool helper, bool halves) {
        const auto split = static_cast<uint32_t>(count + 1) / 2;
        uint64_t current = phase.items.load(std::memory_order_relaxed);
        for (;;) {
            const auto front = static_cast<uint32_t>(current), back = static_cast<uint32_t>(current >> 32);
            if (front >= back) return {0, 0};
            const uint32_t half = (back - front + 1) / 2;
            uint32_t first = front, end = back;
            if (helper) first = back > split ? std::max(split, front) : halves ? back - half : back - 1;
            else end = !halves ? front + 1 : front < split ? std::min(split, back) : front + half;
            const uint64_t next = helper ? range(front, first) : range(end, back);
            if (phase.items.compare_exchange_weak(current, next, std::memory_order_relaxed))
                return {static_cast<int>(first), static_cast<int>(end)};
        }
    }

    bool started() {
        std::call_once(m_startOnce, [this] {
            try {
                m_thread = std::thread([this] { helperLoop(); });
#if defined(__linux__)
                pthread_setname_np(m_thread.native_handle(), "melodist-lstm");
#endif
            } catch (const std::system_error& e) {
                logMessage(LogLevel::Warning, __func__,
                           std::string("no helper thread for LSTM steps (") + e.what() + "): stepping on one thread");
            }
        });
        return m_thread.joinable();
    }

    // The caller also waits for the last phase (the step is done when it returns).
    void participate(const LstmStepWork& work, bool helper) {
        const int me = helper ? 1 : 0;
        for (int p = 0; p < work.phaseCount; ++p) {
            const auto phase = static_cast<size_t>(p);
            int ran = 0;
            const int count = work.itemCounts[phase];
            for (auto [first, end] = claim(m_ranges[phase], count, helper, work.halves); first < end;
                 std::tie(first, end) = claim(m_ranges[phase], count, helper, work.halves)) {
                work.runItems(work.context, p, first, end, me);
                ran += end - first;
            }
            m_done[me].items[phase].store(ran, std::memory_order_release);
            if (p + 1 < work.phaseCount || !helper)
                spinUntil([&] { return ran + m_done[1 - me].items[phase].load(std::memory_order_acquire) == count; });
        }
    }

    // Takes the team for this thread's work; false when another thread has it or there
    // is no helper thread.
    bool acquire() {
        if (m_busy.test_and_set(std::memory_order_acquire)) return false;
        if (started()) return true;
        m_busy.clear(std::memory_order_release);
        return false;
    }

    uint32_t post(const LstmStepWork& work, bool ahead, std::shared_ptr<void> keepAlive) {
        m_work = &work;
        m_ahead = ahead;
        m_keepAlive = std::move(keepAlive);
        for (int p = 0; p < work.phaseCount; ++p) {
            const auto phase = static_cast<size_t>(p);
            m_ranges[phase].items.store(range(0, static_cast<uint32_t>(work.itemCounts[phase])), std::memory_order_relaxed);
            m_done[0].items[phase].store(0, std::memory_order_relaxed);
            m_done[1].items[phase].store(0, std::memory_order_relaxed);
        }
        uint32_t epoch = m_posted.load(std::memory_order_relaxed) + 1;
        if (epochOf(claimWord(epoch, 0)) == 0) epoch = 1;  // 0 is never a ticket
        m_claim.store(claimWord(epoch, kOpen), std::memory_order_release);  // publishes the above
        m_posted.store(epoch, std::memory_order_seq_cst);
        if (m_helperSleeping.load(std::memory_order_seq_cst)) m_posted.notify_one();
        return epoch;
    }

    void helperLoop() {
        // m_stop is read after each read of the epoch: the destructor sets it before its
        // last post, which may come before this thread even starts.
        uint32_t seen = m_posted.load(std::memory_order_seq_cst);
        for (;;) {
            if (m_stop.load(std::memory_order_seq_cst)) return;
            waitForPost(seen);
            seen = m_posted.load(std::memory_order_seq_cst);
            if (m_stop.load(std::memory_order_seq_cst)) return;
            uint32_t open = claimWord(seen, kOpen);
            if (!m_claim.compare_exchange_strong(open, claimWord(seen, kJoined), std::memory_order_acq_rel)) continue;
            const bool ahead = m_ahead;
            std::shared_ptr<void> keepAlive = std::move(m_keepAlive);  // the state may go meanwhile
            participate(*m_work, /*helper=*/true);
            keepAlive.reset();
            uint32_t joined = claimWord(seen, kJoined);
            if (ahead && m_claim.compare_exchange_strong(joined, claimWord(seen, kReleased), std::memory_order_acq_rel))
                m_busy.clear(std::memory_order_release);  // ran it all before the caller came back
            else
                m_left.store(seen, std::memory_order_release);
        }
    }

    // Spins kIdleSpinUs (the caller samples between steps), then sleeps on the futex.
    void waitForPost(uint32_t seen) {
        const auto posted = [&] { return m_posted.load(std::memory_order_acquire) != seen; };
        const auto spinEnd = std::chrono::steady_clock::now() + std::chrono::microseconds(kIdleSpinUs);
        for (int i = 0; !posted(); ++i) {
            cpuRelax();
            if (i % 64 == 63 && std::chrono::steady_clock::now() > spinEnd) break;
        }
        while (!posted()) {
            m_helperSleeping.store(true, std::memory_order_seq_cst);
            if (m_posted.load(std::memory_order_seq_cst) == seen) m_posted.wait(seen, std::memory_order_seq_cst);
            m_helperSleeping.store(false, std::memory_order_relaxed);
        }
    }

    std::atomic_flag m_busy = ATOMIC_FLAG_INIT;  // held by the thread whose step is posted
    std::once_flag m_startOnce;
    std::thread m_thread;
    // Valid while the claim is open or joined; m_keepAlive is then the helper's to take.
    const LstmStepWork* m_work = nullptr;
    bool m_ahead = false;
    std::shared_ptr<void> m_keepAlive;
    alignas(64) std::atomic<uint32_t> m_posted{0};
    std::atomic<uint32_t> m_claim{claimWord(0, kReleased)};
    std::atomic<uint32_t> m_left{0};
    std::atomic<bool> m_helperSleeping{false};
    std::atomic<bool> m_stop{false};
    PhaseRange m_ranges[kMaxStepPhases];
    DoneCounts m_done[2];  // [0]: the caller, [1]: the helper
};

StepTeam& team() {
    static StepTeam instance;
    return instance;
}

}  // namespace

void runLstmStep(const LstmStepWork& work, int threads) {
    if (threads < 2 || work.phaseCount > kMaxStepPhases) return runAlone(work);
    team().run(work);
}

uint32_t postLstmAhead(const LstmStepWork& work, std::shared_ptr<void> keepAlive) {
    if (work.phaseCount != 1) return 0;
    return team().postAhead(work, std::move(keepAlive));
}

void finishLstmAhead(uint32_t ticket, const LstmStepWork& work) {
    if (ticket != 0) team().finishAhead(ticket, work);
}

}  // namespace melodist::engine::detail

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// runLstmStep: runs the work items of one LstmKernel step on the calling thread and, when
// it is free, one persistent helper thread (process-wide, started at the first step,
// asleep on a futex when idle). Items are claimed from both ends of an atomic range
// (the caller from the front, the helper from the back), so the caller never waits for
// the helper to wake up: a late or busy helper just takes fewer items (a loaded machine
// degrades to one thread, not to waiting). Phase p + 1 starts after every item of phase
// p is done. Results do not depend on who ran an item.
// An "ahead" job is posted for the helper alone and collected later (LstmKernel computes
// the next step's recurrent products while its caller samples): the team stays taken until
// the caller collects it or the helper has run it all.
// Any thread; a second thread stepping at the same time runs its items alone.
// Internal to engine/keras.
//
//   LstmStepWork work{&runItems, &context, /*phaseCount=*/2, {16, 8}, /*halves=*/false};
//   runLstmStep(work, /*threads=*/2);
//   uint32_t ticket = postLstmAhead(aheadWork, owner);   // 0: not posted (run it yourself)
//   ... finishLstmAhead(ticket, aheadWork);              // runs what is left, waits for the rest

#include <array>
#include <cstdint>
#include <memory>

namespace melodist::engine::detail {

constexpr int kMaxStepPhases = 16;

struct LstmStepWork {
    // Runs items [first, end) of a phase; worker: 0 on the calling thread, 1 on the helper
    // (each has its own scratch).
    void (*runItems)(const void* context, int phase, int first, int end, int worker) = nullptr;
    const void* context = nullptr;
    int phaseCount = 0;  // at most kMaxStepPhases
    std::array<int, kMaxStepPhases> itemCounts{};
    // false: the caller claims one item at a time (it can take over a late helper's share
    // item by item); true: it claims half of what is left, as the helper always does
    // (items that are cheaper run together: row groups sharing a pass over the weights).
    bool halves = false;
};

// threads: 1 = on the calling thread only; 2 = with the helper when it is free.
void runLstmStep(const LstmStepWork& work, int threads);

// Posts one-phase `work` for the helper to run while the caller does other things;
// keepAlive owns what the work touches (the caller may drop its state meanwhile). Returns a
// ticket, or 0 when the helper is busy with another thread's work or absent.
uint32_t postLstmAhead(const LstmStepWork& work, std::shared_ptr<void> keepAlive);
// Runs, on the calling thread, the items of the posted work the helper has not taken, and
// waits for the ones it has. `work` must be the one posted with `ticket`; 0 does nothing.
void finishLstmAhead(uint32_t ticket, const LstmStepWork& work);

}  // namespace melodist::engine::detail

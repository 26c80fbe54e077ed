// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LoopScheduler: keeps a loop region of a Player's score sounding by queueing its notes
// on FluidSynth's sequencer one pass ahead of the audio. Internal to melodist_engine_audio.
//
// Threads: start() and stop() are called on the Player's control thread. Between them a
// plain worker thread of its own polls the sequencer's tick (the audio rendered) every
// 10 ms and, when a pass has begun, queues the next one at absolute ticks, so the jump
// from the loop end back to its start is sample-clock exact whatever the polling jitter.
// The audio thread only renders what is queued: it never runs any of this code.
// The queue calls take FluidSynth's sequencer mutex briefly, as Player::play() does.
// Owned by Player::Impl, destroyed (worker joined) before the sequencer.

#include <fluidsynth.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace melodist::engine {

// One note of the loop, in milliseconds from the loop's start; offMs <= the loop's length.
struct LoopNote {
    int channel = 0;
    int pitch = 60;
    int velocity = 100;
    unsigned int onMs = 0;
    unsigned int offMs = 1;
};

class LoopScheduler {
public:
    LoopScheduler(fluid_sequencer_t* sequencer, fluid_seq_id_t destination);
    ~LoopScheduler();  // stop()
    LoopScheduler(const LoopScheduler&) = delete;
    LoopScheduler& operator=(const LoopScheduler&) = delete;

    // Starts the worker: pass 1 begins at sequencer tick `firstPassTick`, pass k at
    // firstPassTick + (k - 1) * lengthMs. What plays before pass 1 is the caller's.
    void start(std::vector<LoopNote> notes, unsigned int firstPassTick, unsigned int lengthMs);
    // Joins the worker; the events it queued stay queued (the caller removes them).
    void stop();
    // Passes queued so far (1 after start, then one more as each pass begins).
    unsigned int passesQueued() const { return m_passesQueued.load(std::memory_order_relaxed); }

private:
    void run();  // the worker thread
    void queuePass(fluid_event_t* event, unsigned int passTick);

    fluid_sequencer_t* m_sequencer;
    fluid_seq_id_t m_destination;
    std::vector<LoopNote> m_notes;  // written by start() before the worker exists, then read-only
    unsigned int m_firstPassTick = 0;
    unsigned int m_lengthMs = 1;
    std::atomic<unsigned int> m_passesQueued{0};
    std::mutex m_mutex;  // only for the stop wake-up; never taken by the audio thread
    std::condition_variable m_wake;
    bool m_stopRequested = false;  // guarded by m_mutex
    std::thread m_worker;
};

}  // namespace melodist::engine

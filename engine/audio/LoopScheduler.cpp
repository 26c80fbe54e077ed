// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/audio/LoopScheduler.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace melodist::engine {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(10);
// Passes are queued at least this far ahead of the audio, so a very short loop (or a
// worker descheduled for a while) never lets the sound run dry.
constexpr unsigned int kMinLeadMs = 250;

}  // namespace

LoopScheduler::LoopScheduler(fluid_sequencer_t* sequencer, fluid_seq_id_t destination)
    : m_sequencer(sequencer), m_destination(destination) {}

LoopScheduler::~LoopScheduler() { stop(); }

void LoopScheduler::start(std::vector<LoopNote> notes, unsigned int firstPassTick, unsigned int lengthMs) {
    stop();
    m_notes = std::move(notes);
    m_firstPassTick = firstPassTick;
    m_lengthMs = std::max(lengthMs, 1u);
    m_passesQueued.store(0, std::memory_order_relaxed);
    {
        std::lock_guard lock(m_mutex);
        m_stopRequested = false;
    }
    m_worker = std::thread(&LoopScheduler::run, this);
}

void LoopScheduler::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopRequested = true;
    }
    m_wake.notify_all();
    if (m_worker.joinable()) m_worker.join();
}

void LoopScheduler::queuePass(fluid_event_t* event, unsigned int passTick) {
    for (const LoopNote& note : m_notes) {
        // Note-offs first: the sequencer sends them before note-ons due at the same tick,
        // so a note ending at the loop end is released before the next pass restarts it.
        fluid_event_noteoff(event, note.channel, static_cast<short>(note.pitch));
        fluid_sequencer_send_at(m_sequencer, event, passTick + note.offMs, /*absolute=*/1);
        fluid_event_noteon(event, note.channel, static_cast<short>(note.pitch), static_cast<short>(note.velocity));
        fluid_sequencer_send_at(m_sequencer, event, passTick + note.onMs, /*absolute=*/1);
    }
}

// the loop's worker thread: may allocate and wait, never touches the audio callback
void LoopScheduler::run() {
    fluid_event_t* event = new_fluid_event();
    if (!event) return;  // out of memory: the loop plays once, as without a loop
    fluid_event_set_source(event, -1);
    fluid_event_set_dest(event, m_destination);
    std::unique_lock lock(m_mutex);
    while (!m_stopRequested) {
        const unsigned int tick = fluid_sequencer_get_tick(m_sequencer);
        const unsigned int lead = std::max(m_lengthMs, kMinLeadMs);
        unsigned int queued = m_passesQueued.load(std::memory_order_relaxed);
        // Keep the next pass queued before the current one ends (tick + lead covers it).
        while (m_firstPassTick + queued * m_lengthMs <= tick + lead) {
            queuePass(event, m_firstPassTick + queued * m_lengthMs);
            m_passesQueued.store(++queued, std::memory_order_relaxed);
        }
        m_wake.wait_for(lock, kPollInterval, [this] { return m_stopRequested; });
    }
    delete_fluid_event(event);
}

}  // namespace melodist::engine

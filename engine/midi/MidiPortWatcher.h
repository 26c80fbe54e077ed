// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MidiPortWatcher: notices MIDI input ports appearing and disappearing (a keyboard
// plugged in, a program opening its output). RtMidi has no hot-plug notification, so a
// worker thread of its own lists the input ports every `interval` and reports the
// difference. Part of melodist_engine_midi.
//
// Threads: open() and the destructor/stop() on one normal thread, which owns the watcher.
// `onChanged` runs on the watcher's worker thread (never the MIDI or audio thread): a UI
// hops back to its own thread from there (queued connection). stop() sets an atomic flag
// and joins the worker: no callback runs after it returns.
//
//   auto watcher = MidiPortWatcher::open({}, [](const MidiPortChange& change) { ... });
//   if (!watcher) { report(watcher.error()); return; }    // "no MIDI input available: ..."
//   (*watcher)->initialPorts();                             // the list the changes start from

#include "engine/core/Result.h"
#include "engine/midi/MidiInfo.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

class RtMidiIn;

namespace melodist::engine {

struct MidiPortChange {
    std::vector<std::string> added;    // sorted input port names new since the last poll
    std::vector<std::string> removed;  // sorted names gone since the last poll
    std::vector<std::string> ports;    // every input port after the change, sorted: a UI can show it as is
};

struct MidiPortWatcherOptions {
    MidiApi api = MidiApi::Auto;
    std::chrono::milliseconds interval{500};   // between polls, 10..60000 ms
    std::string clientName = "melodist-watch";  // the ALSA / JACK client that lists the ports
};

class MidiPortWatcher {
public:
    // called on the watcher's worker thread, once per poll that saw a difference
    using ChangedCallback = std::function<void(const MidiPortChange& change)>;

    // Lists the ports once (initialPorts()), then starts the worker.
    [[nodiscard]] static Result<std::unique_ptr<MidiPortWatcher>> open(const MidiPortWatcherOptions& options,
                                                                        ChangedCallback onChanged);
    ~MidiPortWatcher();  // stop()
    MidiPortWatcher(const MidiPortWatcher&) = delete;
    MidiPortWatcher& operator=(const MidiPortWatcher&) = delete;

    void stop();  // sets the stop flag and joins the worker (within one 10 ms slice)
    const std::vector<std::string>& initialPorts() const { return m_initialPorts; }  // sorted
    MidiApi api() const { return m_api; }

private:
    MidiPortWatcher() = default;
    void run();  // the worker thread
    std::vector<std::string> listPorts();  // sorted; on the worker (or in open(), before it starts)

    std::unique_ptr<RtMidiIn> m_input;  // used by open(), then by the worker only
    ChangedCallback m_onChanged;
    std::chrono::milliseconds m_interval{500};
    std::vector<std::string> m_initialPorts;
    MidiApi m_api = MidiApi::Auto;
    std::atomic<bool> m_stopRequested{false};
    std::thread m_worker;
};

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/midi/MidiPortWatcher.h"

#include <rtmidi/RtMidi.h>

#include <algorithm>
#include <iterator>
#include <utility>

namespace melodist::engine {
namespace {

constexpr auto kStopSlice = std::chrono::milliseconds(10);

void collectWarning(RtMidiError::Type, const std::string& message, void* sink) {
    *static_cast<std::string*>(sink) = message;
}

std::vector<std::string> difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::string> result;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(result));
    return result;
}

}  // namespace

Result<std::unique_ptr<MidiPortWatcher>> MidiPortWatcher::open(const MidiPortWatcherOptions& options,
                                                              ChangedCallback onChanged) {
    if (options.interval < std::chrono::milliseconds(10) || options.interval > std::chrono::milliseconds(60000))
        return makeError("port watch interval " + std::to_string(options.interval.count()) +
                         " ms is out of range: use 10..60000");
    const Result<MidiApi> api = chooseMidiApi(options.api);
    if (!api) return makeError(api.error());
    std::string warning;
    std::unique_ptr<MidiPortWatcher> watcher(new MidiPortWatcher());
    watcher->m_api = *api;
    watcher->m_interval = options.interval;
    watcher->m_onChanged = std::move(onChanged);
    try {
        watcher->m_input = std::make_unique<RtMidiIn>(*api == MidiApi::Jack ? RtMidi::UNIX_JACK : RtMidi::LINUX_ALSA,
                                                      options.clientName);
        watcher->m_input->setErrorCallback(&collectWarning, &warning);
        watcher->m_initialPorts = watcher->listPorts();  // connects to the server: warns when none runs
        if (!warning.empty())
            return makeError(std::string("no MIDI input available: ") + midiApiName(*api) + ": " + warning);
        watcher->m_input->setErrorCallback(nullptr, nullptr);  // the sink dies with this frame
    } catch (const RtMidiError& error) {
        return makeError(std::string("no MIDI input available: ") + midiApiName(*api) + ": " + error.getMessage());
    }
    watcher->m_worker = std::thread(&MidiPortWatcher::run, watcher.get());
    return watcher;
}

MidiPortWatcher::~MidiPortWatcher() {
    stop();
    m_input.reset();
}

void MidiPortWatcher::stop() {
    m_stopRequested.store(true, std::memory_order_relaxed);
    if (m_worker.joinable()) m_worker.join();
}

std::vector<std::string> MidiPortWatcher::listPorts() {
    std::vector<std::string> names;
    try {
        const unsigned int count = m_input->getPortCount();
        for (unsigned int i = 0; i < count; ++i) names.push_back(m_input->getPortName(i));
    } catch (const RtMidiError&) {
        // A port vanishing between the count and its name: the next poll sees the new list.
    }
    std::sort(names.begin(), names.end());
    return names;
}

// the watcher's worker thread: polls, diffs, calls onChanged; exits on the stop flag
void MidiPortWatcher::run() {
    std::vector<std::string> known = m_initialPorts;
    auto next = std::chrono::steady_clock::now() + m_interval;
    while (!m_stopRequested.load(std::memory_order_relaxed)) {
        if (std::chrono::steady_clock::now() < next) {
            std::this_thread::sleep_for(kStopSlice);
            continue;
        }
        next += m_interval;
        std::vector<std::string> now = listPorts();
        MidiPortChange change{difference(now, known), difference(known, now), {}};
        if (!change.added.empty() || !change.removed.empty()) {
            known = std::move(now);
            change.ports = known;
            if (m_onChanged) m_onChanged(change);
        }
    }
}

}  // namespace melodist::engine

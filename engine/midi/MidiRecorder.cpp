// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/midi/MidiRecorder.h"

#include "engine/core/SpscQueue.h"

#include <rtmidi/RtMidi.h>

#include <algorithm>
#include <cctype>

namespace melodist::engine {
namespace {

// One MIDI channel message as the callback saw it. Longer messages (SysEx) are
// ignored by RtMidi before they reach us (ignoreTypes), so three bytes suffice.
struct StampedMessage {
    std::int64_t nanoseconds = 0;  // since the recording started (steady clock)
    unsigned char bytes[3] = {0, 0, 0};
    unsigned char size = 0;
};

// 4096 messages: a minute of very dense playing even if drain() stalled for a while.
constexpr std::size_t kQueueCapacity = 4096;

// Keeps RtMidi's warnings (e.g. "JACK server not running?") instead of printing them.
void collectWarning(RtMidiError::Type, const std::string& message, void* sink) {
    *static_cast<std::string*>(sink) = message;
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace

struct MidiRecorder::Queue : SpscQueue<StampedMessage, kQueueCapacity> {};

MidiRecorder::MidiRecorder() : m_queue(std::make_unique<Queue>()) {}

MidiRecorder::~MidiRecorder() { m_input.reset(); }  // stops the callbacks before the queue goes

Result<std::unique_ptr<MidiRecorder>> MidiRecorder::open(const MidiRecorderOptions& options) {
    const Result<MidiApi> api = chooseMidiApi(options.api);
    if (!api) return makeError(api.error());
    const RtMidi::Api rtApi = *api == MidiApi::Jack ? RtMidi::UNIX_JACK : RtMidi::LINUX_ALSA;

    std::string warning;  // declared first: the recorder, destroyed before it, may still warn into it
    std::unique_ptr<MidiRecorder> recorder(new MidiRecorder());
    recorder->m_api = *api;
    recorder->m_thru = options.thru;
    recorder->m_thruContext = options.thruContext;
    try {
        recorder->m_input = std::make_unique<RtMidiIn>(rtApi, options.clientName);
        RtMidiIn& input = *recorder->m_input;
        input.setErrorCallback(&collectWarning, &warning);
        const unsigned int count = input.getPortCount();  // connects to the server: warns when none runs
        if (!warning.empty())
            return makeError(std::string("no MIDI input available: ") + midiApiName(*api) + ": " + warning);
        input.ignoreTypes(/*midiSysex=*/true, /*midiTime=*/true, /*midiSense=*/true);
        input.setCallback(&MidiRecorder::onMessage, recorder.get());
        recorder->m_start = std::chrono::steady_clock::now();
        if (options.portName.empty()) {
            input.openVirtualPort("in");
            recorder->m_portDescription = options.clientName + ":in (virtual " + midiApiName(*api) + " port)";
        } else {
            std::vector<std::string> names;
            for (unsigned int i = 0; i < count; ++i) names.push_back(input.getPortName(i));
            const auto match = std::find_if(names.begin(), names.end(), [&](const std::string& name) {
                return lowercase(name).find(lowercase(options.portName)) != std::string::npos;
            });
            if (match == names.end()) {
                std::string known;
                for (const std::string& name : names) known += (known.empty() ? "" : ", ") + name;
                return makeError("no " + std::string(midiApiName(*api)) + " MIDI input port matches '" +
                                 options.portName + "'; the ports are: " + (known.empty() ? "none" : known));
            }
            input.openPort(static_cast<unsigned int>(match - names.begin()), "in");
            recorder->m_portDescription = *match + " (" + midiApiName(*api) + ")";
        }
        if (!warning.empty()) return makeError(std::string(midiApiName(*api)) + ": cannot open the MIDI input: " + warning);
    } catch (const RtMidiError& error) {
        return makeError(std::string("no MIDI input available: ") + midiApiName(*api) + ": " + error.getMessage());
    }
    // From here on RtMidi reports through its exceptions only; the warning sink dies with this frame.
    recorder->m_input->setErrorCallback(nullptr, nullptr);
    return recorder;
}

double MidiRecorder::elapsedSeconds() const {
    if (m_stopSeconds >= 0) return m_stopSeconds;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

// called on the MIDI thread: no locks, no allocation, no logging
void MidiRecorder::onMessage(double /*deltaSeconds*/, std::vector<unsigned char>* message, void* self) {
    auto* recorder = static_cast<MidiRecorder*>(self);
    // Thru first: the player hears the note before we spend anything on recording it.
    if (recorder->m_thru) recorder->m_thru(message->data(), message->size(), recorder->m_thruContext);
    // Stamped on arrival: RtMidi's JACK deltas are also taken when the process cycle
    // runs, and the steady clock needs no running sum that one lost message would skew.
    const auto now = std::chrono::steady_clock::now();
    StampedMessage stamped;
    stamped.nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(now - recorder->m_start).count();
    const std::size_t size = std::min<std::size_t>(message->size(), sizeof stamped.bytes);
    for (std::size_t i = 0; i < size; ++i) stamped.bytes[i] = (*message)[i];
    stamped.size = static_cast<unsigned char>(size);
    if (!recorder->m_queue->tryPush(stamped)) recorder->m_dropped.fetch_add(1, std::memory_order_relaxed);
}

void MidiRecorder::drain() {
    StampedMessage stamped;
    while (m_queue->tryPop(stamped)) {
        ++m_received;
        m_assembler.addMessage(static_cast<double>(stamped.nanoseconds) * 1e-9, stamped.bytes, stamped.size);
    }
}

std::vector<TimedNote> MidiRecorder::stop() {
    if (m_stopSeconds < 0) {
        m_stopSeconds = elapsedSeconds();
        m_input.reset();  // closes the port and the client: the MIDI thread is gone after this
        drain();
        m_assembler.endHeldNotes(m_stopSeconds);
    }
    return m_assembler.notes();
}

}  // namespace melodist::engine

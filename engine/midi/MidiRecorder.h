// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MidiRecorder: records what a MIDI keyboard (or another program) plays into notes in
// seconds. It opens one RtMidi input, on ALSA or JACK: a port chosen by a part of its
// name, or, without a name, a virtual input port "melodist:in" that other programs
// connect to. Part of melodist_engine_midi.
//
// Threads: the RtMidi callback (the MIDI thread: RtMidi's ALSA thread or the JACK
// process thread) only stamps each message with the steady clock and pushes it into a
// preallocated SpscQueue -- it never locks, allocates or blocks; when the queue is full
// it counts the message as dropped. With a thru function set (MidiRecorderOptions::thru)
// it first hands the message to it, on that same thread. Everything else (open, drain, stop) is called on
// one normal thread, which owns the recorder.
//
//   Result<std::unique_ptr<MidiRecorder>> recorder = MidiRecorder::open({.api = MidiApi::Jack});
//   if (!recorder) { report(recorder.error()); return; }   // "no MIDI input available: ..."
//   while (recording) { (*recorder)->drain(); sleep(50 ms); }  // keeps the queue short
//   std::vector<TimedNote> notes = (*recorder)->stop();         // held notes end here

#include "engine/core/Result.h"
#include "engine/midi/MidiInfo.h"
#include "engine/music/NoteAssembler.h"
#include "engine/music/TimedNote.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

class RtMidiIn;

namespace melodist::engine {

// Called on the MIDI thread with each message as it arrives, before it is queued (MIDI
// thru: e.g. to a Player's noteOn/noteOff). It must not block, lock, allocate or log.
using MidiThruFunction = void (*)(const unsigned char* bytes, std::size_t size, void* context);

struct MidiRecorderOptions {
    std::string portName;                // part of an input port's name (any case); empty: a virtual port
    MidiApi api = MidiApi::Auto;
    std::string clientName = "melodist";  // the ALSA / JACK client name
    MidiThruFunction thru = nullptr;     // optional; called on the MIDI thread
    void* thruContext = nullptr;         // passed to `thru`; must outlive the recorder's input (stop())
};

class MidiRecorder {
public:
    // Opens the input and starts recording at once (time 0 is now).
    static Result<std::unique_ptr<MidiRecorder>> open(const MidiRecorderOptions& options);
    ~MidiRecorder();
    MidiRecorder(const MidiRecorder&) = delete;
    MidiRecorder& operator=(const MidiRecorder&) = delete;

    // What was opened, e.g. "melodist:in (virtual JACK port)".
    const std::string& portDescription() const { return m_portDescription; }
    MidiApi api() const { return m_api; }
    // Seconds since recording started.
    double elapsedSeconds() const;
    // Moves the queued messages into notes. Call every few tens of milliseconds.
    void drain();
    // Closes the input (no callback runs after it returns), drains, ends held notes
    // now, and returns every note, sorted by onset. Calling it again returns the same.
    std::vector<TimedNote> stop();
    // Messages lost because the queue was full (drain was not called often enough).
    std::uint64_t droppedMessages() const { return m_dropped.load(std::memory_order_relaxed); }
    std::uint64_t receivedMessages() const { return m_received; }

private:
    struct Queue;  // SpscQueue<StampedMessage, N>, defined in the .cpp

    MidiRecorder();
    // called on the MIDI thread
    static void onMessage(double deltaSeconds, std::vector<unsigned char>* message, void* self);

    std::unique_ptr<Queue> m_queue;     // declared before m_input: destroyed after it
    std::unique_ptr<RtMidiIn> m_input;  // null once stopped
    NoteAssembler m_assembler;
    std::chrono::steady_clock::time_point m_start;
    std::atomic<std::uint64_t> m_dropped{0};
    std::uint64_t m_received = 0;
    std::string m_portDescription;
    MidiApi m_api = MidiApi::Auto;
    MidiThruFunction m_thru = nullptr;  // set before the input opens, read on the MIDI thread
    void* m_thruContext = nullptr;
    double m_stopSeconds = -1;  // >= 0 once stopped
};

}  // namespace melodist::engine

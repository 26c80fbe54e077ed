// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// NoteAssembler: turns a stream of timed MIDI channel messages (what a keyboard sends)
// into notes with onsets, durations and velocities. Note-on with velocity 0 is a
// note-off; a re-struck key (two note-ons of one pitch and channel before the
// note-offs) is paired first-in first-out, as engine/io/MidiFile.h does; a note-off with
// nothing sounding is ignored; endHeldNotes() ends what is still held (the recording
// stopped). Used by MidiRecorder::drain on a normal thread (never the MIDI callback:
// it allocates). Owned by its user; not thread-safe.
//
//   NoteAssembler assembler;
//   assembler.addMessage(0.50, bytes, 3);      // 0x90 60 100: C4 on at 0.5 s
//   assembler.addMessage(0.75, bytes2, 3);     // 0x80 60 0:   C4 off at 0.75 s
//   assembler.endHeldNotes(/*stopSeconds=*/3.0);
//   std::vector<TimedNote> notes = assembler.notes();  // {60, 0.5 s, 0.25 s, vel 100}

#include "engine/music/TimedNote.h"

#include <cstddef>
#include <vector>

namespace melodist::engine {

class NoteAssembler {
public:
    // One MIDI message (status byte first). Anything but note-on/off is ignored.
    void addMessage(double timeSeconds, const unsigned char* bytes, std::size_t size);
    // Ends every held note at `stopSeconds` (or at its onset, if that is later).
    void endHeldNotes(double stopSeconds);

    // Finished notes, sorted by onset, then pitch.
    std::vector<TimedNote> notes() const;
    std::size_t heldCount() const { return m_held.size(); }
    std::size_t ignoredNoteOffs() const { return m_ignoredNoteOffs; }

private:
    void finish(std::size_t heldIndex, double endSeconds);

    std::vector<TimedNote> m_finished;
    std::vector<TimedNote> m_held;  // in note-on order: the FIFO pairing scans from the front
    std::size_t m_ignoredNoteOffs = 0;
};

}  // namespace melodist::engine

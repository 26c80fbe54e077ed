// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/music/NoteAssembler.h"

#include <algorithm>
#include <tuple>

namespace melodist::engine {
namespace {

constexpr unsigned char kNoteOff = 0x80;
constexpr unsigned char kNoteOn = 0x90;

}  // namespace

void NoteAssembler::addMessage(double timeSeconds, const unsigned char* bytes, std::size_t size) {
    if (size < 3) return;
    const unsigned char kind = bytes[0] & 0xF0;
    if (kind != kNoteOn && kind != kNoteOff) return;
    const int channel = bytes[0] & 0x0F;
    const int pitch = bytes[1] & 0x7F;
    const int velocity = bytes[2] & 0x7F;
    if (kind == kNoteOn && velocity > 0) {
        m_held.push_back(TimedNote{pitch, timeSeconds, 0.0, velocity, channel});
        return;
    }
    const auto held = std::find_if(m_held.begin(), m_held.end(), [&](const TimedNote& note) {
        return note.pitch == pitch && note.channel == channel;
    });
    if (held == m_held.end()) {
        ++m_ignoredNoteOffs;
        return;
    }
    finish(static_cast<std::size_t>(held - m_held.begin()), timeSeconds);
}

void NoteAssembler::endHeldNotes(double stopSeconds) {
    while (!m_held.empty()) finish(0, stopSeconds);
}

std::vector<TimedNote> NoteAssembler::notes() const {
    std::vector<TimedNote> sorted = m_finished;
    std::stable_sort(sorted.begin(), sorted.end(), [](const TimedNote& a, const TimedNote& b) {
        return std::tie(a.onsetSeconds, a.pitch) < std::tie(b.onsetSeconds, b.pitch);
    });
    return sorted;
}

void NoteAssembler::finish(std::size_t heldIndex, double endSeconds) {
    TimedNote note = m_held[heldIndex];
    note.durationSeconds = std::max(0.0, endSeconds - note.onsetSeconds);
    m_held.erase(m_held.begin() + static_cast<std::ptrdiff_t>(heldIndex));
    m_finished.push_back(note);
}

}  // namespace melodist::engine

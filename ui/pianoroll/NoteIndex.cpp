// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/NoteIndex.h"

namespace melodist::ui {

void NoteIndex::rebuild(const std::map<NoteId, engine::ProjectNote>& notes) {
    m_notes.clear();
    m_notes.reserve(notes.size());
    m_maxDuration = 0;
    for (const auto& [id, projectNote] : notes) {
        const engine::Note& note = projectNote.note;
        const double onset = note.onset.toDouble();
        const double end = note.end().toDouble();
        m_notes.push_back({onset, end, id, note.pitch, note.velocity, projectNote.generated});
        m_maxDuration = std::max(m_maxDuration, end - onset);
    }
    std::sort(m_notes.begin(), m_notes.end(), [](const IndexedNote& a, const IndexedNote& b) {
        if (a.onset != b.onset) return a.onset < b.onset;
        if (a.pitch != b.pitch) return a.pitch < b.pitch;
        return a.id < b.id;
    });
}

std::optional<NoteId> NoteIndex::noteAt(double quarters, int pitch) const {
    std::optional<NoteId> hit;
    // Half-open in time: a click exactly on a note's end belongs to the note after it.
    forEachInTime(quarters, quarters, [&](const IndexedNote& n) {
        if (n.pitch == pitch && n.onset <= quarters && quarters < n.end) hit = n.id;
    });
    // forEachInTime(q, q) stops at onset < q: a click exactly on an onset needs one more look.
    auto it = std::lower_bound(m_notes.begin(), m_notes.end(), quarters,
                               [](const IndexedNote& n, double t) { return n.onset < t; });
    for (; it != m_notes.end() && it->onset == quarters; ++it)
        if (it->pitch == pitch) hit = it->id;
    return hit;
}

}  // namespace melodist::ui

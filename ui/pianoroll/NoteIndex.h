// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// NoteIndex: the document's notes sorted by onset, as doubles, so painting and hit
// testing visit only the notes overlapping a time window (a binary search on the onset,
// widened by the longest duration) instead of all of them. Rebuilt by the piano roll
// when the document's notes change. UI thread; owned by PianoRollView.
//
//   index.rebuild(document->notes());
//   index.forEachInTime(t0, t1, [&](const IndexedNote& n) { draw(n); });  // onset order
//   std::optional<NoteId> hit = index.noteAt(quarters, pitch);

#include "ui/document/ProjectDocument.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

namespace melodist::ui {

struct IndexedNote {
    double onset = 0;  // quarter notes
    double end = 0;
    NoteId id = 0;
    int pitch = 0;
    int velocity = 0;
    bool generated = false;
};

class NoteIndex {
public:
    void rebuild(const std::map<NoteId, engine::ProjectNote>& notes);

    // Every note with onset < to and end > from, in onset order (later notes paint on top).
    template <class Visit>
    void forEachInTime(double from, double to, Visit&& visit) const {
        auto it = std::lower_bound(m_notes.begin(), m_notes.end(), from - m_maxDuration,
                                   [](const IndexedNote& n, double t) { return n.onset < t; });
        for (; it != m_notes.end() && it->onset < to; ++it)
            if (it->end > from) visit(*it);
    }
    // The topmost note (the last painted) of `pitch` sounding at `quarters`.
    std::optional<NoteId> noteAt(double quarters, int pitch) const;

    std::size_t size() const { return m_notes.size(); }
    bool empty() const { return m_notes.empty(); }

private:
    std::vector<IndexedNote> m_notes;  // by onset, then pitch, then id
    double m_maxDuration = 0;
};

}  // namespace melodist::ui

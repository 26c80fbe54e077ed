// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/music/Score.h"

#include <algorithm>

namespace melodist::engine {

std::optional<Key> Score::declaredKey() const {
    for (const KeyChange& change : keys)
        if (change.declared && change.onset.isZero()) return change.key;
    for (const KeyChange& change : keys)
        if (change.declared) return change.key;
    return std::nullopt;
}

Rational Score::endTime() const {
    Rational end;
    for (const Part& part : parts) {
        for (const Note& note : part.notes) end = std::max(end, note.end());
        for (const Rest& rest : part.rests) end = std::max(end, rest.end());
    }
    return end;
}

size_t Score::noteCount() const {
    size_t count = 0;
    for (const Part& part : parts) count += part.notes.size();
    return count;
}

void Score::sort() {
    for (Part& part : parts) {
        std::stable_sort(part.notes.begin(), part.notes.end(), [](const Note& a, const Note& b) {
            return a.onset < b.onset || (a.onset == b.onset && a.pitch < b.pitch);
        });
        std::stable_sort(part.rests.begin(), part.rests.end(),
                         [](const Rest& a, const Rest& b) { return a.onset < b.onset; });
    }
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/audio/Articulation.h"

#include "engine/audio/OfflineRenderer.h"
#include "engine/audio/SynthChannels.h"

#include <algorithm>
#include <array>

namespace melodist::engine {

std::optional<Articulation> parseArticulation(std::string_view name) {
    if (name == "normal") return Articulation::Normal;
    if (name == "legato") return Articulation::Legato;
    if (name == "staccato") return Articulation::Staccato;
    return std::nullopt;
}

const char* articulationName(Articulation articulation) {
    switch (articulation) {
    case Articulation::Normal: return "normal";
    case Articulation::Legato: return "legato";
    case Articulation::Staccato: return "staccato";
    }
    return "normal";
}

std::vector<SoundingNote> soundingNotes(const Score& score, double tempoBpm, Articulation articulation,
                                        size_t maxParts) {
    std::vector<SoundingNote> result;
    const auto seconds = [&](Rational time) { return scoreTimeToSeconds(score, time, tempoBpm); };
    const size_t partCount = std::min(score.parts.size(), maxParts);
    for (size_t part = 0; part < partCount; ++part) {
        std::vector<const Note*> notes;
        for (const Note& note : score.parts[part].notes)
            if (note.pitch >= 0 && note.pitch <= 127 && !(note.onset < Rational(0))) notes.push_back(&note);
        std::stable_sort(notes.begin(), notes.end(), [](const Note* a, const Note* b) { return a->onset < b->onset; });
        // The part's onsets, and each pitch's, in order (sorted because the notes are).
        std::vector<Rational> onsets;
        std::array<std::vector<Rational>, 128> onsetsOfPitch;
        for (const Note* note : notes) {
            onsets.push_back(note->onset);
            onsetsOfPitch[size_t(note->pitch)].push_back(note->onset);
        }

        const int channel = channelForPart(static_cast<int>(part));
        for (const Note* note : notes) {
            Rational end = note->end();
            const auto& samePitch = onsetsOfPitch[size_t(note->pitch)];
            if (auto later = std::upper_bound(samePitch.begin(), samePitch.end(), note->onset);
                later != samePitch.end() && *later < end)
                end = *later;
            const double on = seconds(note->onset);
            double off = std::max(on, seconds(end));
            switch (articulation) {
            case Articulation::Legato: break;
            case Articulation::Staccato: off = on + (off - on) / 2; break;
            case Articulation::Normal:
                // The first onset at or after the end: a note starting under this one (a chord
                // tone, a second voice) does not count; one starting right after it does.
                if (auto next = std::lower_bound(onsets.begin(), onsets.end(), end); next != onsets.end()) {
                    const double nextSeconds = seconds(*next);
                    if (nextSeconds - off < kNormalGapSeconds)
                        off = std::max(std::min(off, nextSeconds - kNormalGapSeconds), on + (off - on) / 2);
                }
                break;
            }
            result.push_back({static_cast<int>(part), channel, note->pitch, std::clamp(note->velocity, 1, 127),
                              note->onset, on, off});
        }
    }
    return result;
}

}  // namespace melodist::engine

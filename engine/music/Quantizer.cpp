// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/music/Quantizer.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace melodist::engine {

Quantizer::Quantizer(QuantizeOptions options) : m_options(options) {
    // Guard against nonsense rather than divide by zero; the CLI and UI validate first.
    if (!(m_options.tempoBpm > 0)) m_options.tempoBpm = 120.0;
    if (!(m_options.grid > Rational(0))) m_options.grid = Rational(1, 4);
    m_options.strength = std::clamp(m_options.strength, 0.0, 1.0);
}

double Quantizer::toQuarters(double seconds) const {
    return (seconds - m_options.originSeconds) * m_options.tempoBpm / 60.0;
}

Rational Quantizer::blend(Rational snapped, double raw) const {
    const double leftOver = (1.0 - m_options.strength) * (raw - snapped.toDouble());
    return snapped + Rational(std::llround(leftOver * kFineTicksPerQuarter), kFineTicksPerQuarter);
}

Rational Quantizer::quantizeOnset(double seconds) const {
    const double quarters = toQuarters(seconds);
    const int64_t steps = std::llround(quarters / m_options.grid.toDouble());
    return blend(m_options.grid * steps, quarters);
}

Rational Quantizer::quantizeDuration(double seconds) const {
    const double quarters = seconds * m_options.tempoBpm / 60.0;
    const int64_t steps = std::max<int64_t>(1, std::llround(quarters / m_options.grid.toDouble()));
    return std::max(blend(m_options.grid * steps, quarters), m_options.grid);
}

double Quantizer::gridOffsetSeconds(double seconds) const {
    const double quarters = toQuarters(seconds);
    const double grid = m_options.grid.toDouble();
    const double nearest = std::round(quarters / grid) * grid;
    return (quarters - nearest) * 60.0 / m_options.tempoBpm;
}

std::vector<Note> Quantizer::quantize(const std::vector<TimedNote>& played) const {
    std::vector<Note> notes;
    notes.reserve(played.size());
    for (const TimedNote& p : played) {
        Note note;
        note.pitch = p.pitch;
        note.onset = std::max(quantizeOnset(p.onsetSeconds), Rational(0));
        note.duration = quantizeDuration(p.durationSeconds);
        note.velocity = std::clamp(p.velocity, 1, 127);
        notes.push_back(note);
    }
    std::stable_sort(notes.begin(), notes.end(),
                     [](const Note& a, const Note& b) { return std::tie(a.onset, a.pitch) < std::tie(b.onset, b.pitch); });
    return notes;
}

}  // namespace melodist::engine

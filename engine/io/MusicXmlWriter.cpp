// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/io/MusicXmlWriter.h"

#include "engine/core/FileIO.h"
#include "engine/io/MusicXmlLayout.h"
#include "engine/io/PitchSpelling.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

namespace melodist::engine {
namespace {

constexpr int64_t kMaxDivisions = 1'000'000;
constexpr int64_t kFallbackDivisions = 10080;  // 2^5 * 3^2 * 5 * 7: the common tuplets

// Everything the XML is made from: the score's measures laid out per part.
struct Layout {
    std::vector<Part> parts;
    std::vector<std::vector<WrittenMeasure>> measures;  // per part
    std::vector<WrittenMarker> tempos;                   // first part only
    std::vector<WrittenMarker> keys;                     // every part
    int64_t divisions = 1;
};

int keyFifths(const KeyChange& change) {
    return change.fifths != 0 ? std::clamp(change.fifths, -7, 7) : fifthsForKey(change.key);
}

void includeTime(int64_t& divisions, bool& tooFine, Rational time) {
    if (tooFine) return;
    const int64_t next = std::lcm(divisions, time.den());
    if (next > kMaxDivisions || next <= 0) tooFine = true;
    else divisions = next;
}

Layout makeLayout(const Score& score) {
    Layout layout;
    layout.parts = score.parts;
    if (layout.parts.empty()) layout.parts.push_back(Part{.name = "", .program = 0, .channel = 0, .notes = {}, .rests = {}});
    Rational end = score.endTime();
    for (const TempoChange& tempo : score.tempos)
        if (tempo.onset >= Rational(0) && tempo.onset < end && std::isfinite(tempo.bpm) && tempo.bpm > 0 && tempo.bpm < 10000)
            layout.tempos.push_back({tempo.onset, tempo.bpm, std::nullopt});
    for (const KeyChange& key : score.keys)
        if (key.onset >= Rational(0) && (key.onset < end || key.onset.isZero())) layout.keys.push_back({key.onset, std::nullopt, key});
    const auto byOnset = [](const WrittenMarker& a, const WrittenMarker& b) { return a.onset < b.onset; };
    std::stable_sort(layout.tempos.begin(), layout.tempos.end(), byOnset);
    std::stable_sort(layout.keys.begin(), layout.keys.end(), byOnset);

    const std::vector<WrittenMeasure> measures = layoutMeasures(score, end);
    bool tooFine = false;
    for (size_t p = 0; p < layout.parts.size(); ++p) {
        std::vector<Rational> cuts;
        for (const WrittenMarker& key : layout.keys) cuts.push_back(key.onset);
        if (p == 0)
            for (const WrittenMarker& tempo : layout.tempos) cuts.push_back(tempo.onset);
        layout.measures.push_back(measures);
        layoutPart(layout.parts[p], cuts, layout.measures.back());
        for (const WrittenMeasure& measure : layout.measures.back()) {
            includeTime(layout.divisions, tooFine, measure.start);
            includeTime(layout.divisions, tooFine, measure.length);
            for (const auto& voice : measure.voices)
                for (const WrittenNote& note : voice) {
                    includeTime(layout.divisions, tooFine, note.start);
                    includeTime(layout.divisions, tooFine, note.duration);
                }
        }
    }
    if (tooFine) layout.divisions = kFallbackDivisions;
    return layout;
}

std::string formatNumber(double value) {
    char text[32];
    if (std::floor(value) == value && std::abs(value) < 1e15) std::snprintf(text, sizeof text, "%.0f", value);
    else std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

// Control characters are not allowed in XML 1.0; titles from MIDI files may have them.
std::string cleanText(const std::string& text) {
    std::string clean;
    for (const char c : text)
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') clean += c;
    return clean;
}

void addText(pugi::xml_node parent, const char* name, const std::string& text) {
    parent.append_child(name).text().set(text.c_str());
}

class PartWriter {
public:
    PartWriter(const Layout& layout, size_t partIndex, pugi::xml_node part)
        : m_layout(layout), m_partIndex(partIndex), m_part(part) {}

    void write() {
        const std::vector<WrittenMeasure>& measures = m_layout.measures[m_partIndex];
        for (size_t i = 0; i < measures.size(); ++i) writeMeasure(i, measures[i]);
    }

private:
    int64_t ticks(Rational time) const {
        return static_cast<int64_t>(std::llround((time * Rational(m_layout.divisions)).toDouble()));
    }
    int64_t length(Rational start, Rational duration) const { return ticks(start + duration) - ticks(start); }

    void writeKey(pugi::xml_node attributes, const KeyChange& change) {
        pugi::xml_node key = attributes.append_child("key");
        key.append_child("fifths").text().set(keyFifths(change));
        addText(key, "mode", change.key.mode == Mode::Minor ? "minor" : "major");
        m_fifths = keyFifths(change);
        m_mode = change.key.mode;
    }

    void writeTime(pugi::xml_node attributes, const MeterChange& meter) {
        pugi::xml_node time = attributes.append_child("time");
        if (meter.numerator <= 0 || meter.denominator <= 0 || meter.numerator > 1000 || meter.denominator > 1024) {
            time.append_child("senza-misura");
            return;
        }
        time.append_child("beats").text().set(meter.numerator);
        time.append_child("beat-type").text().set(meter.denominator);
    }

    void writeClef(pugi::xml_node attributes) {
        const std::vector<Note>& notes = m_layout.parts[m_partIndex].notes;
        double sum = 0;
        for (const Note& note : notes) sum += note.pitch;
        const bool bass = !notes.empty() && sum / static_cast<double>(notes.size()) < 60.0;
        pugi::xml_node clef = attributes.append_child("clef");
        addText(clef, "sign", bass ? "F" : "G");
        clef.append_child("line").text().set(bass ? 4 : 2);
    }

    void writeTempo(pugi::xml_node measure, double bpm) {
        pugi::xml_node direction = measure.append_child("direction");
        direction.append_attribute("placement") = "above";
        pugi::xml_node metronome = direction.append_child("direction-type").append_child("metronome");
        addText(metronome, "beat-unit", "quarter");
        addText(metronome, "per-minute", formatNumber(bpm));
        direction.append_child("sound").append_attribute("tempo") = formatNumber(bpm).c_str();
    }

    // Markers due at or before `time` that have not been written yet.
    void writeMarkers(pugi::xml_node measure, Rational time) {
        const bool firstPart = m_partIndex == 0;
        while (m_nextKey < m_layout.keys.size() && m_layout.keys[m_nextKey].onset <= time) {
            writeKey(measure.append_child("attributes"), *m_layout.keys[m_nextKey].key);
            ++m_nextKey;
        }
        while (firstPart && m_nextTempo < m_layout.tempos.size() && m_layout.tempos[m_nextTempo].onset <= time) {
            writeTempo(measure, *m_layout.tempos[m_nextTempo].bpm);
            ++m_nextTempo;
        }
    }

    void writeMeasure(size_t index, const WrittenMeasure& written) {
        pugi::xml_node measure = m_part.append_child("measure");
        measure.append_attribute("number") = static_cast<long long>(index + 1);
        // Keys due at the barline go into the measure's own attributes.
        const bool keyHere = m_nextKey < m_layout.keys.size() && m_layout.keys[m_nextKey].onset <= written.start;
        if (index == 0 || written.time || keyHere) {
            pugi::xml_node attributes = measure.append_child("attributes");
            if (index == 0) attributes.append_child("divisions").text().set(static_cast<long long>(m_layout.divisions));
            for (; m_nextKey < m_layout.keys.size() && m_layout.keys[m_nextKey].onset <= written.start; ++m_nextKey)
                if (m_nextKey + 1 == m_layout.keys.size() || m_layout.keys[m_nextKey + 1].onset > written.start)
                    writeKey(attributes, *m_layout.keys[m_nextKey].key);
            if (written.time) writeTime(attributes, *written.time);
            if (index == 0) writeClef(attributes);
        }
        for (size_t v = 0; v < written.voices.size(); ++v) {
            if (written.voices[v].empty()) continue;
            if (v > 0)
                measure.append_child("backup").append_child("duration").text().set(
                    static_cast<long long>(length(written.start, written.length)));
            for (const WrittenNote& note : written.voices[v]) {
                if (v == 0) writeMarkers(measure, note.start);
                writeNote(measure, note, static_cast<int>(v) + 1, written);
            }
        }
    }

    void writeNote(pugi::xml_node measure, const WrittenNote& written, int voice, const WrittenMeasure& inMeasure) {
        const size_t count = std::max<size_t>(1, written.pitches.size());
        for (size_t i = 0; i < count; ++i) {
            pugi::xml_node note = measure.append_child("note");
            const bool rest = written.pitches.empty();
            if (rest && written.invisible) note.append_attribute("print-object") = "no";
            if (!rest) note.append_attribute("dynamics") = formatNumber(written.pitches[i].second * 100.0 / 90.0).c_str();
            if (i > 0) note.append_child("chord");
            if (rest) {
                pugi::xml_node restNode = note.append_child("rest");
                if (written.type.empty()) restNode.append_attribute("measure") = "yes";
            } else {
                const SpelledPitch spelled = spellPitch(written.pitches[i].first, m_fifths, m_mode);
                pugi::xml_node pitch = note.append_child("pitch");
                addText(pitch, "step", std::string(1, spelled.step));
                if (spelled.alter != 0) pitch.append_child("alter").text().set(spelled.alter);
                pitch.append_child("octave").text().set(spelled.octave);
            }
            const int64_t duration =
                written.type.empty() ? length(inMeasure.start, inMeasure.length) : length(written.start, written.duration);
            note.append_child("duration").text().set(static_cast<long long>(duration));
            if (written.tieStop) note.append_child("tie").append_attribute("type") = "stop";
            if (written.tieStart) note.append_child("tie").append_attribute("type") = "start";
            note.append_child("voice").text().set(voice);
            if (!written.type.empty()) addText(note, "type", written.type);
            for (int d = 0; d < written.dots; ++d) note.append_child("dot");
            if (written.tupletActual != written.tupletNormal) {
                pugi::xml_node modification = note.append_child("time-modification");
                modification.append_child("actual-notes").text().set(written.tupletActual);
                modification.append_child("normal-notes").text().set(written.tupletNormal);
            }
            const bool tuplet = i == 0 && (written.tupletStart || written.tupletStop);
            if (written.tieStop || written.tieStart || tuplet) {
                pugi::xml_node notations = note.append_child("notations");
                if (written.tieStop) notations.append_child("tied").append_attribute("type") = "stop";
                if (written.tieStart) notations.append_child("tied").append_attribute("type") = "start";
                if (i == 0 && written.tupletStart) {
                    pugi::xml_node start = notations.append_child("tuplet");
                    start.append_attribute("type") = "start";
                    start.append_attribute("bracket") = "yes";
                }
                if (i == 0 && written.tupletStop) notations.append_child("tuplet").append_attribute("type") = "stop";
            }
        }
    }

    const Layout& m_layout;
    size_t m_partIndex;
    pugi::xml_node m_part;
    size_t m_nextKey = 0;
    size_t m_nextTempo = 0;
    int m_fifths = 0;
    Mode m_mode = Mode::Major;
};

}  // namespace

std::string writeMusicXml(const Score& score) {
    const Layout layout = makeLayout(score);
    pugi::xml_document document;
    pugi::xml_node declaration = document.append_child(pugi::node_declaration);
    declaration.append_attribute("version") = "1.0";
    declaration.append_attribute("encoding") = "UTF-8";
    document.append_child(pugi::node_doctype)
        .set_value("score-partwise PUBLIC \"-//Recordare//DTD MusicXML 3.1 Partwise//EN\" "
                   "\"http://www.musicxml.org/dtds/partwise.dtd\"");
    pugi::xml_node root = document.append_child("score-partwise");
    root.append_attribute("version") = "3.1";
    if (!score.title.empty()) addText(root.append_child("work"), "work-title", cleanText(score.title));
    addText(root.append_child("identification").append_child("encoding"), "software", "Melodist");

    pugi::xml_node partList = root.append_child("part-list");
    for (size_t p = 0; p < layout.parts.size(); ++p) {
        const Part& part = layout.parts[p];
        const std::string id = "P" + std::to_string(p + 1);
        const std::string instrumentId = id + "-I1";
        pugi::xml_node scorePart = partList.append_child("score-part");
        scorePart.append_attribute("id") = id.c_str();
        addText(scorePart, "part-name", cleanText(part.name));
        pugi::xml_node instrument = scorePart.append_child("score-instrument");
        instrument.append_attribute("id") = instrumentId.c_str();
        addText(instrument, "instrument-name", part.name.empty() ? std::string("Instrument") : cleanText(part.name));
        pugi::xml_node midi = scorePart.append_child("midi-instrument");
        midi.append_attribute("id") = instrumentId.c_str();
        midi.append_child("midi-channel").text().set(std::clamp(part.channel, 0, 15) + 1);
        midi.append_child("midi-program").text().set(std::clamp(part.program, 0, 127) + 1);
    }
    for (size_t p = 0; p < layout.parts.size(); ++p) {
        pugi::xml_node part = root.append_child("part");
        part.append_attribute("id") = ("P" + std::to_string(p + 1)).c_str();
        PartWriter(layout, p, part).write();
    }
    std::ostringstream out;
    document.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

Result<void> writeMusicXmlFile(const Score& score, const std::string& path) {
    return writeFileAtomically(path, writeMusicXml(score));
}

int64_t musicXmlDivisions(const Score& score) { return makeLayout(score).divisions; }

}  // namespace melodist::engine

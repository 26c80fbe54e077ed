// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/io/MusicXmlPartReader.h"

#include "engine/io/PitchSpelling.h"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

namespace melodist::engine {
namespace {


// Bounds that keep every time an exact Rational without int64 overflow, however
// hostile the file: far beyond anything music needs (a 1/1000000 quarter, 10^9 bars).
constexpr int64_t kMaxDivisions = 1'000'000;
constexpr double kMaxDurationDivisions = 1e9;
constexpr RationalWide kMaxTimeDenominator = 1'000'000'000'000;
constexpr RationalWide kMaxTimeNumerator = 1'000'000'000'000'000;
constexpr int kDefaultVelocity = 80;
constexpr size_t kMaxOpenTiesPerPitch = 16;

RationalWide gcdWide(RationalWide a, RationalWide b) {
    if (a < 0) a = -a;
    while (b != 0) {
        const RationalWide t = a % b;
        a = b;
        b = t;
    }
    return a;
}

// a + b, or nothing when the result leaves the bounds above.
std::optional<Rational> checkedAdd(Rational a, Rational b) {
    RationalWide num = static_cast<RationalWide>(a.num()) * b.den() + static_cast<RationalWide>(b.num()) * a.den();
    RationalWide den = static_cast<RationalWide>(a.den()) * b.den();
    const RationalWide g = gcdWide(num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    if (den > kMaxTimeDenominator || num > kMaxTimeNumerator || num < -kMaxTimeNumerator) return std::nullopt;
    return Rational(static_cast<int64_t>(num), static_cast<int64_t>(den));
}

}  // namespace

std::string_view trimmedText(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

namespace {

std::optional<double> parseNumber(std::string_view text) {
    text = trimmedText(text);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty() || !std::isfinite(value)) return std::nullopt;
    return value;
}

// The leading number of free text such as "c. 120" or "96-100"; nothing if none.
std::optional<double> leadingNumber(std::string_view text) {
    size_t start = 0;
    while (start < text.size() && !std::isdigit(static_cast<unsigned char>(text[start]))) ++start;
    size_t end = start;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
    return start < end ? parseNumber(text.substr(start, end - start)) : std::nullopt;
}

// Note-type names as quarter-note lengths (for metronome beat units).
std::optional<Rational> noteTypeLength(std::string_view type) {
    static const std::map<std::string_view, Rational> kLengths = {
        {"breve", 8},          {"whole", 4},           {"half", 2},            {"quarter", 1},
        {"eighth", {1, 2}},    {"16th", {1, 4}},       {"32nd", {1, 8}},       {"64th", {1, 16}}};
    const auto it = kLengths.find(trimmedText(type));
    return it == kLengths.end() ? std::nullopt : std::optional<Rational>(it->second);
}

// Velocity of a dynamics mark, as MuseScore plays them.
std::optional<int> markVelocity(std::string_view mark) {
    static const std::map<std::string_view, int> kVelocities = {
        {"pppp", 10}, {"ppp", 16}, {"pp", 33},  {"p", 49},   {"mp", 64}, {"mf", 80},
        {"f", 96},    {"ff", 112}, {"fff", 126}, {"ffff", 127}, {"sf", 112}, {"sfz", 112}, {"fz", 112}};
    const auto it = kVelocities.find(mark);
    return it == kVelocities.end() ? std::nullopt : std::optional<int>(it->second);
}

// MusicXML dynamics are percentages of forte, which is velocity 90.
int velocityFromPercent(double percent) {
    return std::clamp(static_cast<int>(std::lround(percent * 90.0 / 100.0)), 1, 127);
}

std::string quoted(std::string_view text) { return "\"" + std::string(text.substr(0, 40)) + "\""; }

}  // namespace

Result<int64_t> readMusicXmlInteger(const MusicXmlContext& context, const pugi::xml_node& node, double low, double high) {
    const std::optional<double> value = parseNumber(node.child_value());
    if (!value || *value < low || *value > high || std::floor(*value) != *value)
        return context.fail(node, "<" + std::string(node.name()) + "> " + quoted(node.child_value()) +
                                      " is not a whole number in " + std::to_string(static_cast<int64_t>(low)) + ".." +
                                      std::to_string(static_cast<int64_t>(high)) + kMusicXmlFix);
    return static_cast<int64_t>(*value);
}

namespace {

// Reads one part's measures into a Part; keys, meters and tempos go to the Context.
class PartReader {
public:
    PartReader(MusicXmlContext& context, Part part) : m_context(context), m_part(std::move(part)) {}

    Result<void> readMeasure(const pugi::xml_node& measure) {
        m_position = m_measureStart;
        m_measureEnd = m_measureStart;
        for (const pugi::xml_node& child : measure.children()) {
            const std::string_view name = child.name();
            Result<void> step;
            if (name == "note") step = readNote(child);
            else if (name == "attributes") step = readAttributes(child);
            else if (name == "backup" || name == "forward") step = moveTime(child, name == "forward");
            else if (name == "direction") step = readDirection(child);
            else if (name == "sound") step = readSound(child);
            if (!step) return step;
        }
        m_measureStart = m_measureEnd;
        return {};
    }

    Part takePart() { return std::move(m_part); }
    bool sawUnpitched() const { return m_sawUnpitched; }

private:
    Result<Rational> readDuration(const pugi::xml_node& owner) {
        const pugi::xml_node node = owner.child("duration");
        if (!node) return m_context.fail(owner, "<" + std::string(owner.name()) + "> has no <duration>" + kMusicXmlFix);
        if (m_divisions <= 0)
            return m_context.fail(node, "<duration> comes before any <divisions> in this part" + kMusicXmlFix);
        const std::optional<double> value = parseNumber(node.child_value());
        if (!value || *value < 0 || *value > kMaxDurationDivisions)
            return m_context.fail(node, "<duration> " + quoted(node.child_value()) + " is not a duration" + kMusicXmlFix);
        // Durations are whole divisions in practice; a fractional one is rounded to the
        // nearest 1/1000 division rather than refused.
        return Rational(static_cast<int64_t>(std::llround(*value * 1000)), m_divisions * 1000);
    }

    Result<void> advance(const pugi::xml_node& node, Rational delta) {
        const std::optional<Rational> next = checkedAdd(m_position, delta);
        if (!next) return m_context.fail(node, "the time here is too long or too finely divided to read exactly" + kMusicXmlFix);
        m_position = std::max(*next, m_measureStart);  // a <backup> never leaves its measure
        m_measureEnd = std::max(m_measureEnd, m_position);
        return {};
    }

    Result<void> moveTime(const pugi::xml_node& node, bool forward) {
        Result<Rational> duration = readDuration(node);
        if (!duration) return makeError(duration.error());
        return advance(node, forward ? *duration : -*duration);
    }

    Result<void> readAttributes(const pugi::xml_node& attributes) {
        if (const pugi::xml_node node = attributes.child("divisions")) {
            Result<int64_t> divisions = readMusicXmlInteger(m_context, node, 1, kMaxDivisions);
            if (!divisions) return makeError(divisions.error());
            m_divisions = *divisions;
        }
        for (const pugi::xml_node& key : attributes.children("key")) {
            const pugi::xml_node fifthsNode = key.child("fifths");
            if (!fifthsNode) continue;  // a non-traditional key (key-step/key-alter): no major/minor key
            Result<int64_t> fifths = readMusicXmlInteger(m_context, fifthsNode, -7, 7);
            if (!fifths) return makeError(fifths.error());
            const std::string_view mode = trimmedText(key.child_value("mode"));
            // Church modes: the tonic from the mode, major or minor by its third.
            static const std::map<std::string_view, std::pair<int, Mode>> kModes = {
                {"minor", {9, Mode::Minor}},  {"aeolian", {9, Mode::Minor}},    {"dorian", {2, Mode::Minor}},
                {"phrygian", {4, Mode::Minor}}, {"locrian", {11, Mode::Minor}}, {"lydian", {5, Mode::Major}},
                {"mixolydian", {7, Mode::Major}}};
            const auto it = kModes.find(mode);
            const int offset = it == kModes.end() ? 0 : it->second.first;
            const Mode keyMode = it == kModes.end() ? Mode::Major : it->second.second;
            const Key major = keyFromFifths(static_cast<int>(*fifths), Mode::Major);
            m_context.keys.push_back({.onset = m_position,
                                      .key = {(major.tonic + offset) % 12, keyMode},
                                      .declared = true,
                                      .fifths = static_cast<int>(*fifths)});
        }
        if (const pugi::xml_node time = attributes.child("time")) {
            Result<void> meter = readTime(time);
            if (!meter) return meter;
        }
        if (const pugi::xml_node transpose = attributes.child("transpose")) {
            int semitones = 0;
            if (const pugi::xml_node chromatic = transpose.child("chromatic")) {
                Result<int64_t> value = readMusicXmlInteger(m_context, chromatic, -48, 48);
                if (!value) return makeError(value.error());
                semitones += static_cast<int>(*value);
            }
            if (const pugi::xml_node octaves = transpose.child("octave-change")) {
                Result<int64_t> value = readMusicXmlInteger(m_context, octaves, -4, 4);
                if (!value) return makeError(value.error());
                semitones += 12 * static_cast<int>(*value);
            }
            m_transposeSemitones = semitones;
        }
        return {};
    }

    Result<void> readTime(const pugi::xml_node& time) {
        if (time.child("senza-misura")) {
            m_context.meters.push_back({.onset = m_position, .numerator = 0, .denominator = 4});
            return {};
        }
        // Composite signatures ("3+2" / 8, or 3/8 + 2/8) add up over a common denominator.
        int64_t numerator = 0, denominator = 0;
        for (pugi::xml_node beats = time.child("beats"); beats; beats = beats.next_sibling("beats")) {
            const pugi::xml_node typeNode = beats.next_sibling("beat-type");
            if (!typeNode) return m_context.fail(beats, "<beats> without a <beat-type>" + kMusicXmlFix);
            Result<int64_t> type = readMusicXmlInteger(m_context, typeNode, 1, 1024);
            if (!type) return makeError(type.error());
            int64_t sum = 0;
            std::string_view text = beats.child_value();
            while (true) {
                const size_t plus = text.find('+');
                const std::optional<double> part = parseNumber(text.substr(0, plus));
                if (!part || *part < 1 || *part > 1000 || std::floor(*part) != *part)
                    return m_context.fail(beats, "<beats> " + quoted(beats.child_value()) + " is not a count of beats" + kMusicXmlFix);
                sum += static_cast<int64_t>(*part);
                if (plus == std::string_view::npos) break;
                text.remove_prefix(plus + 1);
            }
            if (denominator == 0) {
                numerator = sum;
                denominator = *type;
            } else {
                const int64_t common = std::lcm(denominator, *type);
                numerator = numerator * (common / denominator) + sum * (common / *type);
                denominator = common;
            }
            if (numerator > 100000 || denominator > 1024)
                return m_context.fail(beats, "time signature " + std::to_string(numerator) + "/" +
                                                 std::to_string(denominator) + " is too large" + kMusicXmlFix);
        }
        if (denominator > 0)
            m_context.meters.push_back(
                {.onset = m_position, .numerator = static_cast<int>(numerator), .denominator = static_cast<int>(denominator)});
        return {};
    }

    Result<void> readSound(const pugi::xml_node& sound) {
        if (const pugi::xml_attribute tempo = sound.attribute("tempo")) {
            const std::optional<double> bpm = parseNumber(tempo.value());
            if (!bpm || *bpm <= 0 || *bpm > 10000)
                return m_context.fail(sound, "<sound tempo=" + quoted(tempo.value()) + "> is not a tempo in BPM" + kMusicXmlFix);
            m_context.tempos.push_back({.onset = m_position, .bpm = *bpm});
        }
        if (const pugi::xml_attribute dynamics = sound.attribute("dynamics")) {
            const std::optional<double> percent = parseNumber(dynamics.value());
            if (!percent || *percent < 0 || *percent > 1000)
                return m_context.fail(sound, "<sound dynamics=" + quoted(dynamics.value()) + "> is not a percentage" + kMusicXmlFix);
            m_velocity = velocityFromPercent(*percent);
        }
        return {};
    }

    Result<void> readDirection(const pugi::xml_node& direction) {
        const pugi::xml_node sound = direction.child("sound");
        if (sound) {
            Result<void> read = readSound(sound);
            if (!read) return read;
        }
        for (const pugi::xml_node& type : direction.children("direction-type")) {
            // A metronome mark gives the tempo only where no <sound tempo> does.
            const pugi::xml_node metronome = type.child("metronome");
            if (metronome && !sound.attribute("tempo")) {
                const std::optional<Rational> unit = noteTypeLength(metronome.child_value("beat-unit"));
                const std::optional<double> perMinute = leadingNumber(metronome.child_value("per-minute"));
                if (unit && perMinute && *perMinute > 0 && *perMinute <= 10000) {
                    Rational length = *unit;
                    Rational dot = *unit / 2;
                    for (pugi::xml_node d = metronome.child("beat-unit-dot"); d && d.name() == std::string_view("beat-unit-dot");
                         d = d.next_sibling(), dot /= 2)
                        length += dot;
                    m_context.tempos.push_back({.onset = m_position, .bpm = *perMinute * length.toDouble()});
                }
            }
            if (!sound.attribute("dynamics"))
                for (const pugi::xml_node& mark : type.child("dynamics").children())
                    if (const std::optional<int> velocity = markVelocity(mark.name())) m_velocity = *velocity;
        }
        return {};
    }

    Result<void> readNote(const pugi::xml_node& note) {
        if (note.child("grace")) return {};  // ornaments without a time of their own
        Result<Rational> duration = readDuration(note);
        if (!duration) return makeError(duration.error());
        const bool chord = static_cast<bool>(note.child("chord"));
        const Rational onset = chord ? m_lastOnset : m_position;
        if (!chord) {
            m_lastOnset = m_position;
            Result<void> moved = advance(note, *duration);
            if (!moved) return moved;
        }
        if (note.child("cue") || duration->isZero()) return {};
        if (note.child("rest")) {
            if (std::string_view(note.attribute("print-object").value()) != "no")
                m_part.rests.push_back({.onset = onset, .duration = *duration});
            return {};
        }
        const pugi::xml_node pitchNode = note.child("pitch");
        if (!pitchNode) {
            m_sawUnpitched = m_sawUnpitched || note.child("unpitched");
            return {};
        }
        Result<int> pitch = readPitch(pitchNode);
        if (!pitch) return makeError(pitch.error());
        int velocity = m_velocity;
        if (const pugi::xml_attribute dynamics = note.attribute("dynamics")) {
            const std::optional<double> percent = parseNumber(dynamics.value());
            if (percent && *percent >= 0 && *percent <= 1000) velocity = velocityFromPercent(*percent);
        }
        Note value;
        value.pitch = *pitch;
        value.onset = onset;
        value.duration = *duration;
        value.velocity = velocity;
        return addNote(note, std::move(value));
    }

    Result<int> readPitch(const pugi::xml_node& pitchNode) {
        const std::string_view step = trimmedText(pitchNode.child_value("step"));
        if (step.size() != 1 || midiPitchOf(step[0], 0, 4) < 0)
            return m_context.fail(pitchNode, "<step> " + quoted(step) + " is not one of A..G" + kMusicXmlFix);
        int alter = 0;
        if (const pugi::xml_node alterNode = pitchNode.child("alter")) {
            // Microtones (alter -0.5) are rounded to the nearest semitone.
            const std::optional<double> value = parseNumber(alterNode.child_value());
            if (!value || std::abs(*value) > 12)
                return m_context.fail(alterNode, "<alter> " + quoted(alterNode.child_value()) + " is not a number of semitones" + kMusicXmlFix);
            alter = static_cast<int>(std::lround(*value));
        }
        const pugi::xml_node octaveNode = pitchNode.child("octave");
        if (!octaveNode) return m_context.fail(pitchNode, "<pitch> has no <octave>" + kMusicXmlFix);
        Result<int64_t> octave = readMusicXmlInteger(m_context, octaveNode, -2, 10);  // B#-2 is MIDI 0
        if (!octave) return makeError(octave.error());
        const int midi = midiPitchOf(step[0], alter, static_cast<int>(*octave)) + m_transposeSemitones;
        if (midi < 0 || midi > 127)
            return m_context.fail(pitchNode, "pitch " + std::string(step) + std::to_string(*octave) + " (alter " +
                                                 std::to_string(alter) + ") is MIDI " + std::to_string(midi) +
                                                 ", outside 0..127" + kMusicXmlFix);
        return midi;
    }

    // Tied notes become one Note; a tie that does not continue a sounding note of the
    // same pitch starts a new one.
    Result<void> addNote(const pugi::xml_node& note, Note value) {
        bool tieStart = false, tieStop = false;
        for (const pugi::xml_node& tie : note.children("tie")) {
            const std::string_view type = tie.attribute("type").value();
            tieStart = tieStart || type == "start";
            tieStop = tieStop || type == "stop";
        }
        if (!note.child("tie"))  // some programs write only the notation
            for (const pugi::xml_node& notations : note.children("notations"))
                for (const pugi::xml_node& tied : notations.children("tied")) {
                    const std::string_view type = tied.attribute("type").value();
                    tieStart = tieStart || type == "start" || type == "continue";
                    tieStop = tieStop || type == "stop" || type == "continue";
                }
        // Ties are matched by pitch and time, not voice: a tie may cross voices, and a
        // note of the same pitch in another voice must not cut it.
        std::vector<size_t>& open = m_openTies[value.pitch];
        const auto continued = std::find_if(open.begin(), open.end(), [&](size_t index) {
            return m_part.notes[index].end() == value.onset;
        });
        if (tieStop && continued != open.end()) {
            Note& first = m_part.notes[*continued];
            const std::optional<Rational> total = checkedAdd(first.duration, value.duration);
            if (!total) return m_context.fail(note, "tied note too long to read exactly" + kMusicXmlFix);
            if (first.tiedParts.empty()) first.tiedParts.push_back(first.duration);
            first.tiedParts.push_back(value.duration);
            first.duration = *total;
            if (!tieStart) open.erase(continued);
            return {};
        }
        m_part.notes.push_back(std::move(value));
        if (tieStart) {
            if (open.size() >= kMaxOpenTiesPerPitch) open.erase(open.begin());  // ties never stopped
            open.push_back(m_part.notes.size() - 1);
        }
        return {};
    }

    MusicXmlContext& m_context;
    Part m_part;
    int64_t m_divisions = 0;
    Rational m_measureStart, m_measureEnd, m_position, m_lastOnset;
    int m_transposeSemitones = 0;
    int m_velocity = kDefaultVelocity;
    bool m_sawUnpitched = false;
    std::map<int, std::vector<size_t>> m_openTies;  // pitch -> indices in m_part.notes of ties not yet stopped
};

}  // namespace

Result<MusicXmlPart> readMusicXmlPart(MusicXmlContext& context, Part part, const std::vector<pugi::xml_node>& measures) {
    PartReader reader(context, std::move(part));
    for (const pugi::xml_node& measure : measures) {
        Result<void> read = reader.readMeasure(measure);
        if (!read) return makeError(read.error());
    }
    const bool unpitched = reader.sawUnpitched();
    return MusicXmlPart{reader.takePart(), unpitched};
}

}  // namespace melodist::engine

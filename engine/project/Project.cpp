// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/project/Project.h"

#include "engine/core/FileIO.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace melodist::engine {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kProjectFormatVersion = 1;
constexpr const char* kFormatName = "melodist-project";

// A whole number or "n/d" -> Rational; nullopt when it is neither.
std::optional<Rational> parseTime(const Json& value) {
    if (value.is_number_integer()) return Rational(value.get<int64_t>());
    if (!value.is_string()) return std::nullopt;
    const std::string text = value.get<std::string>();
    const size_t slash = text.find('/');
    int64_t num = 0, den = 1;
    const auto whole = [](std::string_view digits, int64_t& out) {
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
        return !digits.empty() && error == std::errc() && end == digits.data() + digits.size();
    };
    if (!whole(std::string_view(text).substr(0, slash), num)) return std::nullopt;
    if (slash != std::string::npos && (!whole(std::string_view(text).substr(slash + 1), den) || den <= 0)) return std::nullopt;
    return Rational(num, den);
}

// The parser: one instance per file, so every error can name the file and the key.
class ProjectParser {
public:
    explicit ProjectParser(std::string sourceName) : m_source(std::move(sourceName)) {}

    Result<Project> parse(std::string_view text) {
        const Json root = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
        if (root.is_discarded())
            return makeError(m_source + ": not valid JSON; the file is damaged -- open its autosave or a backup copy");
        if (!root.is_object() || root.value("format", Json()) != kFormatName)
            return makeError(m_source + ": not a Melodist project (no \"format\": \"" + kFormatName +
                             "\"); open a .melodist file, or import MIDI, kern or MusicXML with File > Import Seed");
        Project project;
        int version = kProjectFormatVersion;
        if (!readInt(root, "version", "", 1, std::numeric_limits<int>::max(), version)) return error();
        if (version > kProjectFormatVersion)
            return makeError(m_source + ": written by a newer Melodist (project format version " + std::to_string(version) +
                             ", this one reads up to " + std::to_string(kProjectFormatVersion) + "); update Melodist to open it");
        if (!readString(root, "title", "", project.title) || !readDouble(root, "tempo_bpm", "", 20.0, 400.0, project.tempoBpm) ||
            !readMeter(root, project) || !readKey(root, project) || !readInt(root, "program", "", 0, 127, project.program) ||
            !readString(root, "soundfont", "", project.soundfont) || !readLoop(root, project) || !readNotes(root, project) ||
            !readGeneration(root, project.generation))
            return error();
        project.sortNotes();
        return project;
    }

private:
    Error error() const { return makeError(m_error); }
    bool fail(const std::string& where, const std::string& what) {
        m_error = m_source + ": " + where + ": " + what;
        return false;
    }
    static std::string path(const std::string& prefix, const char* key) { return prefix.empty() ? key : prefix + "." + key; }
    static std::string shown(const Json& value) {
        std::string text = value.dump();
        return text.size() > 40 ? text.substr(0, 37) + "..." : text;
    }

    bool readString(const Json& object, const char* key, const std::string& prefix, std::string& out) {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null()) return true;
        if (!it->is_string()) return fail(path(prefix, key), shown(*it) + " is not text; write it in double quotes");
        out = it->get<std::string>();
        return true;
    }
    bool readBool(const Json& object, const char* key, const std::string& prefix, bool& out) {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null()) return true;
        if (!it->is_boolean()) return fail(path(prefix, key), shown(*it) + " is not true or false");
        out = it->get<bool>();
        return true;
    }
    bool readDouble(const Json& object, const char* key, const std::string& prefix, double low, double high, double& out) {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null()) return true;
        if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < low || it->get<double>() > high)
            return fail(path(prefix, key), shown(*it) + " is not a number from " + Json(low).dump() + " to " + Json(high).dump() +
                                               "; correct it or delete the key to use the default");
        out = it->get<double>();
        return true;
    }
    bool readFloat(const Json& object, const char* key, const std::string& prefix, double low, double high, float& out) {
        double value = out;
        if (!readDouble(object, key, prefix, low, high, value)) return false;
        out = static_cast<float>(value);
        return true;
    }
    bool readInt(const Json& object, const char* key, const std::string& prefix, int low, int high, int& out) {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null()) return true;
        if (!it->is_number_integer() || it->get<int64_t>() < low || it->get<int64_t>() > high)
            return fail(path(prefix, key), shown(*it) + " is not a whole number from " + std::to_string(low) + " to " +
                                               std::to_string(high) + "; correct it or delete the key to use the default");
        out = static_cast<int>(it->get<int64_t>());
        return true;
    }
    bool readTime(const Json& object, const char* key, const std::string& prefix, bool positive, Rational& out) {
        const auto it = object.find(key);
        if (it == object.end()) return fail(path(prefix, key), "missing; give a time in quarter notes such as \"3/2\"");
        const std::optional<Rational> time = parseTime(*it);
        if (!time) return fail(path(prefix, key), shown(*it) + " is not a time; write quarter notes as a whole number or a fraction such as \"3/2\"");
        if (positive ? *time <= Rational(0) : *time < Rational(0))
            return fail(path(prefix, key), shown(*it) + (positive ? " must be more than 0" : " must not be negative") + " quarter notes");
        out = *time;
        return true;
    }

    bool readMeter(const Json& root, Project& project) {
        const auto it = root.find("meter");
        if (it == root.end() || it->is_null()) return true;
        const auto bad = [&] {
            return fail("meter", shown(*it) + " is not a meter; write [beats, beat unit] such as [3, 4], with 1..32 beats and a unit of 1, 2, 4, 8, 16 or 32");
        };
        if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number_integer() || !(*it)[1].is_number_integer()) return bad();
        const int64_t numerator = (*it)[0].get<int64_t>(), denominator = (*it)[1].get<int64_t>();
        if (numerator < 1 || numerator > 32 || denominator < 1 || denominator > 32 || (denominator & (denominator - 1)) != 0) return bad();
        project.meterNumerator = static_cast<int>(numerator);
        project.meterDenominator = static_cast<int>(denominator);
        return true;
    }

    bool readKey(const Json& root, Project& project) {
        const auto it = root.find("key");
        if (it == root.end() || it->is_null()) return true;
        if (!it->is_string()) return fail("key", shown(*it) + " is not a key; write it as text such as \"D major\", or null for none");
        Result<ScaleKey> key = parseScaleKey(it->get<std::string>());
        if (!key) return fail("key", key.error());
        project.key = *key;
        return true;
    }

    bool readLoop(const Json& root, Project& project) {
        const auto it = root.find("loop");
        if (it == root.end() || it->is_null()) return true;
        if (!it->is_object()) return fail("loop", shown(*it) + " is not a loop; write {\"start\": \"4\", \"end\": \"12\"} or null");
        LoopRegion loop;
        if (!readTime(*it, "start", "loop", /*positive=*/false, loop.start) || !readTime(*it, "end", "loop", /*positive=*/true, loop.end))
            return false;
        if (loop.end <= loop.start)
            return fail("loop", "ends at " + loop.end.toString() + ", not after its start " + loop.start.toString() + "; make end later than start");
        project.loop = loop;
        return true;
    }

    bool readNotes(const Json& root, Project& project) {
        const auto it = root.find("notes");
        if (it == root.end() || it->is_null()) return true;
        if (!it->is_array()) return fail("notes", "is not a list of notes");
        project.notes.reserve(it->size());
        for (size_t i = 0; i < it->size(); ++i) {
            const Json& item = (*it)[i];
            const std::string where = "notes[" + std::to_string(i) + "]";
            if (!item.is_object()) return fail(where, shown(item) + " is not a note object {\"pitch\": .., \"onset\": .., \"duration\": ..}");
            ProjectNote note;
            if (!item.contains("pitch")) return fail(where + ".pitch", "missing; give a MIDI note number 0..127");
            if (!readInt(item, "pitch", where, 0, 127, note.note.pitch) || !readTime(item, "onset", where, false, note.note.onset) ||
                !readTime(item, "duration", where, true, note.note.duration) || !readInt(item, "velocity", where, 1, 127, note.note.velocity) ||
                !readBool(item, "generated", where, note.generated) || !readTies(item, where, note.note))
                return false;
            project.notes.push_back(std::move(note));
        }
        return true;
    }

    bool readTies(const Json& item, const std::string& where, Note& note) {
        const auto it = item.find("tied");
        if (it == item.end() || it->is_null()) return true;
        if (!it->is_array()) return fail(where + ".tied", "is not a list of durations; delete it to play the note as one");
        Rational sum;
        for (const Json& part : *it) {
            const std::optional<Rational> duration = parseTime(part);
            if (!duration || *duration <= Rational(0))
                return fail(where + ".tied", shown(part) + " is not a positive duration; delete \"tied\" to play the note as one");
            note.tiedParts.push_back(*duration);
            sum += *duration;
        }
        if (!note.tiedParts.empty() && sum != note.duration)
            return fail(where + ".tied", "the tied parts add up to " + sum.toString() + ", not the note's duration " + note.duration.toString() +
                                             "; delete \"tied\" to play the note as one");
        return true;
    }

    bool readGeneration(const Json& root, GenerationSettings& out) {
        const auto it = root.find("generation");
        if (it == root.end() || it->is_null()) return true;
        if (!it->is_object()) return fail("generation", "is not an object of generation settings; delete it to use the defaults");
        const Json& g = *it;
        const std::string p = "generation";
        if (!readString(g, "model", p, out.model) || !readDouble(g, "complexity", p, 0.0, 1.0, out.complexity) ||
            !readBool(g, "expert", p, out.expert) || !readFloat(g, "temperature", p, 0.01, 10.0, out.temperature) ||
            !readInt(g, "top_k", p, 0, 100000, out.topK) || !readFloat(g, "top_p", p, 0.01, 1.0, out.topP) ||
            !readInt(g, "length_bars", p, 0, 1000, out.lengthBars) || !readInt(g, "length_steps", p, 0, 100000, out.lengthSteps) ||
            !readInt(g, "candidates", p, 1, 256, out.candidates) || !readBool(g, "use_key", p, out.useKey))
            return false;
        if (const auto range = g.find("range"); range != g.end() && !range->is_null()) {
            PitchRange pitches;
            if (!range->is_object()) return fail(p + ".range", shown(*range) + " is not a range; write {\"lowest\": 55, \"highest\": 81} or null");
            if (!range->contains("lowest") || !range->contains("highest"))
                return fail(p + ".range", "needs both \"lowest\" and \"highest\" (MIDI note numbers)");
            if (!readInt(*range, "lowest", p + ".range", 0, 127, pitches.lowest) || !readInt(*range, "highest", p + ".range", 0, 127, pitches.highest))
                return false;
            if (pitches.lowest > pitches.highest)
                return fail(p + ".range", "lowest " + std::to_string(pitches.lowest) + " is above highest " + std::to_string(pitches.highest) + "; swap them");
            out.range = pitches;
        }
        if (const auto seed = g.find("rng_seed"); seed != g.end() && !seed->is_null()) {
            if (!seed->is_number_unsigned() && !(seed->is_number_integer() && seed->get<int64_t>() >= 0))
                return fail(p + ".rng_seed", shown(*seed) + " is not a whole number >= 0 (0: a new seed each time)");
            out.rngSeed = seed->get<uint64_t>();
        }
        return true;
    }

    std::string m_source;
    std::string m_error;
};

Json timeJson(Rational time) { return time.toString(); }

// A float as the shortest decimal that reads back as the same float: 0.8f is written
// 0.8, not 0.800000011920929.
Json floatJson(float value) {
    char text[32];
    const auto [end, error] = std::to_chars(text, text + sizeof text, value);
    return error == std::errc() ? Json(std::strtod(std::string(text, end).c_str(), nullptr)) : Json(static_cast<double>(value));
}

}  // namespace

void Project::sortNotes() {
    std::stable_sort(notes.begin(), notes.end(), [](const ProjectNote& a, const ProjectNote& b) {
        if (a.note.onset != b.note.onset) return a.note.onset < b.note.onset;
        return a.note.pitch < b.note.pitch;
    });
}

Rational Project::endTime() const {
    Rational end;
    for (const ProjectNote& n : notes) end = std::max(end, n.note.end());
    return end;
}

Rational Project::barLength() const { return Rational(4 * meterNumerator, meterDenominator); }

Score projectToScore(const Project& project, const std::string& partName) {
    Score score;
    score.title = project.title;
    Part part;
    part.name = partName;
    part.program = project.program;
    part.notes.reserve(project.notes.size());
    for (const ProjectNote& n : project.notes) part.notes.push_back(n.note);
    score.parts.push_back(std::move(part));
    score.tempos.push_back({.onset = 0, .bpm = project.tempoBpm});
    score.meters.push_back({.onset = 0, .numerator = project.meterNumerator, .denominator = project.meterDenominator});
    if (project.key) {
        // Scores know major and minor only: a mode counts as the one with its third.
        const std::array<bool, 12> pcs = project.key->pitchClasses();
        const bool minorThird = pcs[static_cast<size_t>((project.key->tonic + 3) % 12)];
        const Key key{project.key->tonic, minorThird ? Mode::Minor : Mode::Major};
        const int fifths = (project.key->parentMajorTonic() * 7) % 12;
        score.keys.push_back({.onset = 0, .key = key, .declared = true, .fifths = fifths > 6 ? fifths - 12 : fifths});
    }
    score.sort();
    return score;
}

Project projectFromScore(const Score& score, int* droppedParts) {
    Project project;
    project.title = score.title;
    int dropped = 0;
    const Part* melody = nullptr;
    for (const Part& part : score.parts) {
        if (part.notes.empty()) continue;
        if (melody) ++dropped;
        else melody = &part;
    }
    if (melody) {
        project.program = std::clamp(melody->program, 0, 127);
        for (const Note& note : melody->notes) {
            ProjectNote n{.note = note, .generated = false};
            n.note.pitch = std::clamp(n.note.pitch, 0, 127);
            n.note.velocity = std::clamp(n.note.velocity, 1, 127);
            project.notes.push_back(std::move(n));
        }
    }
    if (!score.tempos.empty() && std::isfinite(score.tempos.front().bpm) && score.tempos.front().bpm > 0)
        // To 1/1000 BPM: MIDI stores whole microseconds per beat, so 90 BPM reads back 89.999955.
        project.tempoBpm = std::clamp(std::round(score.tempos.front().bpm * 1000.0) / 1000.0, 20.0, 400.0);
    for (const MeterChange& meter : score.meters) {  // the first regular one (kern *MX has numerator 0)
        const int den = meter.denominator;
        if (meter.numerator < 1 || meter.numerator > 32 || den < 1 || den > 32 || (den & (den - 1)) != 0) continue;
        project.meterNumerator = meter.numerator;
        project.meterDenominator = den;
        break;
    }
    if (const std::optional<Key> key = score.declaredKey()) project.key = scaleKeyOf(*key);
    project.sortNotes();
    if (droppedParts) *droppedParts = dropped;
    return project;
}

std::string projectToJson(const Project& project) {
    Json root;
    root["format"] = kFormatName;
    root["version"] = kProjectFormatVersion;
    root["title"] = project.title;
    root["tempo_bpm"] = project.tempoBpm;
    root["meter"] = Json::array({project.meterNumerator, project.meterDenominator});
    root["key"] = project.key ? Json(project.key->name()) : Json();
    root["program"] = project.program;
    root["soundfont"] = project.soundfont;
    root["loop"] = project.loop ? Json{{"start", timeJson(project.loop->start)}, {"end", timeJson(project.loop->end)}} : Json();
    Json notes = Json::array();
    Project sorted = project;
    sorted.sortNotes();
    for (const ProjectNote& n : sorted.notes) {
        Json note{{"pitch", n.note.pitch},
                  {"onset", timeJson(n.note.onset)},
                  {"duration", timeJson(n.note.duration)},
                  {"velocity", n.note.velocity},
                  {"generated", n.generated}};
        if (!n.note.tiedParts.empty()) {
            Json tied = Json::array();
            for (const Rational part : n.note.tiedParts) tied.push_back(timeJson(part));
            note["tied"] = std::move(tied);
        }
        notes.push_back(std::move(note));
    }
    root["notes"] = std::move(notes);
    const GenerationSettings& g = project.generation;
    root["generation"] = Json{{"model", g.model},
                              {"complexity", g.complexity},
                              {"expert", g.expert},
                              {"temperature", floatJson(g.temperature)},
                              {"top_k", g.topK},
                              {"top_p", floatJson(g.topP)},
                              {"length_bars", g.lengthBars},
                              {"length_steps", g.lengthSteps},
                              {"candidates", g.candidates},
                              {"use_key", g.useKey},
                              {"range", g.range ? Json{{"lowest", g.range->lowest}, {"highest", g.range->highest}} : Json()},
                              {"rng_seed", g.rngSeed}};
    return root.dump(2) + "\n";
}

Result<Project> parseProjectJson(std::string_view json, const std::string& sourceName) { return ProjectParser(sourceName).parse(json); }

Result<Project> readProjectFile(const std::string& path) {
    Result<std::string> bytes = readFileBytes(path);
    if (!bytes) return makeError(bytes.error());
    return parseProjectJson(*bytes, path);
}

Result<void> writeProjectFile(const Project& project, const std::string& path) { return writeFileAtomically(path, projectToJson(project)); }

}  // namespace melodist::engine

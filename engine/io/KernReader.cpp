// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/io/KernReader.h"

#include "engine/core/FileIO.h"
#include "engine/io/KernToken.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

namespace melodist::engine {
namespace {

// Rational adds in 64 bits without overflow checks: keeping every time below 2^16 quarter
// notes on a grid no finer than 1/2^22 keeps all sums and products below 2^63.
constexpr int64_t kMaxTimeDenominator = int64_t{1} << 22;
constexpr int64_t kMaxQuarterNotes = int64_t{1} << 16;

bool fitsTimeline(Rational time, Rational duration) {
    const int64_t g = std::gcd(time.den(), duration.den());
    const RationalWide commonDenominator = static_cast<RationalWide>(time.den() / g) * duration.den();
    if (commonDenominator > kMaxTimeDenominator) return false;
    const RationalWide endNumerator = static_cast<RationalWide>(time.num()) * (duration.den() / g) +
                                      static_cast<RationalWide>(duration.num()) * (time.den() / g);
    return endNumerator <= static_cast<RationalWide>(kMaxQuarterNotes) * commonDenominator;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (;;) {
        const size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

// The conventional signature of a key, for keys written without *k[...].
int fifthsOfKey(Key key) {
    const int majorTonic = key.mode == Mode::Major ? key.tonic : (key.tonic + 3) % 12;
    const int fifths = (majorTonic * 7) % 12;  // C=0, G=1, D=2, ... F=11
    return fifths > 6 ? fifths - 12 : fifths;
}

Key majorKeyOfFifths(int fifths) { return Key{((fifths * 7) % 12 + 12) % 12, Mode::Major}; }

std::optional<Key> parseKeyInterpretation(std::string_view token) {
    // *G: *g: *B-: *f#: *G:dor -- upper case major, lower case minor.
    if (token.size() < 3 || token[0] != '*') return std::nullopt;
    const std::optional<int> letterClass = kernPitchClassOfLetter(token[1]);
    if (!letterClass || !std::isalpha(static_cast<unsigned char>(token[1]))) return std::nullopt;
    int alter = 0;
    size_t i = 2;
    for (; i < token.size() && (token[i] == '#' || token[i] == '-' || token[i] == 'n'); ++i)
        alter += token[i] == '#' ? 1 : token[i] == '-' ? -1 : 0;
    if (i >= token.size() || token[i] != ':') return std::nullopt;
    const Mode mode = std::isupper(static_cast<unsigned char>(token[1])) ? Mode::Major : Mode::Minor;
    return Key{((*letterClass + alter) % 12 + 12) % 12, mode};
}

std::optional<int> parseNumber(std::string_view text, size_t& pos) {
    const size_t begin = pos;
    while (pos < text.size() && pos - begin < 4 && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == begin) return std::nullopt;
    int value = 0;
    std::from_chars(text.data() + begin, text.data() + pos, value);
    return value;
}

// *M3/4, *M2+3/8 (additive), *M5/1%%%2+3% (grouping after the fraction is ignored);
// *MX, *MFREI, *MFREI4/4 and anything unreadable are free meters (numerator 0).
MeterChange parseMeter(std::string_view body, Rational onset) {
    MeterChange meter{.onset = onset, .numerator = 0, .denominator = 4};
    size_t pos = body.rfind("FREI", 0) == 0 ? 4 : 0;
    const bool free = pos != 0;
    int numerator = 0;
    for (;;) {
        const std::optional<int> part = parseNumber(body, pos);
        if (!part) return meter;
        numerator += *part;
        if (pos < body.size() && body[pos] == '+') { ++pos; continue; }
        break;
    }
    if (pos >= body.size() || body[pos] != '/') return meter;
    ++pos;
    const std::optional<int> denominator = parseNumber(body, pos);
    if (!denominator || *denominator <= 0) return meter;
    meter.denominator = *denominator;
    meter.numerator = free ? 0 : numerator;
    return meter;
}

// Reads one **kern spine, line by line; the state of one readKern call.
class KernSpineReader {
public:
    KernSpineReader(const std::string& sourceName, const KernReadOptions& options)
        : m_source(sourceName), m_options(options) {}

    Result<Score> read(std::string_view text);

private:
    Error errorAt(size_t line, const std::string& what) const {
        return makeError(m_source + " line " + std::to_string(line) + ": " + what);
    }
    Result<bool> readHeader(const std::vector<std::string_view>& tokens, size_t line);
    void applySpineManipulators(const std::vector<std::string_view>& tokens);
    void readInterpretation(std::string_view token);
    Result<bool> readData(std::string_view token, size_t line);
    void addNote(const KernSubToken& token);
    template <class T>
    static void replaceOrAppend(std::vector<T>& changes, T change) {
        if (!changes.empty() && changes.back().onset == change.onset) changes.back() = change;
        else changes.push_back(change);
    }

    std::string m_source;
    KernReadOptions m_options;
    Score m_score;
    Rational m_time;
    size_t m_columns = 0;
    int m_ours = -1;            // our column; -1 before the header
    bool m_ended = false;       // our spine reached *-
    std::optional<int> m_fifths;
    std::map<int, size_t> m_openTies;  // pitch -> index in notes of the note a tie continues
};

Result<Score> KernSpineReader::read(std::string_view text) {
    if (text.find('\0') != std::string_view::npos)
        return makeError(m_source + ": not a Humdrum text file (it contains NUL bytes at offset " +
                         std::to_string(text.find('\0')) + "); choose a .krn text file");
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return makeError(m_source + ": the file is empty; a **kern file starts with a '**kern' header line");
    m_score.parts.push_back(Part{});

    size_t lineNumber = 0;
    for (std::string_view line : split(text, '\n')) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        if (line.rfind("!!", 0) == 0) {
            if (line.rfind("!!!OTL:", 0) == 0 && m_score.title.empty()) {
                std::string_view title = line.substr(7);
                const size_t first = title.find_first_not_of(' ');
                m_score.title = first == std::string_view::npos ? "" : std::string(title.substr(first));
            }
            continue;
        }
        if (m_ended || (m_ours < 0 && line[0] == '!')) continue;
        const std::vector<std::string_view> tokens = split(line, '\t');
        if (m_ours < 0) {
            Result<bool> header = readHeader(tokens, lineNumber);
            if (!header) return Error{header.error()};
            continue;
        }
        if (tokens.size() != m_columns)
            return errorAt(lineNumber, "has " + std::to_string(tokens.size()) + " tab-separated fields but " +
                                           std::to_string(m_columns) + " spines are open; check the tabs of this line");
        const std::string_view token = tokens[static_cast<size_t>(m_ours)];
        switch (line[0]) {
            case '!': break;  // local comments
            case '=': break;  // barlines (=, =1, ==, =:|!, ...): time comes from the durations
            case '*':
                readInterpretation(token);
                applySpineManipulators(tokens);
                break;
            default: {
                Result<bool> data = readData(token, lineNumber);
                if (!data) return Error{data.error()};
            }
        }
    }
    if (m_ours < 0 && !m_ended)
        return makeError(m_source + ": no **kern header line found; a Humdrum file needs a line like '**kern'");

    Part& part = m_score.parts[0];
    for (Note& note : part.notes)
        if (note.tiedParts.size() < 2) note.tiedParts.clear();  // a lone '[' was written as one note
    m_score.sort();
    return std::move(m_score);
}

Result<bool> KernSpineReader::readHeader(const std::vector<std::string_view>& tokens, size_t line) {
    if (tokens[0].rfind("**", 0) != 0)
        return errorAt(line, "expected the '**kern' header before '" + shownKernToken(tokens[0]) +
                                 "'; is this a Humdrum **kern file?");
    int kernSeen = 0;
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i] != "**kern") continue;
        if (kernSeen++ == m_options.spine) m_ours = static_cast<int>(i);
    }
    if (m_ours < 0)
        return errorAt(line, "has " + std::to_string(kernSeen) + " **kern spine(s); spine " +
                                 std::to_string(m_options.spine) + " does not exist (spines count from 0)");
    m_columns = tokens.size();
    m_score.parts[0].name = "**kern spine " + std::to_string(m_options.spine + 1);
    return true;
}

// *^ splits a spine, *v joins neighbours, *x exchanges two, *+ adds one, *- ends one.
// We follow the first sub-spine of a split and the joined spine of a join.
void KernSpineReader::applySpineManipulators(const std::vector<std::string_view>& tokens) {
    size_t columns = 0;
    int ours = -1;
    for (size_t i = 0; i < tokens.size();) {
        const bool isOurs = static_cast<int>(i) == m_ours;
        const std::string_view token = tokens[i];
        if (token == "*^" || token == "*+") {
            if (isOurs) ours = static_cast<int>(columns);
            columns += 2;
            ++i;
        } else if (token == "*v") {
            size_t end = i;
            while (end < tokens.size() && tokens[end] == "*v") ++end;
            if (m_ours >= static_cast<int>(i) && m_ours < static_cast<int>(end)) ours = static_cast<int>(columns);
            columns += 1;
            i = end;
        } else if (token == "*-") {
            ++i;
        } else if (token == "*x" && i + 1 < tokens.size() && tokens[i + 1] == "*x") {
            if (isOurs) ours = static_cast<int>(columns + 1);
            if (static_cast<int>(i + 1) == m_ours) ours = static_cast<int>(columns);
            columns += 2;
            i += 2;
        } else {
            if (isOurs) ours = static_cast<int>(columns);
            ++columns;
            ++i;
        }
    }
    m_columns = columns;
    m_ours = ours;
    m_ended = ours < 0;
}

void KernSpineReader::readInterpretation(std::string_view token) {
    if (token.rfind("*k[", 0) == 0) {
        const int sharps = static_cast<int>(std::count(token.begin(), token.end(), '#'));
        const int flats = static_cast<int>(std::count(token.begin(), token.end(), '-'));
        m_fifths = std::clamp(sharps - flats, -7, 7);
        std::vector<KeyChange>& keys = m_score.keys;
        if (!keys.empty() && keys.back().onset == m_time) keys.back().fifths = *m_fifths;
        else keys.push_back({.onset = m_time, .key = majorKeyOfFifths(*m_fifths), .declared = false, .fifths = *m_fifths});
    } else if (const std::optional<Key> key = parseKeyInterpretation(token)) {
        const int fifths = m_fifths.value_or(fifthsOfKey(*key));
        std::vector<KeyChange>& keys = m_score.keys;
        if (!keys.empty() && keys.back().onset == m_time) keys.back() = {m_time, *key, true, keys.back().fifths};
        else keys.push_back({.onset = m_time, .key = *key, .declared = true, .fifths = fifths});
    } else if (token.rfind("*MM", 0) == 0) {
        double bpm = 0;
        const auto [end, error] = std::from_chars(token.data() + 3, token.data() + token.size(), bpm);
        if (error == std::errc() && std::isfinite(bpm) && bpm > 0 && bpm <= 2000)
            replaceOrAppend(m_score.tempos, TempoChange{.onset = m_time, .bpm = bpm});
    } else if (token.rfind("*M", 0) == 0 && token.size() > 2) {
        replaceOrAppend(m_score.meters, parseMeter(token.substr(2), m_time));
    } else if (token.rfind("*I\"", 0) == 0 && token.size() > 3) {
        m_score.parts[0].name = std::string(token.substr(3));
    }
}

Result<bool> KernSpineReader::readData(std::string_view token, size_t line) {
    if (token == "." || token.empty()) return true;  // null token: what sounds goes on sounding
    std::optional<Rational> chordDuration, advance;
    for (const std::string_view sub : split(token, ' ')) {
        if (sub.empty() || sub == ".") continue;
        Result<KernSubToken> parsed = parseKernSubToken(sub, chordDuration);
        if (!parsed) return errorAt(line, parsed.error());
        if (parsed->grace) continue;  // grace notes take no time; the melody keeps its main notes
        if (!fitsTimeline(m_time, parsed->duration))
            return errorAt(line, "the duration of kern token '" + shownKernToken(sub) + "' (" + parsed->duration.toString() +
                                     " quarter notes) makes the rhythm finer than 1/" + std::to_string(kMaxTimeDenominator) +
                                     " of a quarter note or the piece longer than " + std::to_string(kMaxQuarterNotes) +
                                     " quarter notes; check the duration numbers");
        if (!chordDuration) chordDuration = parsed->duration;
        if (!advance || parsed->duration < *advance) advance = parsed->duration;
        if (parsed->rest) m_score.parts[0].rests.push_back(Rest{.onset = m_time, .duration = parsed->duration});
        else addNote(*parsed);
    }
    if (advance) m_time += *advance;
    return true;
}

void KernSpineReader::addNote(const KernSubToken& token) {
    std::vector<Note>& notes = m_score.parts[0].notes;
    const auto open = m_openTies.find(token.pitch);
    const bool continues = token.tieMiddle || token.tieEnd;
    if (continues && open != m_openTies.end() && notes[open->second].end() == m_time) {
        Note& note = notes[open->second];
        note.duration += token.duration;
        note.tiedParts.push_back(token.duration);
        if (token.tieEnd && !token.tieStart && !token.tieMiddle) m_openTies.erase(open);
        return;
    }
    // A tie whose start is missing or does not touch this note starts afresh (lenient, as
    // music21 is): '_' without '[' still ties onwards.
    Note note;
    note.pitch = token.pitch;
    note.onset = m_time;
    note.duration = token.duration;
    notes.push_back(std::move(note));
    if (token.tieStart || token.tieMiddle) {
        notes.back().tiedParts.push_back(token.duration);
        m_openTies[token.pitch] = notes.size() - 1;
    } else if (open != m_openTies.end()) {
        m_openTies.erase(open);
    }
}

}  // namespace

Result<Score> readKern(std::string_view text, const std::string& sourceName, const KernReadOptions& options) {
    if (options.spine < 0)
        return makeError(sourceName + ": spine index " + std::to_string(options.spine) + " is negative; use 0 for the first **kern spine");
    return KernSpineReader(sourceName, options).read(text);
}

Result<Score> readKernFile(const std::string& path, const KernReadOptions& options) {
    Result<std::string> bytes = readFileBytes(path);
    if (!bytes) return Error{bytes.error()};
    return readKern(*bytes, path, options);
}

}  // namespace melodist::engine

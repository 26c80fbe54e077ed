// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/io/ScoreFile.h"

#include "engine/core/FileIO.h"
#include "engine/io/KernReader.h"
#include "engine/io/MidiFile.h"
#include "engine/io/MusicXmlReader.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace melodist::engine {
namespace {

std::string lowerExtension(const std::string& name) {
    const size_t slash = name.find_last_of("/\\");
    const size_t dot = name.rfind('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
    std::string extension = name.substr(dot);
    for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return extension;
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// Skips a UTF-8 byte order mark and leading white space.
std::string_view textStart(std::string_view bytes) {
    if (startsWith(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
    while (!bytes.empty() && std::isspace(static_cast<unsigned char>(bytes.front()))) bytes.remove_prefix(1);
    return bytes;
}

bool looksLikeXml(std::string_view bytes) {
    const std::string_view text = textStart(bytes);
    return startsWith(text, "<?xml") || startsWith(text, "<score-partwise") || startsWith(text, "<score-timewise") ||
           startsWith(text, "<!DOCTYPE score-");
}

// A kern file is text. Binary data shows as a NUL byte or as many control bytes (not
// tab, CR, LF, form feed); one stray control byte is a typo in a text file (Essen's
// erk/deut1328.krn has a backspace inside a note) and is left to the kern reader.
// Returns the offset of the first control byte when the start looks binary.
std::string_view::size_type firstBinaryByte(std::string_view bytes) {
    const size_t limit = std::min<size_t>(bytes.size(), 4096);
    size_t controlBytes = 0, first = std::string_view::npos;
    bool nul = false;
    for (size_t i = 0; i < limit; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
            ++controlBytes;
            nul = nul || c == 0;
            if (first == std::string_view::npos) first = i;
        }
    }
    return nul || controlBytes > std::max<size_t>(4, limit / 100) ? first : std::string_view::npos;
}

std::string hexByte(unsigned char c) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", c);
    return text;
}

}  // namespace

const char* scoreFormatName(ScoreFormat format) {
    switch (format) {
        case ScoreFormat::Kern:
            return "kern";
        case ScoreFormat::Midi:
            return "MIDI";
        case ScoreFormat::MusicXml:
            return "MusicXML";
        case ScoreFormat::CompressedMusicXml:
            return "compressed MusicXML";
        case ScoreFormat::Unknown:
            break;
    }
    return "unknown";
}

ScoreFormat detectScoreFormat(std::string_view bytes, const std::string& sourceName) {
    if (startsWith(bytes, "MThd")) return ScoreFormat::Midi;
    if (startsWith(bytes, "PK\x03\x04")) return ScoreFormat::CompressedMusicXml;  // a zip
    if (looksLikeXml(bytes)) return ScoreFormat::MusicXml;
    const std::string extension = lowerExtension(sourceName);
    if (extension == ".krn") return ScoreFormat::Kern;
    if (extension == ".mid" || extension == ".midi") return ScoreFormat::Midi;
    if (extension == ".musicxml" || extension == ".xml") return ScoreFormat::MusicXml;
    if (extension == ".mxl") return ScoreFormat::CompressedMusicXml;
    const std::string_view text = textStart(bytes);
    if (startsWith(text, "**kern") || startsWith(text, "!!!")) return ScoreFormat::Kern;
    return ScoreFormat::Unknown;
}

Result<Score> readScoreBytes(std::string_view bytes, const std::string& sourceName) {
    if (bytes.empty()) return makeError(sourceName + ": the file is empty (0 bytes); was it cut short while copying?");
    const ScoreFormat format = detectScoreFormat(bytes, sourceName);
    const std::string extension = lowerExtension(sourceName);
    switch (format) {
        case ScoreFormat::Midi:
            if (!startsWith(bytes, "MThd"))
                return makeError(sourceName + ": not a MIDI file: it does not start with 'MThd' (named " + extension +
                                 ", but holds something else)");
            return readMidi(bytes, sourceName);
        case ScoreFormat::MusicXml:
            if (!looksLikeXml(bytes))
                return makeError(sourceName +
                                 ": not a MusicXML file: it does not start with '<?xml' or '<score-partwise'");
            return readMusicXml(bytes, sourceName);
        case ScoreFormat::CompressedMusicXml:
            return makeError(sourceName +
                             ": compressed MusicXML (.mxl) is not read yet: unzip it and give the .musicxml inside");
        case ScoreFormat::Kern:
            if (const size_t at = firstBinaryByte(bytes); at != std::string_view::npos)
                return makeError(sourceName + ": not a kern file: byte " + std::to_string(at) + " is " +
                                 hexByte(static_cast<unsigned char>(bytes[at])) +
                                 ", binary data in a text format (a renamed or corrupt file?)");
            return readKern(bytes, sourceName);
        case ScoreFormat::Unknown:
            break;
    }
    return makeError(sourceName + ": unknown file type '" +
                     (extension.empty() ? std::string("no extension") : extension) +
                     "': Melodist reads kern (.krn), MIDI (.mid, .midi) and MusicXML (.musicxml, .xml)");
}

Result<Score> readScoreFile(const std::string& path) {
    auto bytes = readFileBytes(path);
    if (!bytes) return makeError(bytes.error());
    return readScoreBytes(*bytes, path);
}

}  // namespace melodist::engine

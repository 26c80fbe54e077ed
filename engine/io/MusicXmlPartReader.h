// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internals of the MusicXML reader (MusicXmlReader.cpp): the parse context that turns
// XML offsets into "file line N" messages and collects the score-level changes, and
// the reader of one part's measures. Used on the reading thread only; not public API.

#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <pugixml.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace melodist::engine {

// Where the parse is, for error messages, and the score-level facts all parts share.
class MusicXmlContext {
public:
    MusicXmlContext(std::string_view text, const std::string& sourceName) : m_text(text), m_sourceName(sourceName) {}

    Error fail(ptrdiff_t offset, const std::string& what) const {
        const size_t end = std::min(m_text.size(), static_cast<size_t>(std::max<ptrdiff_t>(0, offset)));
        const auto line = 1 + std::count(m_text.begin(), m_text.begin() + static_cast<ptrdiff_t>(end), '\n');
        return makeError("MusicXML " + m_sourceName + " line " + std::to_string(line) + ": " + what);
    }
    Error fail(const pugi::xml_node& node, const std::string& what) const { return fail(node.offset_debug(), what); }

    std::vector<KeyChange> keys;
    std::vector<MeterChange> meters;
    std::vector<TempoChange> tempos;

private:
    std::string_view m_text;
    const std::string& m_sourceName;
};

// What every reader error ends with.
inline const std::string kMusicXmlFix = "; fix the element or re-export the file from the notation program";

std::string_view trimmedText(std::string_view text);
// A whole number in [low, high] from the element's text, or an error naming it.
Result<int64_t> readMusicXmlInteger(const MusicXmlContext& context, const pugi::xml_node& node, double low, double high);

struct MusicXmlPart {
    Part part;
    bool sawUnpitched = false;  // had <unpitched> notes (percussion)
};
// Reads one part's measures in order; `part` brings name, program and channel.
Result<MusicXmlPart> readMusicXmlPart(MusicXmlContext& context, Part part, const std::vector<pugi::xml_node>& measures);

}  // namespace melodist::engine

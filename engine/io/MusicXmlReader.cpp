// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/io/MusicXmlReader.h"

#include "engine/core/FileIO.h"
#include "engine/io/MusicXmlPartReader.h"

#include <pugixml.hpp>

#include <algorithm>
#include <map>
#include <vector>

namespace melodist::engine {
namespace {

// Sorts changes by onset; of several at one onset the first read (earliest part)
// wins, and a change that restates the one before it is dropped.
template <class Change, class Same>
void normaliseChanges(std::vector<Change>& changes, Same same) {
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.onset < b.onset; });
    std::vector<Change> kept;
    for (const Change& change : changes) {
        if (!kept.empty() && kept.back().onset == change.onset) continue;
        if (!kept.empty() && same(kept.back(), change)) continue;
        kept.push_back(change);
    }
    changes = std::move(kept);
}

}  // namespace

Result<Score> readMusicXml(std::string_view text, const std::string& sourceName) {
    if (text.substr(0, 4) == std::string_view("PK\x03\x04", 4))
        return makeError("MusicXML " + sourceName +
                         ": this is compressed MusicXML (.mxl, a zip archive); unzip it and open the .musicxml "
                         "file inside (META-INF/container.xml names it), or export uncompressed MusicXML");
    MusicXmlContext context(text, sourceName);
    pugi::xml_document document;
    const pugi::xml_parse_result parsed = document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_auto);
    if (!parsed)
        return context.fail(parsed.offset, std::string("not well-formed XML (") + parsed.description() +
                                               "); is this a MusicXML file? Re-export it from the notation program");
    const pugi::xml_node root = document.document_element();
    const std::string_view rootName = root.name();
    if (rootName != "score-partwise" && rootName != "score-timewise")
        return context.fail(root, "the root element is <" + std::string(rootName.substr(0, 40)) +
                                      ">, not <score-partwise> or <score-timewise>; export the score as MusicXML");
    const bool timewise = rootName == "score-timewise";

    Score score;
    score.title = trimmedText(root.child("work").child_value("work-title"));
    if (score.title.empty()) score.title = trimmedText(root.child_value("movement-title"));

    // part-list: names and MIDI settings, in the order the parts are listed.
    std::vector<std::string> partIds;
    std::map<std::string, Part> partInfo;
    for (const pugi::xml_node& scorePart : root.child("part-list").children("score-part")) {
        const std::string id = scorePart.attribute("id").value();
        Part part;
        part.name = trimmedText(scorePart.child_value("part-name"));
        // Parts without a channel get their own, skipping the drum channel.
        const int defaultChannel = static_cast<int>(partIds.size() % 15);
        part.channel = defaultChannel >= 9 ? defaultChannel + 1 : defaultChannel;
        if (const pugi::xml_node midi = scorePart.child("midi-instrument")) {
            if (const pugi::xml_node program = midi.child("midi-program")) {
                Result<int64_t> value = readMusicXmlInteger(context, program, 1, 128);
                if (!value) return makeError(value.error());
                part.program = static_cast<int>(*value) - 1;
            }
            if (const pugi::xml_node channel = midi.child("midi-channel")) {
                Result<int64_t> value = readMusicXmlInteger(context, channel, 1, 16);
                if (!value) return makeError(value.error());
                part.channel = static_cast<int>(*value) - 1;
            }
        }
        if (partInfo.emplace(id, part).second) partIds.push_back(id);
    }

    // Each part's measures (timewise: the part's slice of every measure), in order.
    std::vector<std::pair<std::string, std::vector<pugi::xml_node>>> partMeasures;
    if (timewise) {
        for (const std::string& id : partIds) {
            std::vector<pugi::xml_node> measures;
            for (const pugi::xml_node& measure : root.children("measure"))
                if (const pugi::xml_node slice = measure.find_child_by_attribute("part", "id", id.c_str()))
                    measures.push_back(slice);
            partMeasures.emplace_back(id, std::move(measures));
        }
    } else {
        for (const pugi::xml_node& part : root.children("part")) {
            std::vector<pugi::xml_node> measures;
            for (const pugi::xml_node& measure : part.children("measure")) measures.push_back(measure);
            partMeasures.emplace_back(part.attribute("id").value(), std::move(measures));
        }
    }
    if (partMeasures.empty())
        return context.fail(root, "the score has no <part>; export the score again with its notes");

    for (auto& [id, measures] : partMeasures) {
        const auto info = partInfo.find(id);
        Part unlisted;  // a part missing from part-list is read all the same
        unlisted.name = id;
        Result<MusicXmlPart> read = readMusicXmlPart(context, info == partInfo.end() ? unlisted : info->second, measures);
        if (!read) return makeError(read.error());
        const bool drums = read->sawUnpitched && info != partInfo.end() && info->second.channel == 9;
        Part part = std::move(read->part);
        if (drums && part.notes.empty()) continue;
        score.parts.push_back(std::move(part));
    }

    score.keys = std::move(context.keys);
    score.meters = std::move(context.meters);
    score.tempos = std::move(context.tempos);
    normaliseChanges(score.keys, [](const KeyChange& a, const KeyChange& b) { return a.key == b.key && a.fifths == b.fifths; });
    normaliseChanges(score.meters, [](const MeterChange& a, const MeterChange& b) {
        return a.numerator == b.numerator && a.denominator == b.denominator;
    });
    normaliseChanges(score.tempos, [](const TempoChange& a, const TempoChange& b) { return a.bpm == b.bpm; });
    score.sort();
    return score;
}

Result<Score> readMusicXmlFile(const std::string& path) {
    Result<std::string> bytes = readFileBytes(path);
    if (!bytes) return makeError(bytes.error());
    return readMusicXml(*bytes, path);
}

}  // namespace melodist::engine

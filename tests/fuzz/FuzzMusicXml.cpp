// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the MusicXML reader, and for the writer on whatever the reader
// accepts: reading must never crash, and what we write from a score we read must read
// back without error.
#include "engine/io/MusicXmlReader.h"
#include "engine/io/MusicXmlWriter.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace melodist::engine;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const Result<Score> score = readMusicXml(text, "fuzz.musicxml");
    // Long scores are fine to write, just slow for a fuzzer (one measure per bar).
    if (!score || score->endTime() > Rational(2000)) return 0;
    const Result<Score> again = readMusicXml(writeMusicXml(*score), "rewritten.musicxml");
    if (!again || again->noteCount() > score->noteCount()) std::abort();
    return 0;
}

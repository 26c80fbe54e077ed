// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target for the Standard MIDI File reader: any bytes give a Score or an error,
// never a crash or a read past the buffer. What parses must also survive the writer,
// read back, and the chord encoding.
#include "engine/io/MidiFile.h"
#include "engine/music/ChordEncoding.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace melodist::engine;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const Result<Score> score = readMidi(bytes, "fuzz.mid");
    if (!score) return 0;
    const Result<Score> back = readMidi(writeMidi(*score), "fuzz-rewritten.mid");
    if (!back || back->noteCount() != score->noteCount()) std::abort();  // the writer must keep every note
    (void)encodeChords(*score);
    return 0;
}

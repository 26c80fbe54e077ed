// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target for the **kern reader and what runs on its output: any bytes must give a
// Score or an error, never a crash, hang or sanitizer report.
#include "engine/io/KernReader.h"
#include "engine/music/SeedPreprocessing.h"
#include "engine/music/StepEncoding.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace melodist::engine;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const int spine : {0, 1}) {
        Result<Score> score = readKern(text, "fuzz.krn", {.spine = spine});
        if (!score) continue;
        const SeedSong song = preprocessForSeeds(*score);
        // Decoding what we encoded must always succeed.
        if (song.kept && !decodeSteps(song.symbols)) __builtin_trap();
        (void)augmentationShifts(*score, 4);
    }
    return 0;
}

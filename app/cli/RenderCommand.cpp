// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist render`: a music file in, a WAV file out, through FluidSynth offline
// (engine/audio/OfflineRenderer.h). Audio builds only.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "engine/audio/AudioInfo.h"
#include "engine/audio/OfflineRenderer.h"
#include "engine/audio/WavWriter.h"
#include "engine/io/ScoreFile.h"

#include <chrono>
#include <cstdio>
#include <optional>

namespace melodist::cli {

int runRender(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     {{"out", true}, {"soundfont", true}, {"program", true}, {"tempo", true}, {"sample-rate", true},
                      {"articulation", true}});
    if (!args.error().empty()) return usageError("render", args.error());
    if (args.positional().size() != 1) return usageError("render", "give one music file (.mid, .krn or .musicxml)");
    const std::string input = args.positional().front();
    const std::string output = args.value("out");
    if (output.empty()) return usageError("render", "give the WAV file to write with --out FILE.wav");

    engine::RenderOptions options;
    options.program = static_cast<int>(args.integer("program", -1));
    options.tempoBpm = args.number("tempo", 0);
    options.sampleRate = static_cast<int>(args.integer("sample-rate", 44100));
    if (!args.error().empty()) return usageError("render", args.error());
    if (args.has("program") && (options.program < 0 || options.program > 127))
        return usageError("render", "--program is a General MIDI program, 0..127");
    if (args.has("tempo") && !(options.tempoBpm >= 1 && options.tempoBpm <= 2000))
        return usageError("render", "--tempo is quarter notes per minute, 1..2000");
    if (options.sampleRate < 8000 || options.sampleRate > 96000)
        return usageError("render", "--sample-rate is 8000..96000 Hz");
    const std::optional<engine::Articulation> articulation = engine::parseArticulation(args.value("articulation", "normal"));
    if (!articulation) return usageError("render", "--articulation is normal, legato or staccato");
    options.articulation = *articulation;
    options.soundfontPath = args.has("soundfont") ? args.value("soundfont") : engine::defaultSoundfontPath();

    const auto started = std::chrono::steady_clock::now();
    const engine::Result<engine::Score> score = engine::readScoreFile(input);
    if (!score) {
        std::fprintf(stderr, "melodist render: %s\n", score.error().c_str());
        return 1;
    }
    const engine::Result<std::vector<float>> audio = engine::renderScore(*score, options);
    if (!audio) {
        std::fprintf(stderr, "melodist render: %s: %s\n", input.c_str(), audio.error().c_str());
        return 1;
    }
    if (const engine::Result<void> saved = engine::writeWavFile(output, *audio, 2, options.sampleRate); !saved) {
        std::fprintf(stderr, "melodist render: %s\n", saved.error().c_str());
        return 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double duration = static_cast<double>(audio->size() / 2) / options.sampleRate;
    std::printf("render: %s: %.2f s of audio, %zu notes, soundfont %s, %d Hz; %.2f s\n", output.c_str(), duration,
                score->noteCount(), options.soundfontPath.c_str(), options.sampleRate, seconds);
    return 0;
}

}  // namespace melodist::cli

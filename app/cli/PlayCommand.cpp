// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist play`: plays a music file through FluidSynth and the first audio output that
// opens (engine/audio/Player.h), printing the position once a second. Audio builds only.
// Runs on the CLI's main thread, which polls the player; Ctrl+C stops with all notes off.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "engine/audio/Player.h"
#include "engine/io/ScoreFile.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>

namespace melodist::cli {
namespace {

volatile std::sig_atomic_t gInterrupted = 0;

// called on whichever thread the signal lands on: only sets the flag
void onInterrupt(int) { gInterrupted = 1; }

std::string clock(double seconds) {
    const long whole = static_cast<long>(seconds);
    char text[32];
    std::snprintf(text, sizeof text, "%ld:%02ld", whole / 60, whole % 60);
    return text;
}

}  // namespace

int runPlay(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     {{"soundfont", true}, {"program", true}, {"tempo", true}, {"driver", true}, {"articulation", true}});
    if (!args.error().empty()) return usageError("play", args.error());
    if (args.positional().size() != 1) return usageError("play", "give one music file (.mid, .krn or .musicxml)");
    const std::string input = args.positional().front();
    engine::PlayerOptions options;
    options.program = static_cast<int>(args.integer("program", -1));
    const double tempoBpm = args.number("tempo", 0);
    if (!args.error().empty()) return usageError("play", args.error());
    if (args.has("program") && (options.program < 0 || options.program > 127))
        return usageError("play", "--program is a General MIDI program, 0..127");
    if (args.has("tempo") && !(tempoBpm >= 1 && tempoBpm <= 2000))
        return usageError("play", "--tempo is quarter notes per minute, 1..2000");
    options.driver = args.value("driver", "auto");
    if (options.driver != "auto" && options.driver != "pulseaudio" && options.driver != "pipewire" &&
        options.driver != "alsa" && options.driver != "jack")
        return usageError("play", "--driver is auto, pulseaudio, pipewire, alsa or jack");
    options.soundfontPath = args.value("soundfont");
    const std::optional<engine::Articulation> articulation = engine::parseArticulation(args.value("articulation", "normal"));
    if (!articulation) return usageError("play", "--articulation is normal, legato or staccato");
    options.articulation = *articulation;

    const engine::Result<engine::Score> score = engine::readScoreFile(input);
    if (!score) {
        std::fprintf(stderr, "melodist play: %s\n", score.error().c_str());
        return 1;
    }
    auto player = engine::Player::open(options);
    if (!player) {
        std::fprintf(stderr, "melodist play: %s\n", player.error().c_str());
        return 1;
    }
    engine::Player& playing = **player;
    std::signal(SIGINT, &onInterrupt);
    std::signal(SIGTERM, &onInterrupt);
    if (const engine::Result<void> started = playing.play(*score, tempoBpm); !started) {
        std::fprintf(stderr, "melodist play: %s: %s\n", input.c_str(), started.error().c_str());
        return 1;
    }
    const double duration = playing.durationSeconds();
    std::printf("playing %s: %zu notes, %s, through %s at %d Hz, soundfont %s (Ctrl+C stops)\n", input.c_str(),
                score->noteCount(), clock(duration).c_str(), playing.driverName().c_str(), playing.sampleRate(),
                playing.soundfontPath().c_str());
    std::fflush(stdout);
    auto nextReport = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!gInterrupted && playing.isPlaying()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (std::chrono::steady_clock::now() < nextReport) continue;
        nextReport += std::chrono::seconds(1);
        std::printf("  %s / %s  quarter %.1f\n", clock(playing.positionSeconds()).c_str(), clock(duration).c_str(),
                    playing.positionQuarters());
        std::fflush(stdout);
    }
    const bool stopped = gInterrupted != 0;
    const double reached = playing.positionSeconds();
    playing.stop();
    if (!stopped) std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the last release sound
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::printf(stopped ? "stopped at %s\n" : "done: %s played\n", clock(reached).c_str());
    return 0;
}

}  // namespace melodist::cli

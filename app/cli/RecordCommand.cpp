// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist record`: records what is played into a MIDI input (a keyboard's port, or a
// virtual port other programs connect to) for some seconds, puts it on a grid and
// writes it as a MIDI file (engine/midi/MidiRecorder.h, engine/music/Quantizer.h).
// MIDI builds only. Runs on the CLI's main thread, which drains the recorder. With
// --thru (audio builds) the notes also sound at once through a Player's synthesiser.
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#ifdef MELODIST_HAVE_AUDIO
#include "engine/audio/Player.h"
#endif
#include "engine/io/MidiFile.h"
#include "engine/midi/MidiRecorder.h"
#include "engine/music/Quantizer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <optional>
#include <cstdio>
#include <memory>
#include <thread>
#include <utility>

namespace melodist::cli {
namespace {

volatile std::sig_atomic_t gInterrupted = 0;

// called on whichever thread the signal lands on: only sets the flag
void onInterrupt(int) { gInterrupted = 1; }

// "1/4", "1/3", "0.25", "1": a positive grid step in quarter notes.
std::optional<engine::Rational> parseGrid(const std::string& text) {
    try {
        const size_t slash = text.find('/');
        size_t used = 0;
        if (slash != std::string::npos) {
            const long num = std::stol(text.substr(0, slash), &used);
            if (used != slash) return std::nullopt;
            const std::string denText = text.substr(slash + 1);
            const long den = std::stol(denText, &used);
            if (used != denText.size() || num <= 0 || den <= 0 || den > 960) return std::nullopt;
            return engine::Rational(num, den);
        }
        const double value = std::stod(text, &used);
        if (used != text.size() || !(value > 0) || value > 16) return std::nullopt;
        return engine::Rational(std::llround(value * 960), 960);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

#ifdef MELODIST_HAVE_AUDIO
// called on the MIDI thread (MidiRecorderOptions::thru): decodes note-on/off and hands
// them to the player's synthesiser; no allocation, no lock of ours, no logging
void thruToPlayer(const unsigned char* bytes, std::size_t size, void* player) {
    if (size < 3) return;
    const int type = bytes[0] & 0xF0, channel = bytes[0] & 0x0F;
    if (type == 0x90 && bytes[2] > 0) static_cast<engine::Player*>(player)->noteOn(channel, bytes[1], bytes[2]);
    else if (type == 0x80 || type == 0x90) static_cast<engine::Player*>(player)->noteOff(channel, bytes[1]);
}
#endif

}  // namespace

int runRecord(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     {{"port", true}, {"api", true}, {"seconds", true}, {"out", true}, {"tempo", true},
                      {"grid", true}, {"strength", true}, {"thru", false}, {"driver", true}, {"soundfont", true}});
    if (!args.error().empty()) return usageError("record", args.error());
    if (!args.positional().empty()) return usageError("record", "unexpected argument '" + args.positional().front() + "'");
    const std::string output = args.value("out");
    if (output.empty()) return usageError("record", "give the MIDI file to write with --out FILE.mid");
    const double seconds = args.number("seconds", 0);
    engine::QuantizeOptions quantize;
    quantize.tempoBpm = args.number("tempo", 120);
    quantize.strength = args.number("strength", 1);
    if (!args.error().empty()) return usageError("record", args.error());
    if (!(seconds > 0 && seconds <= 3600)) return usageError("record", "give how long to record with --seconds S (0..3600)");
    if (!(quantize.tempoBpm >= 1 && quantize.tempoBpm <= 2000)) return usageError("record", "--tempo is quarter notes per minute, 1..2000");
    if (!(quantize.strength >= 0 && quantize.strength <= 1)) return usageError("record", "--strength is 0..1 (1: onto the grid)");
    const auto grid = parseGrid(args.value("grid", "1/4"));
    if (!grid) return usageError("record", "--grid is a step in quarter notes: 1/4 (16ths), 1/2, 1/3 (8th triplets), 1/6, ...");
    quantize.grid = *grid;

    engine::MidiRecorderOptions options;
    options.portName = args.value("port");
    const std::string api = args.value("api", "auto");
    if (api == "jack") options.api = engine::MidiApi::Jack;
    else if (api == "alsa") options.api = engine::MidiApi::Alsa;
    else if (api != "auto") return usageError("record", "--api is jack, alsa or auto");

#ifdef MELODIST_HAVE_AUDIO
    // Declared before the recorder: it is destroyed after the MIDI thread that plays into it.
    std::unique_ptr<engine::Player> thruPlayer;
    if (args.has("thru")) {
        engine::PlayerOptions playerOptions;
        playerOptions.driver = args.value("driver", "auto");
        playerOptions.soundfontPath = args.value("soundfont");
        playerOptions.clientName = "melodist-thru";  // the MIDI client is "melodist"
        auto opened = engine::Player::open(playerOptions);
        if (!opened) {
            std::fprintf(stderr, "melodist record: --thru: %s\n", opened.error().c_str());
            return 1;
        }
        thruPlayer = std::move(*opened);
        options.thru = &thruToPlayer;
        options.thruContext = thruPlayer.get();
        std::printf("thru: notes sound through %s\n", thruPlayer->driverName().c_str());
    }
#else
    if (args.has("thru")) return usageError("record", "--thru needs an audio build (FluidSynth)");
#endif
    auto recorder = engine::MidiRecorder::open(options);
    if (!recorder) {
        std::fprintf(stderr, "melodist record: %s\n", recorder.error().c_str());
        return 1;
    }
    std::printf("recording from %s for %g s… (Ctrl+C stops early)\n", (*recorder)->portDescription().c_str(), seconds);
    std::fflush(stdout);
    std::signal(SIGINT, &onInterrupt);
    std::signal(SIGTERM, &onInterrupt);
    while (!gInterrupted && (*recorder)->elapsedSeconds() < seconds) {
        (*recorder)->drain();
        const double left = seconds - (*recorder)->elapsedSeconds();
        std::this_thread::sleep_for(std::chrono::duration<double>(std::clamp(left, 0.0, 0.02)));
    }
    const std::vector<engine::TimedNote> played = (*recorder)->stop();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if ((*recorder)->droppedMessages() > 0)
        std::fprintf(stderr, "melodist record: warning: %llu MIDI messages were lost\n",
                     static_cast<unsigned long long>((*recorder)->droppedMessages()));

    // The melody starts with its first note: time before it is waiting, not music.
    if (!played.empty()) quantize.originSeconds = played.front().onsetSeconds;
    const engine::Quantizer quantizer(quantize);
    engine::Score score;
    score.title = "Recorded";
    score.tempos.push_back({0, quantize.tempoBpm});
    score.meters.push_back({0, 4, 4});
    engine::Part part;
    part.name = "Recorded";
    part.notes = quantizer.quantize(played);
    score.parts.push_back(std::move(part));

    double offSum = 0, offMax = 0;
    for (const engine::TimedNote& note : played) {
        const double off = std::abs(quantizer.gridOffsetSeconds(note.onsetSeconds));
        offSum += off;
        offMax = std::max(offMax, off);
    }
    if (const engine::Result<void> saved = engine::writeMidiFile(score, output); !saved) {
        std::fprintf(stderr, "melodist record: %s\n", saved.error().c_str());
        return 1;
    }
    std::printf("recorded %zu notes (%llu MIDI messages) in %.2f s", played.size(),
                static_cast<unsigned long long>((*recorder)->receivedMessages()), (*recorder)->elapsedSeconds());
    if (!played.empty())
        std::printf("; onsets off the %s grid by %.1f ms on average, %.1f ms at most (before quantizing)",
                    quantize.grid.toString().c_str(), offSum / static_cast<double>(played.size()) * 1000.0,
                    offMax * 1000.0);
    std::printf("\nwrote %s: %zu notes at %g BPM, grid %s, strength %g\n", output.c_str(), played.size(),
                quantize.tempoBpm, quantize.grid.toString().c_str(), quantize.strength);
    return 0;
}

}  // namespace melodist::cli

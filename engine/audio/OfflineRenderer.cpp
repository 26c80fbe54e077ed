// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/audio/OfflineRenderer.h"
#include "engine/audio/SynthChannels.h"

#include "engine/core/Log.h"

#include <fluidsynth.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <tuple>

namespace melodist::engine {
namespace {

constexpr double kDefaultBpm = 120.0;
constexpr double kMaxSeconds = 3600.0;  // one hour: 1.2 GB of float stereo at 44.1 kHz
constexpr double kGain = 0.8;           // FluidSynth master gain: one note of the built-in font peaks near -14 dBFS
constexpr int kChunkFrames = 1 << 16;

struct Event {
    int64_t frame;
    int kind;  // 0 note-off, 1 note-on: offs first at the same frame
    int channel;
    int key;
    int velocity;
    friend bool operator<(const Event& a, const Event& b) {
        return std::tie(a.frame, a.kind, a.channel, a.key, a.velocity) <
               std::tie(b.frame, b.kind, b.channel, b.key, b.velocity);
    }
};

struct SettingsDeleter {
    void operator()(fluid_settings_t* settings) const { delete_fluid_settings(settings); }
};
struct SynthDeleter {
    void operator()(fluid_synth_t* synth) const { delete_fluid_synth(synth); }
};


}  // namespace

double scoreTimeToSeconds(const Score& score, Rational quarterNotes, double tempoBpm) {
    const double target = quarterNotes.toDouble();
    if (tempoBpm > 0) return target * 60.0 / tempoBpm;
    double seconds = 0, position = 0, bpm = kDefaultBpm;
    for (const TempoChange& change : score.tempos) {
        const double onset = change.onset.toDouble();
        if (onset >= target) break;
        seconds += (onset - position) * 60.0 / bpm;
        position = onset;
        if (change.bpm > 0) bpm = change.bpm;
    }
    return seconds + (target - position) * 60.0 / bpm;
}

Result<std::vector<float>> renderScore(const Score& score, const RenderOptions& options) {
    namespace fs = std::filesystem;
    const std::string& font = options.soundfontPath;
    if (font.empty())
        return makeError("no soundfont to render with: pass one (--soundfont FILE.sf2), or install a General MIDI "
                         "font (apt install fluid-soundfont-gm) or Melodist's share/melodist/soundfonts");
    std::error_code error;
    if (!fs::is_regular_file(font, error))
        return makeError(font + ": soundfont not found; check the path, or leave it out to use the default one");
    if (options.sampleRate < 8000 || options.sampleRate > 96000)
        return makeError("sample rate " + std::to_string(options.sampleRate) + " Hz is out of range: use 8000..96000");
    if (options.program < -1 || options.program > 127)
        return makeError("program " + std::to_string(options.program) + " is out of range: use 0..127 (or -1 for each part's own)");
    if (!(options.tempoBpm >= 0 && options.tempoBpm <= 2000))
        return makeError("tempo " + std::to_string(options.tempoBpm) + " BPM is out of range: use 1..2000 (or 0 for the score's)");
    if (!(options.tailSeconds >= 0 && options.tailSeconds <= 60))
        return makeError("tail of " + std::to_string(options.tailSeconds) + " s is out of range: use 0..60");
    if (score.noteCount() == 0) return makeError("the score has no notes to render");

    const double rate = options.sampleRate;
    const double endSeconds = scoreTimeToSeconds(score, score.endTime(), options.tempoBpm) + options.tailSeconds;
    if (endSeconds > kMaxSeconds)
        return makeError("the score lasts " + std::to_string(static_cast<long>(endSeconds)) +
                         " s; rendering is limited to " + std::to_string(static_cast<long>(kMaxSeconds)) + " s");

    std::vector<Event> events;
    int channelsNeeded = 16;
    for (size_t i = 0; i < score.parts.size(); ++i)
        channelsNeeded = std::max(channelsNeeded, (channelForPart(static_cast<int>(i)) / 16 + 1) * 16);
    for (const SoundingNote& note : soundingNotes(score, options.tempoBpm, options.articulation)) {
        const int64_t on = std::llround(note.onSeconds * rate);
        const int64_t off = std::max(on + 1, static_cast<int64_t>(std::llround(note.offSeconds * rate)));
        events.push_back({on, 1, note.channel, note.pitch, note.velocity});
        events.push_back({off, 0, note.channel, note.pitch, 0});
    }
    std::sort(events.begin(), events.end());

    std::unique_ptr<fluid_settings_t, SettingsDeleter> settings(new_fluid_settings());
    if (!settings) return makeError("FluidSynth could not create its settings (out of memory?)");
    fluid_settings_setnum(settings.get(), "synth.sample-rate", rate);
    fluid_settings_setnum(settings.get(), "synth.gain", kGain);
    fluid_settings_setint(settings.get(), "synth.reverb.active", 0);  // no tail beyond the release, dry output
    fluid_settings_setint(settings.get(), "synth.chorus.active", 0);
    fluid_settings_setint(settings.get(), "synth.midi-channels", channelsNeeded);
    fluid_settings_setint(settings.get(), "synth.cpu-cores", 1);       // one thread: same order of sums every run
    fluid_settings_setint(settings.get(), "synth.threadsafe-api", 0);  // private synth, one caller
    fluid_settings_setint(settings.get(), "synth.polyphony", 512);
    std::unique_ptr<fluid_synth_t, SynthDeleter> synth(new_fluid_synth(settings.get()));
    if (!synth) return makeError("FluidSynth could not create a synthesiser at " + std::to_string(options.sampleRate) + " Hz");
    const int fontId = fluid_synth_sfload(synth.get(), font.c_str(), /*reset_presets=*/1);
    if (fontId == FLUID_FAILED)
        return makeError(font + ": FluidSynth cannot load this soundfont (not an SF2/SF3 file, or damaged); "
                         "choose another one");
    fluid_sfont_t* sfont = fluid_synth_get_sfont_by_id(synth.get(), fontId);

    for (size_t i = 0; i < score.parts.size(); ++i) {
        const Part& part = score.parts[i];
        if (part.notes.empty()) continue;
        const int wanted = options.program >= 0 ? options.program : std::clamp(part.program, 0, 127);
        const auto [bank, program] = choosePreset(sfont, wanted);
        if (bank < 0) return makeError(font + ": the soundfont has no presets; choose another one");
        if (program != wanted || bank != 0)
            MELODIST_LOG_WARNING(font + " has no program " + std::to_string(wanted) + " in bank 0; part '" + part.name +
                                 "' plays bank " + std::to_string(bank) + " program " + std::to_string(program));
        fluid_synth_program_select(synth.get(), channelForPart(static_cast<int>(i)), fontId, bank, program);
    }

    const int64_t totalFrames = std::max(static_cast<int64_t>(std::llround(endSeconds * rate)),
                                         events.empty() ? 0 : events.back().frame);
    std::vector<float> audio(static_cast<size_t>(totalFrames) * 2, 0.0f);
    int64_t position = 0;
    const auto renderUntil = [&](int64_t frame) {
        while (position < frame) {
            const int count = static_cast<int>(std::min<int64_t>(frame - position, kChunkFrames));
            const int offset = static_cast<int>(position * 2);
            fluid_synth_write_float(synth.get(), count, audio.data(), offset, 2, audio.data(), offset + 1, 2);
            position += count;
        }
    };
    for (const Event& event : events) {
        renderUntil(event.frame);
        if (event.kind == 1)
            fluid_synth_noteon(synth.get(), event.channel, event.key, event.velocity);
        else
            fluid_synth_noteoff(synth.get(), event.channel, event.key);
    }
    renderUntil(totalFrames);
    return audio;
}

}  // namespace melodist::engine

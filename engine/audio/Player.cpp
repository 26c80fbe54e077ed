// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/audio/Player.h"
#include "engine/audio/SynthChannels.h"

#include "engine/audio/AudioInfo.h"
#include "engine/audio/LoopScheduler.h"
#include "engine/audio/OfflineRenderer.h"
#include "engine/core/Log.h"

#include <fluidsynth.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <utility>

#include <unistd.h>

namespace melodist::engine {
namespace {

constexpr double kDefaultBpm = 120.0;
constexpr double kGain = 0.8;  // as OfflineRenderer: one note of the built-in font peaks near -14 dBFS
constexpr int kMidiChannels = 64;
const char* const kAutoDrivers[] = {"pulseaudio", "pipewire", "alsa", "jack"};

// Where FluidSynth's log lines go while open() or play() runs on this thread.
thread_local std::string* t_fluidMessages = nullptr;

// called on any thread FluidSynth logs from, the audio thread included: there it only
// drops the line (no lock, no allocation); on a thread inside open()/play() it keeps it.
void onFluidLog(int level, const char* message, void*) {
    if (t_fluidMessages == nullptr || level > FLUID_WARN || message == nullptr) return;
    if (!t_fluidMessages->empty()) t_fluidMessages->append("; ");
    t_fluidMessages->append(message);
}

void silenceFluidSynth() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (int level : {FLUID_PANIC, FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG})
            fluid_set_log_function(level, &onFluidLog, nullptr);
    });
}

// Collects FluidSynth's messages for the scope's lifetime; logs them at debug level.
class FluidMessages {
public:
    FluidMessages() { t_fluidMessages = &m_text; }
    ~FluidMessages() {
        t_fluidMessages = nullptr;
        if (!m_text.empty()) MELODIST_LOG_DEBUG("FluidSynth: " + m_text);
    }
    std::string take() { return std::exchange(m_text, {}); }

private:
    std::string m_text;
};

void addDriverName(void* data, const char*, const char* option) {
    static_cast<std::vector<std::string>*>(data)->push_back(option);
}

bool exists(const std::string& path) {
    std::error_code error;
    return std::filesystem::exists(path, error);
}

std::string runtimeDir() {
    if (const char* dir = std::getenv("XDG_RUNTIME_DIR"); dir && *dir) return dir;
    return "/run/user/" + std::to_string(::getuid());
}

// Why `driver` cannot work here, or "" when it is worth trying. Libraries under the
// drivers print to stderr when there is nothing to connect to (alsa-lib: "cannot find
// card '0'", libjack: "Cannot connect to server socket"), so we look before we try.
std::string whyUnavailable(const std::string& driver) {
    if (driver == "pulseaudio") {
        if (std::getenv("PULSE_SERVER") || exists(runtimeDir() + "/pulse/native")) return {};
        return "no PulseAudio server (" + runtimeDir() + "/pulse/native)";
    }
    if (driver == "pipewire") {
        if (std::getenv("PIPEWIRE_REMOTE") || exists(runtimeDir() + "/pipewire-0")) return {};
        return "no PipeWire server (" + runtimeDir() + "/pipewire-0)";
    }
    if (driver == "alsa") {
        std::error_code error;
        for (std::filesystem::directory_iterator it("/dev/snd", error), end; !error && it != end; it.increment(error)) {
            const std::string name = it->path().filename().string();
            if (name.rfind("pcmC", 0) == 0 && name.back() == 'p') return {};
        }
        if (const char* home = std::getenv("HOME"); home && exists(std::string(home) + "/.asoundrc")) return {};
        if (exists("/etc/asound.conf")) return {};
        return "no sound card (/dev/snd has no playback device)";
    }
    if (driver == "jack") {
        const char* named = std::getenv("JACK_DEFAULT_SERVER");
        const std::string server = named && *named ? named : "default";
        const std::string uid = std::to_string(::getuid());
        if (exists("/dev/shm/jack-" + uid + "/" + server) || exists("/dev/shm/jack_" + server + "_" + uid + "_0"))
            return {};
        return "no JACK server running (server '" + server + "')";
    }
    return {};
}


}  // namespace

struct Player::Impl {
    fluid_settings_t* settings = nullptr;
    fluid_synth_t* synth = nullptr;
    fluid_sequencer_t* sequencer = nullptr;
    fluid_audio_driver_t* driver = nullptr;
    fluid_seq_id_t synthClient = -1;
    int fontId = -1;
    int program = -1;
    Articulation articulation = Articulation::Normal;
    std::string driverName;
    std::string soundfont;
    // What plays: set by play() on the control thread, read by the polling functions there.
    std::vector<TempoChange> tempos;
    double tempoBpm = 0;
    unsigned int startTick = 0;
    double durationSeconds = 0;
    bool playing = false;
    // The loop region set for the next play(), and the one the current play() uses (ms of
    // score time from the start; its first pass ends at startTick + loopEndMs).
    bool loopSet = false;
    Rational loopStart, loopEnd;
    bool looping = false;
    unsigned int loopStartMs = 0, loopEndMs = 0;
    std::unique_ptr<LoopScheduler> loop;  // created by the first play() with a loop

    ~Impl() {
        loop.reset();  // joins its worker, which queues on the sequencer
        // The driver first: its thread renders with the synth and drives the sequencer.
        if (driver) delete_fluid_audio_driver(driver);
        if (sequencer) delete_fluid_sequencer(sequencer);
        if (synth) delete_fluid_synth(synth);
        if (settings) delete_fluid_settings(settings);
    }

    double elapsedSeconds() const {
        const unsigned int tick = fluid_sequencer_get_tick(sequencer);
        return tick > startTick ? (tick - startTick) / 1000.0 : 0.0;
    }

    // Where in the score the audio rendered is: past the loop's end, back inside the loop.
    double scoreSeconds() const {
        const double elapsed = elapsedSeconds();
        if (!looping) return std::min(elapsed, durationSeconds);
        const double end = loopEndMs / 1000.0;
        if (elapsed < end) return elapsed;
        return loopStartMs / 1000.0 + std::fmod(elapsed - end, (loopEndMs - loopStartMs) / 1000.0);
    }
};

Player::Player(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

Player::~Player() {
    if (m_impl && m_impl->synth) stop();
}

Result<std::unique_ptr<Player>> Player::open(const PlayerOptions& options) {
    silenceFluidSynth();
    FluidMessages messages;
    if (options.sampleRate < 8000 || options.sampleRate > 96000)
        return makeError("sample rate " + std::to_string(options.sampleRate) + " Hz is out of range: use 8000..96000");
    if (options.periodSize < 64 || options.periodSize > 8192)
        return makeError("period size " + std::to_string(options.periodSize) + " is out of range: use 64..8192 frames");
    if (options.periods < 2 || options.periods > 64)
        return makeError("periods " + std::to_string(options.periods) + " is out of range: use 2..64");
    if (options.program < -1 || options.program > 127)
        return makeError("program " + std::to_string(options.program) + " is out of range: use 0..127 (or -1 for each part's own)");

    auto impl = std::make_unique<Impl>();
    impl->program = options.program;
    impl->articulation = options.articulation;
    impl->soundfont = options.soundfontPath.empty() ? defaultSoundfontPath() : options.soundfontPath;
    if (impl->soundfont.empty())
        return makeError("no soundfont to play with: pass one (--soundfont FILE.sf2), or install a General MIDI "
                         "font (apt install fluid-soundfont-gm) or Melodist's share/melodist/soundfonts");
    std::error_code error;
    if (!std::filesystem::is_regular_file(impl->soundfont, error))
        return makeError(impl->soundfont + ": soundfont not found; check the path, or leave it out to use the default one");

    std::vector<std::string> compiled;
    impl->settings = new_fluid_settings();
    if (!impl->settings) return makeError("FluidSynth could not create its settings (out of memory?)");
    fluid_settings_foreach_option(impl->settings, "audio.driver", &compiled, &addDriverName);
    std::vector<std::string> wanted;
    if (options.driver == "auto") {
        for (const char* name : kAutoDrivers)
            if (std::find(compiled.begin(), compiled.end(), name) != compiled.end()) wanted.emplace_back(name);
        if (wanted.empty()) return makeError("no audio output available: FluidSynth was built without PulseAudio, PipeWire, ALSA and JACK");
    } else if (std::find(compiled.begin(), compiled.end(), options.driver) == compiled.end()) {
        std::string list;
        for (const std::string& name : compiled) list += (list.empty() ? "" : ", ") + name;
        return makeError("audio driver '" + options.driver + "' is not built into FluidSynth (it has: " + list + ")");
    } else {
        wanted.push_back(options.driver);
    }

    fluid_settings_t* settings = impl->settings;
    fluid_settings_setnum(settings, "synth.sample-rate", options.sampleRate);
    fluid_settings_setnum(settings, "synth.gain", kGain);
    fluid_settings_setint(settings, "synth.reverb.active", options.effects ? 1 : 0);
    fluid_settings_setint(settings, "synth.chorus.active", options.effects ? 1 : 0);
    fluid_settings_setint(settings, "synth.midi-channels", kMidiChannels);
    fluid_settings_setint(settings, "audio.period-size", options.periodSize);
    fluid_settings_setint(settings, "audio.periods", options.periods);
    fluid_settings_setstr(settings, "audio.jack.id", options.clientName.c_str());
    fluid_settings_setint(settings, "audio.jack.autoconnect", options.jackAutoConnect ? 1 : 0);
    impl->synth = new_fluid_synth(settings);
    if (!impl->synth) return makeError("FluidSynth could not create a synthesiser at " + std::to_string(options.sampleRate) + " Hz");
    impl->fontId = fluid_synth_sfload(impl->synth, impl->soundfont.c_str(), /*reset_presets=*/1);
    if (impl->fontId == FLUID_FAILED)
        return makeError(impl->soundfont + ": FluidSynth cannot load this soundfont (not an SF2/SF3 file, or damaged); "
                         "choose another one");
    // The sequencer runs on the synth's sample clock (not the system timer): its ticks
    // are milliseconds of audio rendered, and events land on the rendering's blocks.
    impl->sequencer = new_fluid_sequencer2(/*use_system_timer=*/0);
    if (!impl->sequencer) return makeError("FluidSynth could not create its sequencer (out of memory?)");
    impl->synthClient = fluid_sequencer_register_fluidsynth(impl->sequencer, impl->synth);
    if (impl->synthClient == FLUID_FAILED) return makeError("FluidSynth could not connect its sequencer to the synthesiser");

    std::string tried;
    for (const std::string& name : wanted) {
        std::string why = whyUnavailable(name);
        if (why.empty()) {
            fluid_settings_setstr(settings, "audio.driver", name.c_str());
            impl->driver = new_fluid_audio_driver(settings, impl->synth);
            if (impl->driver) {
                impl->driverName = name;
                break;
            }
            why = messages.take();
            if (why.empty()) why = "the driver did not open";
        }
        tried += (tried.empty() ? "" : "; ") + name + ": " + why;
    }
    if (!impl->driver) return makeError("no audio output available: " + tried);
    MELODIST_LOG_DEBUG("playing through " + impl->driverName + " with " + impl->soundfont);
    return std::unique_ptr<Player>(new Player(std::move(impl)));
}

Result<void> Player::play(const Score& score, double tempoBpm) {
    FluidMessages messages;
    if (!(tempoBpm >= 0 && tempoBpm <= 2000))
        return makeError("tempo " + std::to_string(tempoBpm) + " BPM is out of range: use 1..2000 (or 0 for the score's)");
    if (score.noteCount() == 0) return makeError("the score has no notes to play");
    stop();
    Impl& d = *m_impl;
    fluid_sfont_t* sfont = fluid_synth_get_sfont_by_id(d.synth, d.fontId);
    const size_t partCount = std::min(score.parts.size(), size_t(kMidiChannels * 15 / 16));
    if (partCount < score.parts.size())
        MELODIST_LOG_WARNING("only the first " + std::to_string(partCount) + " parts play");
    for (size_t i = 0; i < partCount; ++i) {
        const Part& part = score.parts[i];
        if (part.notes.empty()) continue;
        const int wanted = d.program >= 0 ? d.program : std::clamp(part.program, 0, 127);
        const auto [bank, program] = choosePreset(sfont, wanted);
        if (bank < 0) return makeError(d.soundfont + ": the soundfont has no presets; choose another one");
        fluid_synth_program_select(d.synth, channelForPart(static_cast<int>(i)), d.fontId, bank, program);
    }

    d.tempos = score.tempos;
    d.tempoBpm = tempoBpm;
    d.durationSeconds = scoreTimeToSeconds(score, score.endTime(), tempoBpm);
    // Times are relative to now: what is due already (the first notes) sounds at the next
    // rendered block, so the start latency is one audio period at most.
    const auto relativeMs = [&](Rational time) {
        return static_cast<unsigned int>(std::llround(scoreTimeToSeconds(score, time, tempoBpm) * 1000.0));
    };
    d.looping = d.loopSet;
    if (d.looping) {
        d.loopStartMs = relativeMs(d.loopStart);
        d.loopEndMs = relativeMs(d.loopEnd);
        if (d.loopEndMs <= d.loopStartMs) {
            d.looping = false;
            return makeError("the loop " + d.loopStart.toString() + ".." + d.loopEnd.toString() +
                             " lasts less than a millisecond at this tempo; make it longer");
        }
    }
    std::vector<LoopNote> loopNotes;
    d.startTick = fluid_sequencer_get_tick(d.sequencer);
    const auto msAt = [&](double seconds) {
        return d.startTick + static_cast<unsigned int>(std::llround(seconds * 1000.0));
    };
    const unsigned int loopEndTick = d.startTick + d.loopEndMs;
    fluid_event_t* event = new_fluid_event();
    if (!event) return makeError("FluidSynth could not create an event (out of memory?)");
    fluid_event_set_source(event, -1);
    fluid_event_set_dest(event, d.synthClient);
    for (const SoundingNote& note : soundingNotes(score, tempoBpm, d.articulation, partCount)) {
        const unsigned int on = msAt(note.onSeconds);
        unsigned int off = std::max(on + 1, msAt(note.offSeconds));
        if (d.looping) {
            // The first pass runs from the start to the loop's end; what sounds there is released.
            if (on >= loopEndTick) continue;
            off = std::min(off, loopEndTick);
            if (!(note.onset < d.loopStart))
                loopNotes.push_back({note.channel, note.pitch, note.velocity, on - d.startTick - d.loopStartMs,
                                     off - d.startTick - d.loopStartMs});
        }
        // The sequencer sends note-offs before note-ons due at the same tick.
        fluid_event_noteoff(event, note.channel, static_cast<short>(note.pitch));
        fluid_sequencer_send_at(d.sequencer, event, off, /*absolute=*/1);
        fluid_event_noteon(event, note.channel, static_cast<short>(note.pitch), static_cast<short>(note.velocity));
        fluid_sequencer_send_at(d.sequencer, event, on, /*absolute=*/1);
    }
    delete_fluid_event(event);
    if (d.looping) {
        if (!d.loop) d.loop = std::make_unique<LoopScheduler>(d.sequencer, d.synthClient);
        d.loop->start(std::move(loopNotes), loopEndTick, d.loopEndMs - d.loopStartMs);
    }
    d.playing = true;
    return {};
}

Result<void> Player::setLoop(Rational startQuarter, Rational endQuarter) {
    if (startQuarter < Rational(0) || !(startQuarter < endQuarter))
        return makeError("loop " + startQuarter.toString() + ".." + endQuarter.toString() +
                         " is not a region: give a start >= 0 before the end (in quarter notes)");
    m_impl->loopSet = true;
    m_impl->loopStart = startQuarter;
    m_impl->loopEnd = endQuarter;
    return {};
}

void Player::clearLoop() { m_impl->loopSet = false; }
void Player::setArticulation(Articulation articulation) { m_impl->articulation = articulation; }
Articulation Player::articulation() const { return m_impl->articulation; }

// called on any thread, the MIDI callback included: FluidSynth's own thread-safe calls only
void Player::noteOn(int channel, int pitch, int velocity) {
    if (channel < 0 || channel > 15 || pitch < 0 || pitch > 127 || velocity < 1 || velocity > 127) return;
    fluid_synth_noteon(m_impl->synth, channel, pitch, velocity);
}

// called on any thread, the MIDI callback included
void Player::noteOff(int channel, int pitch) {
    if (channel < 0 || channel > 15 || pitch < 0 || pitch > 127) return;
    fluid_synth_noteoff(m_impl->synth, channel, pitch);
}
bool Player::hasLoop() const { return m_impl->loopSet; }

void Player::stop() {
    Impl& d = *m_impl;
    if (d.loop) d.loop->stop();  // first: its worker must not queue a pass after the queue is cleared
    fluid_sequencer_remove_events(d.sequencer, -1, -1, -1);
    fluid_synth_all_notes_off(d.synth, -1);
    d.playing = false;
    d.looping = false;
}

bool Player::isPlaying() const {
    return m_impl->playing && (m_impl->looping || m_impl->elapsedSeconds() < m_impl->durationSeconds);
}

double Player::positionSeconds() const { return m_impl->playing ? m_impl->scoreSeconds() : 0.0; }

double Player::positionQuarters() const {
    const double seconds = positionSeconds();
    if (m_impl->tempoBpm > 0) return seconds * m_impl->tempoBpm / 60.0;
    // The inverse of scoreTimeToSeconds: walk the tempo changes until `seconds` is used up.
    double elapsed = 0, position = 0, bpm = kDefaultBpm;
    for (const TempoChange& change : m_impl->tempos) {
        const double onset = change.onset.toDouble();
        const double segment = (onset - position) * 60.0 / bpm;
        if (onset <= position) {
            if (change.bpm > 0) bpm = change.bpm;
            continue;
        }
        if (elapsed + segment > seconds) break;
        elapsed += segment;
        position = onset;
        if (change.bpm > 0) bpm = change.bpm;
    }
    return position + (seconds - elapsed) * bpm / 60.0;
}

double Player::durationSeconds() const { return m_impl->durationSeconds; }
const std::string& Player::driverName() const { return m_impl->driverName; }
const std::string& Player::soundfontPath() const { return m_impl->soundfont; }

int Player::sampleRate() const {
    double rate = 0;
    fluid_settings_getnum(m_impl->settings, "synth.sample-rate", &rate);
    return static_cast<int>(std::lround(rate));
}

}  // namespace melodist::engine

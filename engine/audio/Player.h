// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Real-time playback of a Score through FluidSynth and an audio driver (PulseAudio,
// ALSA or JACK). Every note is scheduled up front on FluidSynth's sequencer, which runs
// on the synthesiser's sample clock, so the position the UI polls is the audio rendered.
// Call it from one control thread (the UI's, or the CLI's main thread); the audio thread
// is the driver's own and runs only FluidSynth code. The caller owns the Player.
//
//   PlayerOptions options;                                   // default soundfont, "auto" driver
//   Result<std::unique_ptr<Player>> player = Player::open(options);
//   if (!player) { report(player.error()); return; }         // "no audio output available: ..."
//   Result<void> started = (*player)->play(score);            // returns at once
//   while ((*player)->isPlaying()) showCursor((*player)->positionQuarters());
//   (*player)->stop();                                        // all notes off, queue cleared
//   (void)(*player)->setLoop(Rational(4), Rational(8));      // bars 2..3 in 4/4, from the next play()
//
// FluidSynth's own log lines never reach stderr: while `open` or `play` runs on the
// calling thread they are kept (for the error message) and logged at debug level; from any
// other thread (the audio thread) they are dropped. The sequencer's queue has a FluidSynth
// mutex that its render call takes on the audio thread; play() and stop() hold it briefly.
// With a loop set, a worker thread of the Player's (LoopScheduler) queues each next pass
// of the loop one pass ahead; it takes that mutex briefly too, never the audio thread's time.

#include "engine/audio/Articulation.h"
#include "engine/core/Result.h"
#include "engine/music/Score.h"

#include <memory>
#include <string>
#include <vector>

namespace melodist::engine {

struct PlayerOptions {
    std::string soundfontPath;          // "" -> defaultSoundfontPath() (AudioInfo.h)
    std::string driver = "auto";        // auto (pulseaudio, pipewire, alsa, jack: first that opens) or one of them
    int sampleRate = 48000;             // 8000..96000 Hz (JACK uses its server's rate)
    int periodSize = 256;               // frames per audio period, 64..8192
    int periods = 2;                    // periods in the device buffer (ALSA, PulseAudio), 2..64
    int program = -1;                   // General MIDI program 0..127 for every part; -1: each part's own
    bool effects = true;                // reverb and chorus
    std::string clientName = "melodist";  // the JACK client's name (ports "<name>:left", "<name>:right")
    bool jackAutoConnect = true;        // JACK: connect to the system playback ports
    Articulation articulation = Articulation::Normal;  // how long notes sound, as OfflineRenderer (Articulation.h)
};

class Player {
public:
    [[nodiscard]] static Result<std::unique_ptr<Player>> open(const PlayerOptions& options);
    ~Player();
    Player(const Player&) = delete;
    Player& operator=(const Player&) = delete;

    // Stops what plays, sets each part's program (channel i for part i, drums skipped)
    // and schedules every note from now; quarter notes become seconds through the score's
    // tempo map, or at `tempoBpm` when > 0; each note sounds as long as articulation() says
    // (Articulation.h, the same as a rendered WAV). Returns at once.
    [[nodiscard]] Result<void> play(const Score& score, double tempoBpm = 0);
    void stop();  // removes the scheduled events, then all notes off (their releases still sound)

    // A loop region in quarter notes, used from the next play() on: playback runs from the
    // score's start to `endQuarter`, then jumps back to `startQuarter`, pass after pass, until
    // stop(). Notes starting in [start, end) play in every pass; notes still sounding at
    // the end are released there. Error when start < 0 or end <= start.
    [[nodiscard]] Result<void> setLoop(Rational startQuarter, Rational endQuarter);
    void clearLoop();  // from the next play() on, the score plays once to its end
    bool hasLoop() const;

    // How long notes sound (Articulation.h), from the next play() on; starts as the options'.
    void setArticulation(Articulation articulation);
    Articulation articulation() const;

    // Live notes straight to the synthesiser (MIDI thru), beside or without play(); they
    // sound at the next rendered block. Channel 0..15 (what play() uses for parts 0..15
    // too), pitch 0..127, velocity 1..127; out-of-range values are ignored.
    // Thread: any, the MIDI callback included -- FluidSynth's note calls are thread-safe
    // (its own short mutex) and neither allocate nor log; these add nothing else.
    void noteOn(int channel, int pitch, int velocity);
    void noteOff(int channel, int pitch);

    bool isPlaying() const;          // false before play, after stop, and after the last note ended (looping: until stop)
    double positionSeconds() const;  // score time of the audio rendered since play started; 0 when stopped
                                     // (looping: inside the loop once the first pass has reached its end)
    double positionQuarters() const;  // the same in the score's quarter notes
    double durationSeconds() const;  // of the score being played: until its last note or rest ends

    const std::string& driverName() const;     // the driver that opened, e.g. "jack"
    const std::string& soundfontPath() const;  // the soundfont loaded
    int sampleRate() const;                    // the synthesiser's rate (JACK: the server's)

private:
    struct Impl;  // keeps fluidsynth.h out of this header
    explicit Player(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace melodist::engine

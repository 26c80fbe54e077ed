// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// AudioController: audition -- plays the roll, or a candidate together with the roll,
// through an engine::Player, and reports the playhead. The Player is opened lazily on a
// worker thread (QThread::create): opening a driver may take a while or fail, and the UI
// thread never waits for it. Without an audio output the transport says "No audio
// output: <why>" and everything else keeps working; every later Play tries again.
// After opening, the Player is used from the UI thread only (Player::play queues the
// whole score up front and returns; bench/RESULTS.md has its cost for 10,000 notes). A
// 30 Hz QTimer reads Player::positionQuarters() for the playhead while it plays.
// UI thread only; owned by MainWindow (or a test). Its actions: actionPlay (Space:
// play/stop), actionStop, actionLoop (L: the project's loop region, else the whole song).
//
//   AudioController audio(&document);
//   audio.setPlayheadSink([roll](double q) { roll->setPlayheadQuarters(q); });   // < 0 hides it
//   audio.play();                        // opens the output first when needed
//   audio.auditionCandidate(candidate);  // A/B: restarts with another one
//   audio.noteOn(60); audio.noteOff(60); // the roll's keyboard

#include "ui/generation/Candidate.h"

#include "engine/audio/Player.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QAction;

namespace melodist::ui {

class ProjectDocument;

class AudioController : public QObject {
    Q_OBJECT
public:
    enum class State { Closed, Opening, Ready, Unavailable };

    explicit AudioController(ProjectDocument* document, QObject* parent = nullptr);
    ~AudioController() override;

    // How the output opens. By default: Preferences' audio driver and soundfont (read at each
    // open), the project's soundfont when it names one. Setting options replaces Preferences
    // (tests); the project's soundfont still wins. Takes effect at the next open.
    void setPlayerOptions(const engine::PlayerOptions& options);
    const engine::PlayerOptions& playerOptions() const { return m_options; }

    void play();                                         // the roll from its start (or the loop)
    void auditionCandidate(const Candidate& candidate);  // the roll with it, from the bar before it
    void stop();
    void togglePlay();
    bool isPlaying() const { return m_playing; }
    void setLooping(bool on);
    bool isLooping() const { return m_looping; }
    // The roll's keyboard: sounds at once when the output is open (opens it otherwise).
    void noteOn(int pitch);
    void noteOff(int pitch);

    State state() const { return m_state; }
    QString unavailableReason() const { return m_unavailable; }  // "" unless Unavailable
    QString driverName() const;
    // Where playback is, in the roll's quarter notes; -1 when stopped.
    double positionQuarters() const;
    void setPlayheadSink(std::function<void(double)> sink) { m_playheadSink = std::move(sink); }

    QAction* playAction() const { return m_playAction; }
    QAction* stopAction() const { return m_stopAction; }
    QAction* loopAction() const { return m_loopAction; }

signals:
    void stateChanged();
    void playingChanged(bool playing);
    void positionChanged(double quarters);  // ~30 Hz while playing; -1 when it stops
    void statusMessage(const QString& text, int timeoutMs);

private:
    struct Take {  // what plays: a score of the roll's time from `offset`, looped over [loopStart, loopEnd)
        engine::Score score;
        engine::Rational offset;
        std::optional<std::pair<engine::Rational, engine::Rational>> loop;
    };
    engine::PlayerOptions effectiveOptions() const;
    void open();
    void whenOpen(std::function<void()> then);
    void opened(engine::Result<std::unique_ptr<engine::Player>> player, quint64 serial);
    void close();
    void startTake(Take take);
    Take rollTake() const;
    void tick();
    void finishPlayback();
    void setState(State state);
    void onSettingsChanged();

    ProjectDocument* m_document;
    engine::PlayerOptions m_options;
    bool m_optionsSet = false;
    std::unique_ptr<engine::Player> m_player;
    std::string m_openedSoundfont;  // the soundfont the player was opened with
    State m_state = State::Closed;
    QString m_unavailable;
    quint64 m_openSerial = 0;  // an open finishing after close() is dropped
    std::function<void()> m_pending;  // run once the output is open
    std::optional<Take> m_current;    // the take playing (replayed when the loop is toggled)
    bool m_playing = false;
    bool m_looping = false;
    QTimer m_playhead;
    std::function<void(double)> m_playheadSink;
    QAction* m_playAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_loopAction = nullptr;
};

}  // namespace melodist::ui

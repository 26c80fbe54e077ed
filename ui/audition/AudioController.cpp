// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/audition/AudioController.h"

#include "ui/document/ProjectDocument.h"
#include "ui/files/Preferences.h"

#include <QAction>
#include <QApplication>
#include <QStyle>
#include <QThread>

#include <utility>

namespace melodist::ui {
namespace {

using engine::Rational;

constexpr int kPlayheadMs = 33;     // ~30 Hz
constexpr int kPreviewVelocity = 100;

Rational floorToBar(Rational t, Rational bar) { return bar * Rational((t / bar).floor()); }

}  // namespace

AudioController::AudioController(ProjectDocument* document, QObject* parent) : QObject(parent), m_document(document) {
    setObjectName(QStringLiteral("audioController"));
    m_playhead.setInterval(kPlayheadMs);
    connect(&m_playhead, &QTimer::timeout, this, &AudioController::tick);
    connect(m_document, &ProjectDocument::settingsChanged, this, &AudioController::onSettingsChanged);

    QStyle* style = QApplication::style();
    m_playAction = new QAction(style->standardIcon(QStyle::SP_MediaPlay), tr("&Play"), this);
    m_playAction->setObjectName(QStringLiteral("actionPlay"));
    m_playAction->setShortcut(QKeySequence(Qt::Key_Space));
    m_playAction->setToolTip(tr("Play the roll from its start, or stop (Space)"));
    connect(m_playAction, &QAction::triggered, this, &AudioController::togglePlay);
    m_stopAction = new QAction(style->standardIcon(QStyle::SP_MediaStop), tr("&Stop"), this);
    m_stopAction->setObjectName(QStringLiteral("actionStop"));
    m_stopAction->setToolTip(tr("Stop playback"));
    m_stopAction->setEnabled(false);
    connect(m_stopAction, &QAction::triggered, this, &AudioController::stop);
    m_loopAction = new QAction(tr("&Loop"), this);
    m_loopAction->setObjectName(QStringLiteral("actionLoop"));
    m_loopAction->setCheckable(true);
    m_loopAction->setShortcut(QKeySequence(Qt::Key_L));
    m_loopAction->setToolTip(tr("Loop the project's loop region (set it in the ruler), or the whole song (L)"));
    connect(m_loopAction, &QAction::toggled, this, &AudioController::setLooping);
}

AudioController::~AudioController() {
    ++m_openSerial;  // an open still running is dropped when it finishes
    if (m_player) m_player->stop();
}

void AudioController::setPlayerOptions(const engine::PlayerOptions& options) {
    close();
    m_options = options;
    m_optionsSet = true;
}

engine::PlayerOptions AudioController::effectiveOptions() const {
    engine::PlayerOptions options = m_options;
    if (!m_optionsSet) {  // Edit > Preferences, read at each open: a change applies to the next one
        const Preferences preferences = Preferences::load();
        options.driver = preferences.audioDriver.toStdString();
        options.soundfontPath = preferences.soundfont.toStdString();
    }
    if (!m_document->settings().soundfont.empty()) options.soundfontPath = m_document->settings().soundfont;
    options.program = -1;  // each take's part carries the project's instrument
    return options;
}

QString AudioController::driverName() const { return m_player ? QString::fromStdString(m_player->driverName()) : QString(); }

void AudioController::setState(State state) {
    if (state == m_state) return;
    m_state = state;
    emit stateChanged();
}

void AudioController::open() {
    setState(State::Opening);
    m_unavailable.clear();
    const engine::PlayerOptions options = effectiveOptions();
    const quint64 serial = ++m_openSerial;
    struct Opened {
        std::unique_ptr<engine::Player> player;
        std::string error;
    };
    auto result = std::make_shared<Opened>();
    // Opening a driver can take a while (or hang on a broken server): never on the UI thread.
    QThread* worker = QThread::create([result, options] {
        engine::Result<std::unique_ptr<engine::Player>> player = engine::Player::open(options);
        if (player) result->player = std::move(*player);
        else result->error = player.error();
    });
    connect(worker, &QThread::finished, this, [this, result, serial] {
        opened(result->player ? engine::Result<std::unique_ptr<engine::Player>>(std::move(result->player))
                              : engine::Result<std::unique_ptr<engine::Player>>(engine::makeError(result->error)),
               serial);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    m_openedSoundfont = options.soundfontPath;
    worker->start();
}

void AudioController::opened(engine::Result<std::unique_ptr<engine::Player>> player, quint64 serial) {
    if (serial != m_openSerial) return;  // closed meanwhile: the player goes with `player`
    if (!player) {
        m_unavailable = tr("No audio output: %1").arg(QString::fromStdString(player.error()));
        m_pending = nullptr;
        setState(State::Unavailable);
        emit statusMessage(m_unavailable + tr(" \u2014 editing and generation still work"), 10000);
        return;
    }
    m_player = std::move(*player);
    setState(State::Ready);
    if (std::function<void()> then = std::exchange(m_pending, nullptr)) then();
}

void AudioController::whenOpen(std::function<void()> then) {
    if (m_state == State::Ready && m_player) {
        then();
        return;
    }
    m_pending = std::move(then);
    if (m_state != State::Opening) open();
}

void AudioController::close() {
    ++m_openSerial;
    m_pending = nullptr;
    if (m_player) m_player->stop();
    finishPlayback();
    m_player.reset();
    setState(State::Closed);
}

AudioController::Take AudioController::rollTake() const {
    const engine::Project project = m_document->toProject();
    Take take{.score = engine::projectToScore(project), .offset = Rational(0), .loop = std::nullopt};
    if (project.loop) {
        take.loop = std::pair{project.loop->start, project.loop->end};
    } else {
        const Rational bar = project.barLength();
        const Rational end = std::max(bar, floorToBar(project.endTime() + bar - Rational(1, 960), bar));
        take.loop = std::pair{Rational(0), end};
    }
    return take;
}

void AudioController::play() { startTake(rollTake()); }

void AudioController::auditionCandidate(const Candidate& candidate) {
    engine::Project project = m_document->settings();
    for (const auto& [id, note] : m_document->notes())
        if (!candidate.replaces.contains(id)) project.notes.push_back(note);
    project.notes.insert(project.notes.end(), candidate.notes.begin(), candidate.notes.end());
    // From the bar before the candidate: enough of the seed to hear how it follows on.
    const Rational bar = project.barLength();
    const Rational from = std::max(Rational(0), floorToBar(candidate.start, bar) - bar);
    std::vector<engine::ProjectNote> kept;
    for (engine::ProjectNote note : project.notes) {
        if (note.note.onset < from) continue;
        note.note.onset -= from;
        kept.push_back(std::move(note));
    }
    project.notes = std::move(kept);
    project.sortNotes();
    Take take{.score = engine::projectToScore(project), .offset = from, .loop = std::nullopt};
    if (from < candidate.end) take.loop = std::pair{Rational(0), candidate.end - from};
    startTake(std::move(take));
}

void AudioController::startTake(Take take) {
    if (take.score.noteCount() == 0) {
        emit statusMessage(tr("Nothing to play: draw, import or generate some notes first"), 5000);
        return;
    }
    whenOpen([this, take = std::move(take)] {
        if (m_looping && take.loop) {
            if (engine::Result<void> looped = m_player->setLoop(take.loop->first, take.loop->second); !looped)
                m_player->clearLoop();
        } else {
            m_player->clearLoop();
        }
        if (engine::Result<void> started = m_player->play(take.score); !started) {
            emit statusMessage(tr("Cannot play: %1").arg(QString::fromStdString(started.error())), 8000);
            finishPlayback();
            return;
        }
        m_current = take;
        const bool wasPlaying = m_playing;
        m_playing = true;
        m_playhead.start();
        m_playAction->setText(tr("S&top"));
        m_playAction->setIcon(QApplication::style()->standardIcon(QStyle::SP_MediaStop));
        m_stopAction->setEnabled(true);
        if (!wasPlaying) emit playingChanged(true);
        tick();
    });
}

void AudioController::stop() {
    m_pending = nullptr;  // a Play still waiting for the output is off too
    if (m_player) m_player->stop();
    finishPlayback();
}

void AudioController::togglePlay() {
    if (m_playing || m_pending) stop();
    else play();
}

void AudioController::setLooping(bool on) {
    if (on == m_looping) return;
    m_looping = on;
    if (m_loopAction->isChecked() != on) m_loopAction->setChecked(on);
    if (m_playing && m_current) startTake(*m_current);  // the loop applies from the next play()
}

void AudioController::noteOn(int pitch) {
    if (m_state == State::Ready && m_player) m_player->noteOn(/*channel=*/0, pitch, kPreviewVelocity);
    else if (m_state == State::Closed) open();  // the next key sounds
}

void AudioController::noteOff(int pitch) {
    if (m_state == State::Ready && m_player) m_player->noteOff(/*channel=*/0, pitch);
}

double AudioController::positionQuarters() const {
    if (!m_playing || !m_player || !m_current) return -1.0;
    return m_player->positionQuarters() + m_current->offset.toDouble();
}

void AudioController::tick() {
    if (!m_playing || !m_player) return;
    if (!m_player->isPlaying()) {
        finishPlayback();
        return;
    }
    const double quarters = positionQuarters();
    if (m_playheadSink) m_playheadSink(quarters);
    emit positionChanged(quarters);
}

void AudioController::finishPlayback() {
    m_playhead.stop();
    if (!m_playing) return;
    m_playing = false;
    m_current.reset();
    m_playAction->setText(tr("&Play"));
    m_playAction->setIcon(QApplication::style()->standardIcon(QStyle::SP_MediaPlay));
    m_stopAction->setEnabled(false);
    if (m_playheadSink) m_playheadSink(-1.0);
    emit positionChanged(-1.0);
    emit playingChanged(false);
}

void AudioController::onSettingsChanged() {
    // Another soundfont needs another synthesiser: reopen, and go on playing when it was.
    if (m_state != State::Ready || effectiveOptions().soundfontPath == m_openedSoundfont) return;
    const bool wasPlaying = m_playing;
    close();
    if (wasPlaying) play();
}

}  // namespace melodist::ui

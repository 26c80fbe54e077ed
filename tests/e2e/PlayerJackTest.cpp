// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: a private JACK server (dummy driver, 256 frames at 48 kHz), the Player on
// FluidSynth's JACK driver, and a JACK client of the test's own that records the
// player's output ports. Four notes with silences between must sound, in order, at
// their times; the latency from play() to the first sound is measured. Skips when
// jackd is not installed or cannot start.
#include "engine/audio/Player.h"
#include "tests/common/TestSupport.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <jack/jack.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace melodist::engine;

namespace {

constexpr int kRate = 48000;
constexpr int kPeriod = 256;
// Four quarters at 120 BPM (0.5 s apart), each held 0.4 quarters (0.2 s), then 0.3 s of silence.
constexpr int kPitches[] = {60, 64, 67, 72};
constexpr double kSpacingSeconds = 0.5;
constexpr double kHoldSeconds = 0.2;

// Records the two inputs by JACK frame time into buffers allocated before activation.
struct Capture {
    jack_client_t* client = nullptr;
    jack_port_t* ports[2] = {nullptr, nullptr};
    std::vector<float> samples[2];
    std::atomic<bool> recording{false};
    std::atomic<bool> started{false};
    jack_nframes_t firstFrame = 0;        // written before `started` is released
    std::atomic<size_t> endIndex{0};      // frames recorded from firstFrame

    // called on the JACK process thread: copies, never allocates or locks
    static int process(jack_nframes_t frames, void* data) {
        auto* self = static_cast<Capture*>(data);
        if (!self->recording.load(std::memory_order_acquire)) return 0;
        const jack_nframes_t now = jack_last_frame_time(self->client);
        if (!self->started.load(std::memory_order_relaxed)) {
            self->firstFrame = now;
            self->started.store(true, std::memory_order_release);
        }
        const size_t index = now - self->firstFrame;
        if (index + frames > self->samples[0].size()) return 0;
        for (int channel = 0; channel < 2; ++channel) {
            const auto* in = static_cast<const float*>(jack_port_get_buffer(self->ports[channel], frames));
            std::copy(in, in + frames, self->samples[channel].begin() + static_cast<std::ptrdiff_t>(index));
        }
        self->endIndex.store(index + frames, std::memory_order_release);
        return 0;
    }
};

double rms(const Capture& capture, double fromSeconds, double toSeconds, size_t origin) {
    const size_t from = origin + static_cast<size_t>(fromSeconds * kRate);
    const size_t to = origin + static_cast<size_t>(toSeconds * kRate);
    double sum = 0;
    for (size_t i = from; i < to; ++i)
        for (int channel = 0; channel < 2; ++channel) sum += double(capture.samples[channel][i]) * capture.samples[channel][i];
    return std::sqrt(sum / double(2 * (to - from)));
}

// The first frame from `from` on where either channel's magnitude exceeds `threshold`.
size_t firstAbove(const Capture& capture, size_t from, size_t end, float threshold) {
    for (size_t i = from; i < end; ++i)
        if (std::fabs(capture.samples[0][i]) > threshold || std::fabs(capture.samples[1][i]) > threshold) return i;
    return end;
}

}  // namespace

class PlayerJackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const QString jackd = QStandardPaths::findExecutable(QStringLiteral("jackd"));
        if (jackd.isEmpty()) QSKIP("jackd is not installed (tools/install-deps.sh installs it)");
        // A private server: never the user's, never another test run's.
        m_serverName = QStringLiteral("melodist-play-%1").arg(::getpid());
        qputenv("JACK_DEFAULT_SERVER", m_serverName.toUtf8());  // read by libjack in this process (both clients)
        qputenv("JACK_NO_START_SERVER", "1");
        m_jackd.setProcessChannelMode(QProcess::MergedChannels);
        m_jackd.start(jackd, {QStringLiteral("--no-realtime"), QStringLiteral("-n"), m_serverName, QStringLiteral("-d"),
                              QStringLiteral("dummy"), QStringLiteral("-r"), QString::number(kRate),
                              QStringLiteral("-p"), QString::number(kPeriod)});
        if (!m_jackd.waitForStarted(5000)) QSKIP("jackd cannot be started");
        jack_set_error_function([](const char*) {});  // "Cannot connect to server" while it starts up
        for (int attempt = 0; attempt < 50 && m_jackd.state() == QProcess::Running; ++attempt) {
            if (serverSocketExists()) {
                jack_status_t status;
                m_capture.client = jack_client_open("melodist-capture", JackNoStartServer, &status);
                if (m_capture.client) return;
            }
            QThread::msleep(100);
        }
        const QString output = QString::fromLocal8Bit(m_jackd.readAll());
        stopJack();
        QSKIP(qPrintable(QStringLiteral("jackd did not start: %1").arg(output)));
    }

    void cleanupTestCase() {
        if (m_capture.client) {
            jack_deactivate(m_capture.client);
            jack_client_close(m_capture.client);
        }
        stopJack();  // runs after a failure too
    }

    void fourNotesSoundInOrderAtTheirTimesWithSilenceBetween() {
        // GIVEN a capture client recording the Player's JACK output ports
        for (int channel = 0; channel < 2; ++channel) {
            m_capture.samples[channel].assign(size_t(6 * kRate), 0.0f);
            m_capture.ports[channel] = jack_port_register(m_capture.client, channel == 0 ? "in_left" : "in_right",
                                                          JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
            QVERIFY(m_capture.ports[channel]);
        }
        QCOMPARE(jack_set_process_callback(m_capture.client, &Capture::process, &m_capture), 0);
        QCOMPARE(jack_activate(m_capture.client), 0);
        QCOMPARE(jack_get_sample_rate(m_capture.client), jack_nframes_t(kRate));

        PlayerOptions options;
        options.driver = QStringLiteral("jack").toStdString();
        options.soundfontPath = (qEnvironmentVariable("MELODIST_BINARY_DIR") +
                                 QStringLiteral("/share/melodist/soundfonts/melodist-soft.sf2")).toStdString();
        options.clientName = "melodist-player";
        options.jackAutoConnect = false;
        options.effects = false;  // no reverb tail in the silences
        auto player = Player::open(options);
        QVERIFY2(player.ok(), player.ok() ? "" : player.error().c_str());
        QCOMPARE(QString::fromStdString((*player)->driverName()), QStringLiteral("jack"));
        QCOMPARE((*player)->sampleRate(), kRate);
        QStringList portNames;
        if (const char** ports = jack_get_ports(m_capture.client, "melodist-player:", nullptr, JackPortIsOutput)) {
            for (const char** port = ports; *port; ++port) portNames << QString::fromUtf8(*port);
            jack_free(ports);
        }
        QCOMPARE(portNames, QStringList({QStringLiteral("melodist-player:left"), QStringLiteral("melodist-player:right")}));
        QCOMPARE(jack_connect(m_capture.client, "melodist-player:left", "melodist-capture:in_left"), 0);
        QCOMPARE(jack_connect(m_capture.client, "melodist-player:right", "melodist-capture:in_right"), 0);

        Score score;
        score.tempos.push_back({.onset = 0, .bpm = 120});
        score.parts.emplace_back().name = "Melody";
        for (int i = 0; i < 4; ++i)
            score.parts[0].notes.push_back(melodist::test::makeNote(kPitches[i], Rational(i), Rational(2, 5), 100));

        // WHEN it plays after 0.3 s of recording
        m_capture.recording.store(true, std::memory_order_release);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QVERIFY(m_capture.started.load(std::memory_order_acquire));
        const jack_nframes_t playFrame = jack_frame_time(m_capture.client);
        const Result<void> started = (*player)->play(score);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().c_str());
        QVERIFY((*player)->isPlaying());
        QCOMPARE((*player)->durationSeconds(), 4 * kSpacingSeconds - kSpacingSeconds + 0.4 * 0.5);
        std::this_thread::sleep_for(std::chrono::milliseconds(800));
        const double polledSeconds = (*player)->positionSeconds();
        const double polledQuarters = (*player)->positionQuarters();
        const double clockSeconds = double(jack_frame_time(m_capture.client) - playFrame) / kRate;
        for (int wait = 0; wait < 100 && (*player)->isPlaying(); ++wait)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        QVERIFY(!(*player)->isPlaying());
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the last silence
        m_capture.recording.store(false, std::memory_order_release);
        const size_t end = m_capture.endIndex.load(std::memory_order_acquire);

        // THEN the position the UI polls follows the audio clock (within 2 periods + 1 ms)
        QVERIFY2(std::fabs(polledSeconds - clockSeconds) < 2.0 * kPeriod / kRate + 0.001,
                 qPrintable(QStringLiteral("position %1 s, JACK clock %2 s").arg(polledSeconds).arg(clockSeconds)));
        QVERIFY2(std::fabs(polledQuarters - polledSeconds * 2) < 1e-9, qPrintable(QString::number(polledQuarters)));

        // and the first sound comes within two periods of play()
        const size_t playIndex = playFrame - m_capture.firstFrame;
        QVERIFY2(playIndex > size_t(0.2 * kRate), qPrintable(QString::number(playIndex)));
        QCOMPARE(rms(m_capture, 0, 0.2, 0), 0.0);  // before play: digital silence
        const size_t first = firstAbove(m_capture, playIndex, end, 1e-5f);
        QVERIFY2(first < end, "no sound was recorded at all");
        const double latencyMs = double(first - playIndex) * 1000.0 / kRate;
        qInfo("play() to first non-silent frame: %.2f ms (JACK dummy, %d frames at %d Hz = %.2f ms a period)", latencyMs,
              kPeriod, kRate, kPeriod * 1000.0 / kRate);
        QVERIFY2(latencyMs < 2.0 * kPeriod * 1000.0 / kRate + 1.0, qPrintable(QString::number(latencyMs)));
        QVERIFY2(end > first + size_t(4 * kSpacingSeconds * kRate), qPrintable(QString::number(end)));

        // and each note sounds at its time, loud inside and near silent in the gap after it
        const size_t attack = firstAbove(m_capture, first, end, 0.002f);
        for (int i = 0; i < 4; ++i) {
            const double onset = i * kSpacingSeconds;
            const size_t searchFrom = first + static_cast<size_t>((onset - 0.02) * kRate) * (i > 0);
            const size_t noteAttack = firstAbove(m_capture, searchFrom, end, 0.002f);
            const double offsetMs = (double(noteAttack) - double(attack) - onset * kRate) * 1000.0 / kRate;
            const double inside = rms(m_capture, onset + 0.03, onset + kHoldSeconds - 0.01, first);
            const double gap = rms(m_capture, onset + kHoldSeconds + 0.2, onset + kSpacingSeconds - 0.005, first);
            const QString what = QStringLiteral("note %1: rms %2 inside, %3 in the gap after, onset %4 ms off")
                                     .arg(i).arg(inside).arg(gap).arg(offsetMs);
            qInfo("%s", qPrintable(what));
            QVERIFY2(std::fabs(offsetMs) < 3.0, qPrintable(what));  // attacks cross the threshold at the tone's first peak
            QVERIFY2(inside > 0.02, qPrintable(what));
            QVERIFY2(inside > 30.0 * gap, qPrintable(what));
        }
    }

private:
    bool serverSocketExists() const {
        const QString uid = QString::number(::getuid());
        return QFileInfo::exists(QStringLiteral("/dev/shm/jack-%1/%2").arg(uid, m_serverName)) ||  // jackd1
               QFileInfo::exists(QStringLiteral("/dev/shm/jack_%1_%2_0").arg(m_serverName, uid));   // jackd2
    }

    void stopJack() {
        if (m_jackd.state() == QProcess::NotRunning) return;
        m_jackd.terminate();
        if (!m_jackd.waitForFinished(5000)) {
            m_jackd.kill();
            m_jackd.waitForFinished(2000);
        }
    }

    QProcess m_jackd;
    QString m_serverName;
    Capture m_capture;
};

QTEST_GUILESS_MAIN(PlayerJackTest)
#include "PlayerJackTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: MidiPortWatcher on a private JACK server (dummy driver). A virtual MIDI
// output opened by the test is an input port to everyone else: its appearance and its
// disappearance must each be reported once, within about one poll interval (500 ms).
// Skips without jackd.
#include "engine/midi/MidiPortWatcher.h"
#include "tests/e2e/JackTestServer.h"
#include "tests/e2e/RtMidiJack.h"

#include <QtTest>

#include <rtmidi/RtMidi.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

using namespace melodist::engine;

namespace {

const std::string kWatchedPort = "melodist-e2e-watched:keys";

// What the watcher reported, with when; filled on its worker thread, read on the test's.
struct Reports {
    std::mutex mutex;
    std::vector<std::pair<MidiPortChange, std::chrono::steady_clock::time_point>> changes;

    // Waits up to `timeout` for a change where `name` is in added (or removed); its time, or nullopt.
    std::optional<std::chrono::steady_clock::time_point> waitFor(const std::string& name, bool added,
                                                                 std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mutex);
                for (const auto& [change, at] : changes) {
                    const auto& names = added ? change.added : change.removed;
                    if (std::find(names.begin(), names.end(), name) != names.end()) return at;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return std::nullopt;
    }
};

}  // namespace

class MidiPortWatchJackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const QString why = m_server.start(QStringLiteral("melodist-watch"), 48000, 256, &melodist::test::rtMidiJackReady);
        if (!why.isEmpty()) QSKIP(qPrintable(why));
    }

    void cleanupTestCase() { m_server.stop(); }

    void anIntervalOutOfRangeIsRefused() {
        // GIVEN an interval of 1 ms  WHEN the watcher opens  THEN it says why not
        MidiPortWatcherOptions options;
        options.api = melodist::engine::MidiApi::Jack;
        options.interval = std::chrono::milliseconds(1);
        const auto watcher = MidiPortWatcher::open(options, {});
        QVERIFY(!watcher.ok());
        QVERIFY2(watcher.error().find("10..60000") != std::string::npos, watcher.error().c_str());
    }

    void aPortAppearingAndDisappearingIsReported() {
        // GIVEN a watcher on JACK, polling every 500 ms
        Reports reports;
        MidiPortWatcherOptions options;
        options.api = melodist::engine::MidiApi::Jack;
        auto watcher = MidiPortWatcher::open(options, [&reports](const MidiPortChange& change) {
            std::lock_guard lock(reports.mutex);
            reports.changes.emplace_back(change, std::chrono::steady_clock::now());
        });
        QVERIFY2(watcher.ok(), watcher.ok() ? "" : watcher.error().c_str());
        const auto& initial = (*watcher)->initialPorts();
        QVERIFY(std::find(initial.begin(), initial.end(), kWatchedPort) == initial.end());

        // WHEN a program opens a virtual MIDI output (an input port to the watcher)
        std::string warning;
        auto keys = std::make_unique<RtMidiOut>(RtMidi::UNIX_JACK, "melodist-e2e-watched");
        keys->setErrorCallback(&melodist::test::collectRtMidiWarning, &warning);
        keys->openVirtualPort("keys");
        QVERIFY2(warning.empty(), warning.c_str());
        const auto opened = std::chrono::steady_clock::now();
        const auto added = reports.waitFor(kWatchedPort, /*added=*/true, std::chrono::milliseconds(10000));

        // and closes it again
        keys.reset();
        const auto closed = std::chrono::steady_clock::now();
        const auto removed = reports.waitFor(kWatchedPort, /*added=*/false, std::chrono::milliseconds(10000));
        (*watcher)->stop();

        // THEN both are reported, once each (the delay is logged, not asserted: speed is for bench/)
        QVERIFY2(added, "the new port was not reported");
        QVERIFY2(removed, "the closed port was not reported");
        const auto ms = [](auto duration) { return std::chrono::duration<double, std::milli>(duration).count(); };
        qInfo("port appeared -> reported in %.0f ms, disappeared -> reported in %.0f ms (interval 500 ms)",
              ms(*added - opened), ms(*removed - closed));
        std::lock_guard lock(reports.mutex);
        int mentions = 0;
        for (const auto& [change, at] : reports.changes)
            for (const auto* names : {&change.added, &change.removed})
                mentions += int(std::count(names->begin(), names->end(), kWatchedPort));
        QCOMPARE(mentions, 2);
    }

private:
    melodist::test::JackTestServer m_server;
};

QTEST_GUILESS_MAIN(MidiPortWatchJackTest)
#include "MidiPortWatchJackTest.moc"

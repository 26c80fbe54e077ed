// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LatencyProbe: the timer-latency probe for the studio's GUI tests (generation,
// audition). Header-only; the test thread (the UI thread) only.

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace melodist::test {

// The longest gap between the ticks of a 10 ms timer on the UI thread while it runs:
// what a user would feel as the UI stalling (the "never blocked more than 50 ms").
class LatencyProbe {
public:
    LatencyProbe() {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_maxGapNs = std::max(m_maxGapNs, now - m_lastNs);
            m_lastNs = now;
            ++m_ticks;
        });
    }
    void start() {
        m_clock.start();
        m_lastNs = 0;
        m_maxGapNs = 0;
        m_ticks = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double maxGapMs() const { return static_cast<double>(m_maxGapNs) / 1e6; }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_maxGapNs = 0;
    int m_ticks = 0;
};

}  // namespace melodist::test

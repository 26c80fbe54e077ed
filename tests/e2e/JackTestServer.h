// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// JackTestServer: a private jackd (dummy driver, --no-realtime) for one e2e test process,
// never the user's server nor another run's. start() sets JACK_DEFAULT_SERVER and
// JACK_NO_START_SERVER for this process (and the children it starts), waits until its
// socket exists and `ready()` (the test's own client opening) succeeds. Test thread only;
// the test object owns it, and stop() runs from cleanupTestCase (after failures too).

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QThread>

#include <functional>

#include <unistd.h>

namespace melodist::test {

class JackTestServer {
public:
    ~JackTestServer() { stop(); }

    // "" when it runs and `ready` returned true; else why not (the test skips with it).
    QString start(const QString& namePrefix, int sampleRate, int periodFrames, const std::function<bool()>& ready) {
        const QString jackd = QStandardPaths::findExecutable(QStringLiteral("jackd"));
        if (jackd.isEmpty()) return QStringLiteral("jackd is not installed (tools/install-deps.sh installs it)");
        m_name = QStringLiteral("%1-%2").arg(namePrefix).arg(::getpid());
        qputenv("JACK_DEFAULT_SERVER", m_name.toUtf8());
        qputenv("JACK_NO_START_SERVER", "1");
        m_jackd.setProcessChannelMode(QProcess::MergedChannels);
        m_jackd.start(jackd, {QStringLiteral("--no-realtime"), QStringLiteral("-n"), m_name, QStringLiteral("-d"),
                              QStringLiteral("dummy"), QStringLiteral("-r"), QString::number(sampleRate),
                              QStringLiteral("-p"), QString::number(periodFrames)});
        if (!m_jackd.waitForStarted(5000)) return QStringLiteral("jackd cannot be started");
        for (int attempt = 0; attempt < 50 && m_jackd.state() == QProcess::Running; ++attempt) {
            if (socketExists() && ready()) return {};
            QThread::msleep(100);
        }
        const QString output = QString::fromLocal8Bit(m_jackd.readAll());
        stop();
        return QStringLiteral("jackd did not start: ") + output;
    }

    void stop() {
        if (m_jackd.state() == QProcess::NotRunning) return;
        m_jackd.terminate();
        if (!m_jackd.waitForFinished(5000)) {
            m_jackd.kill();
            m_jackd.waitForFinished(2000);
        }
    }

private:
    bool socketExists() const {
        const QString uid = QString::number(::getuid());
        return QFileInfo::exists(QStringLiteral("/dev/shm/jack-%1/%2").arg(uid, m_name)) ||  // jackd1
               QFileInfo::exists(QStringLiteral("/dev/shm/jack_%1_%2_0").arg(m_name, uid));   // jackd2
    }

    QProcess m_jackd;
    QString m_name;
};

}  // namespace melodist::test

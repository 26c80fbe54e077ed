// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Helpers shared by the Qt Test executables: run the real CLI as a user would, and
// build or print notes in failure messages. Header-only; test threads only.

#include <QFile>
#include <QProcess>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <QString>
#include <QStringList>

#if __has_include("engine/music/Note.h")
#include "engine/music/Note.h"
#endif

namespace melodist::test {

struct ProcessRun {
    int exitCode = -1;  // -1: did not finish in time or crashed
    QString out;
    QString err;
};

// Runs $MELODIST_BIN_DIR/melodist with `arguments` and waits for it.
inline ProcessRun runMelodist(const QStringList& arguments, int timeoutMs = 120000) {
    QProcess process;
    process.start(qEnvironmentVariable("MELODIST_BIN_DIR") + QStringLiteral("/melodist"), arguments);
    if (!process.waitForFinished(timeoutMs)) return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

// The seeds' Keras model (model.h5 + mapping.json), beside the checkout in ../shared.
inline QString seedModelDir() { return qEnvironmentVariable("MELODIST_SHARED_DIR") + QStringLiteral("/seed-models/velardo"); }
inline bool haveSeedModel() { return QFile::exists(seedModelDir() + QStringLiteral("/model.h5")); }
// `melodist import-keras` of the seeds' model into `outPath`.
inline ProcessRun importSeedModel(const QString& outPath) {
    return runMelodist({QStringLiteral("import-keras"), seedModelDir() + QStringLiteral("/model.h5"),
                        seedModelDir() + QStringLiteral("/mapping.json"), QStringLiteral("--out"), outPath});
}

// A small deterministic random generator: the same numbers on every platform and
// standard library (unlike std::uniform_int_distribution), for test melodies.
class Lcg {
public:
    explicit Lcg(uint32_t seed) : m_state(seed) {}
    int below(int n) {
        m_state = m_state * 1664525u + 1013904223u;
        return static_cast<int>((m_state >> 8) % static_cast<uint32_t>(n));
    }

private:
    uint32_t m_state;
};

// The soundfont the build generates (soundfonts/), in the build tree ctest runs from.
inline QString builtInSoundfontForTests() {
    return qEnvironmentVariable("MELODIST_BINARY_DIR") + QStringLiteral("/share/melodist/soundfonts/melodist-soft.sf2");
}

#if __has_include("engine/music/Note.h")
inline engine::Note makeNote(int pitch, engine::Rational onset, engine::Rational duration, int velocity = 80) {
    engine::Note note;
    note.pitch = pitch;
    note.onset = onset;
    note.duration = duration;
    note.velocity = velocity;
    return note;
}

inline QString describe(const engine::Note& n) {
    return QStringLiteral("pitch %1 onset %2 duration %3 velocity %4")
        .arg(n.pitch)
        .arg(QString::fromStdString(n.onset.toString()), QString::fromStdString(n.duration.toString()))
        .arg(n.velocity);
}
#endif

// Sets (or, with nullptr, unsets) an environment variable for a scope, then restores it.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        if (value) ::setenv(name, value, 1); else ::unsetenv(name);
    }
    ScopedEnv(const char* name, const QString& value) : ScopedEnv(name, value.toUtf8().constData()) {}
    ~ScopedEnv() {
        if (m_old) ::setenv(m_name, m_old->c_str(), 1); else ::unsetenv(m_name);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

}  // namespace melodist::test

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// AutosaveFiles: the autosave folder's layout and the facts crash recovery needs. Each
// running studio window writes `<pid>.melodist` (a second window in one process
// `<pid>-<n>.melodist`) and a sidecar `<pid>.json` naming the project's own file, the
// time and the process (its start time too, so a recycled pid is not taken for the
// writer). An autosave whose process is gone is an orphan: the studio that wrote it was
// killed or crashed, and start-up offers it back. Free functions on any thread (they
// read and write files, so the studio calls the slow ones off the UI thread).
//
//   AutosaveSlot slot = AutosaveSlot::forThisProcess(dir, /*instance=*/0);
//   writeSidecar(slot, {.originalPath = "/home/me/song.melodist", .savedAt = now});
//   for (const OrphanAutosave& orphan : findOrphanAutosaves(dir)) offer(orphan);

#include "engine/core/Result.h"
#include "engine/project/Project.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace melodist::ui {

struct AutosaveSlot {
    QString projectPath;  // <dir>/<stem>.melodist
    QString sidecarPath;  // <dir>/<stem>.json
    static AutosaveSlot forThisProcess(const QString& directory, int instance);
    static AutosaveSlot forStem(const QString& directory, const QString& stem);
};

struct AutosaveInfo {
    QString originalPath;  // the project's own file; "" for an untitled project
    QDateTime savedAt;
    qint64 pid = 0;
    std::optional<quint64> processStart;  // the writer's start time (clock ticks since boot), when known
};

// The sidecar's bytes for `info` (JSON), and the reverse (nullopt when unreadable).
QByteArray sidecarJson(const AutosaveInfo& info);
std::optional<AutosaveInfo> parseSidecar(const QByteArray& json);

// This process's id and start time (from /proc/self/stat), for the sidecar.
AutosaveInfo thisProcessInfo();
// Whether process `pid` runs and is the one that started at `processStart` (when given):
// /proc/<pid> exists, is not a zombie, and its start time matches.
bool processIsAlive(qint64 pid, std::optional<quint64> processStart);

struct OrphanAutosave {
    AutosaveSlot slot;
    AutosaveInfo info;                   // from the sidecar, else pid from the name and the file's time
    engine::Result<engine::Project> project = engine::makeError("not read");
};

// The autosaves in `directory` whose writer is gone (never this process's), newest first,
// with their projects read. Also removes the temporary files of interrupted writes by dead
// processes.
QList<OrphanAutosave> findOrphanAutosaves(const QString& directory);

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/files/AutosaveFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include <sys/types.h>
#include <unistd.h>

namespace melodist::ui {
namespace {

const QString kProjectSuffix = QStringLiteral(".melodist");
const QString kSidecarSuffix = QStringLiteral(".json");

// /proc/<pid>/stat: "pid (comm) state ppid ... starttime(22nd field) ...". comm may hold
// spaces and parentheses, so fields are counted after its last ')'.
struct ProcStat {
    char state = '?';
    quint64 startTicks = 0;
};

std::optional<ProcStat> readProcStat(qint64 pid) {
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
    const QByteArray text = file.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0) return std::nullopt;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');  // fields[0] = state (field 3)
    if (fields.size() < 20) return std::nullopt;
    ProcStat stat;
    stat.state = fields[0].isEmpty() ? '?' : fields[0][0];
    bool ok = false;
    stat.startTicks = fields[19].toULongLong(&ok);  // field 22
    if (!ok) return std::nullopt;
    return stat;
}

}  // namespace

AutosaveSlot AutosaveSlot::forThisProcess(const QString& directory, int instance) {
    const QString stem = instance == 0 ? QString::number(QCoreApplication::applicationPid())
                                       : QStringLiteral("%1-%2").arg(QCoreApplication::applicationPid()).arg(instance);
    return forStem(directory, stem);
}

AutosaveSlot AutosaveSlot::forStem(const QString& directory, const QString& stem) {
    const QDir dir(directory);
    return {dir.filePath(stem + kProjectSuffix), dir.filePath(stem + kSidecarSuffix)};
}

QByteArray sidecarJson(const AutosaveInfo& info) {
    QJsonObject object{{QStringLiteral("format"), QStringLiteral("melodist-autosave")},
                       {QStringLiteral("original_path"), info.originalPath},
                       {QStringLiteral("saved_at"), info.savedAt.toUTC().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("pid"), info.pid}};
    // A string: JSON numbers in QJsonValue are doubles, and clock ticks may pass 2^53 some day.
    if (info.processStart) object.insert(QStringLiteral("process_start"), QString::number(*info.processStart));
    return QJsonDocument(object).toJson();
}

std::optional<AutosaveInfo> parseSidecar(const QByteArray& json) {
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject()) return std::nullopt;
    const QJsonObject object = document.object();
    AutosaveInfo info;
    info.originalPath = object.value(QStringLiteral("original_path")).toString();
    info.savedAt = QDateTime::fromString(object.value(QStringLiteral("saved_at")).toString(), Qt::ISODateWithMs);
    info.pid = object.value(QStringLiteral("pid")).toInteger();
    bool ok = false;
    const quint64 start = object.value(QStringLiteral("process_start")).toString().toULongLong(&ok);
    if (ok) info.processStart = start;
    if (info.pid <= 0 || !info.savedAt.isValid()) return std::nullopt;
    return info;
}

AutosaveInfo thisProcessInfo() {
    AutosaveInfo info;
    info.pid = QCoreApplication::applicationPid();
    if (const std::optional<ProcStat> stat = readProcStat(info.pid)) info.processStart = stat->startTicks;
    info.savedAt = QDateTime::currentDateTimeUtc();
    return info;
}

bool processIsAlive(qint64 pid, std::optional<quint64> processStart) {
    if (pid <= 0) return false;
    if (QFileInfo::exists(QStringLiteral("/proc/self"))) {
        const std::optional<ProcStat> stat = readProcStat(pid);
        if (!stat) return false;                      // no such process
        if (stat->state == 'Z' || stat->state == 'X') return false;  // killed, not yet reaped
        return !processStart || *processStart == stat->startTicks;  // else the pid was reused
    }
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;  // no /proc: existence only
}

QList<OrphanAutosave> findOrphanAutosaves(const QString& directory) {
    QList<OrphanAutosave> orphans;
    const QDir dir(directory);
    if (!dir.exists()) return orphans;
    static const QRegularExpression stemPattern(QStringLiteral("^(\\d+)(-\\d+)?$"));
    const qint64 self = QCoreApplication::applicationPid();
    for (const QFileInfo& file : dir.entryInfoList({QStringLiteral("*") + kProjectSuffix}, QDir::Files)) {
        const QString stem = file.completeBaseName();
        const QRegularExpressionMatch match = stemPattern.match(stem);
        if (!match.hasMatch()) continue;
        OrphanAutosave orphan;
        orphan.slot = AutosaveSlot::forStem(directory, stem);
        QFile sidecar(orphan.slot.sidecarPath);
        std::optional<AutosaveInfo> info = sidecar.open(QIODevice::ReadOnly) ? parseSidecar(sidecar.readAll()) : std::nullopt;
        if (!info) {  // killed between the two writes, or damaged: what the name and the file tell
            info = AutosaveInfo{};
            info->pid = match.captured(1).toLongLong();
            info->savedAt = file.lastModified();
        }
        if (info->pid == self || processIsAlive(info->pid, info->processStart)) continue;
        orphan.info = *info;
        orphan.project = engine::readProjectFile(file.absoluteFilePath().toStdString());
        orphans.push_back(std::move(orphan));
    }
    // Interrupted atomic writes (".<stem>.melodist.tmp-XXXXXX", engine/core/FileIO) of dead writers.
    static const QRegularExpression tempPattern(QStringLiteral("^\\.(\\d+)(-\\d+)?\\.(melodist|json)\\.tmp-"));
    for (const QFileInfo& file : dir.entryInfoList(QDir::Files | QDir::Hidden)) {
        const QRegularExpressionMatch match = tempPattern.match(file.fileName());
        if (match.hasMatch() && match.captured(1).toLongLong() != self && !processIsAlive(match.captured(1).toLongLong(), std::nullopt))
            QFile::remove(file.absoluteFilePath());
    }
    std::sort(orphans.begin(), orphans.end(), [](const OrphanAutosave& a, const OrphanAutosave& b) { return a.info.savedAt > b.info.savedAt; });
    return orphans;
}

}  // namespace melodist::ui

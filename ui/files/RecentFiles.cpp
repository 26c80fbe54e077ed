// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/files/RecentFiles.h"

#include <QFileInfo>
#include <QSettings>

namespace melodist::ui {
namespace {

const QString kKey = QStringLiteral("files/recent");

void store(const QStringList& paths) {
    QSettings settings;
    settings.setValue(kKey, paths);
}

}  // namespace

QStringList RecentFiles::list() {
    QStringList paths = QSettings().value(kKey).toStringList();
    paths.removeAll(QString());
    paths.removeDuplicates();
    while (paths.size() > kMaxCount) paths.removeLast();
    return paths;
}

void RecentFiles::add(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList paths = list();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    while (paths.size() > kMaxCount) paths.removeLast();
    store(paths);
}

void RecentFiles::remove(const QString& path) {
    QStringList paths = list();
    if (paths.removeAll(QFileInfo(path).absoluteFilePath()) > 0) store(paths);
}

QStringList RecentFiles::prune() {
    QStringList kept, gone;
    for (const QString& path : list()) (QFileInfo::exists(path) ? kept : gone) << path;
    if (!gone.isEmpty()) store(kept);
    return gone;
}

void RecentFiles::clear() { store({}); }

}  // namespace melodist::ui

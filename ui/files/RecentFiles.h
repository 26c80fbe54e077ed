// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RecentFiles: the File > Open Recent list, most recent first, at most 10, kept in
// QSettings ("files/recent") so it survives restarts. Paths are stored absolute; a file
// that no longer exists is pruned (prune() says which, so the menu can tell the user).
// UI thread (QSettings); a value-less helper, every call reads or writes the settings.
//
//   RecentFiles::add(path);                          // after Open / Save As
//   const QStringList gone = RecentFiles::prune();   // before showing the menu
//   for (const QString& p : RecentFiles::list()) menu->addAction(p);

#include <QStringList>

namespace melodist::ui {

struct RecentFiles {
    static constexpr int kMaxCount = 10;
    static QStringList list();
    static void add(const QString& path);     // to the front; a duplicate moves; the 11th drops
    static void remove(const QString& path);
    static QStringList prune();               // removes missing files; returns them
    static void clear();
};

}  // namespace melodist::ui

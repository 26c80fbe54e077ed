// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Preferences: the studio's per-user settings kept in QSettings (Edit > Preferences) --
// the default soundfont, the audio driver, the MIDI input port, the compute device and
// the theme -- as a value with load/save, so every part reads the same keys:
//
//   "audio/soundfont"  path, "" = engine::defaultSoundfontPath()
//   "audio/driver"     "auto" | "pulseaudio" | "pipewire" | "alsa" | "jack"
//   "midi/input"       a port name, "" = the first port
//   "compute/device"   "auto" | "cpu" | "cuda"
//   "ui/theme"         "system" | "light" | "dark"
//
// UI thread (QSettings is only touched there); a plain value otherwise.
//
//   Preferences prefs = Preferences::load();
//   player.setSoundfont(prefs.soundfont.isEmpty() ? defaultFont : prefs.soundfont);
//   prefs.theme = Theme::Dark;
//   prefs.save();

#include "ui/Theme.h"

#include <QString>
#include <QStringList>

namespace melodist::ui {

struct Preferences {
    QString soundfont;                     // "" : the default soundfont
    QString audioDriver = QStringLiteral("auto");
    QString midiInput;                     // "" : the first port
    QString device = QStringLiteral("auto");
    Theme theme = Theme::System;

    static QStringList audioDrivers();     // the values "audio/driver" takes, "auto" first
    static QStringList devices();          // "auto", "cpu", "cuda"
    static Preferences load();             // unknown values read as their defaults
    void save() const;

    friend bool operator==(const Preferences&, const Preferences&) = default;
};

}  // namespace melodist::ui

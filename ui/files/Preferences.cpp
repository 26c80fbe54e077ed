// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/files/Preferences.h"

#include <QSettings>

namespace melodist::ui {
namespace {

const QString kSoundfontKey = QStringLiteral("audio/soundfont");
const QString kDriverKey = QStringLiteral("audio/driver");
const QString kMidiInputKey = QStringLiteral("midi/input");
const QString kDeviceKey = QStringLiteral("compute/device");
const QString kThemeKey = QStringLiteral("ui/theme");

QString oneOf(const QString& value, const QStringList& allowed) {
    const QString lower = value.trimmed().toLower();
    return allowed.contains(lower) ? lower : allowed.front();
}

}  // namespace

QStringList Preferences::audioDrivers() {
    return {QStringLiteral("auto"), QStringLiteral("pulseaudio"), QStringLiteral("pipewire"), QStringLiteral("alsa"),
            QStringLiteral("jack")};
}

QStringList Preferences::devices() { return {QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")}; }

Preferences Preferences::load() {
    const QSettings settings;
    Preferences prefs;
    prefs.soundfont = settings.value(kSoundfontKey).toString();
    prefs.audioDriver = oneOf(settings.value(kDriverKey).toString(), audioDrivers());
    prefs.midiInput = settings.value(kMidiInputKey).toString();
    prefs.device = oneOf(settings.value(kDeviceKey).toString(), devices());
    prefs.theme = themeFromName(settings.value(kThemeKey).toString());
    return prefs;
}

void Preferences::save() const {
    QSettings settings;
    settings.setValue(kSoundfontKey, soundfont);
    settings.setValue(kDriverKey, oneOf(audioDriver, audioDrivers()));
    settings.setValue(kMidiInputKey, midiInput);
    settings.setValue(kDeviceKey, oneOf(device, devices()));
    settings.setValue(kThemeKey, themeName(theme));
    settings.sync();
}

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Theme: the studio's light and dark looks. System follows the platform's palette (the
// one the application started with: Qt 6.4 has no colour-scheme query, so it counts as
// dark when that palette's window colour is dark); Light and Dark are the Fusion style
// with its standard palette or a dark one. isDarkTheme() tells custom-drawn widgets
// (the piano roll) which colours to use. UI thread only; applies to the whole
// application (QApplication's style and palette).
//
//   applyTheme(themeFromName(settings.value("ui/theme").toString()));   // at start-up
//   if (isDarkTheme()) background = QColor(30, 30, 34);

#include <QPalette>
#include <QString>

namespace melodist::ui {

enum class Theme { System, Light, Dark };

QString themeName(Theme theme);               // "system", "light", "dark" (the settings' values)
Theme themeFromName(const QString& name);     // anything unknown -> System
QString themeDisplayName(Theme theme);        // "System", "Light", "Dark" (translated)

// Sets the application's style and palette; widgets repaint through their palette-change events.
void applyTheme(Theme theme);
Theme currentTheme();                         // the last applied; System before any
// Whether the application's palette is dark now (its window colour's lightness < 128).
bool isDarkTheme();
// The palette Dark applies (Fusion-based).
QPalette darkPalette();

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/Theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <QPalette>

#include <optional>

namespace melodist::ui {
namespace {

// The style the platform gave the application, so System can go back to it; captured by
// the first applyTheme(). The palette needs no copy: an empty one set on the application
// resolves against the platform's again, and keeps following its changes.
std::optional<QString>& platformStyleName() {
    static std::optional<QString> name;
    return name;
}

Theme& applied() {
    static Theme theme = Theme::System;
    return theme;
}

void setStyleNamed(const QString& name) {
    if (QApplication::style() && QApplication::style()->name().compare(name, Qt::CaseInsensitive) == 0) return;
    if (QStyle* style = QStyleFactory::create(name)) QApplication::setStyle(style);  // the application owns it
}

}  // namespace

QString themeName(Theme theme) {
    switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

Theme themeFromName(const QString& name) {
    if (name.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0) return Theme::Light;
    if (name.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0) return Theme::Dark;
    return Theme::System;
}

QString themeDisplayName(Theme theme) {
    switch (theme) {
    case Theme::Light: return QApplication::translate("Theme", "Light");
    case Theme::Dark: return QApplication::translate("Theme", "Dark");
    case Theme::System: break;
    }
    return QApplication::translate("Theme", "System");
}

QPalette darkPalette() {
    const QColor window(45, 45, 48), base(30, 30, 32), text(225, 225, 228), disabled(125, 125, 130);
    const QColor highlight(64, 128, 208);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 90, 90));
    p.setColor(QPalette::Light, QColor(70, 70, 74));
    p.setColor(QPalette::Midlight, QColor(58, 58, 62));
    p.setColor(QPalette::Mid, QColor(38, 38, 40));
    p.setColor(QPalette::Dark, QColor(25, 25, 27));
    p.setColor(QPalette::Shadow, QColor(10, 10, 10));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(110, 170, 250));
    p.setColor(QPalette::LinkVisited, QColor(170, 140, 250));
    for (const QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(80, 80, 84));
    return p;
}

void applyTheme(Theme theme) {
    if (!platformStyleName()) {
        if (theme == Theme::System) return;  // nothing changed yet: the platform's look is on
        platformStyleName() = QApplication::style() ? QApplication::style()->name() : QString();
    }
    applied() = theme;
    switch (theme) {
    case Theme::System:
        if (!platformStyleName()->isEmpty()) setStyleNamed(*platformStyleName());
        QApplication::setPalette(QPalette());  // no role set: all from the platform (and the style)
        break;
    case Theme::Light:
        setStyleNamed(QStringLiteral("Fusion"));
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case Theme::Dark:
        setStyleNamed(QStringLiteral("Fusion"));
        QApplication::setPalette(darkPalette());
        break;
    }
}

Theme currentTheme() { return applied(); }

bool isDarkTheme() { return QApplication::palette().color(QPalette::Window).lightness() < 128; }

}  // namespace melodist::ui

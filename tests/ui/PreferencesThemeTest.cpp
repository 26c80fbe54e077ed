// SPDX-License-Identifier: GPL-3.0-or-later
// Edit > Preferences over QSettings (a round trip through the real dialog's controls,
// unknown stored values read as defaults) and the themes: Dark and Light switch the
// application's palette (window lightness), System goes back to the platform's, and
// isDarkTheme() follows.
#include "ui/MainWindow.h"

#include "ui/Theme.h"
#include "ui/files/Preferences.h"
#include "ui/files/PreferencesDialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace melodist::ui;

namespace {

int windowLightness() { return QApplication::palette().color(QPalette::Window).lightness(); }

void choose(QDialog& dialog, const char* name, const QString& data) {
    auto* combo = dialog.findChild<QComboBox*>(QString::fromLatin1(name));
    QVERIFY2(combo, name);
    const int index = combo->findData(data);
    QVERIFY2(index >= 0, qPrintable(data));
    combo->setCurrentIndex(index);
}

}  // namespace

class PreferencesThemeTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    int m_platformLightness = 0;

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("JACK_NO_START_SERVER", "1");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
        m_platformLightness = windowLightness();
    }

    void defaultsWhenNothingIsStored() {
        QSettings().clear();
        const Preferences prefs = Preferences::load();
        QCOMPARE(prefs, Preferences{});
        QCOMPARE(prefs.audioDriver, QStringLiteral("auto"));
        QCOMPARE(prefs.device, QStringLiteral("auto"));
        QCOMPARE(prefs.theme, Theme::System);
    }

    void dialogValuesGoThroughQSettingsAndBack() {
        // GIVEN the dialog over the defaults
        PreferencesDialog dialog(Preferences::load());
        for (const char* name : {"prefSoundfont", "prefAudioDriver", "prefMidiInput", "prefDevice", "prefTheme", "prefSoundfontBrowse"}) {
            auto* widget = dialog.findChild<QWidget*>(QString::fromLatin1(name));
            QVERIFY2(widget, name);
            QVERIFY2(!widget->toolTip().isEmpty(), name);
        }
        QCOMPARE(dialog.findChild<QComboBox*>(QStringLiteral("prefAudioDriver"))->count(), 5);
        // WHEN every value is changed through the controls and saved
        dialog.findChild<QLineEdit*>(QStringLiteral("prefSoundfont"))->setText(QStringLiteral("/opt/fonts/Piano.sf2"));
        choose(dialog, "prefAudioDriver", QStringLiteral("jack"));
        choose(dialog, "prefDevice", QStringLiteral("cpu"));
        choose(dialog, "prefTheme", QStringLiteral("dark"));
        dialog.values().save();
        // THEN they read back, as the stored strings say
        const Preferences loaded = Preferences::load();
        QCOMPARE(loaded.soundfont, QStringLiteral("/opt/fonts/Piano.sf2"));
        QCOMPARE(loaded.audioDriver, QStringLiteral("jack"));
        QCOMPARE(loaded.device, QStringLiteral("cpu"));
        QCOMPARE(loaded.theme, Theme::Dark);
        QCOMPARE(loaded.midiInput, QString());
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("dark"));
        QCOMPARE(QSettings().value(QStringLiteral("audio/driver")).toString(), QStringLiteral("jack"));
        // AND a saved MIDI port that is not plugged in stays selectable
        Preferences withPort = loaded;
        withPort.midiInput = QStringLiteral("Keystation 49:0");
        withPort.save();
        PreferencesDialog again(Preferences::load());
        QCOMPARE(again.values(), withPort);
        QCOMPARE(again.findChild<QComboBox*>(QStringLiteral("prefMidiInput"))->currentText(), QStringLiteral("Keystation 49:0"));
    }

    void unknownStoredValuesReadAsDefaults() {
        QSettings settings;
        settings.setValue(QStringLiteral("audio/driver"), QStringLiteral("coreaudio"));
        settings.setValue(QStringLiteral("compute/device"), QStringLiteral("tpu"));
        settings.setValue(QStringLiteral("ui/theme"), QStringLiteral("purple"));
        settings.sync();
        const Preferences prefs = Preferences::load();
        QCOMPARE(prefs.audioDriver, QStringLiteral("auto"));
        QCOMPARE(prefs.device, QStringLiteral("auto"));
        QCOMPARE(prefs.theme, Theme::System);
    }

    void themesSwitchThePalette() {
        applyTheme(Theme::Dark);
        QVERIFY2(windowLightness() < 100, qPrintable(QString::number(windowLightness())));
        QVERIFY(isDarkTheme());
        QCOMPARE(currentTheme(), Theme::Dark);
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        applyTheme(Theme::Light);
        QVERIFY2(windowLightness() > 180, qPrintable(QString::number(windowLightness())));
        QVERIFY(!isDarkTheme());
        applyTheme(Theme::System);
        QCOMPARE(windowLightness(), m_platformLightness);
        QCOMPARE(isDarkTheme(), m_platformLightness < 128);
    }

    void studioAppliesTheSavedThemeAndThePreferencesAction() {
        // GIVEN Dark saved
        Preferences prefs;
        prefs.theme = Theme::Dark;
        prefs.save();
        // WHEN the studio starts
        MainWindow window;
        // THEN it is dark, and its widgets got the dark palette
        QVERIFY(isDarkTheme());
        QTRY_VERIFY(window.palette().color(QPalette::Window).lightness() < 100);
        // AND Preferences (Ctrl+,) switched to Light and accepted makes it light
        auto* action = window.findChild<QAction*>(QStringLiteral("actionPreferences"));
        QVERIFY(action);
        QTimer::singleShot(0, [] {
            auto* dialog = qobject_cast<PreferencesDialog*>(QApplication::activeModalWidget());
            if (!dialog) return;
            auto* theme = dialog->findChild<QComboBox*>(QStringLiteral("prefTheme"));
            theme->setCurrentIndex(theme->findData(QStringLiteral("light")));
            dialog->findChild<QDialogButtonBox*>(QStringLiteral("prefButtons"))->button(QDialogButtonBox::Ok)->click();
        });
        action->trigger();
        QVERIFY(!isDarkTheme());
        QCOMPARE(Preferences::load().theme, Theme::Light);
        QTRY_VERIFY(window.palette().color(QPalette::Window).lightness() > 180);
        applyTheme(Theme::System);
    }
};

QTEST_MAIN(PreferencesThemeTest)
#include "PreferencesThemeTest.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PreferencesDialog: Edit > Preferences -- the default soundfont, audio driver, MIDI
// input port, compute device and theme, over Preferences (QSettings). It only edits a
// Preferences value; FileController saves it and applies the theme when it is accepted.
// The MIDI port list comes from engine::listMidiInputPorts on a worker thread (opening a
// MIDI client can take a moment), filled in when it returns; the saved port stays
// choosable even when it is not plugged in. UI thread; owned by whoever opens it.
//
//   PreferencesDialog dialog(Preferences::load(), window);
//   if (dialog.exec() == QDialog::Accepted) { dialog.values().save(); applyTheme(dialog.values().theme); }

#include "ui/files/Preferences.h"

#include <QDialog>

class QComboBox;
class QLineEdit;

namespace melodist::ui {

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(const Preferences& values, QWidget* parent = nullptr);

    Preferences values() const;

signals:
    void midiPortsListed();  // the worker's port list is in the MIDI combo box (tests wait for it)

private:
    void chooseSoundfont();
    void listMidiPorts();  // starts the worker
    void setMidiPorts(const QStringList& ports, const QString& problem);

    QLineEdit* m_soundfont = nullptr;
    QComboBox* m_driver = nullptr;
    QComboBox* m_midiInput = nullptr;
    QComboBox* m_device = nullptr;
    QComboBox* m_theme = nullptr;
};

}  // namespace melodist::ui

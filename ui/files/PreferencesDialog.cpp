// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/files/PreferencesDialog.h"

#include "engine/audio/AudioInfo.h"
#include "engine/midi/MidiInfo.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

#include <memory>

namespace melodist::ui {
namespace {

QComboBox* makeCombo(QWidget* parent, const char* objectName, const QString& tip) {
    auto* combo = new QComboBox(parent);
    combo->setObjectName(QString::fromLatin1(objectName));
    combo->setToolTip(tip);
    return combo;
}

void selectData(QComboBox* combo, const QString& value) {
    const int index = combo->findData(value);
    combo->setCurrentIndex(index >= 0 ? index : 0);
}

}  // namespace

PreferencesDialog::PreferencesDialog(const Preferences& values, QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    auto* form = new QFormLayout;

    m_soundfont = new QLineEdit(values.soundfont, this);
    m_soundfont->setObjectName(QStringLiteral("prefSoundfont"));
    const QString builtIn = QString::fromStdString(engine::defaultSoundfontPath());
    m_soundfont->setPlaceholderText(builtIn.isEmpty() ? tr("Default (none installed)") : tr("Default (%1)").arg(QFileInfo(builtIn).fileName()));
    m_soundfont->setToolTip(tr("The General MIDI soundfont (.sf2/.sf3) audition and WAV export use unless a project "
                               "names its own; empty: %1").arg(builtIn.isEmpty() ? tr("the built-in one") : builtIn));
    m_soundfont->setClearButtonEnabled(true);
    auto* browse = new QPushButton(tr("Browse..."), this);
    browse->setObjectName(QStringLiteral("prefSoundfontBrowse"));
    browse->setToolTip(tr("Choose a soundfont file"));
    connect(browse, &QPushButton::clicked, this, &PreferencesDialog::chooseSoundfont);
    auto* soundfontRow = new QHBoxLayout;
    soundfontRow->addWidget(m_soundfont, 1);
    soundfontRow->addWidget(browse);
    form->addRow(tr("Default &soundfont:"), soundfontRow);

    m_driver = makeCombo(this, "prefAudioDriver", tr("The audio system audition plays through; Auto tries PipeWire/PulseAudio, "
                                                     "then ALSA, then JACK"));
    for (const QString& driver : Preferences::audioDrivers())
        m_driver->addItem(driver == QLatin1String("auto") ? tr("Auto") : driver, driver);
    selectData(m_driver, values.audioDriver);
    form->addRow(tr("&Audio driver:"), m_driver);

    m_midiInput = makeCombo(this, "prefMidiInput", tr("The MIDI keyboard to record from and play through"));
    m_midiInput->addItem(tr("First available"), QString());
    if (!values.midiInput.isEmpty()) m_midiInput->addItem(values.midiInput, values.midiInput);
    selectData(m_midiInput, values.midiInput);
    form->addRow(tr("&MIDI input:"), m_midiInput);

    m_device = makeCombo(this, "prefDevice", tr("Where models run: Auto uses a CUDA GPU when there is one, else the CPU"));
    m_device->addItem(tr("Auto"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA (GPU)"), QStringLiteral("cuda"));
    selectData(m_device, values.device);
    form->addRow(tr("Compute &device:"), m_device);

    m_theme = makeCombo(this, "prefTheme", tr("System follows the desktop's light or dark look"));
    for (const Theme theme : {Theme::System, Theme::Light, Theme::Dark}) m_theme->addItem(themeDisplayName(theme), themeName(theme));
    selectData(m_theme, themeName(values.theme));
    form->addRow(tr("&Theme:"), m_theme);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("prefButtons"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    listMidiPorts();
}

Preferences PreferencesDialog::values() const {
    Preferences prefs;
    prefs.soundfont = m_soundfont->text().trimmed();
    prefs.audioDriver = m_driver->currentData().toString();
    // An editable entry would be a typo trap: only listed ports (and the saved one) are offered.
    prefs.midiInput = m_midiInput->currentData().toString();
    prefs.device = m_device->currentData().toString();
    prefs.theme = themeFromName(m_theme->currentData().toString());
    return prefs;
}

void PreferencesDialog::chooseSoundfont() {
    const QString start = m_soundfont->text().isEmpty() ? QString::fromStdString(engine::defaultSoundfontPath()) : m_soundfont->text();
    const QString path = QFileDialog::getOpenFileName(this, tr("Default Soundfont"), QFileInfo(start).absolutePath(),
                                                      tr("Soundfonts (*.sf2 *.sf3);;All files (*)"));
    if (!path.isEmpty()) m_soundfont->setText(path);
}

void PreferencesDialog::listMidiPorts() {
    struct Listing {
        QStringList ports;
        QString problem;
    };
    auto listing = std::make_shared<Listing>();
    QThread* worker = QThread::create([listing] {
        engine::Result<std::vector<std::string>> ports = engine::listMidiInputPorts();
        if (!ports) {
            listing->problem = QString::fromStdString(ports.error());
            return;
        }
        for (const std::string& port : *ports) listing->ports << QString::fromStdString(port);
    });
    // Context `this`: a dialog closed before the list is back just drops it.
    connect(worker, &QThread::finished, this, [this, listing] { setMidiPorts(listing->ports, listing->problem); });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void PreferencesDialog::setMidiPorts(const QStringList& ports, const QString& problem) {
    for (const QString& port : ports)
        if (m_midiInput->findData(port) < 0) m_midiInput->addItem(port, port);
    if (!problem.isEmpty()) m_midiInput->setToolTip(tr("The MIDI keyboard to record from and play through (%1)").arg(problem));
    emit midiPortsListed();
}

}  // namespace melodist::ui

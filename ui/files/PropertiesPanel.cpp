// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/files/PropertiesPanel.h"

#include "engine/audio/AudioInfo.h"
#include "engine/music/GeneralMidi.h"
#include "ui/document/ProjectDocument.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>

namespace melodist::ui {
namespace {

constexpr std::array<engine::ScaleMode, 9> kModesInMenuOrder = {
    engine::ScaleMode::Major,    engine::ScaleMode::NaturalMinor, engine::ScaleMode::HarmonicMinor,
    engine::ScaleMode::MelodicMinor, engine::ScaleMode::Dorian,   engine::ScaleMode::Phrygian,
    engine::ScaleMode::Lydian,   engine::ScaleMode::Mixolydian,   engine::ScaleMode::Locrian};

template <class W>
W* named(W* widget, const char* objectName, const QString& tip) {
    widget->setObjectName(QString::fromLatin1(objectName));
    widget->setToolTip(tip);
    return widget;
}

}  // namespace

PropertiesPanel::PropertiesPanel(ProjectDocument* document, QWidget* parent) : QWidget(parent), m_document(document) {
    setObjectName(QStringLiteral("propertiesPanel"));
    auto* form = new QFormLayout(this);

    m_title = named(new QLineEdit(this), "propertyTitle", tr("The song's title, written into exported MIDI and MusicXML"));
    m_title->setPlaceholderText(tr("Untitled"));
    connect(m_title, &QLineEdit::textEdited, this, [this](const QString& text) {
        edit(tr("Change Title"), kMergeTitle, [text](engine::Project& p) { p.title = text.toStdString(); });
    });
    form->addRow(tr("&Title:"), m_title);

    m_tempo = named(new QDoubleSpinBox(this), "propertyTempo", tr("Tempo in quarter notes per minute (BPM), for audition and export"));
    m_tempo->setRange(20.0, 400.0);
    m_tempo->setDecimals(2);
    m_tempo->setSuffix(tr(" BPM"));
    m_tempo->setKeyboardTracking(false);  // typing "96" is one change, not "9" then "96"
    connect(m_tempo, &QDoubleSpinBox::valueChanged, this, [this](double bpm) {
        edit(tr("Change Tempo"), kMergeTempo, [bpm](engine::Project& p) { p.tempoBpm = bpm; });
    });
    form->addRow(tr("Te&mpo:"), m_tempo);

    m_meterNumerator = named(new QSpinBox(this), "propertyMeterNumerator", tr("Beats per bar"));
    m_meterNumerator->setRange(1, 32);
    m_meterNumerator->setKeyboardTracking(false);
    m_meterDenominator = named(new QComboBox(this), "propertyMeterDenominator", tr("The beat's note value (4 = quarter note)"));
    for (const int unit : {1, 2, 4, 8, 16, 32}) m_meterDenominator->addItem(QString::number(unit), unit);
    connect(m_meterNumerator, &QSpinBox::valueChanged, this, [this](int beats) {
        edit(tr("Change Meter"), kMergeMeter, [beats](engine::Project& p) { p.meterNumerator = beats; });
    });
    connect(m_meterDenominator, &QComboBox::activated, this, [this](int index) {
        const int unit = m_meterDenominator->itemData(index).toInt();
        edit(tr("Change Meter"), kMergeMeter, [unit](engine::Project& p) { p.meterDenominator = unit; });
    });
    auto* meterRow = new QHBoxLayout;
    meterRow->addWidget(m_meterNumerator);
    meterRow->addWidget(new QLabel(QStringLiteral("/"), this));
    meterRow->addWidget(m_meterDenominator);
    meterRow->addStretch(1);
    // A label beside a layout has no buddy of its own: give it one, so its "&" is a shortcut.
    auto* meterRowLabel = new QLabel(tr("Mete&r:"), this);
    meterRowLabel->setBuddy(m_meterNumerator);
    form->addRow(meterRowLabel, meterRow);

    m_key = named(new QComboBox(this), "propertyKey",
                  tr("The song's key: its scale is shaded in the roll, and generation can keep to it"));
    m_key->addItem(tr("None"), QString());
    for (const engine::ScaleMode mode : kModesInMenuOrder) {
        m_key->insertSeparator(m_key->count());
        for (int tonic = 0; tonic < 12; ++tonic) {
            const QString name = QString::fromStdString(engine::ScaleKey{tonic, mode}.name());
            m_key->addItem(name, name);
        }
    }
    m_key->setMaxVisibleItems(26);
    connect(m_key, &QComboBox::activated, this, [this](int index) {
        const QString name = m_key->itemData(index).toString();
        edit(tr("Change Key"), kMergeKey, [name](engine::Project& p) {
            if (name.isEmpty()) {
                p.key.reset();
                return;
            }
            const engine::Result<engine::ScaleKey> key = engine::parseScaleKey(name.toStdString());
            if (key) p.key = *key;
        });
    });
    form->addRow(tr("&Key:"), m_key);

    m_instrument = named(new QComboBox(this), "propertyInstrument", tr("The General MIDI instrument audition and export play"));
    for (int program = 0; program < engine::kGeneralMidiProgramCount; ++program) {
        m_instrument->addItem(QString::fromUtf8(engine::generalMidiProgramName(program).data(),
                                                static_cast<qsizetype>(engine::generalMidiProgramName(program).size())),
                              program);
        m_instrument->setItemData(program,
                                  tr("General MIDI program %1 (%2)")
                                      .arg(program + 1)
                                      .arg(QString::fromUtf8(engine::generalMidiFamilyName(program).data(),
                                                             static_cast<qsizetype>(engine::generalMidiFamilyName(program).size()))),
                                  Qt::ToolTipRole);
    }
    connect(m_instrument, &QComboBox::activated, this, [this](int index) {
        const int program = m_instrument->itemData(index).toInt();
        edit(tr("Change Instrument"), kMergeProgram, [program](engine::Project& p) { p.program = program; });
    });
    form->addRow(tr("&Instrument:"), m_instrument);

    m_soundfont = named(new QLineEdit(this), "propertySoundfont", QString());
    m_soundfont->setReadOnly(true);
    m_soundfontChoose = named(new QPushButton(tr("Choose..."), this), "propertySoundfontChoose",
                              tr("Use a soundfont file (.sf2/.sf3) for this project"));
    m_soundfontDefault = named(new QPushButton(tr("Default"), this), "propertySoundfontDefault",
                               tr("Use the default soundfont (Edit > Preferences, else the best one installed)"));
    connect(m_soundfontChoose, &QPushButton::clicked, this, &PropertiesPanel::chooseSoundfont);
    connect(m_soundfontDefault, &QPushButton::clicked, this, [this] { setSoundfont(QString()); });
    auto* soundfontRow = new QHBoxLayout;
    soundfontRow->addWidget(m_soundfont, 1);
    soundfontRow->addWidget(m_soundfontChoose);
    soundfontRow->addWidget(m_soundfontDefault);
    // A label beside a layout has no buddy of its own: give it one, so its "&" is a shortcut.
    auto* soundfontRowLabel = new QLabel(tr("&Soundfont:"), this);
    soundfontRowLabel->setBuddy(m_soundfontChoose);
    form->addRow(soundfontRowLabel, soundfontRow);

    connect(m_document, &ProjectDocument::settingsChanged, this, &PropertiesPanel::showDocument);
    showDocument();
}

void PropertiesPanel::edit(const QString& text, int mergeKey, const std::function<void(engine::Project&)>& change) {
    engine::Project settings = m_document->settings();
    change(settings);
    m_document->changeSettings(settings, text, mergeKey);
}

void PropertiesPanel::showDocument() {
    const engine::Project& s = m_document->settings();
    const QSignalBlocker blockTitle(m_title), blockTempo(m_tempo), blockNum(m_meterNumerator), blockDen(m_meterDenominator),
        blockKey(m_key), blockProgram(m_instrument);
    const QString title = QString::fromStdString(s.title);
    if (m_title->text() != title) m_title->setText(title);  // keeps the cursor while typing
    m_tempo->setValue(s.tempoBpm);
    m_meterNumerator->setValue(s.meterNumerator);
    m_meterDenominator->setCurrentIndex(std::max(0, m_meterDenominator->findData(s.meterDenominator)));
    m_key->setCurrentIndex(s.key ? std::max(0, m_key->findData(QString::fromStdString(s.key->name()))) : 0);
    m_instrument->setCurrentIndex(std::clamp(s.program, 0, engine::kGeneralMidiProgramCount - 1));
    if (s.soundfont.empty()) {
        const QString fallback = QString::fromStdString(engine::defaultSoundfontPath());
        m_soundfont->setText(fallback.isEmpty() ? tr("Default (none installed)") : tr("Default (%1)").arg(QFileInfo(fallback).fileName()));
        m_soundfont->setToolTip(fallback.isEmpty() ? tr("No soundfont found: install one (e.g. fluid-soundfont-gm) or choose a file")
                                                   : fallback);
    } else {
        const QString path = QString::fromStdString(s.soundfont);
        m_soundfont->setText(QFileInfo(path).fileName());
        m_soundfont->setToolTip(QFileInfo::exists(path) ? path : tr("%1 (missing: choose another or use the default)").arg(path));
    }
    m_soundfont->setCursorPosition(0);  // show the start of the name when the field is narrow
    m_soundfontDefault->setEnabled(!s.soundfont.empty());
}

void PropertiesPanel::chooseSoundfont() {
    const QString current = QString::fromStdString(m_document->settings().soundfont);
    const QString start = current.isEmpty() ? QString::fromStdString(engine::defaultSoundfontPath()) : current;
    const QString path = QFileDialog::getOpenFileName(this, tr("Project Soundfont"), QFileInfo(start).absolutePath(),
                                                      tr("Soundfonts (*.sf2 *.sf3);;All files (*)"));
    if (!path.isEmpty()) setSoundfont(path);
}

void PropertiesPanel::setSoundfont(const QString& path) {
    edit(tr("Change Soundfont"), kMergeSoundfont, [path](engine::Project& p) { p.soundfont = path.toStdString(); });
}

}  // namespace melodist::ui

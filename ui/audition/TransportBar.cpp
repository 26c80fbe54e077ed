// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/audition/TransportBar.h"

#include "ui/audition/AudioController.h"
#include "ui/document/ProjectDocument.h"

#include "engine/audio/AudioInfo.h"
#include "engine/music/GeneralMidi.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>

#include <cmath>

namespace melodist::ui {

TransportBar::TransportBar(AudioController* audio, ProjectDocument* document, QWidget* parent)
    : QToolBar(tr("Transport"), parent), m_audio(audio), m_document(document) {
    setObjectName(QStringLiteral("transportBar"));
    addAction(audio->playAction());
    addAction(audio->stopAction());
    addAction(audio->loopAction());
    addSeparator();

    m_tempo = new QSpinBox(this);
    m_tempo->setObjectName(QStringLiteral("transportTempo"));
    m_tempo->setRange(20, 400);
    m_tempo->setSuffix(tr(" BPM"));
    m_tempo->setToolTip(tr("The project's tempo, in quarter notes per minute (applies from the next Play)"));
    addWidget(m_tempo);
    connect(m_tempo, &QSpinBox::valueChanged, this, [this](int bpm) {
        engine::Project project = m_document->settings();
        project.tempoBpm = bpm;
        m_document->changeSettings(project, tr("Tempo"), kMergeTempo);
    });

    m_instrument = new QComboBox(this);
    m_instrument->setObjectName(QStringLiteral("transportInstrument"));
    m_instrument->setToolTip(tr("The instrument the melody plays on (General MIDI program)"));
    for (int program = 0; program < engine::kGeneralMidiProgramCount; ++program) {
        const std::string_view name = engine::generalMidiProgramName(program);
        m_instrument->addItem(QStringLiteral("%1 %2").arg(program + 1).arg(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()))),
                              program);
    }
    addWidget(m_instrument);
    connect(m_instrument, &QComboBox::activated, this, [this](int index) {
        engine::Project project = m_document->settings();
        project.program = m_instrument->itemData(index).toInt();
        m_document->changeSettings(project, tr("Instrument"), kMergeProgram);
    });

    m_defaultSoundfont = QString::fromStdString(engine::defaultSoundfontPath());
    m_soundfont = new QToolButton(this);
    m_soundfont->setObjectName(QStringLiteral("transportSoundfont"));
    m_soundfont->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_soundfont);
    QAction* useDefault = menu->addAction(tr("Default soundfont"));
    useDefault->setObjectName(QStringLiteral("actionSoundfontDefault"));
    connect(useDefault, &QAction::triggered, this, [this] { setSoundfont(QString()); });
    QAction* choose = menu->addAction(tr("Choose Soundfont File..."));
    choose->setObjectName(QStringLiteral("actionSoundfontChoose"));
    connect(choose, &QAction::triggered, this, &TransportBar::chooseSoundfont);
    m_soundfont->setMenu(menu);
    addWidget(m_soundfont);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("transportStatus"));
    m_status->setContentsMargins(8, 0, 0, 0);
    // A fixed width: the text changing (opening, no output) never re-lays out the window.
    m_status->setFixedWidth(m_status->fontMetrics().averageCharWidth() * 36);
    addWidget(m_status);

    connect(m_document, &ProjectDocument::settingsChanged, this, &TransportBar::refresh);
    connect(m_audio, &AudioController::stateChanged, this, &TransportBar::showAudioState);
    refresh();
    showAudioState();
}

void TransportBar::refresh() {
    const engine::Project& project = m_document->settings();
    {
        const QSignalBlocker blockTempo(m_tempo), blockInstrument(m_instrument);
        m_tempo->setValue(static_cast<int>(std::lround(project.tempoBpm)));
        m_instrument->setCurrentIndex(m_instrument->findData(project.program));
    }
    const QString chosen = QString::fromStdString(project.soundfont);
    const QString shown = chosen.isEmpty() ? m_defaultSoundfont : chosen;
    m_soundfont->setText(chosen.isEmpty() ? tr("Soundfont: default") : tr("Soundfont: %1").arg(QFileInfo(chosen).fileName()));
    m_soundfont->setToolTip(shown.isEmpty() ? tr("No soundfont found: choose a .sf2 file to hear the melody")
                                            : tr("The soundfont the melody plays with:\n%1").arg(shown));
}

void TransportBar::showAudioState() {
    QString text;
    switch (m_audio->state()) {
    case AudioController::State::Opening: text = tr("Opening audio output..."); break;
    case AudioController::State::Unavailable: text = m_audio->unavailableReason(); break;
    case AudioController::State::Ready: text = tr("Audio: %1").arg(m_audio->driverName()); break;
    case AudioController::State::Closed: break;
    }
    m_status->setText(m_status->fontMetrics().elidedText(text, Qt::ElideRight, m_status->width() - 8));
    m_status->setProperty("fullText", text);
    m_status->setToolTip(m_audio->state() == AudioController::State::Unavailable
                             ? tr("%1\nMelodist could not open an audio output; editing and generation still work. "
                                  "Press Play to try again, or pick another audio driver in Preferences.")
                                   .arg(text)
                             : text);
}

void TransportBar::chooseSoundfont() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a Soundfont"), QString(),
                                                      tr("SoundFonts (*.sf2 *.sf3);;All files (*)"));
    if (!path.isEmpty()) setSoundfont(path);
}

void TransportBar::setSoundfont(const QString& path) {
    engine::Project project = m_document->settings();
    project.soundfont = path.toStdString();
    m_document->changeSettings(project, tr("Soundfont"), kMergeSoundfont);
}

}  // namespace melodist::ui

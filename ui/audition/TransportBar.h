// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// TransportBar: the audition toolbar (objectName "transportBar") -- Play/Stop (Space),
// Stop, Loop (L), the project's tempo, its instrument (the 128 General MIDI programs,
// engine GeneralMidi.h) and its soundfont (Default, or a .sf2/.sf3 file), and a short
// text saying when there is no audio output. Tempo, instrument and soundfont are the
// project's (ProjectDocument::changeSettings, one undo step per control gesture) and
// follow undo. UI thread only; owned by the main window, drives the AudioController.

#include <QToolBar>

class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace melodist::ui {

class AudioController;
class ProjectDocument;

class TransportBar : public QToolBar {
    Q_OBJECT
public:
    TransportBar(AudioController* audio, ProjectDocument* document, QWidget* parent = nullptr);

    static constexpr int kMergeTempo = 7130;  // ProjectDocument::changeSettings merge keys
    static constexpr int kMergeProgram = 7131;
    static constexpr int kMergeSoundfont = 7132;

private:
    void refresh();
    void showAudioState();
    void chooseSoundfont();
    void setSoundfont(const QString& path);

    AudioController* m_audio;
    ProjectDocument* m_document;
    QSpinBox* m_tempo = nullptr;
    QComboBox* m_instrument = nullptr;
    QToolButton* m_soundfont = nullptr;
    QLabel* m_status = nullptr;
    QString m_defaultSoundfont;
};

}  // namespace melodist::ui

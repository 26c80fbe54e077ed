// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CandidatesPanel: the dock (objectName "candidatesPanel") listing the last
// generation's results ("Candidate 1 — 23 notes, 8 bars", with a small sketch of the
// melody). Selecting one shows it in the roll as a preview (ProjectDocument::setPreview)
// and auditions it with the roll around it; selecting another restarts playback with
// that one (A/B). Accept (Enter) puts it into the roll (one undo step) and clears the
// list; Discard (Delete) drops one; Discard All drops them all. UI thread only; owned by
// the main window; `audio` may be null (no audition, e.g. in tests).
//
//   CandidatesPanel panel(&generation, &audio);
//   panel.selectCandidate(1);   // preview + audition
//   panel.acceptCandidate(1);   // into the roll

#include <QDockWidget>

class QAction;
class QCheckBox;
class QListWidget;

namespace melodist::ui {

class AudioController;
class GenerationController;

class CandidatesPanel : public QDockWidget {
    Q_OBJECT
public:
    CandidatesPanel(GenerationController* controller, AudioController* audio, QWidget* parent = nullptr);

    int candidateCount() const;
    int currentCandidate() const;  // -1 when none is selected
    void selectCandidate(int index);
    bool acceptCandidate(int index);
    void discardCandidate(int index);
    QString candidateText(int index) const;

private:
    void rebuild();
    void showCurrent();
    void updateActions();

    GenerationController* m_controller;
    AudioController* m_audio;
    QListWidget* m_list = nullptr;
    QCheckBox* m_playOnSelect = nullptr;
    QAction* m_accept = nullptr;
    QAction* m_discard = nullptr;
    QAction* m_discardAll = nullptr;
};

}  // namespace melodist::ui

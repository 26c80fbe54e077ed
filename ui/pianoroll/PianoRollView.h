// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PianoRollView: the central note editor. For now it draws the empty roll -- a piano
// keyboard on the left, one lane per MIDI pitch, bar and beat lines -- and scrolls;
// note editing arrives with the studio. UI thread only; owned by MainWindow.
// It converts pixels to time and pitch and back; it holds no music logic.

#include <QAbstractScrollArea>

namespace melodist::ui {

class PianoRollView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit PianoRollView(QWidget* parent = nullptr);

    static constexpr int kLowestPitch = 21;   // A0
    static constexpr int kHighestPitch = 108; // C8
    static constexpr int kKeyboardWidthPx = 56;

    int laneHeightPx() const { return m_laneHeightPx; }
    double pixelsPerBeat() const { return m_pixelsPerBeat; }
    // Pixel row of the top of a pitch's lane, in content coordinates.
    int laneTopPx(int pitch) const { return (kHighestPitch - pitch) * m_laneHeightPx; }
    void centreOnPitch(int pitch);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateScrollBars();

    int m_laneHeightPx = 12;
    double m_pixelsPerBeat = 48.0;
    int m_beatsPerBar = 4;
    int m_lengthBars = 16;
};

}  // namespace melodist::ui

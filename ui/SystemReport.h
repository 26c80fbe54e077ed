// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SystemReport: what the studio found about this machine at start-up -- compute
// device, soundfonts, MIDI inputs, library versions -- as text for the status bar and
// Help > About. collectSystemReport() may block (it opens a MIDI client), so the
// studio calls it on a worker thread; the struct is a plain value.

#include <QString>
#include <QStringList>

namespace melodist::ui {

struct SystemReport {
    QString device;         // "CPU (2 threads)" or "CUDA: 1 device"
    QString soundfont;      // best General MIDI soundfont, or a note saying none was found
    bool soundfontFound = false;
    QString midiInput;      // midiInputStatus(midiPorts), or "no MIDI input available"
    QStringList midiPorts;  // the MIDI input ports, sorted
    bool midiAvailable = false;
    QStringList versionLines;  // Melodist, Qt, LibTorch/CUDA, BLAS, FluidSynth, RtMidi
};

SystemReport collectSystemReport();

// The status bar's MIDI text for these input ports: "MIDI: no input ports", "MIDI: <first>"
// or "MIDI: <first> (+N more)".
QString midiInputStatus(const QStringList& ports);

}  // namespace melodist::ui

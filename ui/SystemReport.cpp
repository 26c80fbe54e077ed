// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/SystemReport.h"

#include "engine/audio/AudioInfo.h"
#include "engine/midi/MidiInfo.h"
#include "engine/system/SystemInfo.h"

#include <QFileInfo>
#include <QtGlobal>

namespace melodist::ui {

SystemReport collectSystemReport() {
    SystemReport report;
    const engine::TorchInfo torch = engine::detectTorch();
    report.device = torch.cudaAvailable
                        ? QStringLiteral("GPU: CUDA, %1 device(s)").arg(torch.cudaDeviceCount)
                        : QStringLiteral("CPU (%1 threads)").arg(torch.intraOpThreads);

    const auto soundfonts = engine::findInstalledSoundfonts();
    report.soundfontFound = !soundfonts.empty();
    report.soundfont = soundfonts.empty()
                           ? QStringLiteral("no General MIDI soundfont found (install fluid-soundfont-gm)")
                           : QFileInfo(QString::fromStdString(soundfonts.front())).fileName();

    const auto ports = engine::listMidiInputPorts();
    report.midiAvailable = ports.ok();
    if (ports) {
        for (const std::string& port : *ports) report.midiPorts << QString::fromStdString(port);
        report.midiPorts.sort();
        report.midiInput = midiInputStatus(report.midiPorts);
    } else {
        report.midiInput = QStringLiteral("no MIDI input available");
    }

    for (const std::string& line : engine::engineVersionLines()) report.versionLines << QString::fromStdString(line);
    report.versionLines.insert(1, QStringLiteral("Qt %1 (built with %2)").arg(qVersion(), QT_VERSION_STR));
    report.versionLines << QStringLiteral("FluidSynth %1").arg(QString::fromStdString(engine::fluidSynthVersion()));
    QStringList apis;
    for (const std::string& api : engine::rtMidiCompiledApis()) apis << QString::fromStdString(api);
    report.versionLines << QStringLiteral("RtMidi %1 (%2)").arg(QString::fromStdString(engine::rtMidiVersion()), apis.join(", "));
    return report;
}

QString midiInputStatus(const QStringList& ports) {
    if (ports.isEmpty()) return QStringLiteral("MIDI: no input ports");
    if (ports.size() == 1) return QStringLiteral("MIDI: %1").arg(ports.front());
    return QStringLiteral("MIDI: %1 (+%2 more)").arg(ports.front()).arg(ports.size() - 1);
}

}  // namespace melodist::ui

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
    if (!ports)
        report.midiInput = QStringLiteral("no MIDI input available");
    else if (ports->empty())
        report.midiInput = QStringLiteral("MIDI: no input ports");
    else
        report.midiInput = QStringLiteral("MIDI: %1").arg(QString::fromStdString(ports->front()));

    for (const std::string& line : engine::engineVersionLines()) report.versionLines << QString::fromStdString(line);
    report.versionLines.insert(1, QStringLiteral("Qt %1 (built with %2)").arg(qVersion(), QT_VERSION_STR));
    report.versionLines << QStringLiteral("FluidSynth %1").arg(QString::fromStdString(engine::fluidSynthVersion()));
    QStringList apis;
    for (const std::string& api : engine::rtMidiCompiledApis()) apis << QString::fromStdString(api);
    report.versionLines << QStringLiteral("RtMidi %1 (%2)").arg(QString::fromStdString(engine::rtMidiVersion()), apis.join(", "));
    return report;
}

}  // namespace melodist::ui

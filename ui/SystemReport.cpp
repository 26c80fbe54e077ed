// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/SystemReport.h"

#include "engine/audio/AudioInfo.h"
#include "engine/core/DeviceNames.h"
#include "engine/midi/MidiInfo.h"
#include "engine/system/SystemInfo.h"

#include <QFileInfo>
#include <QtGlobal>

namespace melodist::ui {

SystemReport collectSystemReport() {
    SystemReport report;
    const engine::TorchInfo torch = engine::detectTorch();
    if (torch.cudaAvailable) {
        const std::vector<std::string> gpus = engine::nvidiaGpuNames();
        QString name = gpus.empty() ? QStringLiteral("CUDA device 0") : QString::fromStdString(gpus.front());
        if (torch.cudaDeviceCount > 1) name += QStringLiteral(" (%1 GPUs)").arg(torch.cudaDeviceCount);
        report.device = QStringLiteral("GPU %1").arg(name);
    } else {
        const QString cpu = QString::fromStdString(engine::cpuModelName());
        const QString threads = torch.intraOpThreads == 1 ? QStringLiteral("1 thread")
                                                          : QStringLiteral("%1 threads").arg(torch.intraOpThreads);
        report.device = cpu.isEmpty() ? QStringLiteral("CPU (%1)").arg(threads) : QStringLiteral("CPU %1 (%2)").arg(cpu, threads);
    }

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

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ScoreTransfer: the file work behind Import Seed and Export, kept apart from the
// widgets -- read a MIDI/kern/MusicXML file as a seed (engine::readScoreFile +
// projectFromScore) and say what the project could not keep; pick the export format
// from a file name; write MIDI or MusicXML; render and write WAV. Free functions on any
// thread (FileController runs the WAV render on a worker); errors name the file and say
// what to do.
//
//   Result<SeedImport> seed = readSeed("tune.krn");   // seed->dropped: "2 other parts"
//   Result<void> done = exportProject(project, "tune.wav", *exportFormatFor("tune.wav"), soundfont);

#include "engine/core/Result.h"
#include "engine/project/Project.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace melodist::ui {

struct SeedImport {
    engine::Project project;  // seed notes, tempo, meter, key
    QStringList dropped;      // what the file had that the project does not keep, in words
};
engine::Result<SeedImport> readSeed(const QString& path);

enum class ExportFormat { Midi, MusicXml, Wav };
// By extension (.mid/.midi, .musicxml/.xml, .wav; any case); nullopt otherwise.
std::optional<ExportFormat> exportFormatFor(const QString& path);
QString exportFormatName(ExportFormat format);  // "MIDI", "MusicXML", "WAV"
// The save dialog's filters, one per format, and the extension each one adds.
QStringList exportFilters();
QString extensionForFilter(const QString& filter);  // ".mid", ".musicxml", ".wav"

// Writes the project's notes (seed and generated) as `format`. WAV renders through
// FluidSynth with `soundfont` (an .sf2/.sf3; "" = engine::defaultSoundfontPath()) and takes
// about a tenth of the music's length on this machine's CPU: call it off the UI thread.
engine::Result<void> exportProject(const engine::Project& project, const QString& path, ExportFormat format,
                                   const QString& soundfont);

}  // namespace melodist::ui

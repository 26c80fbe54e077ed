// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/files/ScoreTransfer.h"

#include "engine/audio/AudioInfo.h"
#include "engine/audio/OfflineRenderer.h"
#include "engine/audio/WavWriter.h"
#include "engine/io/MidiFile.h"
#include "engine/io/MusicXmlWriter.h"
#include "engine/io/ScoreFile.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace melodist::ui {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("ScoreTransfer", text); }

// "1 other part", "3 other parts"
QString counted(int n, const char* one, const char* many) { return n == 1 ? tr(one) : tr(many).arg(n); }

}  // namespace

engine::Result<SeedImport> readSeed(const QString& path) {
    engine::Result<engine::Score> score = engine::readScoreFile(path.toStdString());
    if (!score) return engine::makeError(score.error());
    SeedImport seed;
    int droppedParts = 0;
    seed.project = engine::projectFromScore(*score, &droppedParts);
    if (seed.project.notes.empty())
        return engine::makeError(path.toStdString() + ": has no notes to use as a seed; choose a file with a melody");
    if (droppedParts > 0) seed.dropped << counted(droppedParts, "1 other part", "%1 other parts");
    const auto later = [](size_t count) { return count > 1 ? static_cast<int>(count - 1) : 0; };
    if (const int n = later(score->tempos.size())) seed.dropped << counted(n, "1 later tempo change", "%1 later tempo changes");
    if (const int n = later(score->meters.size())) seed.dropped << counted(n, "1 later meter change", "%1 later meter changes");
    size_t declaredKeys = 0;
    for (const engine::KeyChange& key : score->keys) declaredKeys += key.declared ? 1 : 0;
    if (const int n = later(declaredKeys)) seed.dropped << counted(n, "1 later key change", "%1 later key changes");
    return seed;
}

std::optional<ExportFormat> exportFormatFor(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("mid") || suffix == QLatin1String("midi")) return ExportFormat::Midi;
    if (suffix == QLatin1String("musicxml") || suffix == QLatin1String("xml")) return ExportFormat::MusicXml;
    if (suffix == QLatin1String("wav")) return ExportFormat::Wav;
    return std::nullopt;
}

QString exportFormatName(ExportFormat format) {
    switch (format) {
    case ExportFormat::Midi: return QStringLiteral("MIDI");
    case ExportFormat::MusicXml: return QStringLiteral("MusicXML");
    case ExportFormat::Wav: return QStringLiteral("WAV");
    }
    return {};
}

QStringList exportFilters() {
    return {tr("MIDI file (*.mid *.midi)"), tr("MusicXML (*.musicxml *.xml)"), tr("WAV audio (*.wav)")};
}

QString extensionForFilter(const QString& filter) {
    if (filter.contains(QLatin1String("*.wav"))) return QStringLiteral(".wav");
    if (filter.contains(QLatin1String("*.musicxml"))) return QStringLiteral(".musicxml");
    return QStringLiteral(".mid");
}

engine::Result<void> exportProject(const engine::Project& project, const QString& path, ExportFormat format,
                                   const QString& soundfont) {
    const engine::Score score = engine::projectToScore(project);
    const std::string file = path.toStdString();
    switch (format) {
    case ExportFormat::Midi: return engine::writeMidiFile(score, file);
    case ExportFormat::MusicXml: return engine::writeMusicXmlFile(score, file);
    case ExportFormat::Wav: {
        engine::RenderOptions options;
        options.soundfontPath = soundfont.isEmpty() ? engine::defaultSoundfontPath() : soundfont.toStdString();
        if (options.soundfontPath.empty())
            return engine::makeError(file + ": no soundfont to render with; install a General MIDI soundfont "
                                            "(e.g. fluid-soundfont-gm) or choose one in the Properties panel");
        engine::Result<std::vector<float>> audio = engine::renderScore(score, options);
        if (!audio) return engine::makeError(file + ": " + audio.error());
        return engine::writeWavFile(file, *audio, /*channels=*/2, options.sampleRate);
    }
    }
    return engine::makeError(file + ": unknown export format");
}

}  // namespace melodist::ui

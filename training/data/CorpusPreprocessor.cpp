// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/CorpusPreprocessor.h"

#include "engine/core/FileIO.h"
#include "engine/core/Log.h"
#include "engine/core/ThreadPool.h"
#include "engine/io/ScoreFile.h"
#include "training/data/DatasetWriter.h"
#include "training/data/PreprocessChordReduction.h"
#include "training/data/SongEncoder.h"

#include <chrono>
#include <exception>
#include <filesystem>
#include <mutex>
#include <system_error>

namespace melodist::training {
namespace {

namespace fs = std::filesystem;

FileOutcome failed(std::string category, std::string reason) {
    FileOutcome outcome;
    outcome.status = FileStatus::Failed;
    outcome.category = std::move(category);
    outcome.reason = std::move(reason);
    return outcome;
}

// The group a reader's failure is counted in: the messages themselves differ from
// file to file (line numbers, values), the kind of file does not.
std::string failureCategory(std::string_view bytes, const std::string& path) {
    if (bytes.empty()) return "empty file";
    switch (engine::detectScoreFormat(bytes, path)) {
        case engine::ScoreFormat::Unknown:
            return "unknown file type";
        case engine::ScoreFormat::CompressedMusicXml:
            return "compressed MusicXML";
        case engine::ScoreFormat::Kern:
            return "kern";
        case engine::ScoreFormat::Midi:
            return "MIDI";
        case engine::ScoreFormat::MusicXml:
            return "MusicXML";
    }
    return "unknown file type";
}

// An up-to-date dataset: every output is still there, and the manifest was made with
// these options from these files, unchanged (stat'ed here, on the pool's threads).
std::optional<nlohmann::json> upToDateManifest(const PreprocessOptions& options, std::vector<CorpusFile>& files,
                                               engine::ThreadPool& pool) {
    const fs::path dir(options.outputDir);
    std::error_code error;
    for (const char* name : kDatasetOutputFiles)
        if (!fs::is_regular_file(dir / name, error)) return std::nullopt;
    auto text = engine::readFileBytes((dir / kManifestFileName).string());
    if (!text) return std::nullopt;
    nlohmann::json manifest = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    const nlohmann::json fingerprint = options.outputFingerprint();
    if (manifest.is_discarded() || !manifest.contains("files") || manifest["files"].size() != files.size() ||
        manifest.value("options", nlohmann::json()) != fingerprint)
        return std::nullopt;
    std::atomic<bool> statFailed{false};
    pool.parallelFor(files.size(), [&](size_t i) {
        if (!statCorpusFile(files[i])) statFailed.store(true);
    });
    if (statFailed.load() || !manifestMatches(manifest, fingerprint, files)) return std::nullopt;
    return manifest;
}

}  // namespace

FileOutcome preprocessFile(CorpusFile& file, const PreprocessOptions& options) {
    const std::string& path = file.path;
    // Readers and encoders return errors, but one file with a bug's worth of input must
    // cost that file, not the run (and no exception may leave a pool thread).
    try {
        auto bytes = readCorpusFile(file);
        if (!bytes) return failed("unreadable", bytes.error());
        auto score = engine::readScoreBytes(*bytes, path);
        if (!score) return failed(failureCategory(*bytes, path), score.error());
        return encodeSongs(*score, path, options);
    } catch (const std::exception& exception) {
        return failed("internal error",
                      path + ": internal error while reading: " + exception.what() + " (please report this file)");
    }
}

engine::Result<PreprocessReport> preprocessCorpus(const PreprocessOptions& options, const PreprocessProgress& progress,
                                                  const std::atomic<bool>* cancel) {
    const auto start = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    if (options.inputs.empty()) return engine::makeError("no input: give music files or folders to preprocess");
    if (options.outputDir.empty()) return engine::makeError("no output folder: give one with --out DIR");
    if (options.timeStep < engine::Rational(0))
        return engine::makeError("time step " + options.timeStep.toString() + " must be above 0 quarter notes");
    if (options.encoding == DatasetEncoding::Steps && options.acceptedDurations.empty())
        return engine::makeError("the list of accepted durations is empty: every song would be skipped");

    auto found = listCorpusFiles(options.inputs);
    if (!found) return engine::makeError(found.error());
    PreprocessReport report;
    report.files = std::move(*found);
    if (report.files.empty())
        return engine::makeError("no music files in the inputs (looked for .krn .mid .midi .musicxml .xml .mxl)");
    const size_t total = report.files.size();
    // MELODIST_LOG=debug shows where the time goes (the benchmark in bench/ reads these).
    auto phase = [&](const char* name) {
        if (engine::logEnabled(engine::LogLevel::Debug))
            engine::logMessage(engine::LogLevel::Debug, "preprocessCorpus",
                               std::string(name) + " done at " + std::to_string(seconds() * 1000.0) + " ms");
    };
    phase("listing files");

    engine::ThreadPool pool(options.jobs);
    if (!options.force) {
        if (auto manifest = upToDateManifest(options, report.files, pool)) {
            report.outcomes = outcomesFromManifest(*manifest);
            report.summary = PreprocessSummary::fromJson((*manifest)["summary"]);
            report.summary.upToDate = true;
            report.summary.seconds = seconds();
            if (progress) progress(total, total);
            return report;
        }
    }

    std::error_code error;
    fs::create_directories(options.outputDir, error);
    if (error)
        return engine::makeError("cannot create the output folder " + options.outputDir + ": " + error.message());
    // Until the new manifest is written at the very end, the folder must not look up to date.
    fs::remove(fs::path(options.outputDir) / kManifestFileName, error);

    report.outcomes.resize(total);
    std::atomic<size_t> done{0};
    std::mutex progressMutex;
    size_t reported = 0;
    pool.parallelFor(
        total,
        [&](size_t index) {
            report.outcomes[index] = preprocessFile(report.files[index], options);
            done.fetch_add(1, std::memory_order_relaxed);
            if (!progress) return;
            // Whoever holds the lock reports; the others carry on rather than queue.
            std::unique_lock<std::mutex> lock(progressMutex, std::try_to_lock);
            if (!lock.owns_lock()) return;
            const size_t latest = done.load(std::memory_order_relaxed);
            if (latest > reported) {
                reported = latest;
                progress(latest, total);
            }
        },
        cancel);
    if (cancel != nullptr && cancel->load())
        return engine::makeError("preprocessing cancelled after " + std::to_string(done.load()) + " of " +
                                 std::to_string(total) + " files; the dataset was not written");
    if (progress && reported < total) progress(total, total);
    phase("reading and encoding");

    PreprocessSummary& summary = report.summary;
    summary.files = total;
    for (const FileOutcome& outcome : report.outcomes) {
        summary.kept += outcome.status == FileStatus::Kept;
        summary.skipped += outcome.status == FileStatus::Skipped;
        summary.failed += outcome.status == FileStatus::Failed;
        summary.songs += outcome.songs.size();
        summary.steps += outcome.steps;
    }
    nlohmann::json chordVocabulary;  // the chords' rare-token replacement, for the manifest
    if (options.encoding == DatasetEncoding::Chords && options.chordMinCount > 1) {
        auto reduced = reduceChordSongs(report.outcomes, options.chordMinCount);
        if (!reduced) return engine::makeError(reduced.error());
        chordVocabulary = std::move(*reduced);
        phase("reducing the chord vocabulary");
    }
    auto dataset = buildDatasetFiles(options, report.outcomes);
    if (!dataset) return engine::makeError(dataset.error());
    summary.vocabularySize = dataset->vocabularySize;
    phase("building the dataset");
    auto written = writeFilesTogether(options.outputDir, dataset->files);
    if (!written) return engine::makeError(written.error());
    phase("writing the dataset");

    summary.seconds = seconds();
    nlohmann::json manifest =
        makeManifest(options.outputFingerprint(), options.inputs, report.files, report.outcomes, summary);
    if (!chordVocabulary.is_null()) manifest["chord_vocabulary"] = std::move(chordVocabulary);
    auto saved =
        engine::writeFileAtomically((fs::path(options.outputDir) / kManifestFileName).string(),
                                    manifest.dump(1, '\t', false, nlohmann::json::error_handler_t::replace) + "\n");
    if (!saved) return engine::makeError(saved.error());
    phase("writing the manifest");
    return report;
}

}  // namespace melodist::training

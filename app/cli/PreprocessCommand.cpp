// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist preprocess`: music files in, a training dataset out (CorpusPreprocessor.h).
#include "app/cli/CommandLine.h"
#include "app/cli/Commands.h"
#include "training/data/CorpusPreprocessor.h"
#include "training/data/ProgressWriter.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

namespace melodist::cli {
namespace {

using engine::Rational;
using training::FileStatus;

// "0.75", "3/4", "3" -> exact quarter notes; nullopt when malformed or not positive.
std::optional<Rational> parseQuarterNotes(const std::string& text) {
    auto parseInt = [](std::string_view digits, int64_t& value) {
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return !digits.empty() && error == std::errc() && end == digits.data() + digits.size();
    };
    int64_t num = 0, den = 1;
    if (const size_t slash = text.find('/'); slash != std::string::npos) {
        if (!parseInt(std::string_view(text).substr(0, slash), num) ||
            !parseInt(std::string_view(text).substr(slash + 1), den))
            return std::nullopt;
    } else if (const size_t dot = text.find('.'); dot != std::string::npos) {
        const std::string_view whole = std::string_view(text).substr(0, dot),
                               fraction = std::string_view(text).substr(dot + 1);
        int64_t wholeValue = 0, fractionValue = 0;
        if ((!whole.empty() && !parseInt(whole, wholeValue)) || fraction.size() > 9 ||
            (!fraction.empty() && !parseInt(fraction, fractionValue)) || (whole.empty() && fraction.empty()))
            return std::nullopt;
        for (size_t i = 0; i < fraction.size(); ++i) den *= 10;
        num = wholeValue * den + fractionValue;
    } else if (!parseInt(text, num)) {
        return std::nullopt;
    }
    if (num <= 0 || den <= 0) return std::nullopt;
    return Rational(num, den);
}

std::string withThousands(uint64_t value) {
    const std::string digits = std::to_string(value);
    std::string text;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
        text += digits[i];
    }
    return text;
}

// "17 skipped (15 durations, 2 no notes)"
std::string countWithCategories(size_t count, const char* what,
                                const std::map<std::string, std::vector<const training::FileOutcome*>>& groups) {
    std::string text = withThousands(count) + " " + what;
    if (count == 0 || groups.empty()) return text;
    text += " (";
    bool first = true;
    for (const auto& [category, members] : groups) {
        text += (first ? "" : ", ") + withThousands(members.size()) + " " + category;
        first = false;
    }
    return text + ")";
}

void printGroups(std::FILE* out, const char* what,
                 const std::map<std::string, std::vector<const training::FileOutcome*>>& groups,
                 const std::string& manifestPath) {
    constexpr size_t kShown = 3;
    for (const auto& [category, members] : groups) {
        std::fprintf(out, "%s, %s (%zu):\n", what, category.c_str(), members.size());
        for (size_t i = 0; i < members.size() && i < kShown; ++i)
            std::fprintf(out, "  %s\n", members[i]->reason.c_str());
        if (members.size() > kShown)
            std::fprintf(out, "  ... and %zu more (every file is listed in %s)\n", members.size() - kShown,
                         manifestPath.c_str());
    }
}

// "chords: 22,063 tokens -> 454 (--min-count 40): 39.8 % of the tokens replaced by the
// nearest frequent one", from the manifest's "chord_vocabulary" section.
void printChordVocabulary(std::FILE* out, const std::string& manifestPath) {
    std::FILE* file = std::fopen(manifestPath.c_str(), "rb");
    if (file == nullptr) return;
    const nlohmann::json manifest = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
    std::fclose(file);
    if (manifest.is_discarded() || !manifest.contains("chord_vocabulary")) return;
    const nlohmann::json& section = manifest["chord_vocabulary"];
    std::fprintf(out, "chords: %s tokens -> %s (--min-count %s): %.1f %% of the tokens replaced by the nearest frequent one\n",
                 withThousands(section.value("tokens_before", uint64_t{0})).c_str(),
                 withThousands(section.value("tokens_after", uint64_t{0})).c_str(),
                 withThousands(section.value("min_count", uint64_t{0})).c_str(), 100.0 * section.value("share_replaced", 0.0));
}

}  // namespace

int runPreprocess(int argc, char** argv) {
    CommandLine args(argc, argv, 2,
                     {{"out", true},
                      {"encoding", true},
                      {"durations", true},
                      {"time-step", true},
                      {"no-transpose", false},
                      {"augment", true},
                      {"min-count", true},
                      {"jobs", true},
                      {"progress", true},
                      {"force", false}});
    if (!args.error().empty()) return usageError("preprocess", args.error());
    training::PreprocessOptions options;
    options.inputs = args.positional();
    options.outputDir = args.value("out");
    if (options.inputs.empty()) return usageError("preprocess", "give at least one music file or folder");
    if (options.outputDir.empty()) return usageError("preprocess", "give the dataset folder with --out DIR");
    const std::string encoding = args.value("encoding", "steps");
    if (encoding == "chords")
        options.encoding = training::DatasetEncoding::Chords;
    else if (encoding != "steps")
        return usageError("preprocess", "--encoding is steps or chords, not '" + encoding + "'");
    if (args.has("durations")) {
        options.acceptedDurations.clear();
        const std::string list = args.value("durations");
        size_t start = 0;
        while (start <= list.size()) {
            const size_t comma = std::min(list.find(',', start), list.size());
            const std::string item = list.substr(start, comma - start);
            const auto duration = parseQuarterNotes(item);
            if (!duration)
                return usageError("preprocess", "--durations: '" + item +
                                                    "' is not a positive number of quarter notes (like 0.75 or 1/3)");
            options.acceptedDurations.push_back(*duration);
            start = comma + 1;
        }
    }
    if (args.has("time-step")) {
        const auto step = parseQuarterNotes(args.value("time-step"));
        if (!step)
            return usageError("preprocess",
                              "--time-step expects a positive number of quarter notes, like 0.25 or 1/12");
        options.timeStep = *step;
    }
    options.transpose = !args.has("no-transpose");
    options.augmentCopies = static_cast<int>(args.integer("augment", 0));
    options.jobs = static_cast<int>(args.integer("jobs", 0));
    const long minCount = args.integer("min-count", 0);
    options.force = args.has("force");
    if (!args.error().empty()) return usageError("preprocess", args.error());
    if (options.augmentCopies < 0 || options.augmentCopies > 11)
        return usageError("preprocess", "--augment is 0..11 (extra transposed copies of each song)");
    if (options.jobs < 0) return usageError("preprocess", "--jobs is a positive number of threads");
    if (args.has("min-count") && options.encoding != training::DatasetEncoding::Chords)
        return usageError("preprocess", "--min-count reduces the chord vocabulary: give it with --encoding chords");
    if (minCount < 0 || minCount > 1000000000)
        return usageError("preprocess", "--min-count is a number of occurrences, 0..1000000000 (0 or 1: keep every token)");
    options.chordMinCount = static_cast<uint64_t>(minCount);
    const std::string progressFormat = args.value("progress");
    if (!progressFormat.empty() && progressFormat != "jsonl")
        return usageError("preprocess", "--progress takes 'jsonl', not '" + progressFormat + "'");

    // With --progress jsonl, stdout carries only JSON lines; the report goes to stderr.
    std::unique_ptr<training::ProgressWriter> progress;
    std::FILE* text = stdout;
    if (!progressFormat.empty()) {
        progress = std::make_unique<training::ProgressWriter>(stdout);
        text = stderr;
        progress->write("start", {{"inputs", options.inputs}, {"out", options.outputDir}});
    }
    // At most ~20 progress events a second, and always the last one.
    std::mutex throttleMutex;
    auto lastEvent = std::chrono::steady_clock::time_point{};
    training::PreprocessProgress onProgress;
    if (progress)
        onProgress = [&](size_t done, size_t total) {
            const std::lock_guard<std::mutex> lock(throttleMutex);
            const auto now = std::chrono::steady_clock::now();
            if (done != total && now - lastEvent < std::chrono::milliseconds(50)) return;
            lastEvent = now;
            progress->write("progress", {{"done", done}, {"total", total}});
        };

    auto report = training::preprocessCorpus(options, onProgress);
    if (!report) {
        if (progress) progress->write("error", {{"message", report.error()}});
        std::fprintf(stderr, "melodist preprocess: %s\n", report.error().c_str());
        return 1;
    }
    const training::PreprocessSummary& summary = report->summary;
    std::map<std::string, std::vector<const training::FileOutcome*>> skipped, failed;
    for (const training::FileOutcome& outcome : report->outcomes) {
        if (outcome.status == FileStatus::Skipped) skipped[outcome.category].push_back(&outcome);
        if (outcome.status == FileStatus::Failed) failed[outcome.category].push_back(&outcome);
    }
    std::fprintf(text, "preprocess: %s%s files: %s kept, %s, %s; %s symbols, %s steps; %.2f s\n",
                 summary.upToDate ? "up to date: " : "", withThousands(summary.files).c_str(),
                 withThousands(summary.kept).c_str(), countWithCategories(summary.skipped, "skipped", skipped).c_str(),
                 countWithCategories(summary.failed, "failed", failed).c_str(),
                 withThousands(summary.vocabularySize).c_str(), withThousands(summary.steps).c_str(), summary.seconds);
    const std::string manifestPath = options.outputDir + "/manifest.json";
    if (options.chordMinCount > 1) printChordVocabulary(text, manifestPath);
    printGroups(text, "skipped", skipped, manifestPath);
    printGroups(text, "failed", failed, manifestPath);
    if (progress) {
        nlohmann::json fields = summary.toJson();
        fields["up_to_date"] = summary.upToDate;
        fields["out"] = options.outputDir;
        progress->write("done", fields);
    }
    if (summary.kept == 0) {
        std::fprintf(stderr, "melodist preprocess: no song was kept, so the dataset is empty; see the reasons above\n");
        return 1;
    }
    return 0;
}

}  // namespace melodist::cli

// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/PreprocessManifest.h"

namespace melodist::training {

const char* fileStatusName(FileStatus status) {
    switch (status) {
        case FileStatus::Kept:
            return "kept";
        case FileStatus::Skipped:
            return "skipped";
        case FileStatus::Failed:
            return "failed";
    }
    return "failed";
}

nlohmann::json PreprocessSummary::toJson() const {
    return {{"files", files},
            {"kept", kept},
            {"skipped", skipped},
            {"failed", failed},
            {"songs", songs},
            {"steps", steps},
            {"vocabulary_size", vocabularySize},
            {"seconds", seconds}};
}

PreprocessSummary PreprocessSummary::fromJson(const nlohmann::json& json) {
    PreprocessSummary summary;
    summary.files = json.value("files", size_t{0});
    summary.kept = json.value("kept", size_t{0});
    summary.skipped = json.value("skipped", size_t{0});
    summary.failed = json.value("failed", size_t{0});
    summary.songs = json.value("songs", size_t{0});
    summary.steps = json.value("steps", uint64_t{0});
    summary.vocabularySize = json.value("vocabulary_size", size_t{0});
    summary.seconds = json.value("seconds", 0.0);
    return summary;
}

nlohmann::json makeManifest(const nlohmann::json& optionsFingerprint, const std::vector<std::string>& inputs,
                            const std::vector<CorpusFile>& files, const std::vector<FileOutcome>& outcomes,
                            const PreprocessSummary& summary) {
    nlohmann::json fileList = nlohmann::json::array();
    for (size_t i = 0; i < files.size(); ++i) {
        const FileOutcome& outcome = outcomes[i];
        nlohmann::json entry = {{"path", files[i].path},
                                {"size", files[i].sizeBytes},
                                {"mtime_ns", files[i].mtimeNs},
                                {"status", fileStatusName(outcome.status)}};
        if (outcome.status == FileStatus::Kept) {
            entry["songs"] = outcome.songs.size();
            entry["steps"] = outcome.steps;
        } else {
            entry["category"] = outcome.category;
            entry["reason"] = outcome.reason;
        }
        fileList.push_back(std::move(entry));
    }
    return {{"format", "melodist-dataset"},
            {"pipeline_version", kPreprocessPipelineVersion},
            {"options", optionsFingerprint},
            {"inputs", inputs},
            {"outputs",
             {{"songs", "songs.txt"},
              {"mapping", "mapping.json"},
              {"file_dataset", "file_dataset"},
              {"binary", "dataset.bin"}}},
            {"summary", summary.toJson()},
            {"files", std::move(fileList)}};
}

bool manifestMatches(const nlohmann::json& manifest, const nlohmann::json& optionsFingerprint,
                     const std::vector<CorpusFile>& files) {
    if (!manifest.is_object() || manifest.value("pipeline_version", -1) != kPreprocessPipelineVersion) return false;
    if (!manifest.contains("options") || manifest["options"] != optionsFingerprint) return false;
    const auto list = manifest.find("files");
    if (list == manifest.end() || !list->is_array() || list->size() != files.size()) return false;
    for (size_t i = 0; i < files.size(); ++i) {
        const nlohmann::json& entry = (*list)[i];
        if (!entry.is_object() || entry.value("path", std::string()) != files[i].path ||
            entry.value("size", uint64_t{0}) != files[i].sizeBytes ||
            entry.value("mtime_ns", int64_t{0}) != files[i].mtimeNs)
            return false;
    }
    return true;
}

std::vector<FileOutcome> outcomesFromManifest(const nlohmann::json& manifest) {
    std::vector<FileOutcome> outcomes;
    if (!manifest.contains("files") || !manifest["files"].is_array()) return outcomes;
    for (const nlohmann::json& entry : manifest["files"]) {
        FileOutcome outcome;
        const std::string status = entry.value("status", std::string());
        outcome.status = status == "kept"      ? FileStatus::Kept
                         : status == "skipped" ? FileStatus::Skipped
                                               : FileStatus::Failed;
        outcome.category = entry.value("category", std::string());
        outcome.reason = entry.value("reason", std::string());
        outcome.steps = entry.value("steps", uint64_t{0});
        outcomes.push_back(std::move(outcome));
    }
    return outcomes;
}

}  // namespace melodist::training

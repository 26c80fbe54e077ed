// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/Evaluate.h"

#include "engine/core/FileIO.h"
#include "engine/music/StepEncoding.h"
#include "training/data/TrainingData.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>

namespace melodist::training {
namespace {

using engine::makeError;
using engine::Result;

struct Target {
    int fedCount = 0;  // how many of the song's fed symbols precede it (>= 1)
    int modelId = -1;  // -1: the model lacks the symbol
};

// One song in the model's ids: what is fed (padding, then the song's known symbols) and
// what is predicted after how many of them.
struct SongPlan {
    std::vector<int> fed;
    std::vector<Target> targets;
};

// Dataset id -> model id by symbol name; -1 where the model lacks the symbol.
std::vector<int> mapByName(const engine::Vocabulary& from, const engine::Vocabulary& to) {
    std::vector<int> map(from.size(), -1);
    for (size_t id = 0; id < from.size(); ++id) map[id] = to.idOf(from.symbols()[id]).value_or(-1);
    return map;
}

// Plans every song; fills the counts that do not depend on the model's predictions.
std::vector<SongPlan> planSongs(const EvaluationDataset& dataset, const std::vector<int>& idMap, int paddingId, int padding,
                                const EvaluationOptions& options, EvaluationResult& result) {
    const DatasetBinary& data = dataset.data;
    size_t songCount = data.songCount();
    if (options.maxSongs >= 0) songCount = std::min(songCount, static_cast<size_t>(options.maxSongs));
    std::vector<SongPlan> plans(songCount);
    const auto addTarget = [&](SongPlan& plan, int modelId, const std::string& name) {
        if (plan.fed.empty()) {  // nothing to predict it from: no padding and first in the song
            ++result.unscoredSymbols;
        } else {
            plan.targets.push_back({static_cast<int>(plan.fed.size()), modelId});
            if (modelId < 0) {
                ++result.missingTargets;
                ++result.missingSymbols[name];
            }
        }
        if (modelId >= 0) plan.fed.push_back(modelId);  // what follows the last target is never stepped
    };
    for (size_t s = 0; s < songCount; ++s) {
        SongPlan& plan = plans[s];
        plan.fed.assign(static_cast<size_t>(padding), paddingId);
        for (uint64_t t = data.offsets[s]; t < data.offsets[s + 1]; ++t) {
            const int datasetId = data.tokens[t];
            addTarget(plan, idMap[static_cast<size_t>(datasetId)], dataset.vocabulary.symbols()[static_cast<size_t>(datasetId)]);
        }
        for (int k = 0; k < result.songEndSymbols; ++k) addTarget(plan, paddingId, std::string(engine::kSongDelimiterSymbol));
    }
    result.songs = static_cast<int64_t>(songCount);
    return plans;
}

// Adds one target's -ln p and hit from a row of logits (log-softmax in double).
void scoreLogits(std::span<const float> logits, const Target& target, double floor, EvaluationResult& result) {
    ++result.symbols;
    if (target.modelId < 0) {
        result.lossSumNats -= std::log(floor);
        return;
    }
    const auto best = std::max_element(logits.begin(), logits.end());  // the first of equal maxima
    double sum = 0.0;
    for (const float logit : logits) sum += std::exp(static_cast<double>(logit) - *best);
    const double logProbability = static_cast<double>(logits[static_cast<size_t>(target.modelId)]) - *best - std::log(sum);
    result.lossSumNats -= logProbability;
    if (best - logits.begin() == target.modelId) ++result.correct;
}

// How many fed symbols a song's last prediction needs (what follows it is never fed).
size_t neededSteps(const SongPlan& plan) {
    return plan.targets.empty() ? 0 : static_cast<size_t>(plan.targets.back().fedCount);
}

// context 0: rows = songs, longest first, so the songs still running are always the
// first rows and keepRows only drops the tail.
void evaluateIncremental(engine::SequenceDecoder& decoder, const std::vector<SongPlan>& plans, const EvaluationOptions& options,
                         EvaluationResult& result) {
    std::vector<size_t> order(plans.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::erase_if(order, [&](size_t s) { return plans[s].targets.empty(); });
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return neededSteps(plans[a]) > neededSteps(plans[b]); });
    const auto vocabularySize = static_cast<size_t>(decoder.vocabularySize());
    std::vector<int> ids;
    std::vector<float> logits;
    std::vector<int> keep;
    for (size_t first = 0; first < order.size(); first += static_cast<size_t>(options.batchRows)) {
        const size_t rows = std::min(order.size() - first, static_cast<size_t>(options.batchRows));
        const std::span<const size_t> songs(order.data() + first, rows);
        std::vector<size_t> cursor(rows, 0);
        decoder.reset(static_cast<int>(rows));
        size_t active = rows;
        for (size_t t = 0; active > 0; ++t) {
            size_t stillActive = active;
            while (stillActive > 0 && neededSteps(plans[songs[stillActive - 1]]) <= t) --stillActive;
            if (stillActive == 0) break;
            if (stillActive != active) {
                keep.resize(stillActive);
                std::iota(keep.begin(), keep.end(), 0);
                decoder.keepRows(keep);
                active = stillActive;
            }
            ids.resize(active);
            for (size_t r = 0; r < active; ++r) ids[r] = plans[songs[r]].fed[t];
            logits.resize(active * vocabularySize);
            decoder.step(ids, logits);
            result.decoderSteps += static_cast<int64_t>(active);
            for (size_t r = 0; r < active; ++r) {
                const std::vector<Target>& targets = plans[songs[r]].targets;
                for (; cursor[r] < targets.size() && targets[cursor[r]].fedCount == static_cast<int>(t + 1); ++cursor[r])
                    scoreLogits(std::span<const float>(logits).subspan(r * vocabularySize, vocabularySize), targets[cursor[r]],
                                options.probabilityFloor, result);
            }
        }
    }
}

// context N: every target from the last N fed symbols (fewer at the start of a song
// without enough padding), from a fresh state. Windows of one length share a batch.
void evaluateWindowed(engine::SequenceDecoder& decoder, const std::vector<SongPlan>& plans, int context,
                      const EvaluationOptions& options, EvaluationResult& result) {
    struct Window {
        uint32_t song;
        uint32_t target;
        int length;
    };
    std::vector<Window> windows;
    for (size_t s = 0; s < plans.size(); ++s)
        for (size_t t = 0; t < plans[s].targets.size(); ++t)
            windows.push_back({static_cast<uint32_t>(s), static_cast<uint32_t>(t), std::min(plans[s].targets[t].fedCount, context)});
    std::stable_sort(windows.begin(), windows.end(), [](const Window& a, const Window& b) { return a.length < b.length; });
    const auto vocabularySize = static_cast<size_t>(decoder.vocabularySize());
    std::vector<int> ids;
    std::vector<float> logits;
    for (size_t first = 0; first < windows.size();) {
        const int length = windows[first].length;
        size_t rows = 0;
        while (first + rows < windows.size() && rows < static_cast<size_t>(options.batchRows) && windows[first + rows].length == length) ++rows;
        const std::span<const Window> batch(windows.data() + first, rows);
        decoder.reset(static_cast<int>(rows));
        ids.resize(rows);
        logits.resize(rows * vocabularySize);
        for (int step = 0; step < length; ++step) {
            for (size_t r = 0; r < rows; ++r) {
                const SongPlan& plan = plans[batch[r].song];
                ids[r] = plan.fed[static_cast<size_t>(plan.targets[batch[r].target].fedCount - length + step)];
            }
            decoder.step(ids, logits);
            result.decoderSteps += static_cast<int64_t>(rows);
        }
        for (size_t r = 0; r < rows; ++r)
            scoreLogits(std::span<const float>(logits).subspan(r * vocabularySize, vocabularySize),
                        plans[batch[r].song].targets[batch[r].target], options.probabilityFloor, result);
        first += rows;
    }
}

Result<void> checkOptions(const EvaluationOptions& options) {
    if (options.batchRows < 1) return makeError("the batch must hold at least one row");
    if (options.songEndSymbols < 0 || options.songEndSymbols > 1 << 20) return makeError("the '/' scored after each song must be 0 or more");
    if (!(options.probabilityFloor > 0.0 && options.probabilityFloor < 1.0))
        return makeError("the probability floor must be between 0 and 1 (exclusive)");
    return {};
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Result<EvaluationDataset> loadEvaluationDataset(const std::string& directory) {
    const std::string binaryPath = (std::filesystem::path(directory) / "dataset.bin").string();
    const std::string mappingPath = (std::filesystem::path(directory) / "mapping.json").string();
    if (!std::filesystem::exists(binaryPath) || !std::filesystem::exists(mappingPath))
        return makeError(directory + ": not a dataset folder (dataset.bin and mapping.json); make one with "
                         "'melodist preprocess MUSIC... --out " + directory + "'");
    Result<std::string> bytes = engine::readFileBytes(binaryPath);
    if (!bytes) return makeError(bytes.error());
    Result<DatasetBinary> data = DatasetBinary::fromBytes(*bytes, binaryPath);
    if (!data) return makeError(data.error());
    Result<engine::Vocabulary> vocabulary = engine::Vocabulary::load(mappingPath);
    if (!vocabulary) return makeError(vocabulary.error());
    if (vocabulary->size() != data->vocabularySize)
        return makeError(binaryPath + " has " + std::to_string(data->vocabularySize) + " symbols but " + mappingPath + " maps " +
                         std::to_string(vocabulary->size()) + "; preprocess the folder again (--force)");
    return EvaluationDataset{std::move(*vocabulary), std::move(*data)};
}

Result<EvaluationDataset> loadRunSplit(const std::string& datasetDir, const std::string& runDir, RunSplitPart part) {
    const std::string runPath = (std::filesystem::path(runDir) / "run.json").string();
    Result<std::string> text = engine::readFileBytes(runPath);
    if (!text) return makeError(text.error() + "; --split-of needs a run folder that 'melodist train --out' made");
    const nlohmann::json run = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    const auto options = run.is_object() ? run.find("options") : run.end();
    if (!run.is_object() || options == run.end() || !options->is_object() || !options->contains("val_split") ||
        !options->contains("rng_seed") || !(*options)["val_split"].is_number() || !(*options)["rng_seed"].is_number())
        return makeError(runPath + " has no options.val_split and options.rng_seed; is it a 'melodist train' run folder?");
    Result<TrainingDataset> data = TrainingDataset::load(datasetDir);
    if (!data) return makeError(data.error());
    const double fraction = (*options)["val_split"].get<double>();
    const uint64_t seed = (*options)["rng_seed"].get<uint64_t>();
    const SongSplit split = splitBySong(*data, fraction, seed);
    // The run records how many songs it split; another dataset would split differently.
    const nlohmann::json* counts = nullptr;
    if (const auto metrics = run.find("metrics"); metrics != run.end() && metrics->is_object())
        if (const auto found = metrics->find("split"); found != metrics->end() && found->is_object()) counts = &*found;
    if (counts) {
        const size_t train = counts->value("songs_train", split.train.size());
        const size_t validation = counts->value("songs_validation", split.validation.size());
        if (train != split.train.size() || validation != split.validation.size())
            return makeError(datasetDir + " splits into " + std::to_string(split.train.size()) + " + " +
                             std::to_string(split.validation.size()) + " songs, but the run in " + runDir + " had " +
                             std::to_string(train) + " + " + std::to_string(validation) +
                             "; give the dataset folder the run was trained on");
    }
    EvaluationDataset out{data->vocabulary, DatasetBinary{}};
    out.data.vocabularySize = data->binary.vocabularySize;
    out.data.delimiterId = data->binary.delimiterId;
    for (const uint32_t song : part == RunSplitPart::Train ? split.train : split.validation) {
        const std::span<const uint16_t> tokens = data->song(song);
        out.data.appendSong(std::vector<uint16_t>(tokens.begin(), tokens.end()));
    }
    return out;
}

double EvaluationResult::perplexity() const { return std::exp(loss()); }

nlohmann::ordered_json EvaluationResult::toJson() const {
    nlohmann::ordered_json out;
    out["songs"] = songs;
    out["symbols"] = symbols;
    out["loss_nats"] = loss();
    out["accuracy"] = accuracy();
    out["perplexity"] = perplexity();
    out["context"] = context;
    out["padding"] = padding;
    out["song_end_symbols"] = songEndSymbols;
    out["missing_targets"] = missingTargets;
    out["missing_symbols"] = nlohmann::ordered_json::object();
    for (const auto& [symbol, count] : missingSymbols) out["missing_symbols"][symbol] = count;
    out["probability_floor"] = probabilityFloor;
    out["unscored_symbols"] = unscoredSymbols;
    out["device"] = device;
    out["decoder_steps"] = decoderSteps;
    out["seconds"] = seconds;
    return out;
}

Result<EvaluationResult> evaluateModel(const engine::MelodyModel& model, const EvaluationDataset& dataset,
                                       const EvaluationOptions& options) {
    if (Result<void> ok = checkOptions(options); !ok) return makeError(ok.error());
    if (options.context < -1) return makeError("the context must be 0 (incremental) or a number of symbols");
    EvaluationResult result;
    result.context = options.context < 0 ? model.defaultContext() : options.context;
    result.padding = model.paddingId() >= 0 ? model.seedPadding() : 0;
    // A model with a padding symbol but no padding configured still gets one "/" to
    // predict a song's first symbol from (the end of the previous song, in training).
    if (result.padding == 0 && model.paddingId() >= 0) result.padding = 1;
    result.songEndSymbols = options.songEndSymbols;
    result.probabilityFloor = options.probabilityFloor;

    Result<std::unique_ptr<engine::SequenceDecoder>> decoder = model.makeDecoder(options.device, /*rngSeed=*/0);
    if (!decoder) return makeError(decoder.error());
    if ((*decoder)->vocabularySize() != static_cast<int>(model.vocabulary().size()))
        return makeError("the model's decoder has " + std::to_string((*decoder)->vocabularySize()) + " outputs for " +
                         std::to_string(model.vocabulary().size()) + " symbols; the model file is damaged");
    result.device = (*decoder)->device();
    const std::vector<SongPlan> plans =
        planSongs(dataset, mapByName(dataset.vocabulary, model.vocabulary()), model.paddingId(), result.padding, options, result);

    const auto start = std::chrono::steady_clock::now();
    if (result.context == 0)
        evaluateIncremental(**decoder, plans, options, result);
    else
        evaluateWindowed(**decoder, plans, result.context, options, result);
    result.seconds = secondsSince(start);
    return result;
}

Result<NgramModel> trainNgramModel(const EvaluationDataset& train, const NgramOptions& options) {
    const std::optional<int> paddingId = train.vocabulary.idOf(engine::kSongDelimiterSymbol);
    if (!paddingId) return makeError("the training dataset's mapping.json has no '/' to pad and end songs with");
    std::vector<std::vector<int>> songs(train.data.songCount());
    for (size_t s = 0; s < songs.size(); ++s)
        songs[s].assign(train.data.tokens.begin() + static_cast<std::ptrdiff_t>(train.data.offsets[s]),
                        train.data.tokens.begin() + static_cast<std::ptrdiff_t>(train.data.offsets[s + 1]));
    return NgramModel::train(songs, static_cast<int>(train.vocabulary.size()), *paddingId, options);
}

Result<EvaluationResult> evaluateNgram(const NgramModel& model, const engine::Vocabulary& modelVocabulary,
                                       const EvaluationDataset& dataset, const EvaluationOptions& options) {
    if (Result<void> ok = checkOptions(options); !ok) return makeError(ok.error());
    if (static_cast<int>(modelVocabulary.size()) != model.vocabularySize())
        return makeError("the n-gram model and its vocabulary disagree on the number of symbols");
    EvaluationResult result;
    result.context = model.order() - 1;
    result.padding = model.order() - 1;  // NgramModel pads short histories itself
    result.songEndSymbols = options.songEndSymbols;
    result.probabilityFloor = options.probabilityFloor;
    result.device = "cpu (n-gram)";
    // The plans pad with one "/" so that every symbol is scored; the n-gram drops it (its
    // own padding is the same symbol) and reads only the last order - 1 symbols.
    const std::vector<SongPlan> plans = planSongs(dataset, mapByName(dataset.vocabulary, modelVocabulary), model.paddingId(),
                                                  /*padding=*/1, options, result);
    const auto start = std::chrono::steady_clock::now();
    for (const SongPlan& plan : plans) {
        for (const Target& target : plan.targets) {
            ++result.symbols;
            if (target.modelId < 0) {
                result.lossSumNats -= std::log(options.probabilityFloor);
                continue;
            }
            const std::span<const int> history(plan.fed.data() + 1, static_cast<size_t>(target.fedCount - 1));
            const std::vector<double> distribution = model.distribution(history);
            result.lossSumNats -= std::log(distribution[static_cast<size_t>(target.modelId)]);
            if (std::max_element(distribution.begin(), distribution.end()) - distribution.begin() == target.modelId) ++result.correct;
        }
    }
    result.seconds = secondsSince(start);
    return result;
}

}  // namespace melodist::training

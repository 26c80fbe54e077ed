// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/MelodyModel.h"

#include "engine/generation/KernelDecoder.h"
#include "engine/model/LstmCheckpoint.h"
#include "engine/model/TorchLstmLayout.h"
#include "engine/music/StepEncoding.h"

#include <array>
#include <cstring>
#include <fstream>

namespace melodist::engine {
namespace {

// Architectures only the LibTorch part (engine/nn) runs.
constexpr std::array<std::string_view, 4> kTorchOnlyArchitectures = {"gru", "lstm-attn", "transformer", "vae"};

std::string architectureType(const nlohmann::ordered_json& metadata) {
    const auto architecture = metadata.find("architecture");
    if (architecture == metadata.end() || !architecture->is_object()) return {};
    const auto type = architecture->find("type");
    return type != architecture->end() && type->is_string() ? type->get<std::string>() : std::string();
}

// "lstm" runs on the kernel unless CUDA is asked for; a missing type is damage that
// load() reports; any other type (known or newer than this build) is LibTorch's.
bool typeNeedsLibTorch(const std::string& type, DeviceChoice device) {
    if (type.empty()) return false;
    return type != "lstm" || device == DeviceChoice::Cuda;
}

// The checkpoint's metadata without its tensors (engine/model/Checkpoint.h's layout:
// magic, uint32 version, uint64 JSON length, the JSON).
Result<nlohmann::ordered_json> readMetadataOnly(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(path + ": cannot open the model file");
    std::array<char, 20> header{};
    if (!in.read(header.data(), header.size()) || std::string_view(header.data(), 8) != kCheckpointMagic)
        return makeError(path + ": not a .melodist-model file");
    uint64_t length = 0;
    std::memcpy(&length, header.data() + 12, sizeof length);  // little-endian, as every target of Melodist
    if (length > (uint64_t{64} << 20)) return makeError(path + ": the metadata is implausibly large; the file is damaged");
    std::string json(static_cast<size_t>(length), '\0');
    if (!in.read(json.data(), static_cast<std::streamsize>(length))) return makeError(path + ": the file is cut short; it is damaged");
    nlohmann::ordered_json metadata = nlohmann::ordered_json::parse(json, nullptr, /*allow_exceptions=*/false);
    if (metadata.is_discarded()) return makeError(path + ": the metadata is not JSON; the file is damaged");
    return metadata;
}

}  // namespace

Result<MelodyModel> MelodyModel::load(const std::string& path, DeviceChoice device) {
    Result<Checkpoint> checkpoint = loadCheckpoint(path);
    if (!checkpoint) return makeError(checkpoint.error());
    return fromCheckpoint(*checkpoint, path, device);
}

Result<bool> MelodyModel::needsLibTorch(const std::string& path, DeviceChoice device) {
    Result<nlohmann::ordered_json> metadata = readMetadataOnly(path);
    if (!metadata) return makeError(metadata.error());
    return typeNeedsLibTorch(architectureType(*metadata), device);
}

Result<MelodyModel> MelodyModel::fromCheckpoint(const Checkpoint& checkpoint, const std::string& sourceName, DeviceChoice device) {
    Result<Vocabulary> vocabulary = checkpointVocabulary(checkpoint, sourceName);
    if (!vocabulary) return makeError(vocabulary.error());

    MelodyModel model;
    model.m_architecture = architectureType(checkpoint.metadata);
    model.m_sourceName = sourceName;
    if (!typeNeedsLibTorch(model.m_architecture, device)) {
        // The LSTM (or a damaged file, which lstmWeightsFromCheckpoint names) on the fp32 kernel.
        Result<LstmModelWeights> weights = isTorchLayoutLstm(checkpoint) ? lstmWeightsFromTorchLayout(checkpoint, sourceName)
                                                                          : lstmWeightsFromCheckpoint(checkpoint, sourceName);
        if (!weights) return makeError(weights.error());
        Result<LstmKernel> kernel = LstmKernel::create(std::move(*weights));
        if (!kernel) return makeError(sourceName + ": " + kernel.error());
        model.m_kernel = std::make_shared<const LstmKernel>(std::move(*kernel));
    } else {
        const TorchBackendLoader loader = torchBackendLoader();
        if (loader == nullptr) {
            if (model.m_architecture == "lstm")
                return makeError("CUDA was asked for, but this program runs LSTM models only on its CPU kernel (no LibTorch); "
                                 "melodist-ml runs them on CUDA, or use --device cpu");
            return makeError(sourceName + ": a '" + model.m_architecture + "' model needs LibTorch (melodist-ml); "
                             "this program runs only LSTM models, on its CPU kernel");
        }
        Result<std::shared_ptr<const ModelBackend>> backend = loader(checkpoint, sourceName);
        if (!backend && model.m_architecture == "lstm")
            return makeError("CUDA was asked for, but LibTorch cannot run this LSTM (" + backend.error() +
                             "); use the CPU kernel (device auto or cpu)");
        if (!backend) return makeError(backend.error());
        model.m_backend = std::move(*backend);
    }
    model.m_vocabulary = std::move(*vocabulary);
    model.m_metadata = checkpoint.metadata;
    const nlohmann::ordered_json context = checkpoint.metadata.value("context", nlohmann::ordered_json::object());
    const auto count = [&](const char* key) -> int {
        const auto it = context.find(key);
        // A parsed file holds unsigned numbers, a checkpoint built in memory signed ones.
        return it != context.end() && it->is_number_integer() && *it >= 0 && *it <= 1 << 20 ? it->get<int>() : 0;
    };
    model.m_defaultContext = count("default");
    model.m_seedPadding = count("seed_padding");
    const std::string padding = context.value("padding_symbol", std::string(kSongDelimiterSymbol));
    model.m_paddingId = model.m_vocabulary.idOf(padding).value_or(-1);
    if (model.m_paddingId < 0) model.m_seedPadding = 0;
    return model;
}

Result<std::unique_ptr<SequenceDecoder>> MelodyModel::makeDecoder(DeviceChoice device, uint64_t rngSeed) const {
    if (m_kernel && device != DeviceChoice::Cuda) return std::unique_ptr<SequenceDecoder>(std::make_unique<KernelDecoder>(m_kernel));
    if (m_backend) return m_backend->makeDecoder(device, rngSeed);
    return makeError("CUDA was asked for, but " + m_sourceName + " was loaded for the CPU kernel; "
                     "load it with DeviceChoice::Cuda (the CLI: --device cuda) to run it on a GPU");
}

Result<std::vector<float>> MelodyModel::predict(std::span<const int> window, int context, DeviceChoice device) const {
    if (context < 0) return makeError("the context must be 0 (the whole window) or a number of symbols, not " + std::to_string(context));
    if (window.empty()) return makeError("an empty window has no prediction; give at least one symbol");
    const auto vocabularySize = static_cast<int>(m_vocabulary.size());
    for (size_t i = 0; i < window.size(); ++i)
        if (window[i] < 0 || window[i] >= vocabularySize)
            return makeError("symbol id " + std::to_string(window[i]) + " at position " + std::to_string(i) +
                             " is outside the vocabulary of " + std::to_string(vocabularySize));
    if (context > 0 && window.size() > static_cast<size_t>(context)) window = window.last(static_cast<size_t>(context));
    Result<std::unique_ptr<SequenceDecoder>> decoder = makeDecoder(device, /*rngSeed=*/0);
    if (!decoder) return makeError(decoder.error());
    std::vector<float> logits(m_vocabulary.size());
    (*decoder)->reset(1);
    for (const int id : window) (*decoder)->step(std::span<const int>(&id, 1), logits);
    LstmKernel::softmax(logits);
    return logits;
}

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/PreprocessOptions.h"

namespace melodist::training {

const char* encodingName(DatasetEncoding encoding) {
    return encoding == DatasetEncoding::Chords ? "chords" : "steps";
}

engine::Rational PreprocessOptions::effectiveTimeStep() const {
    if (!timeStep.isZero()) return timeStep;
    return engine::Rational(1, 4);  // steps: the seeds' 16th; chords: 16ths too (PreprocessOptions.h)
}

nlohmann::json PreprocessOptions::outputFingerprint() const {
    nlohmann::json durations = nlohmann::json::array();
    for (const engine::Rational& duration : acceptedDurations) durations.push_back(duration.toString());
    nlohmann::json fingerprint = {
        {"encoding", encodingName(encoding)},
        {"transpose", transpose},
        {"augment", augmentCopies},
        {"time_step", effectiveTimeStep().toString()},
        {"delimiter_length", delimiterLength},
    };
    if (encoding == DatasetEncoding::Steps) {
        fingerprint["durations"] = durations;
    } else {
        fingerprint["chord_max_step"] = chordMaxStep.toString();
        fingerprint["chord_min_count"] = chordMinCount;
    }
    return fingerprint;
}

}  // namespace melodist::training

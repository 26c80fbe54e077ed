// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LearningRateSchedule: the learning rate of each optimizer step. Both schedules
// start with a linear warm-up; then
//   cosine:  from the base rate down to 1 % of it at the last planned step;
//   plateau: the base rate, halved whenever the validation loss has not improved
//            (by 1e-4) for `plateauPatience` epochs in a row.
// Its state is JSON (stored in the last checkpoint), so a resumed run continues with
// the same rates. No LibTorch. Used by the training thread only.
//
//   LearningRateSchedule schedule("cosine", 1e-3, /*warmupSteps=*/100, /*totalSteps=*/5000);
//   double lr = schedule.rate(step);   // then, each epoch: schedule.onEpoch(validLoss);

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace melodist::training {

class LearningRateSchedule {
public:
    LearningRateSchedule(std::string kind, double baseRate, int64_t warmupSteps, int64_t totalSteps,
                         int plateauPatience = 2);

    // The rate for the step with this index (0 = the first step).
    double rate(int64_t step) const;
    // After each epoch with the loss that decides (validation, else training).
    void onEpoch(double loss);

    nlohmann::json state() const;
    void restore(const nlohmann::json& state);

private:
    std::string m_kind;
    double m_baseRate;
    int64_t m_warmupSteps;
    int64_t m_totalSteps;
    int m_plateauPatience;
    double m_factor = 1.0;   // plateau: the halvings so far
    double m_best = 0;       // plateau: the best loss seen
    bool m_hasBest = false;
    int m_badEpochs = 0;
};

}  // namespace melodist::training

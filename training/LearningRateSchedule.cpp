// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/LearningRateSchedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace melodist::training {

LearningRateSchedule::LearningRateSchedule(std::string kind, double baseRate, int64_t warmupSteps, int64_t totalSteps,
                                           int plateauPatience)
    : m_kind(std::move(kind)),
      m_baseRate(baseRate),
      m_warmupSteps(std::max<int64_t>(0, warmupSteps)),
      m_totalSteps(std::max<int64_t>(1, totalSteps)),
      m_plateauPatience(std::max(1, plateauPatience)) {}

double LearningRateSchedule::rate(int64_t step) const {
    if (step < m_warmupSteps) return m_baseRate * static_cast<double>(step + 1) / static_cast<double>(m_warmupSteps + 1);
    if (m_kind == "plateau") return m_baseRate * m_factor;
    constexpr double kFloor = 0.01;
    const double span = static_cast<double>(std::max<int64_t>(1, m_totalSteps - m_warmupSteps));
    const double progress = std::clamp(static_cast<double>(step - m_warmupSteps) / span, 0.0, 1.0);
    return m_baseRate * (kFloor + (1 - kFloor) * 0.5 * (1 + std::cos(std::numbers::pi * progress)));
}

void LearningRateSchedule::onEpoch(double loss) {
    if (m_kind != "plateau" || !std::isfinite(loss)) return;
    if (!m_hasBest || loss < m_best - 1e-4) {
        m_best = loss;
        m_hasBest = true;
        m_badEpochs = 0;
    } else if (++m_badEpochs >= m_plateauPatience) {
        m_factor *= 0.5;
        m_badEpochs = 0;
    }
}

nlohmann::json LearningRateSchedule::state() const {
    return {{"factor", m_factor}, {"best", m_hasBest ? nlohmann::json(m_best) : nlohmann::json()},
            {"bad_epochs", m_badEpochs}};
}

void LearningRateSchedule::restore(const nlohmann::json& state) {
    if (!state.is_object()) return;
    m_factor = state.value("factor", 1.0);
    m_hasBest = state.contains("best") && state["best"].is_number();
    m_best = m_hasBest ? state["best"].get<double>() : 0.0;
    m_badEpochs = state.value("bad_epochs", 0);
}

}  // namespace melodist::training

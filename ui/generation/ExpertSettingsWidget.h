// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ExpertSettingsWidget: the generation settings behind the panel's "Expert settings"
// expander -- temperature, top-k, top-p, length in bars or steps, number of candidates,
// the key/scale constraint (the project's key), a pitch range and the random seed. It
// shows the project's settings (refresh()) and reports each edit as a changed copy of
// them (edited()), which the panel writes through ProjectDocument::changeSettings.
// Setting temperature, top-k or top-p directly switches the project to expert sampling
// (GenerationSettings::expert); Complexity switches it back. UI thread; owned by the
// GenerationPanel.

#include "engine/project/Project.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace melodist::ui {

class ExpertSettingsWidget : public QWidget {
    Q_OBJECT
public:
    explicit ExpertSettingsWidget(QWidget* parent = nullptr);

    // Shows `project`'s generation settings and key, without emitting edited().
    void refresh(const engine::Project& project);

    // The undo merge key of each control (ProjectDocument::changeSettings): spinning one is one step.
    enum MergeKey { MergeTemperature = 7101, MergeTopK, MergeTopP, MergeLength, MergeCandidates, MergeKeyScale, MergeRange, MergeSeed };

signals:
    // `settings` = the shown ones with this control's change; `mergeKey` as above.
    void edited(const engine::GenerationSettings& settings, const QString& text, int mergeKey);

private:
    void emitEdit(const QString& text, int mergeKey, const std::function<void(engine::GenerationSettings&)>& change);

    engine::GenerationSettings m_shown;
    bool m_hasKey = false;
    QDoubleSpinBox* m_temperature = nullptr;
    QSpinBox* m_topK = nullptr;
    QDoubleSpinBox* m_topP = nullptr;
    QSpinBox* m_length = nullptr;
    QComboBox* m_lengthUnit = nullptr;
    QSpinBox* m_candidates = nullptr;
    QCheckBox* m_useKey = nullptr;
    QCheckBox* m_useRange = nullptr;
    QSpinBox* m_rangeLow = nullptr;
    QSpinBox* m_rangeHigh = nullptr;
    QSpinBox* m_rngSeed = nullptr;
};

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/generation/ExpertSettingsWidget.h"

#include "engine/generation/MelodyConstraints.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

#include <algorithm>
#include <climits>

namespace melodist::ui {
namespace {

QString pitchName(int pitch) {
    static const char* const kNames[] = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    return QStringLiteral("%1%2").arg(QLatin1String(kNames[((pitch % 12) + 12) % 12])).arg(pitch / 12 - 1);
}

// A MIDI pitch shown as "G3 (55)"; typing "G3", "55" or "G3 (55)" works.
class PitchSpinBox : public QSpinBox {
public:
    explicit PitchSpinBox(QWidget* parent) : QSpinBox(parent) { setRange(0, 127); }

protected:
    QString textFromValue(int value) const override { return QStringLiteral("%1 (%2)").arg(pitchName(value)).arg(value); }
    int valueFromText(const QString& text) const override {
        const std::optional<int> pitch = parse(text);
        return pitch ? *pitch : value();
    }
    QValidator::State validate(QString& text, int&) const override {
        return parse(text) ? QValidator::Acceptable : QValidator::Intermediate;
    }

private:
    static std::optional<int> parse(const QString& text) {
        QString t = text.trimmed();
        if (const qsizetype open = t.indexOf(QLatin1Char('(')); open >= 0) t = t.left(open).trimmed();
        const engine::Result<int> pitch = engine::parsePitch(t.toStdString());
        return pitch ? std::optional<int>(*pitch) : std::nullopt;
    }
};

}  // namespace

ExpertSettingsWidget::ExpertSettingsWidget(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("generationExpert"));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);

    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setObjectName(QStringLiteral("generationTemperature"));
    m_temperature->setRange(0.05, 3.0);
    m_temperature->setSingleStep(0.05);
    m_temperature->setDecimals(2);
    m_temperature->setToolTip(tr("How adventurous each choice is: below 1 the model keeps to its likeliest notes, above 1 it "
                                 "takes more chances. Setting it here overrides Complexity."));
    form->addRow(tr("&Temperature"), m_temperature);

    m_topK = new QSpinBox(this);
    m_topK->setObjectName(QStringLiteral("generationTopK"));
    m_topK->setRange(0, 200);
    m_topK->setSpecialValueText(tr("All"));
    m_topK->setToolTip(tr("Choose only among the K likeliest symbols at each step (All: no limit)"));
    form->addRow(tr("Top-&k"), m_topK);

    m_topP = new QDoubleSpinBox(this);
    m_topP->setObjectName(QStringLiteral("generationTopP"));
    m_topP->setRange(0.05, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setDecimals(2);
    m_topP->setToolTip(tr("Choose only among the likeliest symbols that together make up this probability (1: all)"));
    form->addRow(tr("Top-&p"), m_topP);

    auto* lengthRow = new QHBoxLayout;
    m_length = new QSpinBox(this);
    m_length->setObjectName(QStringLiteral("generationLength"));
    m_length->setRange(1, 4096);
    m_length->setToolTip(tr("How much music each candidate adds"));
    m_lengthUnit = new QComboBox(this);
    m_lengthUnit->setObjectName(QStringLiteral("generationLengthUnit"));
    m_lengthUnit->addItems({tr("bars"), tr("steps (16ths)")});
    m_lengthUnit->setToolTip(tr("Length in bars of the project's meter, or in 16th-note steps"));
    lengthRow->addWidget(m_length, 1);
    lengthRow->addWidget(m_lengthUnit);
    // A label beside a layout has no buddy of its own: give it one, so its "&" is a shortcut.
    auto* lengthRowLabel = new QLabel(tr("&Length"), this);
    lengthRowLabel->setBuddy(m_length);
    form->addRow(lengthRowLabel, lengthRow);

    m_candidates = new QSpinBox(this);
    m_candidates->setObjectName(QStringLiteral("generationCandidates"));
    m_candidates->setRange(1, 16);
    m_candidates->setToolTip(tr("How many different results to make at once, to compare in the Candidates panel"));
    form->addRow(tr("Ca&ndidates"), m_candidates);

    m_useKey = new QCheckBox(this);
    m_useKey->setObjectName(QStringLiteral("generationUseKey"));
    form->addRow(tr("Scale"), m_useKey);

    auto* rangeRow = new QHBoxLayout;
    m_useRange = new QCheckBox(tr("from"), this);
    m_useRange->setObjectName(QStringLiteral("generationUseRange"));
    m_useRange->setToolTip(tr("Keep generated notes within a pitch range"));
    m_rangeLow = new PitchSpinBox(this);
    m_rangeLow->setObjectName(QStringLiteral("generationRangeLow"));
    m_rangeLow->setToolTip(tr("The lowest pitch generated notes may have"));
    m_rangeHigh = new PitchSpinBox(this);
    m_rangeHigh->setObjectName(QStringLiteral("generationRangeHigh"));
    m_rangeHigh->setToolTip(tr("The highest pitch generated notes may have"));
    rangeRow->addWidget(m_useRange);
    rangeRow->addWidget(m_rangeLow, 1);
    rangeRow->addWidget(new QLabel(tr("to"), this));
    rangeRow->addWidget(m_rangeHigh, 1);
    // A label beside a layout has no buddy of its own: give it one, so its "&" is a shortcut.
    auto* rangeRowLabel = new QLabel(tr("&Range"), this);
    rangeRowLabel->setBuddy(m_useRange);
    form->addRow(rangeRowLabel, rangeRow);

    m_rngSeed = new QSpinBox(this);
    m_rngSeed->setObjectName(QStringLiteral("generationRandomSeed"));
    m_rngSeed->setRange(0, INT_MAX);
    m_rngSeed->setSpecialValueText(tr("New each time"));
    m_rngSeed->setToolTip(tr("The same seed with the same settings and notes gives the same candidates (0: new each time)"));
    form->addRow(tr("Random s&eed"), m_rngSeed);

    connect(m_temperature, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        emitEdit(tr("Temperature"), MergeTemperature, [value](engine::GenerationSettings& g) {
            g.temperature = static_cast<float>(value);
            g.expert = true;
        });
    });
    connect(m_topK, &QSpinBox::valueChanged, this, [this](int value) {
        emitEdit(tr("Top-k"), MergeTopK, [value](engine::GenerationSettings& g) {
            g.topK = value;
            g.expert = true;
        });
    });
    connect(m_topP, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        emitEdit(tr("Top-p"), MergeTopP, [value](engine::GenerationSettings& g) {
            g.topP = static_cast<float>(value);
            g.expert = true;
        });
    });
    const auto lengthEdited = [this] {
        const int value = m_length->value();
        const bool steps = m_lengthUnit->currentIndex() == 1;
        emitEdit(tr("Generation Length"), MergeLength, [value, steps](engine::GenerationSettings& g) {
            g.lengthSteps = steps ? value : 0;
            if (!steps) g.lengthBars = std::min(value, 256);
        });
    };
    connect(m_length, &QSpinBox::valueChanged, this, lengthEdited);
    connect(m_lengthUnit, &QComboBox::currentIndexChanged, this, [this, lengthEdited] {
        // The same music in the other unit: bars of 4/4 <-> 16 steps each, as a start.
        QSignalBlocker block(m_length);
        m_length->setValue(m_lengthUnit->currentIndex() == 1 ? m_shown.lengthBars * 16 : std::max(1, m_shown.lengthSteps / 16));
        lengthEdited();
    });
    connect(m_candidates, &QSpinBox::valueChanged, this, [this](int value) {
        emitEdit(tr("Candidates"), MergeCandidates, [value](engine::GenerationSettings& g) { g.candidates = value; });
    });
    connect(m_useKey, &QCheckBox::toggled, this, [this](bool on) {
        emitEdit(tr("Keep to the Key"), MergeKeyScale, [on](engine::GenerationSettings& g) { g.useKey = on; });
    });
    const auto rangeEdited = [this] {
        const bool on = m_useRange->isChecked();
        const int low = std::min(m_rangeLow->value(), m_rangeHigh->value());
        const int high = std::max(m_rangeLow->value(), m_rangeHigh->value());
        emitEdit(tr("Pitch Range"), MergeRange, [on, low, high](engine::GenerationSettings& g) {
            g.range = on ? std::optional(engine::PitchRange{low, high}) : std::nullopt;
        });
    };
    connect(m_useRange, &QCheckBox::toggled, this, rangeEdited);
    connect(m_rangeLow, &QSpinBox::valueChanged, this, rangeEdited);
    connect(m_rangeHigh, &QSpinBox::valueChanged, this, rangeEdited);
    connect(m_rngSeed, &QSpinBox::valueChanged, this, [this](int value) {
        emitEdit(tr("Random Seed"), MergeSeed, [value](engine::GenerationSettings& g) { g.rngSeed = static_cast<uint64_t>(value); });
    });
}

void ExpertSettingsWidget::emitEdit(const QString& text, int mergeKey, const std::function<void(engine::GenerationSettings&)>& change) {
    engine::GenerationSettings settings = m_shown;
    change(settings);
    m_shown = settings;
    emit edited(settings, text, mergeKey);
}

void ExpertSettingsWidget::refresh(const engine::Project& project) {
    const engine::GenerationSettings& g = project.generation;
    m_shown = g;
    const QSignalBlocker b1(m_temperature), b2(m_topK), b3(m_topP), b4(m_length), b5(m_lengthUnit), b6(m_candidates),
        b7(m_useKey), b8(m_useRange), b9(m_rangeLow), b10(m_rangeHigh), b11(m_rngSeed);
    m_temperature->setValue(g.temperature);
    m_topK->setValue(g.topK);
    m_topP->setValue(g.topP);
    m_lengthUnit->setCurrentIndex(g.lengthSteps > 0 ? 1 : 0);
    m_length->setValue(g.lengthSteps > 0 ? g.lengthSteps : g.lengthBars);
    m_candidates->setValue(g.candidates);
    m_hasKey = project.key.has_value();
    m_useKey->setChecked(g.useKey && m_hasKey);
    m_useKey->setEnabled(m_hasKey);
    m_useKey->setText(m_hasKey ? tr("Keep to %1").arg(QString::fromStdString(project.key->name())) : tr("Keep to the key (none set)"));
    m_useKey->setToolTip(m_hasKey ? tr("Generate only pitches of the project's scale")
                                  : tr("The project has no key: choose one in the Properties panel to keep to its scale"));
    m_useRange->setChecked(g.range.has_value());
    m_rangeLow->setValue(g.range ? g.range->lowest : 55);
    m_rangeHigh->setValue(g.range ? g.range->highest : 84);
    m_rangeLow->setEnabled(g.range.has_value());
    m_rangeHigh->setEnabled(g.range.has_value());
    m_rngSeed->setValue(static_cast<int>(std::min<uint64_t>(g.rngSeed, INT_MAX)));
}

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/generation/GenerationPanel.h"

#include "ui/document/ProjectDocument.h"
#include "ui/generation/ExpertSettingsWidget.h"
#include "ui/generation/GenerationController.h"
#include "ui/generation/ModelProvider.h"

#include "engine/generation/Complexity.h"
#include "engine/music/StepEncoding.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace melodist::ui {
namespace {

const QString kOtherModel = QStringLiteral("#other");
const QString kRecentModelsKey = QStringLiteral("generation/recentModels");
constexpr int kMaxRecentModels = 8;

QStringList recentModelFiles() {
    QStringList files;
    for (const QString& path : QSettings().value(kRecentModelsKey).toStringList())
        if (QFileInfo::exists(path)) files << path;
    return files;
}

void rememberModelFile(const QString& path) {
    QStringList files = recentModelFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentModels) files.removeLast();
    QSettings().setValue(kRecentModelsKey, files);
}

QToolButton* actionButton(QAction* action, const char* name, QWidget* parent) {
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setObjectName(QString::fromLatin1(name));
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return button;
}

}  // namespace

GenerationPanel::GenerationPanel(GenerationController* controller, QWidget* parent)
    : QDockWidget(tr("Generation"), parent), m_controller(controller), m_document(controller->document()) {
    setObjectName(QStringLiteral("generationPanel"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->addWidget(buildSimple());
    m_expertToggle = new QToolButton(body);
    m_expertToggle->setObjectName(QStringLiteral("generationExpertToggle"));
    m_expertToggle->setText(tr("Expert settings"));
    m_expertToggle->setCheckable(true);
    m_expertToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_expertToggle->setArrowType(Qt::RightArrow);
    m_expertToggle->setAutoRaise(true);
    m_expertToggle->setToolTip(tr("Temperature, top-k/top-p, length, candidates, key, range and random seed"));
    layout->addWidget(m_expertToggle);
    m_expert = new ExpertSettingsWidget(body);
    m_expert->setVisible(false);
    layout->addWidget(m_expert);
    layout->addWidget(buildButtons());
    layout->addWidget(buildSeedText());
    layout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    setWidget(scroll);
    // The actions' shortcuts also work where only this panel shows them (tests, a floating dock).
    addActions({controller->continueAction(), controller->regenerateAction(), controller->variationsAction(),
                controller->cancelAction()});

    connect(m_expertToggle, &QToolButton::toggled, this, [this](bool on) {
        m_expert->setVisible(on);
        m_expertToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });
    connect(m_expert, &ExpertSettingsWidget::edited, this,
            [this](const engine::GenerationSettings& settings, const QString& text, int mergeKey) {
                engine::Project project = m_document->settings();
                project.generation = settings;
                m_document->changeSettings(project, text, mergeKey);
            });
    connect(m_document, &ProjectDocument::settingsChanged, this, &GenerationPanel::refresh);
    connect(controller->models(), &ModelProvider::bundledModelsChanged, this, &GenerationPanel::refreshModelList);
    connect(controller, &GenerationController::busyChanged, this, &GenerationPanel::updateBusy);
    connect(controller, &GenerationController::progressChanged, this,
            [this](double fraction) { m_progress->setValue(static_cast<int>(std::lround(fraction * 1000.0))); });
    controller->models()->listBundledModels();
    refresh();
    updateBusy(controller->isBusy());
}

QWidget* GenerationPanel::buildSimple() {
    auto* box = new QWidget(this);
    auto* form = new QFormLayout(box);
    form->setContentsMargins(0, 0, 0, 0);
    m_model = new QComboBox(box);
    m_model->setObjectName(QStringLiteral("generationModel"));
    m_model->setToolTip(tr("The style: which model writes the music (bundled ones, your trained runs, imported Keras models)"));
    form->addRow(tr("&Style"), m_model);
    connect(m_model, &QComboBox::activated, this, &GenerationPanel::modelChosen);

    m_tempo = new QSpinBox(box);
    m_tempo->setObjectName(QStringLiteral("generationTempo"));
    m_tempo->setRange(20, 400);
    m_tempo->setSuffix(tr(" BPM"));
    m_tempo->setToolTip(tr("The project's tempo, in quarter notes per minute"));
    form->addRow(tr("T&empo"), m_tempo);
    connect(m_tempo, &QSpinBox::valueChanged, this, [this](int bpm) {
        engine::Project project = m_document->settings();
        project.tempoBpm = bpm;
        m_document->changeSettings(project, tr("Tempo"), kMergeTempo);
    });

    m_complexity = new QSlider(Qt::Horizontal, box);
    m_complexity->setObjectName(QStringLiteral("generationComplexity"));
    m_complexity->setRange(0, 100);
    m_complexity->setPageStep(10);
    m_complexity->setToolTip(tr("Simple: long notes, the likeliest pitches. Complex: more notes and bolder choices. "
                                "Moves temperature and note density together."));
    m_complexityText = new QLabel(box);
    m_complexityText->setObjectName(QStringLiteral("generationComplexityText"));
    auto* row = new QHBoxLayout;
    row->addWidget(m_complexity, 1);
    row->addWidget(m_complexityText);
    // A label beside a layout has no buddy of its own: give it one, so its "&" is a shortcut.
    auto* rowLabel = new QLabel(tr("&Complexity"), box);
    rowLabel->setBuddy(m_complexity);
    form->addRow(rowLabel, row);
    connect(m_complexity, &QSlider::valueChanged, this, [this](int value) {
        engine::Project project = m_document->settings();
        project.generation.complexity = value / 100.0;
        project.generation.expert = false;  // complexity drives temperature again
        project.generation.temperature = engine::complexitySettings(project.generation.complexity).temperature;
        m_document->changeSettings(project, tr("Complexity"), kMergeComplexity);
    });
    return box;
}

QWidget* GenerationPanel::buildButtons() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    row->addWidget(actionButton(m_controller->continueAction(), "generationContinue", box));
    row->addWidget(actionButton(m_controller->regenerateAction(), "generationRegenerate", box));
    row->addWidget(actionButton(m_controller->variationsAction(), "generationVariations", box));
    layout->addLayout(row);
    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(box);
    m_progress->setObjectName(QStringLiteral("generationProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setToolTip(tr("How far the generation is"));
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(actionButton(m_controller->cancelAction(), "generationCancel", box));
    layout->addLayout(progressRow);
    return box;
}

QWidget* GenerationPanel::buildSeedText() {
    auto* box = new QWidget(this);
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_seedText = new QLineEdit(box);
    m_seedText->setObjectName(QStringLiteral("seedText"));
    m_seedText->setPlaceholderText(QStringLiteral("67 _ 67 _ 65 _ 64 _ 62 _ _ _"));
    m_seedText->setToolTip(tr("A seed in the seeds' notation: a MIDI pitch per 16th note, _ holds it, r rests. "
                              "Enter or \"Use as Seed\" replaces the roll's notes (Ctrl+Z takes it back)."));
    auto* use = new QToolButton(box);
    use->setObjectName(QStringLiteral("seedTextUse"));
    use->setText(tr("Use as Seed"));
    use->setToolTip(m_seedText->toolTip());
    layout->addWidget(m_seedText, 1);
    layout->addWidget(use);
    const auto apply = [this] { useSeedText(m_seedText->text()); };
    connect(use, &QToolButton::clicked, this, apply);
    connect(m_seedText, &QLineEdit::returnPressed, this, apply);
    return box;
}

bool GenerationPanel::useSeedText(const QString& text) {
    const std::vector<std::string> symbols = engine::splitSymbols(text.toStdString());
    if (symbols.empty()) {
        emit statusMessage(tr("Type a seed first, such as 67 _ 67 _ 65 _ 64 _ (a MIDI pitch per 16th, _ holds, r rests)"), 8000);
        return false;
    }
    const engine::Result<engine::Part> part = engine::decodeSteps(symbols);
    if (!part) {
        emit statusMessage(tr("The seed text is not in the seeds' notation: %1").arg(QString::fromStdString(part.error())), 10000);
        return false;
    }
    std::vector<engine::ProjectNote> notes;
    for (const engine::Note& note : part->notes) notes.push_back({.note = note, .generated = false});
    if (notes.empty()) {
        emit statusMessage(tr("The seed text has no notes, only rests: give at least one MIDI pitch"), 8000);
        return false;
    }
    m_document->replaceAllNotes(notes, tr("Use Seed Text"));
    emit statusMessage(tr("The roll now holds the seed's %n note(s); Ctrl+Z brings the old notes back", "",
                          static_cast<int>(notes.size())),
                       5000);
    return true;
}

void GenerationPanel::refresh() {
    const engine::Project& project = m_document->settings();
    {
        const QSignalBlocker blockTempo(m_tempo), blockComplexity(m_complexity);
        m_tempo->setValue(static_cast<int>(std::lround(project.tempoBpm)));
        m_complexity->setValue(static_cast<int>(std::lround(project.generation.complexity * 100.0)));
    }
    const engine::GenerationSettings& g = project.generation;
    m_complexityText->setText(g.expert ? tr("expert: T %1").arg(g.temperature, 0, 'f', 2)
                                       : QString::number(m_complexity->value()));
    m_complexityText->setToolTip(g.expert ? tr("The expert settings set the temperature; move Complexity to use it again")
                                          : tr("Temperature %1").arg(engine::complexitySettings(g.complexity).temperature, 0, 'f', 2));
    m_expert->refresh(project);
    refreshModelList();
}

void GenerationPanel::refreshModelList() {
    const QString current = ModelProvider::canonicalKey(QString::fromStdString(m_document->settings().generation.model));
    const QSignalBlocker block(m_model);
    m_model->clear();
    const std::vector<ModelProvider::BundledEntry>& bundled = m_controller->models()->bundledModels();
    if (bundled.empty()) m_model->addItem(ModelProvider::displayName(QString::fromLatin1(kDefaultModelKey)), QString::fromLatin1(kDefaultModelKey));
    for (const ModelProvider::BundledEntry& entry : bundled) {
        m_model->addItem(entry.title, entry.key);
        m_model->setItemData(m_model->count() - 1, entry.summary, Qt::ToolTipRole);
    }
    QStringList files = recentModelFiles();
    if (m_model->findData(current) < 0 && !files.contains(current)) files.prepend(current);  // a reopened project's model
    for (const QString& path : files) {
        m_model->addItem(ModelProvider::displayName(path), path);
        m_model->setItemData(m_model->count() - 1, path, Qt::ToolTipRole);
    }
    m_model->insertSeparator(m_model->count());
    m_model->addItem(tr("Other model file..."), kOtherModel);
    m_model->setItemData(m_model->count() - 1, tr("A trained run's or an imported Keras model's .melodist-model file"),
                         Qt::ToolTipRole);
    m_model->setCurrentIndex(std::max(0, m_model->findData(current)));
}

void GenerationPanel::modelChosen(int index) {
    const QString key = m_model->itemData(index).toString();
    if (key == kOtherModel) {
        chooseModelFile();
        return;
    }
    setModel(key);
}

void GenerationPanel::chooseModelFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a Model"), QString(),
                                                      tr("Melodist models (*.melodist-model)"));
    if (path.isEmpty()) {
        refreshModelList();  // back to the project's model
        return;
    }
    rememberModelFile(path);
    setModel(path);
}

void GenerationPanel::setModel(const QString& key) {
    engine::Project project = m_document->settings();
    project.generation.model = ModelProvider::canonicalKey(key).toStdString();
    m_document->changeSettings(project, tr("Style"), kMergeModel);
    refreshModelList();
    m_controller->models()->request(key);  // load it now, off the UI thread, so Continue starts at once
}

void GenerationPanel::updateBusy(bool busy) {
    m_progress->setValue(0);
    m_progress->setEnabled(busy);
}

}  // namespace melodist::ui

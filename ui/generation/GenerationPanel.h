// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// GenerationPanel: the dock (objectName "generationPanel") where a melody is asked for.
// For everyone: Style (the model: the bundled ones by title, recently used model files,
// "Other model file..."), Tempo and one Complexity slider (temperature and note density
// together, engine Complexity.h); the expert settings one click away
// (ExpertSettingsWidget); the Continue / Regenerate / Variations / Cancel buttons (the
// GenerationController's actions), a progress bar; and a field that takes a seed in the
// seeds' notation ("67 _ 67 _ 65 ...") and makes it the roll's notes (one undo step).
// Every value is the project's (ProjectDocument settings, changeSettings with a merge
// key per control), so undo covers it and a saved project keeps it. UI thread only;
// owned by the main window (a dock), it uses the controller and document it is given.

#include <QDockWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSlider;
class QSpinBox;
class QToolButton;

namespace melodist::ui {

class ExpertSettingsWidget;
class GenerationController;
class ProjectDocument;

class GenerationPanel : public QDockWidget {
    Q_OBJECT
public:
    GenerationPanel(GenerationController* controller, QWidget* parent = nullptr);

    // Seed text: the seeds' notation to the roll's notes (replacing them, one undo step).
    // False, with the reason sent as statusMessage, when the text is not that notation.
    bool useSeedText(const QString& text);

    static constexpr int kMergeComplexity = 7120;  // ProjectDocument::changeSettings merge keys
    static constexpr int kMergeTempo = 7121;
    static constexpr int kMergeModel = 7122;

signals:
    void statusMessage(const QString& text, int timeoutMs);

private:
    QWidget* buildSimple();
    QWidget* buildButtons();
    QWidget* buildSeedText();
    void refresh();            // the project's settings into the widgets
    void refreshModelList();   // bundled + recent + "Other model file..."
    void modelChosen(int index);
    void chooseModelFile();
    void setModel(const QString& key);
    void updateBusy(bool busy);

    GenerationController* m_controller;
    ProjectDocument* m_document;
    QComboBox* m_model = nullptr;
    QSpinBox* m_tempo = nullptr;
    QSlider* m_complexity = nullptr;
    QLabel* m_complexityText = nullptr;
    QToolButton* m_expertToggle = nullptr;
    ExpertSettingsWidget* m_expert = nullptr;
    QProgressBar* m_progress = nullptr;
    QLineEdit* m_seedText = nullptr;
};

}  // namespace melodist::ui

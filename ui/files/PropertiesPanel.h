// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PropertiesPanel: the project's properties dock -- title, tempo (BPM), meter, key
// (None or one of the 12 tonics x the engine's scale modes, by ScaleKey name),
// instrument (the 128 General MIDI programs) and soundfont ("Default" =
// engine::defaultSoundfontPath()). Each change is one ProjectDocument::changeSettings
// with a merge key per control, so spinning the tempo is one undo step; it shows the
// document again whenever settingsChanged (undo, open, import). UI thread; owned by its
// dock (a child of the window); it does not own the document.
//
//   auto* panel = new PropertiesPanel(document);
//   auto* dock = new QDockWidget(tr("Properties"), window);
//   dock->setWidget(panel);

#include <QWidget>

#include <functional>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace melodist::engine {
struct Project;
}

namespace melodist::ui {

class ProjectDocument;

class PropertiesPanel : public QWidget {
    Q_OBJECT
public:
    explicit PropertiesPanel(ProjectDocument* document, QWidget* parent = nullptr);

    // Merge keys of the settings edits (ProjectDocument::changeSettings).
    enum MergeKey { kMergeTitle = 7101, kMergeTempo, kMergeMeter, kMergeKey, kMergeProgram, kMergeSoundfont };

public slots:
    void showDocument();  // reads every control back from the document

private:
    // One settings edit: `change` alters a copy of the document's settings.
    void edit(const QString& text, int mergeKey, const std::function<void(engine::Project&)>& change);
    void chooseSoundfont();
    void setSoundfont(const QString& path);

    ProjectDocument* m_document;
    QLineEdit* m_title = nullptr;
    QDoubleSpinBox* m_tempo = nullptr;
    QSpinBox* m_meterNumerator = nullptr;
    QComboBox* m_meterDenominator = nullptr;
    QComboBox* m_key = nullptr;
    QComboBox* m_instrument = nullptr;
    QLineEdit* m_soundfont = nullptr;
    QPushButton* m_soundfontChoose = nullptr;
    QPushButton* m_soundfontDefault = nullptr;
};

}  // namespace melodist::ui

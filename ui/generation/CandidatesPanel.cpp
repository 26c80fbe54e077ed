// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/generation/CandidatesPanel.h"

#include "ui/audition/AudioController.h"
#include "ui/document/ProjectDocument.h"
#include "ui/generation/GenerationController.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace melodist::ui {
namespace {

constexpr QSize kSketchSize(72, 24);

// A tiny picture of the melody: one short line per note, pitch up, time across.
QPixmap sketch(const Candidate& candidate, const QColor& colour) {
    QPixmap pixmap(kSketchSize);
    pixmap.fill(Qt::transparent);
    if (candidate.notes.empty() || !(candidate.start < candidate.end)) return pixmap;
    const auto [low, high] = std::minmax_element(candidate.notes.begin(), candidate.notes.end(),
                                                 [](const auto& a, const auto& b) { return a.note.pitch < b.note.pitch; });
    const double span = (candidate.end - candidate.start).toDouble();
    const int pitches = std::max(1, high->note.pitch - low->note.pitch);
    QPainter painter(&pixmap);
    painter.setPen(QPen(colour, 2));
    for (const engine::ProjectNote& note : candidate.notes) {
        const double x0 = (note.note.onset - candidate.start).toDouble() / span * (kSketchSize.width() - 2) + 1;
        const double x1 = std::max(x0 + 1, (note.note.end() - candidate.start).toDouble() / span * (kSketchSize.width() - 2) + 1);
        const double y = 2 + (1.0 - static_cast<double>(note.note.pitch - low->note.pitch) / pitches) * (kSketchSize.height() - 4);
        painter.drawLine(QPointF(x0, y), QPointF(x1, y));
    }
    return pixmap;
}

}  // namespace

CandidatesPanel::CandidatesPanel(GenerationController* controller, AudioController* audio, QWidget* parent)
    : QDockWidget(tr("Candidates"), parent), m_controller(controller), m_audio(audio) {
    setObjectName(QStringLiteral("candidatesPanel"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    m_list = new QListWidget(body);
    m_list->setObjectName(QStringLiteral("candidateList"));
    m_list->setIconSize(kSketchSize);
    m_list->setToolTip(tr("The generated results: click one to hear it with the roll and see it as a preview; "
                          "click another to compare. Enter accepts, Delete discards."));
    layout->addWidget(m_list, 1);
    m_playOnSelect = new QCheckBox(tr("Play when selected"), body);
    m_playOnSelect->setObjectName(QStringLiteral("candidatePlayOnSelect"));
    m_playOnSelect->setChecked(true);
    m_playOnSelect->setToolTip(tr("Audition a candidate as soon as it is selected (from the bar before it)"));
    layout->addWidget(m_playOnSelect);

    const auto makeAction = [this](const QString& text, const char* name, const QKeySequence& key, const QString& tip) {
        auto* action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);  // Enter/Delete belong to the roll elsewhere
        action->setToolTip(key.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        addAction(action);
        return action;
    };
    m_accept = makeAction(tr("Accept"), "actionAcceptCandidate", QKeySequence(Qt::Key_Return),
                          tr("Put the selected candidate into the roll (Ctrl+Z takes it back)"));
    m_discard = makeAction(tr("Discard"), "actionDiscardCandidate", QKeySequence(QKeySequence::Delete),
                           tr("Remove the selected candidate from the list"));
    m_discardAll = makeAction(tr("Discard All"), "actionDiscardAllCandidates", {}, tr("Clear the list"));
    auto* enter = new QAction(this);  // the keypad's Enter accepts too
    enter->setShortcut(QKeySequence(Qt::Key_Enter));
    enter->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(enter);
    connect(enter, &QAction::triggered, m_accept, &QAction::trigger);

    auto* buttons = new QHBoxLayout;
    const auto button = [&](QAction* action, const char* name) {
        auto* b = new QToolButton(body);
        b->setDefaultAction(action);
        b->setObjectName(QString::fromLatin1(name));
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        buttons->addWidget(b);
    };
    button(m_accept, "acceptCandidate");
    button(m_discard, "discardCandidate");
    button(m_discardAll, "discardAllCandidates");
    buttons->addStretch(1);
    layout->addLayout(buttons);
    setWidget(body);

    connect(m_accept, &QAction::triggered, this, [this] { acceptCandidate(currentCandidate()); });
    connect(m_discard, &QAction::triggered, this, [this] { discardCandidate(currentCandidate()); });
    connect(m_discardAll, &QAction::triggered, m_controller, &GenerationController::discardAllCandidates);
    connect(m_list, &QListWidget::currentRowChanged, this, &CandidatesPanel::showCurrent);
    connect(m_list, &QListWidget::itemActivated, this, [this] { acceptCandidate(currentCandidate()); });
    connect(m_controller, &GenerationController::candidatesChanged, this, &CandidatesPanel::rebuild);
    rebuild();
}

int CandidatesPanel::candidateCount() const { return m_list->count(); }
int CandidatesPanel::currentCandidate() const { return m_list->currentRow(); }
QString CandidatesPanel::candidateText(int index) const {
    return index >= 0 && index < m_list->count() ? m_list->item(index)->text() : QString();
}

void CandidatesPanel::selectCandidate(int index) {
    if (index < 0 || index >= m_list->count()) return;
    m_list->setCurrentRow(index);
}

bool CandidatesPanel::acceptCandidate(int index) {
    if (m_audio && m_audio->isPlaying()) m_audio->stop();
    return m_controller->acceptCandidate(index);
}

void CandidatesPanel::discardCandidate(int index) {
    if (m_audio && m_audio->isPlaying()) m_audio->stop();
    m_controller->discardCandidate(index);
    if (m_list->count() > 0) m_list->setCurrentRow(std::min(index, m_list->count() - 1));
}

void CandidatesPanel::rebuild() {
    const QSignalBlocker block(m_list);
    m_list->clear();
    const std::vector<Candidate>& candidates = m_controller->candidates();
    const engine::Rational bar = m_controller->document()->settings().barLength();
    const QColor colour = palette().color(QPalette::Text);
    for (size_t i = 0; i < candidates.size(); ++i) {
        const Candidate& c = candidates[i];
        const double bars = (c.end - c.start).toDouble() / bar.toDouble();
        QString text = tr("Candidate %1 \u2014 %n note(s), %2 bars", "", static_cast<int>(c.notes.size()))
                           .arg(i + 1)
                           .arg(bars, 0, 'g', 3);
        if (c.kind != GenerationKind::Continue)
            text += tr(", from bar %1").arg(static_cast<int>(std::floor(c.start.toDouble() / bar.toDouble())) + 1);
        auto* item = new QListWidgetItem(QIcon(sketch(c, colour)), text, m_list);
        item->setToolTip(c.kind == GenerationKind::Continue
                             ? tr("Continues the melody; click to hear it, Enter to accept")
                             : tr("Replaces %n note(s); fit with the music after it: %1 (higher is better)", "",
                                  static_cast<int>(c.replaces.size()))
                                   .arg(c.score, 0, 'f', 1));
    }
    updateActions();
    if (m_list->count() == 0 && m_audio && m_audio->isPlaying()) m_audio->stop();
    if (m_list->count() > 0) raise();  // show the results when the dock shares a tab
}

void CandidatesPanel::showCurrent() {
    updateActions();
    const int index = currentCandidate();
    const std::vector<Candidate>& candidates = m_controller->candidates();
    if (index < 0 || index >= static_cast<int>(candidates.size())) {
        m_controller->document()->clearPreview();
        return;
    }
    const Candidate& candidate = candidates[static_cast<size_t>(index)];
    m_controller->document()->setPreview(candidate.notes);
    if (m_audio && m_playOnSelect->isChecked()) m_audio->auditionCandidate(candidate);
}

void CandidatesPanel::updateActions() {
    const bool any = m_list->count() > 0;
    m_accept->setEnabled(any && currentCandidate() >= 0);
    m_discard->setEnabled(any && currentCandidate() >= 0);
    m_discardAll->setEnabled(any);
}

}  // namespace melodist::ui

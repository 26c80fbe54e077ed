// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// GenerationController: the studio's generation, without widgets -- Continue,
// Regenerate Selection and Variations over the open ProjectDocument, the candidates they
// produce, and accepting one into the roll (one undo step). The model runs in an
// engine::GenerationJob (its own thread); a 30 ms QTimer on the UI thread reads its
// atomic progress and takes the result once finished() is true, so the UI thread never
// waits. Until the model is there (the start-up probe still loading it, another model
// loading on a worker) a request waits for it instead of failing.
//   Continue:    from the whole roll, or -- with notes selected -- from the notes up to the
//                selection's end; the new notes follow the seed (RollGeneration.h).
//   Regenerate:  the selected time span (first selected onset to last selected end) is
//                refilled (engine regenerateRegion), the music before and after as
//                context; accepting replaces every note starting in the span.
//   Variations:  the selection's span -- or, with nothing selected, the last run of
//                generated notes -- keeps its first bar (half, when it is a bar or
//                shorter) and the rest is regenerated, `candidates` times.
// Settings come from the project (settings().generation): a reopened project generates
// the same way. Complexity drives temperature and note density (engine Complexity.h);
// expert settings set directly replace its temperature (and add top-k/top-p), the density
// still follows Complexity. The device is Preferences'. UI thread only; owned by MainWindow (or
// a test). Its actions (objectNames actionContinue, actionRegenerate, actionVariations,
// actionCancelGeneration) go into the Generate menu.
//
//   GenerationController generation(&document);
//   connect(&generation, &GenerationController::finished, ...);
//   generation.continueMelody();            // true: started (or waiting for the model)
//   ... finished(true, "4 candidates ...") -> generation.acceptCandidate(0);

#include "ui/generation/Candidate.h"

#include "engine/generation/GenerationJob.h"
#include "engine/generation/RollGeneration.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

class QAction;
class QMenu;

namespace melodist::ui {

class ModelProvider;
class ProjectDocument;

class GenerationController : public QObject {
    Q_OBJECT
public:
    explicit GenerationController(ProjectDocument* document, QObject* parent = nullptr);
    ~GenerationController() override;  // a running job is cancelled and joined (one decode step)

    ProjectDocument* document() const { return m_document; }
    ModelProvider* models() const { return m_models; }

    // ---- generation: true when it started or waits for the model; false says why in
    // lastError() (also sent as statusMessage) ----
    bool continueMelody();
    bool regenerateSelection();
    bool makeVariations();
    void cancel();
    bool isBusy() const { return m_request != nullptr; }  // generating, or waiting for the model
    bool isWaitingForModel() const;
    double progress() const;
    QString lastError() const { return m_lastError; }

    // ---- candidates (the last generation's results) ----
    const std::vector<Candidate>& candidates() const { return m_candidates; }
    // Adds its notes (generated) to the roll, removing those it replaces: one undo step;
    // then the list is cleared. False for an index out of range.
    bool acceptCandidate(int index);
    void discardCandidate(int index);
    void discardAllCandidates();

    QAction* continueAction() const { return m_continueAction; }
    QAction* regenerateAction() const { return m_regenerateAction; }
    QAction* variationsAction() const { return m_variationsAction; }
    QAction* cancelAction() const { return m_cancelAction; }
    void addActionsTo(QMenu* menu) const;

signals:
    void busyChanged(bool busy);
    void progressChanged(double fraction);
    void finished(bool ok, const QString& message);  // after every request that started
    void candidatesChanged();
    void statusMessage(const QString& text, int timeoutMs);

private:
    struct Request;   // what was asked, and the roll as it was then
    struct Prepared;  // the request made concrete for the model: symbols, where results go

    bool start(GenerationKind kind);
    void onModelState();
    void launch();
    void poll();
    void complete(bool ok, const QString& message);
    bool fail(const QString& message);  // sets lastError, says it, returns false
    void updateActions();
    engine::Result<std::unique_ptr<Prepared>> prepare(const Request& request, const engine::MelodyModel& model) const;
    engine::Result<std::vector<Candidate>> collect();

    ProjectDocument* m_document;
    ModelProvider* m_models;
    std::unique_ptr<Request> m_request;  // set while busy
    std::unique_ptr<Prepared> m_prepared;  // set while the job runs
    std::unique_ptr<engine::GenerationJob> m_job;
    QTimer m_poll;
    QElapsedTimer m_clock;
    std::vector<Candidate> m_candidates;
    QString m_lastError;
    QAction* m_continueAction = nullptr;
    QAction* m_regenerateAction = nullptr;
    QAction* m_variationsAction = nullptr;
    QAction* m_cancelAction = nullptr;
};

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/generation/GenerationController.h"

#include "ui/document/ProjectDocument.h"
#include "ui/files/Preferences.h"
#include "ui/generation/ModelProvider.h"

#include "engine/generation/ChordGeneration.h"
#include "engine/generation/Complexity.h"

#include <QAction>
#include <QMenu>
#include <QRandomGenerator>
#include <QUndoStack>

#include <algorithm>

namespace melodist::ui {
namespace {

using engine::Rational;

constexpr int kPollMs = 30;
constexpr int kMaxSteps = 4096;       // 256 bars of 4/4: far more than a take needs
constexpr int kAfterContextBars = 4;  // music after a regenerated span that ranks the fills
const Rational kStep = engine::kSeedTimeStep;

}  // namespace

struct GenerationController::Request {
    GenerationKind kind = GenerationKind::Continue;
    std::vector<std::pair<NoteId, engine::ProjectNote>> notes;  // the roll when asked, in time order
    QSet<NoteId> selection;
    engine::Project settings;  // no notes
};

struct GenerationController::Prepared {
    GenerationKind kind = GenerationKind::Continue;
    bool chords = false;
    engine::GenerationOptions options;
    engine::GridSegment seed;                            // Continue, steps notation
    std::optional<engine::ChordContinuationSeed> chordSeed;  // Continue, chords notation
    Rational length;                                     // Continue: quarter notes asked for
    engine::RollRegion region;                           // Regenerate, Variations
    QSet<NoteId> replaces;
    QString note;  // what the seed's reduction changed, for the status bar
};

GenerationController::GenerationController(ProjectDocument* document, QObject* parent)
    : QObject(parent), m_document(document), m_models(new ModelProvider(this)) {
    setObjectName(QStringLiteral("generationController"));
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &GenerationController::poll);
    connect(m_models, &ModelProvider::stateChanged, this, &GenerationController::onModelState);

    const auto makeAction = [this](const QString& text, const char* name, const QKeySequence& shortcut, const QString& tip) {
        auto* action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        action->setShortcut(shortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, shortcut.toString(QKeySequence::NativeText)));
        action->setStatusTip(tip);
        return action;
    };
    m_continueAction = makeAction(tr("&Continue"), "actionContinue", QKeySequence(Qt::CTRL | Qt::Key_G),
                                  tr("Continue the melody: from the whole roll, or from the end of the selected notes"));
    m_regenerateAction = makeAction(tr("&Regenerate Selection"), "actionRegenerate", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G),
                                    tr("Write new music for the selected time span, fitting what comes before and after"));
    m_variationsAction = makeAction(tr("&Variations"), "actionVariations", QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_G),
                                    tr("Keep the first bar of the selection (or of the last generated phrase) and vary the rest"));
    m_cancelAction = makeAction(tr("C&ancel Generation"), "actionCancelGeneration", QKeySequence(Qt::Key_Escape),
                                tr("Stop the generation that is running"));
    connect(m_continueAction, &QAction::triggered, this, &GenerationController::continueMelody);
    connect(m_regenerateAction, &QAction::triggered, this, &GenerationController::regenerateSelection);
    connect(m_variationsAction, &QAction::triggered, this, &GenerationController::makeVariations);
    connect(m_cancelAction, &QAction::triggered, this, &GenerationController::cancel);
    updateActions();
}

GenerationController::~GenerationController() = default;

void GenerationController::addActionsTo(QMenu* menu) const {
    menu->addAction(m_continueAction);
    menu->addAction(m_regenerateAction);
    menu->addAction(m_variationsAction);
    menu->addSeparator();
    menu->addAction(m_cancelAction);
}

bool GenerationController::continueMelody() { return start(GenerationKind::Continue); }
bool GenerationController::regenerateSelection() { return start(GenerationKind::Regenerate); }
bool GenerationController::makeVariations() { return start(GenerationKind::Variations); }

bool GenerationController::isWaitingForModel() const { return m_request != nullptr && m_job == nullptr; }

double GenerationController::progress() const { return m_job ? m_job->progress() : 0.0; }

bool GenerationController::fail(const QString& message) {
    m_lastError = message;
    emit statusMessage(message, 8000);
    return false;
}

bool GenerationController::start(GenerationKind kind) {
    if (m_request) return fail(tr("A generation is already running: wait for it, or cancel it with Esc."));
    auto request = std::make_unique<Request>();
    request->kind = kind;
    for (const NoteId id : m_document->idsInTimeOrder()) request->notes.emplace_back(id, m_document->note(id));
    request->selection = m_document->selection();
    request->settings = m_document->settings();
    if (kind == GenerationKind::Regenerate && request->selection.isEmpty())
        return fail(tr("Select the notes to regenerate first (click them, or Ctrl+drag a rubber band in the roll)."));
    m_lastError.clear();
    m_request = std::move(request);
    emit busyChanged(true);
    // May answer at once (stateChanged -> onModelState launches or fails), or later.
    m_models->request(QString::fromStdString(m_request->settings.generation.model));
    if (m_request && !m_job && m_models->state() == ModelProvider::State::Ready) launch();  // it was held already
    if (m_request && !m_job)
        emit statusMessage(tr("Loading the model %1...").arg(ModelProvider::displayName(m_models->key())), 0);
    updateActions();
    return m_request != nullptr;  // false: it failed at once, lastError() says why
}

void GenerationController::onModelState() {
    updateActions();
    if (!m_request || m_job) return;
    switch (m_models->state()) {
    case ModelProvider::State::Ready: launch(); break;
    case ModelProvider::State::Failed: complete(false, m_models->error()); break;
    default: break;
    }
}

engine::Result<std::unique_ptr<GenerationController::Prepared>>
GenerationController::prepare(const Request& request, const engine::MelodyModel& model) const {
    auto out = std::make_unique<Prepared>();
    out->kind = request.kind;
    const engine::GenerationSettings& g = request.settings.generation;
    const engine::Result<engine::ModelNotation> notation = engine::modelNotation(model.metadata());
    if (!notation) return engine::makeError(notation.error());
    out->chords = *notation == engine::ModelNotation::Chords;

    engine::GenerationOptions& options = out->options;
    const engine::ComplexitySettings simple = engine::complexitySettings(g.complexity);
    options.candidates = std::clamp(g.candidates, 1, 16);
    options.sampling.temperature = g.expert ? g.temperature : simple.temperature;
    options.sampling.topK = g.expert ? std::max(0, g.topK) : 0;
    options.sampling.topP = g.expert ? std::clamp(g.topP, 0.01f, 1.0f) : 1.0f;
    options.rngSeed = g.rngSeed != 0 ? g.rngSeed : QRandomGenerator::global()->generate64() | 1u;
    if (const engine::Result<engine::DeviceChoice> device = engine::parseDeviceChoice(Preferences::load().device.toStdString()))
        options.device = *device;  // Edit > Preferences (auto, cpu, cuda)
    if (!out->chords) {  // the chords notation has no "_" and no single pitches to constrain
        options.constraints.holdLogitBias = simple.holdLogitBias;
        if (g.useKey && request.settings.key) options.constraints.key = *request.settings.key;
        if (g.range) options.constraints.range = *g.range;
    }
    const Rational bar = request.settings.barLength();
    const int64_t stepsPerBar = std::max<int64_t>(1, (bar / kStep).floor());
    const int64_t steps = g.lengthSteps > 0 ? g.lengthSteps : static_cast<int64_t>(std::max(1, g.lengthBars)) * stepsPerBar;
    options.steps = static_cast<int>(std::clamp<int64_t>(steps, 1, kMaxSteps));

    std::vector<engine::Note> notes;
    notes.reserve(request.notes.size());
    for (const auto& [id, note] : request.notes) notes.push_back(note.note);
    Rational selectionStart, selectionEnd;
    bool first = true;
    for (const auto& [id, note] : request.notes) {
        if (!request.selection.contains(id)) continue;
        selectionStart = first ? note.note.onset : std::min(selectionStart, note.note.onset);
        selectionEnd = first ? note.note.end() : std::max(selectionEnd, note.note.end());
        first = false;
    }
    const bool hasSelection = !first;

    if (request.kind == GenerationKind::Continue) {
        const std::optional<Rational> until = hasSelection ? std::optional(selectionEnd) : std::nullopt;
        options.minSteps = options.steps;  // exactly the length asked for: no song end before
        out->length = kStep * Rational(options.steps);
        if (out->chords) {
            engine::Result<engine::ChordContinuationSeed> seed = engine::chordContinuationSeed(model, notes, until, true);
            if (!seed) return engine::makeError(seed.error());
            if (seed->seed.changed()) out->note = QString::fromStdString(seed->seed.describe());
            out->chordSeed = std::move(*seed);
        } else {
            out->seed = engine::continuationSeed(notes, until);
            if (out->seed.reduction.changed()) out->note = QString::fromStdString(out->seed.reduction.describe());
        }
        return out;
    }

    if (out->chords)
        return engine::makeError(tr("%1 writes chords, and regenerating a span needs a model of single-line melodies: "
                                    "choose Folk songs or another steps model in the Generation panel")
                                     .arg(ModelProvider::displayName(QString::fromStdString(g.model)))
                                     .toStdString());
    Rational spanStart = selectionStart, spanEnd = selectionEnd;
    if (!hasSelection) {  // Variations of the last run of generated notes
        int last = static_cast<int>(request.notes.size()) - 1;
        while (last >= 0 && !request.notes[static_cast<size_t>(last)].second.generated) --last;
        if (last < 0)
            return engine::makeError(tr("Select the phrase to vary first, or generate one: Variations works on the "
                                        "selection or on the last generated notes")
                                         .toStdString());
        int firstOfRun = last;
        while (firstOfRun > 0 && request.notes[static_cast<size_t>(firstOfRun - 1)].second.generated) --firstOfRun;
        spanStart = request.notes[static_cast<size_t>(firstOfRun)].second.note.onset;
        spanEnd = spanStart;
        for (int i = firstOfRun; i <= last; ++i) spanEnd = std::max(spanEnd, request.notes[static_cast<size_t>(i)].second.note.end());
    }
    Rational regionStart = engine::floorToGrid(spanStart, kStep);
    const Rational regionEnd = std::max(engine::ceilToGrid(spanEnd, kStep), regionStart + kStep);
    if (request.kind == GenerationKind::Variations) {
        const Rational span = regionEnd - regionStart;
        const Rational keep = bar < span ? bar : engine::floorToGrid(span / Rational(2), kStep);
        if (keep.isZero())
            return engine::makeError(tr("The phrase is too short to vary (one 16th): select a longer one").toStdString());
        regionStart += keep;
    }
    std::vector<engine::Note> context;
    const Rational contextEnd = regionEnd + bar * Rational(kAfterContextBars);
    for (const auto& [id, note] : request.notes) {
        const bool inside = !(note.note.onset < regionStart) && note.note.onset < regionEnd;
        const bool selectedSpan = request.kind == GenerationKind::Regenerate && request.selection.contains(id);
        if (inside || selectedSpan) {
            out->replaces.insert(id);
            continue;
        }
        if (note.note.onset < contextEnd) context.push_back(note.note);
    }
    out->region = engine::rollRegion(context, regionStart, regionEnd);
    if (out->region.before.reduction.changed() || out->region.after.reduction.changed())
        out->note = tr("the music around the span was read as one line (the highest note of each chord)");
    return out;
}

void GenerationController::launch() {
    engine::Result<std::unique_ptr<Prepared>> prepared = prepare(*m_request, *m_models->model());
    if (!prepared) {
        complete(false, QString::fromStdString(prepared.error()));
        return;
    }
    m_prepared = std::move(*prepared);
    const Prepared& p = *m_prepared;
    const engine::MelodyModel& model = *m_models->model();
    // In the background: the UI thread must win the CPU (2 cores may be busy with the job's LibTorch threads).
    constexpr auto kPriority = engine::GenerationJob::Priority::Background;
    if (p.kind == GenerationKind::Continue)
        m_job = engine::GenerationJob::generate(model, p.chords ? p.chordSeed->seed.tokens : p.seed.symbols, p.options, {}, kPriority);
    else
        m_job = engine::GenerationJob::regenerate(model, p.region.before.symbols, p.region.after.symbols, p.region.gapSteps(),
                                                  p.options, {}, kPriority);
    m_clock.start();
    m_poll.start();
    updateActions();
    emit progressChanged(0.0);
    emit statusMessage(tr("Generating with %1...").arg(ModelProvider::displayName(m_models->key())), 0);
}

void GenerationController::poll() {
    if (!m_job) {
        m_poll.stop();
        return;
    }
    emit progressChanged(m_job->progress());
    if (!m_job->finished()) return;  // never wait: the next tick looks again
    engine::Result<std::vector<Candidate>> results = collect();
    if (!results) {
        const QString error = QString::fromStdString(results.error());
        complete(false, error == QLatin1String("generation cancelled") ? tr("Generation cancelled") : tr("Generation failed: %1").arg(error));
        return;
    }
    const double seconds = static_cast<double>(m_clock.elapsed()) / 1000.0;
    const QString device = QString::fromStdString(
        m_prepared->kind == GenerationKind::Continue ? m_job->melodies()->device : m_job->region()->device);
    m_candidates = std::move(*results);
    QString message = tr("%n candidate(s) in %1 s with %2 (%3)", "", static_cast<int>(m_candidates.size()))
                          .arg(seconds, 0, 'f', 1)
                          .arg(ModelProvider::displayName(m_models->key()), device);
    if (!m_prepared->note.isEmpty()) message += QStringLiteral("; ") + m_prepared->note;
    m_document->clearPreview();
    emit candidatesChanged();
    complete(true, message);
}

engine::Result<std::vector<Candidate>> GenerationController::collect() {
    const Prepared& p = *m_prepared;
    std::vector<Candidate> out;
    const auto toCandidate = [&](std::vector<engine::Note> notes, Rational start, Rational end, double score) {
        Candidate candidate;
        candidate.kind = p.kind;
        candidate.replaces = p.replaces;
        candidate.start = start;
        candidate.end = end;
        candidate.score = score;
        for (engine::Note& note : notes) candidate.notes.push_back({.note = std::move(note), .generated = true});
        return candidate;
    };
    if (p.kind == GenerationKind::Continue) {
        const engine::Result<engine::GeneratedMelodies>& melodies = m_job->melodies();  // finished: no wait
        if (!melodies) return engine::makeError(melodies.error());
        for (const std::vector<std::string>& melody : melodies->melodies) {
            engine::Result<std::vector<engine::Note>> notes = p.chords ? engine::chordContinuationNotes(*p.chordSeed, melody, p.length)
                                                                       : engine::continuationNotes(p.seed, melody, p.length);
            if (!notes) return engine::makeError(notes.error());
            const Rational start = p.chords ? p.chordSeed->end : p.seed.end();
            out.push_back(toCandidate(std::move(*notes), start, start + p.length, 0.0));
        }
        return out;
    }
    const engine::Result<engine::RegeneratedRegion>& region = m_job->region();
    if (!region) return engine::makeError(region.error());
    for (const engine::RegionFill& fill : region->fills) {
        engine::Result<std::vector<engine::Note>> notes = engine::regionFillNotes(p.region, fill.symbols);
        if (!notes) return engine::makeError(notes.error());
        out.push_back(toCandidate(std::move(*notes), p.region.start, p.region.end, fill.score));
    }
    return out;
}

void GenerationController::complete(bool ok, const QString& message) {
    m_poll.stop();
    m_job.reset();  // finished (or never started): no waiting
    m_prepared.reset();
    m_request.reset();
    if (!ok) m_lastError = message;
    updateActions();
    emit busyChanged(false);
    emit statusMessage(message, ok ? 6000 : 10000);
    emit finished(ok, message);
}

void GenerationController::cancel() {
    if (!m_request) return;
    if (m_job) {
        m_job->cancel();  // the worker stops within a step; poll() reports it
        emit statusMessage(tr("Cancelling..."), 0);
        return;
    }
    complete(false, tr("Generation cancelled"));  // it was still waiting for the model
}

bool GenerationController::acceptCandidate(int index) {
    if (index < 0 || index >= static_cast<int>(m_candidates.size())) return false;
    const Candidate candidate = m_candidates[static_cast<size_t>(index)];
    const QString text = tr("Accept Candidate %1").arg(index + 1);
    if (candidate.replaces.isEmpty()) {
        m_document->addNotes(candidate.notes, text);
    } else {  // replace the span: one undo step
        m_document->undoStack()->beginMacro(text);
        m_document->removeNotes(candidate.replaces, text);
        m_document->addNotes(candidate.notes, text);
        m_document->undoStack()->endMacro();
    }
    m_candidates.clear();
    m_document->clearPreview();
    emit candidatesChanged();
    emit statusMessage(tr("Candidate %1 added to the roll (%n note(s)); Ctrl+Z takes it back", "",
                          static_cast<int>(candidate.notes.size()))
                           .arg(index + 1),
                       5000);
    return true;
}

void GenerationController::discardCandidate(int index) {
    if (index < 0 || index >= static_cast<int>(m_candidates.size())) return;
    m_candidates.erase(m_candidates.begin() + index);
    m_document->clearPreview();
    emit candidatesChanged();
}

void GenerationController::discardAllCandidates() {
    if (m_candidates.empty()) return;
    m_candidates.clear();
    m_document->clearPreview();
    emit candidatesChanged();
}

void GenerationController::updateActions() {
    const bool busy = m_request != nullptr;
    const bool loading = m_models->state() == ModelProvider::State::Loading;
    m_continueAction->setText(loading ? tr("Loading model...") : tr("&Continue"));
    for (QAction* action : {m_continueAction, m_regenerateAction, m_variationsAction}) action->setEnabled(!busy);
    // Esc cancels only while something runs: otherwise it is the roll's (cancel a drag).
    m_cancelAction->setEnabled(busy);
}

}  // namespace melodist::ui

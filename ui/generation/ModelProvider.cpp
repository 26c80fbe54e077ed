// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/generation/ModelProvider.h"

#include "engine/core/ThreadPriority.h"

#include <QFileInfo>
#include <QThread>

#include <memory>
#include <utility>

namespace melodist::ui {
namespace {

constexpr int kDefaultPollMs = 100;

// Short titles for the models Melodist ships; others show their name.
QString bundledTitle(const QString& name) {
    if (name == QLatin1String(engine::kDefaultModelName.data())) return QObject::tr("Folk songs (bundled)");
    if (name == QLatin1String("piano")) return QObject::tr("Piano (bundled)");
    QString title = name;
    if (!title.isEmpty()) title[0] = title[0].toUpper();
    return QObject::tr("%1 (bundled)").arg(title);
}

// Runs `work` on a new thread and hands its result to `done` on `context`'s thread; the
// result is dropped when `context` is gone by then.
template <typename T, typename Work, typename Done>
void runInBackground(QObject* context, Work work, Done done) {
    auto result = std::make_shared<std::optional<T>>();
    QThread* worker = QThread::create([result, work = std::move(work)] { result->emplace(work()); });
    QObject::connect(worker, &QThread::finished, context, [result, done = std::move(done)] { done(std::move(**result)); });
    QObject::connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

}  // namespace

ModelProvider::ModelProvider(QObject* parent) : QObject(parent) {
    setObjectName(QStringLiteral("modelProvider"));
    m_poll.setInterval(kDefaultPollMs);
    connect(&m_poll, &QTimer::timeout, this, &ModelProvider::pollDefault);
}

ModelProvider::~ModelProvider() = default;

void ModelProvider::setDefaultModelSource(DefaultLookup lookup, std::function<bool()> pending) {
    m_defaultLookup = std::move(lookup);
    m_defaultPending = std::move(pending);
}

QString ModelProvider::canonicalKey(const QString& key) {
    const QString trimmed = key.trimmed();
    if (trimmed.isEmpty() || trimmed == QLatin1String(engine::kDefaultModelAlias.data()) ||
        trimmed == QLatin1String(engine::kDefaultModelName.data()))
        return QString::fromLatin1(kDefaultModelKey);
    return trimmed;
}

QString ModelProvider::displayName(const QString& key) {
    const QString canonical = canonicalKey(key);
    if (canonical == QLatin1String(kDefaultModelKey)) return bundledTitle(QLatin1String(engine::kDefaultModelName.data()));
    if (engine::isBundledModelName(canonical.toStdString())) return bundledTitle(canonical);
    return QFileInfo(canonical).completeBaseName();
}

void ModelProvider::request(const QString& key) {
    const QString canonical = canonicalKey(key);
    if (canonical == m_key && (m_state == State::Ready || m_state == State::Loading)) return;
    ++m_requestSerial;
    m_key = canonical;
    m_model.reset();
    m_poll.stop();
    if (canonical == QLatin1String(kDefaultModelKey) && m_defaultLookup) {
        if (const engine::LoadedBundledModel* held = m_defaultLookup()) {
            m_model = held->model;
            setState(State::Ready);
            return;
        }
        if (m_defaultPending && m_defaultPending()) {  // the probe is still loading it: wait for it
            m_poll.start();
            setState(State::Loading);
            return;
        }
    }
    setState(State::Loading);
    loadInBackground(canonical);
}

void ModelProvider::pollDefault() {
    if (m_key != QLatin1String(kDefaultModelKey) || m_state != State::Loading) {
        m_poll.stop();
        return;
    }
    if (const engine::LoadedBundledModel* held = m_defaultLookup ? m_defaultLookup() : nullptr) {
        m_poll.stop();
        m_model = held->model;
        setState(State::Ready);
        return;
    }
    if (m_defaultPending && m_defaultPending()) return;
    // The probe ended without a model: load it here, which also gives the reason it fails.
    m_poll.stop();
    loadInBackground(m_key);
}

void ModelProvider::loadInBackground(const QString& key) {
    const quint64 serial = m_requestSerial;
    const std::string value = key == QLatin1String(kDefaultModelKey) ? std::string(engine::kDefaultModelName) : key.toStdString();
    runInBackground<engine::Result<engine::MelodyModel>>(
        this,
        [value]() -> engine::Result<engine::MelodyModel> {  // on the worker thread
            engine::lowerCurrentThreadPriority();  // the UI thread wins the CPU meanwhile
            engine::Result<std::string> path = engine::resolveModelPath(value);
            if (!path) return engine::makeError(path.error());
            return engine::MelodyModel::load(*path);
        },
        [this, serial, key](engine::Result<engine::MelodyModel> loaded) {  // on the UI thread
            if (serial != m_requestSerial) return;  // another model was asked for meanwhile
            if (!loaded) {
                setState(State::Failed, tr("Could not load the model %1: %2. Choose another model in the Generation panel.")
                                            .arg(displayName(key), QString::fromStdString(loaded.error())));
                return;
            }
            m_model = std::move(*loaded);
            setState(State::Ready);
        });
}

void ModelProvider::setState(State state, const QString& error) {
    m_state = state;
    m_error = error;
    emit stateChanged();
}

void ModelProvider::listBundledModels() {
    if (m_listing) return;
    m_listing = true;
    runInBackground<std::vector<BundledEntry>>(
        this,
        [] {  // on the worker thread: describeModelFile reads (and checks) every file
            engine::lowerCurrentThreadPriority();
            std::vector<BundledEntry> out;
            for (const engine::BundledModelEntry& entry : engine::listBundledModels(engine::findBundledModelFolder().path)) {
                const QString name = QString::fromStdString(entry.name);
                BundledEntry item{entry.isDefault ? QString::fromLatin1(kDefaultModelKey) : name, bundledTitle(name),
                                  entry.info ? QString::fromStdString(entry.info->summary) : QString::fromStdString(entry.info.error())};
                if (entry.isDefault) out.insert(out.begin(), std::move(item));
                else out.push_back(std::move(item));
            }
            return out;
        },
        [this](std::vector<BundledEntry> entries) {
            m_bundled = std::move(entries);
            m_listing = false;
            emit bundledModelsChanged();
        });
}

}  // namespace melodist::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ModelProvider: the model the studio generates with, named as GenerationSettings::model
// names it -- "default" (the bundled folk model), another bundled model's name, or a
// .melodist-model path (a trained run's, an imported Keras model). The default comes from
// the window's start-up probe, which loads it on its worker thread; anything else is
// loaded here on a worker thread (QThread::create), never on the UI thread, and the
// result comes back through a queued call whose context is this object. It keeps the
// model last loaded (copies share the weights, so a GenerationJob takes one cheaply).
// Also lists the bundled models (their files are read on a worker thread too).
// UI thread only; owned by the GenerationController.
//
//   ModelProvider models;
//   models.setDefaultModelSource(lookup, probePending);   // MainWindow's probe
//   models.request("default");                          // Ready at once, or Loading ...
//   connect(&models, &ModelProvider::stateChanged, ...); // ... then Ready or Failed
//   if (models.state() == ModelProvider::State::Ready) use(*models.model());

#include "engine/model/BundledModels.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <optional>
#include <vector>

namespace melodist::ui {

inline constexpr const char* kDefaultModelKey = "default";

class ModelProvider : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Loading, Ready, Failed };
    // The window's probe: `lookup` returns its model once loaded (nullptr before, or when
    // it failed); `pending` is true while the probe still runs.
    using DefaultLookup = std::function<const engine::LoadedBundledModel*()>;

    struct BundledEntry {
        QString key;      // "default" for the default model, else its name
        QString title;    // "Folk songs (bundled)"
        QString summary;  // the model card's line, for a tooltip
    };

    explicit ModelProvider(QObject* parent = nullptr);
    ~ModelProvider() override;

    void setDefaultModelSource(DefaultLookup lookup, std::function<bool()> pending);

    // Asks for the model `key` ("" means "default"). Nothing happens when it is the one
    // held or being loaded; otherwise the held model is dropped and stateChanged follows
    // (at once when the window's default is already there).
    void request(const QString& key);
    State state() const { return m_state; }
    QString key() const { return m_key; }                   // the one held or loading
    const std::optional<engine::MelodyModel>& model() const { return m_model; }
    QString error() const { return m_error; }               // why the last request failed
    static QString canonicalKey(const QString& key);        // "" and the default's name -> "default"
    static QString displayName(const QString& key);         // "Folk songs (bundled)", or the file name

    // The bundled models, listed once on a worker thread (bundledModelsChanged when done).
    void listBundledModels();
    const std::vector<BundledEntry>& bundledModels() const { return m_bundled; }

signals:
    void stateChanged();          // Loading, Ready or Failed for key()
    void bundledModelsChanged();

private:
    void setState(State state, const QString& error = {});
    void pollDefault();
    void loadInBackground(const QString& key);

    DefaultLookup m_defaultLookup;
    std::function<bool()> m_defaultPending;
    QTimer m_poll;  // while the probe loads the default
    State m_state = State::Idle;
    QString m_key;
    QString m_error;
    std::optional<engine::MelodyModel> m_model;
    quint64 m_requestSerial = 0;  // a load finishing for an older request is dropped
    std::vector<BundledEntry> m_bundled;
    bool m_listing = false;
};

}  // namespace melodist::ui

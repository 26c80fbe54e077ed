// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// GenerationJob: one generateMelodies or regenerateRegion run on its own worker thread
// (std::thread), so a UI stays responsive: progress as an atomic fraction, cancel as an
// atomic flag checked between decode steps, wait()/result at the end. Destroying a
// running job cancels it and joins the thread (at most one decode step later).
// Threads: progress() and cancel() from any thread; wait() and the results from one
// thread at a time (the owner's, typically the UI's; wait() blocks, so a UI polls
// finished() first). The optional progress callback is called ON THE WORKER THREAD
// after each step with the fraction done -- keep it short and thread-safe (store an
// atomic, post a queued event; never touch widgets or the model from it). The caller
// owns the job (std::unique_ptr); the job keeps its own copy of the model (the weights
// are shared and read-only).
//
//   std::unique_ptr<GenerationJob> job = GenerationJob::generate(model, seed, options);
//   ... job->progress() in a timer, job->cancel() on "Stop" ...
//   const Result<GeneratedMelodies>& melodies = job->melodies();   // waits

#include "engine/core/Result.h"
#include "engine/generation/MelodyGenerator.h"
#include "engine/generation/RegionRegenerator.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace melodist::engine {

class GenerationJob {
public:
    // Called on the worker thread with the fraction done, 0..1 (1 when the work is done).
    using ProgressCallback = std::function<void(double fraction)>;
    // Background: the worker lowers its own CPU priority first (engine/core/ThreadPriority.h),
    // so an interactive process's UI and audio threads win the CPU while it runs.
    enum class Priority { Normal, Background };

    static std::unique_ptr<GenerationJob> generate(MelodyModel model, std::vector<std::string> seed, GenerationOptions options,
                                                   ProgressCallback onProgress = {}, Priority priority = Priority::Normal);
    static std::unique_ptr<GenerationJob> regenerate(MelodyModel model, std::vector<std::string> before,
                                                     std::vector<std::string> after, int gapSteps, GenerationOptions options,
                                                     ProgressCallback onProgress = {}, Priority priority = Priority::Normal);
    ~GenerationJob();  // cancels and joins
    GenerationJob(const GenerationJob&) = delete;
    GenerationJob& operator=(const GenerationJob&) = delete;

    double progress() const { return m_progress.load(std::memory_order_relaxed); }  // steps done / steps
    void cancel() { m_cancel.store(true, std::memory_order_relaxed); }
    bool finished() const { return m_finished.load(std::memory_order_acquire); }
    void wait();  // joins the worker; then the results below are final

    // Wait, then the outcome: "generation cancelled" after cancel(); the other kind's
    // accessor holds an error saying which kind the job was.
    const Result<GeneratedMelodies>& melodies();
    const Result<RegeneratedRegion>& region();

private:
    GenerationJob(MelodyModel model, ProgressCallback onProgress);
    void reportProgress(int64_t done, int64_t total);

    MelodyModel m_model;
    ProgressCallback m_onProgress;
    std::atomic<bool> m_cancel{false};
    std::atomic<double> m_progress{0.0};
    std::atomic<bool> m_finished{false};
    Result<GeneratedMelodies> m_melodies{makeError("this job regenerates a region; read region()")};
    Result<RegeneratedRegion> m_region{makeError("this job generates melodies; read melodies()")};
    std::thread m_thread;  // last: started once everything above exists
};

}  // namespace melodist::engine

// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/generation/GenerationJob.h"

#include "engine/core/ThreadPriority.h"

#include <algorithm>
#include <exception>

namespace melodist::engine {
namespace {

// The worker's top level: a LibTorch decoder may throw (c10::Error, e.g. CUDA out of
// memory; see engine/nn/TorchBackend.h), and an exception must not end the process from
// a std::thread. It becomes the job's error.
template <typename T, typename Run>
Result<T> guarded(Run&& run) {
    try {
        return run();
    } catch (const std::exception& e) {
        return makeError(std::string("generation failed: ") + e.what());
    } catch (...) {
        return makeError("generation failed: an unknown error in the model");
    }
}

}  // namespace

GenerationJob::GenerationJob(MelodyModel model, ProgressCallback onProgress)
    : m_model(std::move(model)), m_onProgress(std::move(onProgress)) {}

GenerationJob::~GenerationJob() {
    cancel();
    wait();
}

void GenerationJob::reportProgress(int64_t done, int64_t total) {
    const double fraction = total > 0 ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total)) : 1.0;
    m_progress.store(fraction, std::memory_order_relaxed);
    if (m_onProgress) m_onProgress(fraction);
}

std::unique_ptr<GenerationJob> GenerationJob::generate(MelodyModel model, std::vector<std::string> seed, GenerationOptions options,
                                                       ProgressCallback onProgress, Priority priority) {
    std::unique_ptr<GenerationJob> job(new GenerationJob(std::move(model), std::move(onProgress)));
    GenerationJob* self = job.get();
    job->m_thread = std::thread([self, seed = std::move(seed), options = std::move(options), priority] {
        if (priority == Priority::Background) lowerCurrentThreadPriority();
        self->m_melodies = guarded<GeneratedMelodies>([&] {
            return generateMelodies(self->m_model, seed, options, &self->m_cancel,
                                    [self](int64_t done, int64_t total) { self->reportProgress(done, total); });
        });
        if (self->m_melodies) self->reportProgress(1, 1);
        self->m_finished.store(true, std::memory_order_release);
    });
    return job;
}

std::unique_ptr<GenerationJob> GenerationJob::regenerate(MelodyModel model, std::vector<std::string> before,
                                                         std::vector<std::string> after, int gapSteps, GenerationOptions options,
                                                         ProgressCallback onProgress, Priority priority) {
    std::unique_ptr<GenerationJob> job(new GenerationJob(std::move(model), std::move(onProgress)));
    GenerationJob* self = job.get();
    job->m_thread = std::thread([self, before = std::move(before), after = std::move(after), gapSteps, options = std::move(options),
                                 priority] {
        if (priority == Priority::Background) lowerCurrentThreadPriority();
        self->m_region = guarded<RegeneratedRegion>([&] {
            return regenerateRegion(self->m_model, before, after, gapSteps, options, &self->m_cancel,
                                    [self](int64_t done, int64_t total) { self->reportProgress(done, total); });
        });
        if (self->m_region) self->reportProgress(1, 1);
        self->m_finished.store(true, std::memory_order_release);
    });
    return job;
}

void GenerationJob::wait() {
    if (m_thread.joinable()) m_thread.join();
}

const Result<GeneratedMelodies>& GenerationJob::melodies() {
    wait();
    return m_melodies;
}

const Result<RegeneratedRegion>& GenerationJob::region() {
    wait();
    return m_region;
}

}  // namespace melodist::engine

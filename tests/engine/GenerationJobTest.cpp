// SPDX-License-Identifier: GPL-3.0-or-later
// GenerationJob: generation on its own thread -- the same melodies as a direct call,
// progress that reaches 1 (callback on the worker), cancel that ends a long run with
// "generation cancelled", destruction that cancels and joins.
#include "engine/generation/GenerationJob.h"

#include <QtTest/QtTest>

#include <mutex>
#include <set>
#include <thread>

#include "tests/engine/GenerationTestModels.h"

using namespace melodist::engine;
using melodist::test::randomMelodyModel;

namespace {

const std::vector<std::string> kSeed = splitSymbols("67 _ 67 _ 65 64 _");

}  // namespace

class GenerationJobTest : public QObject {
    Q_OBJECT

private slots:
    void aJobGivesWhatADirectCallGivesAndReportsProgressToOne() {
        // GIVEN a model and options
        const MelodyModel model = randomMelodyModel(/*context=*/8);
        const GenerationOptions options{.steps = 200, .sampling = {.temperature = 1.2f}, .candidates = 4, .rngSeed = 3};
        std::mutex mutex;
        std::vector<double> fractions;
        std::set<std::thread::id> threads;
        // WHEN it runs as a job with a progress callback
        std::unique_ptr<GenerationJob> job = GenerationJob::generate(model, kSeed, options, [&](double fraction) {
            const std::lock_guard lock(mutex);
            fractions.push_back(fraction);
            threads.insert(std::this_thread::get_id());
        });
        const Result<GeneratedMelodies>& result = job->melodies();
        // THEN the melodies equal a direct call's
        QVERIFY2(result.ok(), result ? "" : result.error().c_str());
        Result<GeneratedMelodies> direct = generateMelodies(model, kSeed, options);
        QCOMPARE(result->melodies, direct->melodies);
        // AND progress rose step by step to 1, reported on the worker thread
        QVERIFY(job->finished());
        QCOMPARE(job->progress(), 1.0);
        QVERIFY(fractions.size() > 10);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
        QCOMPARE(threads.size(), size_t{1});
        QVERIFY(*threads.begin() != std::this_thread::get_id());
        // AND asking it for a region says what kind of job it was
        QVERIFY(job->region().error().find("melodies()") != std::string::npos);
    }

    void cancellingMidwayEndsWithTheCancelledError() {
        // GIVEN a job far too long to finish (a million steps, 64-symbol windows)
        const MelodyModel model = randomMelodyModel(/*context=*/64);
        // whose progress callback holds the worker at step 20 until the test has cancelled
        std::atomic<int> calls{0};
        std::atomic<bool> reached{false}, released{false};
        std::unique_ptr<GenerationJob> job =
            GenerationJob::generate(model, kSeed, {.steps = 1000000, .candidates = 2}, [&](double) {
                if (calls.fetch_add(1) + 1 != 20) return;
                reached.store(true);
                while (!released.load()) std::this_thread::yield();
            });
        // WHEN it is cancelled at step 20
        while (!reached.load()) std::this_thread::yield();
        job->cancel();
        released.store(true);
        // THEN it ends with the cancelled error before the next step, progress 20 / 1000000
        const Result<GeneratedMelodies>& result = job->melodies();
        QVERIFY(!result.ok());
        QCOMPARE(result.error(), std::string("generation cancelled"));
        QCOMPARE(calls.load(), 20);
        QCOMPARE(job->progress(), 20.0 / 1000000.0);
    }

    void destroyingARunningJobCancelsAndJoinsIt() {
        // GIVEN a long job WHEN it is destroyed at once THEN the destructor returns (cancel + join), no thread left behind
        const MelodyModel model = randomMelodyModel(/*context=*/64);
        std::atomic<bool> ran{false};
        {
            std::unique_ptr<GenerationJob> job =
                GenerationJob::generate(model, kSeed, {.steps = 1000000}, [&](double) { ran.store(true); });
            while (!ran.load()) std::this_thread::yield();
        }
        QVERIFY(ran.load());
    }

    void aRegionJobGivesWhatADirectCallGives() {
        const MelodyModel model = randomMelodyModel(/*context=*/0);
        const std::vector<std::string> after = splitSymbols("64 _ 62 _ 60 _ _ _");
        const GenerationOptions options{.sampling = {.temperature = 1.0f}, .candidates = 5, .rngSeed = 9};
        std::unique_ptr<GenerationJob> job = GenerationJob::regenerate(model, kSeed, after, 12, options);
        const Result<RegeneratedRegion>& region = job->region();
        QVERIFY2(region.ok(), region ? "" : region.error().c_str());
        Result<RegeneratedRegion> direct = regenerateRegion(model, kSeed, after, 12, options);
        QCOMPARE(region->fills.size(), direct->fills.size());
        for (size_t k = 0; k < direct->fills.size(); ++k) {
            QCOMPARE(region->fills[k].symbols, direct->fills[k].symbols);
            QCOMPARE(region->fills[k].score, direct->fills[k].score);
        }
        QCOMPARE(job->progress(), 1.0);
        QVERIFY(!job->melodies().ok());
    }
};

QTEST_GUILESS_MAIN(GenerationJobTest)
#include "GenerationJobTest.moc"

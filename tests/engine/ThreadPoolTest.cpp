// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/ThreadPool.h"

#include <QtTest>

#include <atomic>
#include <vector>

using melodist::engine::ThreadPool;

class ThreadPoolTest : public QObject {
    Q_OBJECT
private slots:
    void everyIndexRunsExactlyOnceLoopAfterLoop() {
        // GIVEN a pool of 4 threads
        ThreadPool pool(4);
        QCOMPARE(pool.threadCount(), 4);
        for (size_t count : {size_t{0}, size_t{1}, size_t{3}, size_t{1000}, size_t{10007}}) {
            // WHEN a loop runs
            std::vector<std::atomic<int>> hits(count);
            pool.parallelFor(count, [&](size_t i) { hits[i].fetch_add(1); });
            // THEN each index ran once, and all had finished when it returned
            for (size_t i = 0; i < count; ++i) QCOMPARE(hits[i].load(), 1);
        }
    }

    void aSingleThreadPoolRunsInOrderOnTheCaller() {
        ThreadPool pool(1);
        std::vector<size_t> order;
        pool.parallelFor(5, [&](size_t i) { order.push_back(i); });
        QCOMPARE(order, (std::vector<size_t>{0, 1, 2, 3, 4}));
        QVERIFY(ThreadPool::defaultThreadCount() >= 1);
    }

    void cancelLeavesTheRemainingIndicesOut() {
        // GIVEN a loop that cancels itself at index 10
        ThreadPool pool(2);
        std::atomic<bool> cancel{false};
        std::atomic<int> ran{0};
        pool.parallelFor(
            100000,
            [&](size_t i) {
                ran.fetch_add(1);
                if (i == 10) cancel.store(true);
            },
            &cancel);
        // THEN far fewer than all ran (those started finish), and the pool still works
        QVERIFY2(ran.load() < 1000, qPrintable(QString::number(ran.load())));
        std::atomic<int> after{0};
        pool.parallelFor(50, [&](size_t) { after.fetch_add(1); });
        QCOMPARE(after.load(), 50);
    }
};

QTEST_GUILESS_MAIN(ThreadPoolTest)
#include "ThreadPoolTest.moc"

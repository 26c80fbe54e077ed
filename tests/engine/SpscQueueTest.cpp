// SPDX-License-Identifier: GPL-3.0-or-later
// SpscQueue: FIFO order, full and empty, and a real producer and consumer thread.
#include <QtTest>

#include "engine/core/SpscQueue.h"

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

using melodist::engine::SpscQueue;

class SpscQueueTest : public QObject {
    Q_OBJECT
private slots:
    void popsInTheOrderPushedAndFailsWhenEmpty() {
        // GIVEN an empty queue
        SpscQueue<int, 8> queue;
        int out = -1;
        QVERIFY(!queue.tryPop(out));
        QCOMPARE(out, -1);
        // WHEN three values go in
        for (int v : {3, 1, 2}) QVERIFY(queue.tryPush(v));
        // THEN they come out in that order, then nothing
        QCOMPARE(queue.sizeApprox(), size_t(3));
        for (int expected : {3, 1, 2}) {
            QVERIFY(queue.tryPop(out));
            QCOMPARE(out, expected);
        }
        QVERIFY(!queue.tryPop(out));
    }

    void refusesAPushWhenFullAndKeepsWhatItHolds() {
        // GIVEN a queue of four filled to capacity
        SpscQueue<int, 4> queue;
        for (int v = 0; v < 4; ++v) QVERIFY(queue.tryPush(v));
        // WHEN one more is pushed
        const bool pushed = queue.tryPush(99);
        // THEN it is refused, and the four are intact; after one pop there is room again
        QVERIFY(!pushed);
        int out = -1;
        QVERIFY(queue.tryPop(out));
        QCOMPARE(out, 0);
        QVERIFY(queue.tryPush(4));
        for (int expected = 1; expected <= 4; ++expected) {
            QVERIFY(queue.tryPop(out));
            QCOMPARE(out, expected);
        }
    }

    void wrapsAroundTheRingManyTimes() {
        // GIVEN a tiny queue WHEN 1000 values pass through it two at a time
        SpscQueue<std::uint64_t, 2> queue;
        std::uint64_t out = 0;
        for (std::uint64_t v = 0; v < 1000; v += 2) {
            QVERIFY(queue.tryPush(v));
            QVERIFY(queue.tryPush(v + 1));
            QVERIFY(!queue.tryPush(v + 2));
            // THEN each comes out once, in order
            QVERIFY(queue.tryPop(out));
            QCOMPARE(out, v);
            QVERIFY(queue.tryPop(out));
            QCOMPARE(out, v + 1);
        }
    }

    void oneProducerAndOneConsumerThreadLoseAndReorderNothing() {
        // GIVEN a small queue (so it is often full and often empty) and two threads
        struct Event {
            std::uint64_t sequence;
            std::uint64_t check;  // a second word: a torn read would break sequence * 7 == check
        };
        static SpscQueue<Event, 64> queue;
        constexpr std::uint64_t kCount = 300000;
        std::atomic<std::uint64_t> refusedPushes{0};
        // WHEN the producer pushes 0..N-1 (retrying when full) while the consumer pops
        std::thread producer([&] {
            for (std::uint64_t i = 0; i < kCount;) {
                if (queue.tryPush(Event{i, i * 7})) ++i;
                else refusedPushes.fetch_add(1, std::memory_order_relaxed);
            }
        });
        std::uint64_t expected = 0, broken = 0;
        Event event{};
        while (expected < kCount) {
            if (!queue.tryPop(event)) continue;
            if (event.sequence != expected || event.check != expected * 7) ++broken;
            expected = event.sequence + 1;
        }
        producer.join();
        // THEN every value arrived once, in order, intact, and the queue is empty
        QCOMPARE(broken, std::uint64_t(0));
        QCOMPARE(expected, kCount);
        QVERIFY(!queue.tryPop(event));
        qInfo("pushes refused while full: %llu", static_cast<unsigned long long>(refusedPushes.load()));
    }
};

QTEST_GUILESS_MAIN(SpscQueueTest)
#include "SpscQueueTest.moc"

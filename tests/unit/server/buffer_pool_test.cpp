// BufferPool::trim: blocks left in the pool by a burst give their pages back once they stay unused
// for a whole period, while the blocks a steady load keeps taking stay warm; a cold block taken
// again works as a fresh one.

#include "server/buffer_pool.h"

#include <QtTest>

#include <cstring>
#include <vector>

using tollgate::server::Buffer;
using tollgate::server::BufferPool;

namespace {

// Takes `n` blocks and gives them all back, as a burst of `n` requests in flight would.
void burst(BufferPool& pool, size_t n) {
    std::vector<Buffer> held(n);
    for (Buffer& b : held) {
        pool.acquire(b);
        std::memset(b.data, 'x', 64);
    }
    for (Buffer& b : held) {
        pool.release(b);
    }
}

} // namespace

class BufferPoolTest : public QObject {
    Q_OBJECT

private slots:
    void burstLeftovers_goColdAfterAWholeUnusedPeriod() {
        BufferPool pool(16 * 1024);
        burst(pool, 8);
        pool.trim(); // the period of the burst: every block was taken
        QCOMPARE(pool.cold(), size_t(0));
        pool.trim(); // a whole period without a request
        QCOMPARE(pool.cold(), size_t(8));
        QCOMPARE(pool.pooled(), size_t(8));
    }

    void steadyWorkingSet_staysWarm() {
        BufferPool pool(16 * 1024);
        burst(pool, 8);
        pool.trim();
        for (int period = 0; period < 3; ++period) {
            burst(pool, 2); // a steady load of two requests in flight
            pool.trim();
        }
        QCOMPARE(pool.cold(), size_t(6)); // the two at the top of the free list stay warm
    }

    void coldBlockTakenAgain_isUsable() {
        BufferPool pool(16 * 1024);
        burst(pool, 4);
        pool.trim();
        pool.trim();
        QCOMPARE(pool.cold(), size_t(4));
        Buffer b;
        pool.acquire(b);
        QCOMPARE(pool.cold(), size_t(3));
        QCOMPARE(b.capacity, uint32_t(16 * 1024));
        std::memset(b.data, 'y', b.capacity);
        QCOMPARE(b.data[b.capacity - 1], 'y');
        pool.release(b);
        QCOMPARE(pool.inUse(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(BufferPoolTest)
#include "buffer_pool_test.moc"

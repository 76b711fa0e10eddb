// The engine thread's record buffers: reused once the pages let go, bounded, and safe to release
// after the worker that filled them is gone.
#include "bridge/record_batch_pool.h"

#include <QtTest>

#include <thread>

using namespace tollgate;
using namespace tollgate::ui;

class RecordBatchPoolTest : public QObject {
    Q_OBJECT
private slots:
    void reusesABufferOnceEveryReaderLetGo() {
        auto pool = RecordBatchPool::create(2, 1000);
        auto batch = pool->take(500);
        QVERIFY(batch->empty());
        QVERIFY(batch->capacity() >= 500);
        batch->resize(300);
        const RequestRecord* memory = batch->data();
        RecordBatch reader = batch; // what a page holds
        batch.reset();
        QCOMPARE(pool->spareCount(), size_t(0));                              // still read
        std::thread([r = std::move(reader)]() mutable { r.reset(); }).join(); // released elsewhere
        QCOMPARE(pool->spareCount(), size_t(1));
        auto again = pool->take(400);
        QCOMPARE(again->data(), memory); // the same memory, emptied
        QVERIFY(again->empty());
        QCOMPARE(pool->spareCount(), size_t(0));
    }

    void keepsAtMostSoManyBuffersOfABoundedSize() {
        auto pool = RecordBatchPool::create(2, 1000);
        {
            auto a = pool->take(10);
            auto b = pool->take(10);
            auto c = pool->take(10);
            auto big = pool->take(5000); // a backlog: freed, not kept
        }
        QCOMPARE(pool->spareCount(), size_t(2));
    }

    void aBatchMayOutliveItsPool() {
        auto pool = RecordBatchPool::create();
        auto batch = pool->take(10);
        batch->resize(3);
        pool.reset();
        QCOMPARE(batch->size(), size_t(3));
        batch.reset(); // freed, not given back to a pool that is gone
    }
};

QTEST_MAIN(RecordBatchPoolTest)
#include "record_batch_pool_test.moc"

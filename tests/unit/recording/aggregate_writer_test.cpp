// AggregateWriter: deltas submitted from several threads all reach the store, stop() flushes the rest,
// a failed flush (the database locked by another connection) keeps everything for the next attempt
// without blocking submit() and without counting twice, and the thread prunes by retention at start.

#include "recording/aggregate_writer.h"
#include "store/store.h"
#include "usage_deltas.h"

#include <QtTest>

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using tollgate::Granularity;
using tollgate::RetentionConfig;
using tollgate::UsageHistory;
using tollgate::UsageQuery;
using tollgate::recording::AggregateDelta;
using tollgate::recording::AggregateWriter;
using tollgate::store::Store;
using tollgate::test::usageDelta;

namespace {

int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int64_t thisMinute() {
    return unixNow() / 60 * 60;
}

} // namespace

class AggregateWriterTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;
    std::string freshPath() { return m_dir.filePath(QString("w%1.db").arg(++m_files)).toStdString(); }

    static std::unique_ptr<Store> open(const std::string& path) {
        std::string error;
        auto store = Store::open(path, error);
        if (!store) {
            qWarning("open failed: %s", error.c_str());
        }
        return store;
    }

    // Requests of every consumer over the last day, read through a separate connection.
    static uint64_t storedRequests(const std::string& path, const std::string& consumer = "") {
        auto reader = open(path);
        UsageQuery q;
        q.consumer = consumer;
        q.fromUnix = unixNow() - 86'400;
        q.toUnix = unixNow() + 120;
        q.granularity = Granularity::Hour;
        UsageHistory h;
        std::string error;
        if (!reader || !reader->queryUsage(q, RetentionConfig{}, unixNow(), h, error)) {
            qWarning("query failed: %s", error.c_str());
        }
        return h.totals.requests;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void submitFromSeveralThreadsThenStopWritesEverything() {
        const std::string path = freshPath();
        AggregateWriter writer(open(path), RetentionConfig{});
        writer.start();
        constexpr int kThreads = 4;
        constexpr int kPerThread = 2000;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&writer, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    std::vector<AggregateDelta> batch;
                    batch.push_back(
                        usageDelta(thisMinute(), t % 2 ? "acme" : "bolt", "/r" + std::to_string(i % 3), 1));
                    writer.submit(std::move(batch));
                }
            });
        }
        for (std::thread& t : threads) {
            t.join();
        }
        writer.stop();
        QCOMPARE(storedRequests(path), uint64_t(kThreads * kPerThread));
        QCOMPARE(storedRequests(path, "acme"), uint64_t(kThreads * kPerThread / 2));
        const auto status = writer.status();
        QVERIFY(status.flushes >= 1);
        QCOMPARE(status.failures, uint64_t(0));
        QCOMPARE(status.pendingSeries, uint64_t(0));
        QVERIFY(status.lastError.empty());
    }

    void theThreadFlushesAboutEverySecond() {
        const std::string path = freshPath();
        AggregateWriter writer(open(path), RetentionConfig{});
        writer.start();
        writer.submit({usageDelta(thisMinute(), "acme", "/a", 7)});
        QTRY_COMPARE_WITH_TIMEOUT(storedRequests(path), uint64_t(7), 5000);
        writer.stop();
    }

    void failedFlushKeepsDeltasRetriesAndNeverBlocksSubmit() {
        const std::string path = freshPath();
        AggregateWriter writer(open(path), RetentionConfig{});
        const int64_t minute = thisMinute();
        writer.submit({usageDelta(minute, "acme", "/a", 5)});

        // Another connection holds the write lock: the flush waits for the busy timeout, then fails.
        sqlite3* locker = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &locker), SQLITE_OK);
        QCOMPARE(sqlite3_exec(locker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
        std::atomic<bool> flushed{false};
        bool ok = true;
        std::string error;
        std::thread flusher([&] {
            ok = writer.flushNow(error);
            flushed = true;
        });
        QTest::qWait(200);
        QVERIFY(!flushed);
        const auto before = std::chrono::steady_clock::now();
        writer.submit({usageDelta(minute, "acme", "/a", 3), usageDelta(minute, "bolt", "/b", 1)});
        const auto waited = std::chrono::steady_clock::now() - before;
        QVERIFY2(waited < std::chrono::milliseconds(100), "submit waited for the disk");
        flusher.join();
        QVERIFY(!ok);
        QVERIFY2(!error.empty(), "no error reported");
        auto status = writer.status();
        QCOMPARE(status.failures, uint64_t(1));
        QCOMPARE(status.flushes, uint64_t(0));
        QVERIFY(!status.lastError.empty());
        QVERIFY(status.lastErrorUnix > 0);
        QCOMPARE(status.pendingSeries, uint64_t(2)); // the failed batch merged with the newer deltas

        QCOMPARE(sqlite3_exec(locker, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(locker);
        QVERIFY2(writer.flushNow(error), error.c_str());
        status = writer.status();
        QCOMPARE(status.flushes, uint64_t(1));
        QVERIFY(status.lastError.empty());
        QCOMPARE(status.pendingSeries, uint64_t(0));
        QCOMPARE(storedRequests(path), uint64_t(9));
        QCOMPARE(storedRequests(path, "acme"), uint64_t(8));
        // Nothing left to write a second time.
        QVERIFY(writer.flushNow(error));
        QCOMPARE(storedRequests(path), uint64_t(9));
    }

    void startPrunesRowsPastRetention() {
        const std::string path = freshPath();
        {
            auto store = open(path);
            std::string error;
            QVERIFY(store->addUsage({usageDelta(thisMinute() - 8 * 86'400, "acme", "/a", 1)}, error));
        }
        AggregateWriter writer(open(path), RetentionConfig{});
        writer.start();
        const auto minuteRows = [&] {
            auto store = open(path);
            UsageQuery q;
            q.fromUnix = thisMinute() - 8 * 86'400 - 60;
            q.toUnix = q.fromUnix + 3600;
            q.granularity = Granularity::Minute;
            UsageHistory h;
            std::string error;
            // A `now` just after the row keeps the query on the minute table.
            store->queryUsage(q, RetentionConfig{}, q.fromUnix + 60, h, error);
            return h.totals.requests;
        };
        QTRY_COMPARE_WITH_TIMEOUT(minuteRows(), uint64_t(0), 5000);
        writer.stop();
        QCOMPARE(writer.status().failures, uint64_t(0));
    }
};

QTEST_MAIN(AggregateWriterTest)
#include "aggregate_writer_test.moc"

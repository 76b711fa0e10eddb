// The window of recent records that any number of readers follow with their own cursors: numbering,
// reading from a cursor, a slow reader skipping to the oldest record kept, the `max` limit, and
// waiting (woken by an append or by close(), false on timeout).

#include "recording/recent_window.h"

#include <QtTest>

#include <chrono>
#include <future>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using namespace tollgate::recording;

namespace {

// Appends `n` records whose bytesIn is `first`, first+1, ... (to tell them apart from their seq).
void appendBatch(RecentWindow& window, uint64_t first, size_t n) {
    std::vector<RequestRecord> batch(n);
    for (size_t i = 0; i < n; ++i) {
        batch[i].bytesIn = first + i;
    }
    window.append(batch);
}

std::vector<uint64_t> seqs(const std::vector<RequestRecord>& records) {
    std::vector<uint64_t> out;
    for (const RequestRecord& r : records) {
        out.push_back(r.seq);
    }
    return out;
}

// A bounded wait for another thread's result (a hung waiter fails the test instead of hanging it).
constexpr auto kBound = 20s;

} // namespace

class RecentWindowTest : public QObject {
    Q_OBJECT

private slots:
    void appendNumbers_sinceReadsFromTheCursor() {
        RecentWindow window(5);
        QCOMPARE(window.lastSeq(), uint64_t(0));
        std::vector<RequestRecord> out;
        uint64_t cursor = 0;
        QCOMPARE(window.since(cursor, out, 100), size_t(0));
        QCOMPARE(cursor, uint64_t(0));

        std::vector<RequestRecord> batch(3);
        window.append(batch);
        QCOMPARE(seqs(batch), (std::vector<uint64_t>{1, 2, 3})); // numbered in place
        QCOMPARE(window.lastSeq(), uint64_t(3));

        QCOMPARE(window.since(cursor, out, 100), size_t(3));
        QCOMPARE(seqs(out), (std::vector<uint64_t>{1, 2, 3}));
        QCOMPARE(cursor, uint64_t(3));
        out.clear();
        QCOMPARE(window.since(cursor, out, 100), size_t(0)); // nothing new: cursor stays
        QCOMPARE(cursor, uint64_t(3));
        QVERIFY(out.empty());

        appendBatch(window, 100, 2);
        QCOMPARE(window.since(cursor, out, 100), size_t(2));
        QCOMPARE(seqs(out), (std::vector<uint64_t>{4, 5}));
        QCOMPARE(out[0].bytesIn, uint64_t(100));
        QCOMPARE(out[1].bytesIn, uint64_t(101));
        QCOMPARE(cursor, uint64_t(5));

        // Another reader has its own cursor: reading did not take anything away.
        uint64_t other = 2;
        out.clear();
        QCOMPARE(window.since(other, out, 100), size_t(3));
        QCOMPARE(seqs(out), (std::vector<uint64_t>{3, 4, 5}));
    }

    void overflow_slowReaderSkipsToTheOldestKept() {
        RecentWindow window(5);
        appendBatch(window, 1, 3);
        uint64_t cursor = 0;
        std::vector<RequestRecord> out;
        QCOMPARE(window.since(cursor, out, 100), size_t(3));
        appendBatch(window, 4, 9); // seq 4..12; only 8..12 are kept
        out.clear();
        QCOMPARE(window.since(cursor, out, 100), size_t(5));
        QCOMPARE(seqs(out), (std::vector<uint64_t>{8, 9, 10, 11, 12}));
        for (const RequestRecord& r : out) {
            QCOMPARE(r.bytesIn, r.seq); // the record stored under that seq, not an older one
        }
        QCOMPARE(cursor, uint64_t(12));

        uint64_t fresh = 0; // 0 starts at the oldest kept
        out.clear();
        QCOMPARE(window.since(fresh, out, 100), size_t(5));
        QCOMPARE(out.front().seq, uint64_t(8));

        // `lastSeq() - N` reads the last N.
        uint64_t lastTwo = window.lastSeq() - 2;
        out.clear();
        QCOMPARE(window.since(lastTwo, out, 100), size_t(2));
        QCOMPARE(seqs(out), (std::vector<uint64_t>{11, 12}));
    }

    void maxLimitsOneRead_nextReadContinues() {
        RecentWindow window(100);
        appendBatch(window, 1, 10);
        uint64_t cursor = 0;
        std::vector<RequestRecord> out;
        QCOMPARE(window.since(cursor, out, 4), size_t(4));
        QCOMPARE(cursor, uint64_t(4));
        QCOMPARE(window.since(cursor, out, 4), size_t(4));
        QCOMPARE(window.since(cursor, out, 4), size_t(2));
        QCOMPARE(window.since(cursor, out, 4), size_t(0));
        QCOMPARE(seqs(out), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})); // appended, not replaced
        QCOMPARE(cursor, uint64_t(10));
        uint64_t none = 0;
        QCOMPARE(window.since(none, out, 0), size_t(0));
        QCOMPARE(none, uint64_t(0));
    }

    void wait_trueAtOnceWhenNewerExists_falseOnTimeout() {
        RecentWindow window(10);
        QVERIFY(!window.wait(0, 10ms)); // nothing yet
        appendBatch(window, 1, 2);
        QVERIFY(window.wait(0, 0ms));
        QVERIFY(window.wait(1, 0ms));
        QVERIFY(!window.wait(2, 10ms));
    }

    void wait_wokenByAppend() {
        RecentWindow window(10);
        appendBatch(window, 1, 1);
        // The waiter's own timeout is far beyond kBound: only the append's notify can end it in time.
        auto waiter = std::async(std::launch::async, [&] { return window.wait(1, 10min); });
        QVERIFY(waiter.wait_for(50ms) == std::future_status::timeout); // it really waits
        appendBatch(window, 2, 1);
        QVERIFY2(waiter.wait_for(kBound) == std::future_status::ready, "append did not wake the waiter");
        QVERIFY(waiter.get());
    }

    void close_wakesEveryWaiter_andLaterWaitsReturnAtOnce() {
        RecentWindow window(10);
        appendBatch(window, 1, 3);
        std::vector<std::future<bool>> waiters;
        for (int i = 0; i < 3; ++i) {
            waiters.push_back(std::async(std::launch::async, [&] { return window.wait(3, 10min); }));
        }
        window.close();
        for (auto& w : waiters) {
            QVERIFY2(w.wait_for(kBound) == std::future_status::ready, "close did not wake a waiter");
            QVERIFY(!w.get()); // woken, but nothing new
        }
        auto late = std::async(std::launch::async, [&] { return window.wait(3, 10min); });
        QVERIFY2(late.wait_for(kBound) == std::future_status::ready, "a wait after close blocked");
        QVERIFY(!late.get());
        QVERIFY(window.wait(2, 10min)); // a record newer than the cursor still counts after close
        // Records stay readable after close.
        uint64_t cursor = 0;
        std::vector<RequestRecord> out;
        QCOMPARE(window.since(cursor, out, 100), size_t(3));
    }
};

QTEST_GUILESS_MAIN(RecentWindowTest)
#include "recent_window_test.moc"

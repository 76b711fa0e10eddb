// The worker's record ring: an overwriting single-producer queue. When the reader falls behind it
// keeps the newest records and counts exactly what it overwrote; with a producer writing while the
// reader drains, every record delivered is intact (the seqlock rejects torn copies), in order, and
// delivered + dropped accounts for every record pushed.

#include "server/telemetry.h"

#include <QtTest>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace tollgate;
using tollgate::server::RecordRing;

namespace {

// A record whose every field is derived from `i`, so a copy mixing two records is detectable. Cheap
// to make (memset), so the producer laps a slow reader often.
RequestRecord makeRecord(uint64_t i) {
    RequestRecord r;
    r.unixMicros = static_cast<int64_t>(i);
    r.bytesIn = i * 7;
    r.bytesOut = ~i;
    r.totalMicros = static_cast<uint32_t>(i * 13);
    r.status = static_cast<uint16_t>(i % 600);
    std::memset(r.path, 'a' + static_cast<int>(i % 26), sizeof r.path - 1);
    std::memset(r.target, 'A' + static_cast<int>((i * 3) % 26), sizeof r.target - 1);
    return r;
}

// Empty when `r` is exactly makeRecord(i) for i = r.unixMicros, else what differs.
std::string checkRecord(const RequestRecord& r) {
    const uint64_t i = static_cast<uint64_t>(r.unixMicros);
    const RequestRecord expected = makeRecord(i);
    if (r.bytesIn != expected.bytesIn || r.bytesOut != expected.bytesOut ||
        r.totalMicros != expected.totalMicros || r.status != expected.status) {
        return "numbers of record " + std::to_string(i) + " are torn";
    }
    if (std::memcmp(r.path, expected.path, sizeof r.path) != 0) {
        return "path of record " + std::to_string(i) + " is torn";
    }
    if (std::memcmp(r.target, expected.target, sizeof r.target) != 0) {
        return "target of record " + std::to_string(i) + " is torn";
    }
    return {};
}

} // namespace

class RecordRingTest : public QObject {
    Q_OBJECT

private slots:
    void drainDeliversInOrder_thenNothingMore() {
        RecordRing ring(8);
        QCOMPARE(ring.capacity(), size_t(8));
        std::vector<uint64_t> seen;
        QCOMPARE(ring.drain([&](const RequestRecord& r) { seen.push_back(r.unixMicros); }), size_t(0));
        for (uint64_t i = 1; i <= 5; ++i) {
            ring.push(makeRecord(i));
        }
        QCOMPARE(ring.drain([&](const RequestRecord& r) {
            QCOMPARE(checkRecord(r), std::string());
            seen.push_back(r.unixMicros);
        }),
                 size_t(5));
        QCOMPARE(seen, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
        QCOMPARE(ring.drain([&](const RequestRecord&) { QFAIL("drained twice"); }), size_t(0));
        QCOMPARE(ring.dropped(), uint64_t(0));
    }

    void overwriteKeepsTheNewest_countsDropsExactly() {
        RecordRing ring(8);
        for (uint64_t i = 1; i <= 20; ++i) {
            ring.push(makeRecord(i));
        }
        std::vector<uint64_t> seen;
        QCOMPARE(ring.drain([&](const RequestRecord& r) { seen.push_back(r.unixMicros); }), size_t(8));
        QCOMPARE(seen, (std::vector<uint64_t>{13, 14, 15, 16, 17, 18, 19, 20}));
        QCOMPARE(ring.dropped(), uint64_t(12));

        // After a loss the ring goes on normally, and the count does not grow without new losses.
        seen.clear();
        for (uint64_t i = 21; i <= 23; ++i) {
            ring.push(makeRecord(i));
        }
        QCOMPARE(ring.drain([&](const RequestRecord& r) { seen.push_back(r.unixMicros); }), size_t(3));
        QCOMPARE(seen, (std::vector<uint64_t>{21, 22, 23}));
        QCOMPARE(ring.dropped(), uint64_t(12));

        // Exactly one lap more than the capacity: one lost.
        seen.clear();
        for (uint64_t i = 24; i <= 32; ++i) {
            ring.push(makeRecord(i));
        }
        QCOMPARE(ring.drain([&](const RequestRecord& r) { seen.push_back(r.unixMicros); }), size_t(8));
        QCOMPARE(seen.front(), uint64_t(25));
        QCOMPARE(seen.back(), uint64_t(32));
        QCOMPARE(ring.dropped(), uint64_t(13));
    }

    void exactlyFull_losesNothing() {
        RecordRing ring(16);
        for (uint64_t i = 1; i <= 16; ++i) {
            ring.push(makeRecord(i));
        }
        size_t n = ring.drain([](const RequestRecord&) {});
        QCOMPARE(n, size_t(16));
        QCOMPARE(ring.dropped(), uint64_t(0));
    }

    void concurrentProducer_everyDeliveredRecordIntactAndOrdered_noneUnaccounted_data() {
        // Small rings make the producer lap the reader and overwrite slots while they are copied;
        // larger ones deliver most records.
        QTest::addColumn<int>("capacity");
        QTest::newRow("16") << 16;
        QTest::newRow("64") << 64;
        QTest::newRow("1024") << 1024;
    }

    void concurrentProducer_everyDeliveredRecordIntactAndOrdered_noneUnaccounted() {
        QFETCH(int, capacity);
        constexpr uint64_t kPushed = 2'000'000;
        RecordRing ring(static_cast<size_t>(capacity));
        std::atomic<bool> done{false};
        std::thread producer([&] {
            for (uint64_t i = 1; i <= kPushed; ++i) {
                ring.push(makeRecord(i));
            }
            done.store(true, std::memory_order_release);
        });

        uint64_t delivered = 0;
        uint64_t last = 0;
        std::string firstError;
        const auto check = [&](const RequestRecord& r) {
            const uint64_t i = static_cast<uint64_t>(r.unixMicros);
            if (firstError.empty()) {
                firstError = checkRecord(r);
                if (firstError.empty() && i <= last) {
                    firstError = "record " + std::to_string(i) + " after " + std::to_string(last);
                }
            }
            last = i;
            ++delivered;
        };
        uint64_t drains = 0;
        while (!done.load(std::memory_order_acquire)) {
            ring.drain(check);
            ++drains;
        }
        producer.join();
        ring.drain(check); // what was pushed after the last drain

        QVERIFY2(firstError.empty(), firstError.c_str());
        QCOMPARE(delivered + ring.dropped(), kPushed);
        QVERIFY(delivered > 0);
        QCOMPARE(last, kPushed); // the newest is never lost once the producer stopped
        qInfo("delivered %llu, dropped %llu in %llu drains", static_cast<unsigned long long>(delivered),
              static_cast<unsigned long long>(ring.dropped()), static_cast<unsigned long long>(drains));
    }
};

QTEST_GUILESS_MAIN(RecordRingTest)
#include "record_ring_test.moc"

// GCRA buckets (limits/gcra.h): a burst of exactly N, refill one every T, the numbers behind the
// RateLimit-* headers, giveBack exactness, retune across a limit change, and exactness under threads.

#include "fake_clock.h"
#include "limits/gcra.h"
#include "rate_rule.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using namespace tollgate::limits;
using tollgate::test::FakeClock;
using tollgate::test::rateRule;

namespace {

// Admits as many requests as the bucket takes at `now` (bounded), returns how many passed.
int drain(std::atomic<int64_t>& tat, int64_t now, const RateRule& r, int attempts = 1000) {
    int passed = 0;
    for (int i = 0; i < attempts; ++i) {
        int64_t after = 0;
        passed += tryAdmit(tat, now, r, after) ? 1 : 0;
    }
    return passed;
}

} // namespace

class GcraTest : public QObject {
    Q_OBJECT

private slots:
    void makeComputesIntervalAndTolerance() {
        const RateRule r = rateRule(10, RateLimitConfig::Per::Second);
        QCOMPARE(r.limit, uint64_t(10));
        QCOMPARE(r.interval, int64_t(100'000'000));
        QCOMPARE(r.tolerance, int64_t(900'000'000));
        QCOMPARE(int(r.unit), int(RateLimitConfig::Per::Second));
        const RateRule m = rateRule(100, RateLimitConfig::Per::Minute);
        QCOMPARE(m.interval, int64_t(600'000'000)); // 0.6 s
        const RateRule d = rateRule(3, RateLimitConfig::Per::Day);
        QCOMPARE(d.interval, int64_t(28'800) * kNanosPerSecond);
        QCOMPARE(int(d.unit), int(RateLimitConfig::Per::Day));
        const RateRule fine = rateRule(1'000'000'000, RateLimitConfig::Per::Second);
        QCOMPARE(fine.interval, int64_t(1));
        QCOMPARE(fine.tolerance, int64_t(999'999'999));
    }

    void burstOfExactlyN_thenRefused() {
        FakeClock clock;
        const RateRule r = rateRule(5, RateLimitConfig::Per::Second);
        std::atomic<int64_t> tat{0};
        for (int i = 0; i < 5; ++i) {
            int64_t after = 0;
            QVERIFY2(tryAdmit(tat, clock.nowNs, r, after), qPrintable(QString::number(i)));
            QCOMPARE(after, clock.nowNs + (i + 1) * r.interval);
        }
        const int64_t before = tat.load();
        int64_t after = 0;
        QVERIFY(!tryAdmit(tat, clock.nowNs, r, after));
        QCOMPARE(after, before);      // reported TAT is the current one
        QCOMPARE(tat.load(), before); // a refusal changes nothing
    }

    void refillsOneRequestEveryInterval() {
        FakeClock clock;
        const RateRule r = rateRule(10, RateLimitConfig::Per::Minute); // T = 6 s
        std::atomic<int64_t> tat{0};
        QCOMPARE(drain(tat, clock.nowNs, r), 10);
        for (int step = 0; step < 5; ++step) {
            clock.advance(6s - 1ns);
            QCOMPARE(drain(tat, clock.nowNs, r), 0);
            clock.advance(1ns);
            QCOMPARE(drain(tat, clock.nowNs, r), 1);
        }
        // A whole minute of silence fills the bucket again, and not beyond N.
        clock.advance(10min);
        QCOMPARE(drain(tat, clock.nowNs, r), 10);
    }

    void staleTatMeansFullBucket() {
        FakeClock clock;
        const RateRule r = rateRule(3, RateLimitConfig::Per::Second);
        std::atomic<int64_t> tat{clock.nowNs - 3600 * kNanosPerSecond};
        QCOMPARE(drain(tat, clock.nowNs, r), 3);
        QCOMPARE(tat.load(), clock.nowNs + 3 * r.interval);
    }

    void remainingResetAndRetryAfter() {
        FakeClock clock;
        const RateRule r = rateRule(10, RateLimitConfig::Per::Minute); // T = 6 s, tolerance 54 s
        std::atomic<int64_t> tat{0};
        QCOMPARE(remaining(tat.load(), clock.nowNs, r), uint64_t(10));
        QCOMPARE(secondsToFull(tat.load(), clock.nowNs), int64_t(0));
        QCOMPARE(drain(tat, clock.nowNs, r, 3), 3);
        QCOMPARE(remaining(tat.load(), clock.nowNs, r), uint64_t(7));
        QCOMPARE(secondsToFull(tat.load(), clock.nowNs), int64_t(18));
        QCOMPARE(drain(tat, clock.nowNs, r), 7);
        QCOMPARE(remaining(tat.load(), clock.nowNs, r), uint64_t(0));
        QCOMPARE(secondsToFull(tat.load(), clock.nowNs), int64_t(60));
        QCOMPARE(secondsToRetry(tat.load(), clock.nowNs, r), int64_t(6));

        clock.advance(2500ms); // 3.5 s to wait, rounded up
        QCOMPARE(remaining(tat.load(), clock.nowNs, r), uint64_t(0));
        QCOMPARE(secondsToFull(tat.load(), clock.nowNs), int64_t(58)); // 57.5 rounded up
        QCOMPARE(secondsToRetry(tat.load(), clock.nowNs, r), int64_t(4));

        clock.advance(3500ms); // exactly one interval later: one request fits
        QCOMPARE(remaining(tat.load(), clock.nowNs, r), uint64_t(1));
        QCOMPARE(secondsToFull(tat.load(), clock.nowNs), int64_t(54));

        clock.advance(54s);
        QCOMPARE(remaining(tat.load(), clock.nowNs, r), uint64_t(10));
        QCOMPARE(secondsToFull(tat.load(), clock.nowNs), int64_t(0));
    }

    void retryAfterIsAtLeastOneSecond() {
        FakeClock clock;
        const RateRule r = rateRule(1000, RateLimitConfig::Per::Second); // T = 1 ms
        std::atomic<int64_t> tat{0};
        QCOMPARE(drain(tat, clock.nowNs, r, 2000), 1000);
        QCOMPARE(secondsToRetry(tat.load(), clock.nowNs, r), int64_t(1)); // 1 ms, rounded up
        clock.advance(1ms);
        int64_t after = 0;
        QVERIFY(tryAdmit(tat, clock.nowNs, r, after));
    }

    void giveBackRestoresExactly() {
        FakeClock clock;
        const RateRule r = rateRule(10, RateLimitConfig::Per::Second);
        std::atomic<int64_t> tat{0};
        // From a full bucket: back to "full at now".
        int64_t after = 0;
        QVERIFY(tryAdmit(tat, clock.nowNs, r, after));
        giveBack(tat, r);
        QCOMPARE(tat.load(), clock.nowNs);
        QCOMPARE(remaining(tat.load(), clock.nowNs, r), uint64_t(10));
        // From a partly used bucket: the TAT it had.
        QCOMPARE(drain(tat, clock.nowNs, r, 4), 4);
        const int64_t before = tat.load();
        QVERIFY(tryAdmit(tat, clock.nowNs, r, after));
        giveBack(tat, r);
        QCOMPARE(tat.load(), before);
        QCOMPARE(drain(tat, clock.nowNs, r), 6); // nothing was lost
    }

    void retuneKeepsTheRequestsInTheBucket() {
        FakeClock clock;
        // `used` requests in a `from` bucket, retuned to `to`: exactly `left` more pass.
        const auto usedThenRetuned = [&](const RateRule& from, const RateRule& to, int used, int left) {
            std::atomic<int64_t> tat{0};
            QCOMPARE(drain(tat, clock.nowNs, from, used), used);
            tat = retune(tat.load(), clock.nowNs, from, to);
            QCOMPARE(remaining(tat.load(), clock.nowNs, to), uint64_t(left));
            QCOMPARE(drain(tat, clock.nowNs, to), left);
        };
        // 3 requests in a "5 per minute" bucket are still 3 in a "4 per minute" one: 1 more passes.
        usedThenRetuned(rateRule(5, RateLimitConfig::Per::Minute), rateRule(4, RateLimitConfig::Per::Minute),
                        3, 1);
        // Raising the limit: 4 used of 10 per second are 4 used of 20 per second.
        const RateRule ten = rateRule(10, RateLimitConfig::Per::Second);
        const RateRule twenty = rateRule(20, RateLimitConfig::Per::Second);
        usedThenRetuned(ten, twenty, 4, 16);

        // A full bucket stays full; the same interval changes nothing.
        QCOMPARE(retune(clock.nowNs - 5, clock.nowNs, ten, twenty), clock.nowNs - 5);
        const RateRule sixtyPerMinute = rateRule(60, RateLimitConfig::Per::Minute);
        const RateRule onePerSecond = rateRule(1, RateLimitConfig::Per::Second);
        QCOMPARE(retune(clock.nowNs + 7, clock.nowNs, sixtyPerMinute, onePerSecond), clock.nowNs + 7);
    }

    void threadsAdmitExactlyN() {
        FakeClock clock;
        const RateRule r = rateRule(5000, RateLimitConfig::Per::Second);
        std::atomic<int64_t> tat{0};
        std::atomic<int> passed{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                while (!go.load()) {
                    std::this_thread::yield();
                }
                int mine = 0;
                for (int i = 0; i < 5000; ++i) {
                    int64_t after = 0;
                    mine += tryAdmit(tat, clock.nowNs, r, after) ? 1 : 0;
                }
                passed += mine;
            });
        }
        go = true;
        for (std::thread& t : threads) {
            t.join();
        }
        QCOMPARE(passed.load(), 5000);
        QCOMPARE(tat.load(), clock.nowNs + 5000 * r.interval);
    }
};

QTEST_APPLESS_MAIN(GcraTest)
#include "gcra_test.moc"

// Per-address limits (limits/ip_limiter.h): admitAll over several rules (tightest, give back on refusal),
// separate buckets per API and per address, IPv4 apart from IPv6, and a bounded table that drops full
// buckets before evicting (and counts evictions).

#include "fake_clock.h"
#include "limits/ip_limiter.h"
#include "rate_rule.h"

#include <QtTest>

#include <arpa/inet.h>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using namespace tollgate::limits;
using tollgate::test::FakeClock;
using tollgate::test::rateRule;

namespace {

IpKey key(uint64_t api, const std::string& ip) {
    IpKey k;
    k.api = api;
    k.v6 = ip.find(':') != std::string::npos;
    if (inet_pton(k.v6 ? AF_INET6 : AF_INET, ip.c_str(), k.addr) != 1) {
        qFatal("bad address %s", ip.c_str());
    }
    return k;
}

// 10.x.y.z for the n-th address.
IpKey nth(uint64_t api, int n) {
    return key(api, "10." + std::to_string((n >> 16) & 255) + "." + std::to_string((n >> 8) & 255) + "." +
                        std::to_string(n & 255));
}

} // namespace

class IpLimiterTest : public QObject {
    Q_OBJECT

private slots:
    void admitAllPassesOnlyWhenEveryRulePasses() {
        FakeClock clock;
        // 10 per second (T = 100 ms) and 15 per minute (T = 4 s).
        const RateRule rules[] = {rateRule(10, RateLimitConfig::Per::Second),
                                  rateRule(15, RateLimitConfig::Per::Minute)};
        std::atomic<int64_t> tats[kRateUnits] = {};
        const int second = int(RateLimitConfig::Per::Second);
        const int minute = int(RateLimitConfig::Per::Minute);
        LimitState s = admitAll(tats, rules, 2, clock.nowNs);
        QVERIFY(s.allowed);
        QCOMPARE(s.tightest, &rules[0]); // 9 left against 14
        QCOMPARE(s.remaining, uint64_t(9));
        QCOMPARE(s.resetSeconds, int64_t(1));
        for (int i = 0; i < 9; ++i) {
            s = admitAll(tats, rules, 2, clock.nowNs);
            QVERIFY(s.allowed);
        }
        QCOMPARE(s.tightest, &rules[0]);
        QCOMPARE(s.remaining, uint64_t(0));
        const int64_t minuteTat = tats[minute].load();
        QCOMPARE(minuteTat, clock.nowNs + 40 * kNanosPerSecond);
        s = admitAll(tats, rules, 2, clock.nowNs);
        QVERIFY(!s.allowed);
        QCOMPARE(s.tightest, &rules[0]);
        QCOMPARE(s.retryAfter, int64_t(1));
        QCOMPARE(tats[minute].load(), minuteTat); // the minute rule was not even asked

        // A second later the second rule is full again and the minute rule has 5 left: it becomes the
        // tightest, then refuses, and the second rule gives back what it took for the refused request.
        clock.advance(1s);
        for (int i = 0; i < 5; ++i) {
            s = admitAll(tats, rules, 2, clock.nowNs);
            QVERIFY(s.allowed);
        }
        QCOMPARE(s.tightest, &rules[1]);
        QCOMPARE(s.remaining, uint64_t(0));
        QCOMPARE(s.resetSeconds, int64_t(59));
        const int64_t secondTat = tats[second].load();
        s = admitAll(tats, rules, 2, clock.nowNs);
        QVERIFY(!s.allowed);
        QCOMPARE(s.tightest, &rules[1]);
        QCOMPARE(s.remaining, uint64_t(0));
        QCOMPARE(s.resetSeconds, int64_t(59));
        QCOMPARE(s.retryAfter, int64_t(3)); // TAT 59 s ahead, 56 s allowed
        QCOMPARE(tats[second].load(), secondTat);
    }

    void separateBucketsPerApiAndAddress() {
        FakeClock clock;
        IpLimiter limiter(1024);
        const RateRule rules[] = {rateRule(2, RateLimitConfig::Per::Minute)};
        const uint64_t orders = IpLimiter::apiId("orders", "v1");
        const uint64_t ordersV2 = IpLimiter::apiId("orders", "v2");
        QVERIFY(orders != ordersV2);
        QVERIFY(IpLimiter::apiId("orders", "v1") == orders); // stable
        QVERIFY(IpLimiter::apiId("ordersv", "1") != orders); // name and version are kept apart

        const auto passes = [&](const IpKey& k) { return limiter.admit(k, rules, 1, clock.nowNs).allowed; };
        QVERIFY(passes(key(orders, "192.0.2.1")));
        QVERIFY(passes(key(orders, "192.0.2.1")));
        QVERIFY(!passes(key(orders, "192.0.2.1")));
        QVERIFY(passes(key(ordersV2, "192.0.2.1")));
        QVERIFY(passes(key(orders, "192.0.2.2")));
        QCOMPARE(limiter.size(), size_t(3));

        // IPv4 and IPv6 are different keys, even with the same leading bytes; every IPv6 byte counts.
        QVERIFY(passes(key(orders, "c000:0201::")));
        QVERIFY(passes(key(orders, "c000:0201::")));
        QVERIFY(!passes(key(orders, "c000:0201::")));
        QVERIFY(passes(key(orders, "2001:db8::1")));
        QVERIFY(passes(key(orders, "2001:db8::1")));
        QVERIFY(!passes(key(orders, "2001:db8::1")));
        QVERIFY(passes(key(orders, "2001:db8::2")));
        QCOMPARE(limiter.size(), size_t(6));
        QVERIFY(!passes(key(orders, "192.0.2.1"))); // still refused
        QCOMPARE(limiter.evictions(), uint64_t(0));
    }

    void refusalReportsRetryAfterAndReset() {
        FakeClock clock;
        IpLimiter limiter;
        const RateRule rules[] = {rateRule(3, RateLimitConfig::Per::Minute)}; // one every 20 s
        const IpKey k = key(1, "198.51.100.7");
        for (int i = 0; i < 3; ++i) {
            const LimitState s = limiter.admit(k, rules, 1, clock.nowNs);
            QVERIFY(s.allowed);
            QCOMPARE(s.remaining, uint64_t(2 - i));
            QCOMPARE(s.resetSeconds, int64_t(20 * (i + 1)));
        }
        clock.advance(5s);
        const LimitState s = limiter.admit(k, rules, 1, clock.nowNs);
        QVERIFY(!s.allowed);
        QCOMPARE(s.retryAfter, int64_t(15));
        QCOMPARE(s.resetSeconds, int64_t(55));
        clock.advance(15s);
        QVERIFY(limiter.admit(k, rules, 1, clock.nowNs).allowed);
    }

    void boundedTable_dropsFullBucketsFirstThenEvictsNearestToFull() {
        FakeClock clock;
        IpLimiter limiter(1024); // 64 shards of 16
        const RateRule hourly[] = {rateRule(1, RateLimitConfig::Per::Hour)};
        const RateRule secondly[] = {rateRule(1, RateLimitConfig::Per::Second)};
        const uint64_t slow = IpLimiter::apiId("slow", "v1");
        const uint64_t fast = IpLimiter::apiId("fast", "v1");

        // A few addresses whose buckets drain for an hour, then many that drain in a second.
        const int kSlow = 256, kFast = 3000;
        for (int i = 0; i < kSlow; ++i) {
            QVERIFY(limiter.admit(nth(slow, i), hourly, 1, clock.nowNs).allowed);
        }
        for (int i = 0; i < kFast; ++i) {
            QVERIFY(limiter.admit(nth(fast, i), secondly, 1, clock.nowNs).allowed);
        }
        QCOMPARE(limiter.size(), size_t(1024));
        QCOMPARE(limiter.evictions(), uint64_t(kSlow + kFast - 1024));
        // The victims were the buckets nearest to full (the one-second ones): every hourly bucket is
        // still there, still empty.
        for (int i = 0; i < kSlow; ++i) {
            QVERIFY2(!limiter.admit(nth(slow, i), hourly, 1, clock.nowNs).allowed,
                     qPrintable(QString::number(i)));
        }
        QCOMPARE(limiter.size(), size_t(1024));

        // Two seconds later the one-second buckets are full again: new addresses take their place
        // without evicting anything.
        clock.advance(2s);
        const uint64_t evicted = limiter.evictions();
        const int kNew = 128;
        for (int i = 0; i < kNew; ++i) {
            QVERIFY(limiter.admit(nth(slow, 100'000 + i), hourly, 1, clock.nowNs).allowed);
        }
        QCOMPARE(limiter.evictions(), evicted);
        QVERIFY(limiter.size() <= 1024);
        for (int i = 0; i < kSlow; ++i) {
            QVERIFY(!limiter.admit(nth(slow, i), hourly, 1, clock.nowNs).allowed);
        }
        for (int i = 0; i < kNew; ++i) {
            QVERIFY(!limiter.admit(nth(slow, 100'000 + i), hourly, 1, clock.nowNs).allowed);
        }

        // Addresses never add up beyond the bound.
        for (int i = 0; i < 20'000; ++i) {
            limiter.admit(nth(fast, 200'000 + i), secondly, 1, clock.nowNs);
        }
        QCOMPARE(limiter.size(), size_t(1024));
    }
};

QTEST_APPLESS_MAIN(IpLimiterTest)
#include "ip_limiter_test.moc"

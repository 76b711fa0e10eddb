// RateLimitStage on compiled snapshots with a fake clock: several limits (the tighter refuses, a refusal
// gives back what the others took), the RateLimit-* and Retry-After lines, a reload that keeps usage
// and applies the new limit, per-address limits for anonymous callers of public APIs, explain mode.

#include "fake_clock.h"
#include "limits/counter_table.h"
#include "limits/ip_limiter.h"
#include "server/snapshot.h"
#include "stage_harness.h"
#include "stages/rate_limit/rate_limit_stage.h"

#include <QtTest>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using tollgate::http::Method;
using tollgate::pipeline::RequestContext;
using tollgate::stages::RateLimitStage;
using tollgate::test::FakeClock;
using namespace tollgate::test;

namespace {

const std::string kKey = "\"sha256:1111111111111111111111111111111111111111111111111111111111111111\"";

// `slowLimit`: the requests per minute of plan "slow" (changed by the reload test).
std::string config(int slowLimit) {
    return "version: 1\n"
           "services:\n"
           "  - name: echo\n"
           "    targets: [ { url: \"builtin:echo\" } ]\n"
           "apis:\n"
           "  - { name: orders, version: v1, base_path: /orders, service: echo, auth: [key],\n"
           "      routes: [ { name: all, path: \"/*\" } ] }\n"
           "  - { name: open, version: v1, base_path: /open, service: echo, public: true,\n"
           "      limits_per_ip: [ { requests: 2, per: minute } ],\n"
           "      routes: [ { name: all, path: \"/*\" } ] }\n"
           "  - { name: open, version: v2, base_path: /open2, service: echo, public: true,\n"
           "      limits_per_ip: [ { requests: 2, per: minute } ],\n"
           "      routes: [ { name: all, path: \"/*\" } ] }\n"
           "  - { name: free, version: v1, base_path: /free, service: echo, public: true,\n"
           "      routes: [ { name: all, path: \"/*\" } ] }\n"
           "plans:\n"
           "  - name: two\n"
           "    rate_limits: [ { requests: 20, per: minute }, { requests: 10, per: second } ]\n"
           "    grants: [ { api: orders } ]\n"
           "  - name: slow\n"
           "    rate_limits: [ { requests: " +
           std::to_string(slowLimit) +
           ", per: minute } ]\n"
           "    grants: [ { api: orders } ]\n"
           "  - { name: unlimited, grants: [ { api: orders } ] }\n"
           "consumers:\n"
           "  - { name: acme, plan: two, credentials: [ { type: key, id: a, hash: " +
           kKey +
           " } ] }\n"
           "  - { name: bob, plan: slow, credentials: [ { type: key, id: b, hash: " +
           kKey.substr(0, 10) + "2" + kKey.substr(11) +
           " } ] }\n"
           "  - { name: carol, plan: unlimited, credentials: [ { type: key, id: c, hash: " +
           kKey.substr(0, 10) + "3" + kKey.substr(11) + " } ] }\n";
}

struct Fixture {
    FakeClock clock;
    limits::CounterTable counters;
    limits::IpLimiter ipLimiter{1024};
    std::shared_ptr<const server::Snapshot> snap;
    std::unique_ptr<RateLimitStage> stage;
    std::string headers; // response header lines of the last run

    explicit Fixture(int slowLimit = 5) { compile(slowLimit); }

    // A (re)load: a new snapshot and stage on the same counters, as the engine does.
    void compile(int slowLimit) {
        server::CompileContext context;
        context.resolveTargets = false;
        context.counters = &counters;
        context.ipLimiter = &ipLimiter;
        context.unixMicros = clock.unixMicros();
        snap = compileSnapshot(config(slowLimit), snap ? snap->generation + 1 : 1, context);
        std::string err;
        stage =
            requireStage(RateLimitStage::create(*snap, &counters, &ipLimiter, clock.unixMicros(), err), err);
    }

    // "pass" or "429 limit.rate"; `consumer` "" = anonymous.
    std::string run(const std::string& consumer, const std::string& path = "/orders/x",
                    const std::string& ip = "192.0.2.1", std::vector<std::string>* chain = nullptr) {
        RequestContext ctx;
        prepareRequest(ctx, *snap, Method::Get, path, consumer, chain);
        setClientIp(ctx, ip);
        ctx.unixMicros = clock.unixMicros();
        ctx.route = findRoute(*snap, Method::Get, path);
        if (ctx.route == nullptr) {
            return "no route";
        }
        return runStage(*stage, ctx, headers);
    }

    int64_t tat(const std::string& consumer, RateLimitConfig::Per per) const {
        return counters.find(consumer)->tat[int(per)].load();
    }
};

std::string lines(uint64_t limit, uint64_t remaining, int64_t reset, int64_t retryAfter = 0) {
    return limitHeaderLines(limit, remaining, reset, retryAfter);
}

const std::string kPass = "pass";
const std::string kRefused = "429 limit.rate";

} // namespace

class RateLimitStageTest : public QObject {
    Q_OBJECT

private slots:
    void burstPassesThenTheTighterLimitRefuses() {
        Fixture f;
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(10, 9, 1)); // the per-second limit has fewer left (9 of 10, 19 of 20)
        for (int i = 0; i < 9; ++i) {
            QCOMPARE(f.run("acme"), kPass);
        }
        QCOMPARE(f.headers, lines(10, 0, 1));
        QCOMPARE(f.run("acme"), kRefused);
        QCOMPARE(f.headers, lines(10, 0, 1, 1));
        const int64_t minuteTat = f.tat("acme", RateLimitConfig::Per::Minute);
        QCOMPARE(f.run("acme"), kRefused);
        QCOMPARE(f.tat("acme", RateLimitConfig::Per::Minute), minuteTat); // refused requests use nothing
    }

    void refusalByOneLimitGivesBackTheOther() {
        Fixture f;
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(f.run("acme"), kPass);
        }
        f.clock.advance(1s);
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(f.run("acme"), kPass); // 20 in all: the minute limit is used up
        }
        QCOMPARE(f.headers, lines(10, 0, 1)); // a tie at 0 left: the first limit reports
        f.clock.advance(1s);
        // The second limit is full again, the minute limit refuses; the second gives its request back.
        QCOMPARE(f.run("acme"), kRefused);
        QCOMPARE(f.headers, lines(20, 0, 58, 1)); // one every 3 s; 57 s of tolerance
        QCOMPARE(f.tat("acme", RateLimitConfig::Per::Second), f.clock.nowNs);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(f.run("acme"), kRefused);
        }
        QCOMPARE(f.tat("acme", RateLimitConfig::Per::Second), f.clock.nowNs);
        f.clock.advance(1s);
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(20, 0, 60));
        QCOMPARE(f.tat("acme", RateLimitConfig::Per::Second), f.clock.nowNs + 100'000'000);
    }

    void consumersHaveTheirOwnBuckets_andNoLimitsMeansNoHeaders() {
        Fixture f;
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(f.run("bob"), kPass);
        }
        QCOMPARE(f.run("bob"), kRefused);
        QCOMPARE(f.headers, lines(5, 0, 60, 12));
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(10, 9, 1));
        for (int i = 0; i < 100; ++i) {
            QCOMPARE(f.run("carol"), kPass);
        }
        QCOMPARE(f.headers, std::string());
        f.clock.advance(12s);
        QCOMPARE(f.run("bob"), kPass);
        QCOMPARE(f.run("bob"), kRefused);
    }

    void reload_keepsUsageAndAppliesTheNewLimit() {
        Fixture f(5); // slow: 5 per minute
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(f.run("bob"), kPass);
        }
        QCOMPARE(f.headers, lines(5, 2, 36));
        // The same plan again: nothing changes.
        f.compile(5);
        QCOMPARE(f.run("bob"), kPass);
        QCOMPARE(f.headers, lines(5, 1, 48));
        // 4 in the bucket of 5 per minute are 4 in a bucket of 6 per minute: 2 more pass.
        f.compile(6);
        QCOMPARE(f.run("bob"), kPass);
        QCOMPARE(f.headers, lines(6, 1, 50));
        QCOMPARE(f.run("bob"), kPass);
        QCOMPARE(f.headers, lines(6, 0, 60));
        QCOMPARE(f.run("bob"), kRefused);
        QCOMPARE(f.headers, lines(6, 0, 60, 10));
        // Down to 4 per minute: the 6 already counted fill it and more (TAT 90 s ahead).
        f.compile(4);
        QCOMPARE(f.run("bob"), kRefused);
        QCOMPARE(f.headers, lines(4, 0, 90, 45));
        f.clock.advance(45s);
        QCOMPARE(f.run("bob"), kPass);
        QCOMPARE(f.run("bob"), kRefused);
        // Other consumers' usage survived the reloads too.
        QCOMPARE(f.counters.size(), size_t(3));
    }

    void anonymousCallersOfPublicApis_areLimitedPerAddressAndApi() {
        Fixture f;
        QCOMPARE(f.run("", "/open/a"), kPass);
        QCOMPARE(f.headers, lines(2, 1, 30));
        QCOMPARE(f.run("", "/open/b"), kPass);
        QCOMPARE(f.run("", "/open/c"), kRefused);
        QCOMPARE(f.headers, lines(2, 0, 60, 30));
        QCOMPARE(f.run("", "/open/a", "192.0.2.2"), kPass);   // another address
        QCOMPARE(f.run("", "/open2/a"), kPass);               // another API (version)
        QCOMPARE(f.run("", "/open/a", "2001:db8::1"), kPass); // IPv6
        QCOMPARE(f.run("", "/open/a", "2001:db8::1"), kPass);
        QCOMPARE(f.run("", "/open/a", "2001:db8::1"), kRefused);
        QCOMPARE(f.run("", "/free/a"), kPass); // a public API without limits_per_ip
        QCOMPARE(f.headers, std::string());
        // Identified consumers are held to their plan, not to the address.
        QCOMPARE(f.run("acme", "/open/a"), kPass);
        QCOMPARE(f.headers, lines(10, 9, 1));
        QCOMPARE(f.run("carol", "/open/a"), kPass);
        QCOMPARE(f.headers, std::string());
        // A reload keeps the per-address table.
        f.compile(5);
        QCOMPARE(f.run("", "/open/a"), kRefused);
        f.clock.advance(30s);
        QCOMPARE(f.run("", "/open/a"), kPass);
        QCOMPARE(f.run("", "/open/a"), kRefused);
        QCOMPARE(f.ipLimiter.size(), size_t(4));
    }

    void explainMode_describesAndCountsNothing() {
        Fixture f;
        std::vector<std::string> chain;
        for (int i = 0; i < 30; ++i) {
            QCOMPARE(f.run("acme", "/orders/x", "192.0.2.1", &chain), kPass);
            QCOMPARE(f.run("", "/open/x", "192.0.2.1", &chain), kPass);
        }
        QCOMPARE(f.headers, std::string());
        QCOMPARE(f.tat("acme", RateLimitConfig::Per::Second), int64_t(0));
        QCOMPARE(f.tat("acme", RateLimitConfig::Per::Minute), int64_t(0));
        QCOMPARE(f.ipLimiter.size(), size_t(0));
        QCOMPARE(chain.size(), size_t(60));
        QCOMPARE(chain[0],
                 std::string("rate limits: plan two allows 10 per second, 20 per minute (limit.rate "
                             "beyond; not counted when explaining)"));
        QCOMPARE(chain[1],
                 std::string("rate limits: open v1 allows anonymous callers 2 per minute per client "
                             "address (limit.rate beyond; not counted when explaining)"));
        // The full bucket is still there for real requests.
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(f.run("acme"), kPass);
        }
        QCOMPARE(f.run("acme"), kRefused);
    }

    void withoutCounters_limitsAreDescribedNotEnforced() {
        const LoadResult r = loadConfigText(config(5), "t.yaml");
        QVERIFY(r.ok());
        std::string err;
        auto snap = server::Snapshot::compile(*r.config, 1, err, {nullptr, false});
        QVERIFY(snap);
        auto stage = RateLimitStage::create(*snap, nullptr, nullptr, 0, err);
        QVERIFY(stage);
        RequestContext ctx;
        ctx.consumer = &snap->consumers[1];
        ctx.consumerIndex = 1;
        for (int i = 0; i < 10; ++i) {
            QVERIFY(!stage->onRequest(ctx).respond);
        }
        QCOMPARE(ctx.responseHeaderCount, uint8_t(0));
    }
};

QTEST_APPLESS_MAIN(RateLimitStageTest)
#include "rate_limit_stage_test.moc"

// QuotaStage on compiled snapshots with a fake clock: a block quota refuses at exactly the quota with
// Retry-After = seconds to the end of the period, months roll over (December to January, February of a
// leap year), allow_and_bill passes and counts the overage, a reload keeps the count unless the kind of
// period changes, a top-up raises the limit for the current period only, explain counts nothing.

#include "fake_clock.h"
#include "limits/counter_table.h"
#include "limits/quota_period.h"
#include "server/snapshot.h"
#include "stage_harness.h"
#include "stages/quota/quota_stage.h"

#include <QtTest>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using tollgate::http::Method;
using tollgate::pipeline::RequestContext;
using tollgate::stages::QuotaStage;
using tollgate::test::FakeClock;
using namespace tollgate::test;

namespace {

constexpr int64_t kDay = 86400;
// 2027-01-15T12:00:00Z, a Friday.
constexpr int64_t kMidJanuary = 1'800'014'400;
// 2028-02-29T12:00:00Z.
constexpr int64_t kLeapDayNoon = 1'835'438'400;

// Plan "metered" has a block quota of `requests` per `per`; plan "billed" 2 per day, allow_and_bill.
std::string config(int requests, const std::string& per) {
    return "version: 1\n"
           "services:\n"
           "  - name: echo\n"
           "    targets: [ { url: \"builtin:echo\" } ]\n"
           "apis:\n"
           "  - { name: orders, version: v1, base_path: /orders, service: echo, auth: [key],\n"
           "      routes: [ { name: all, path: \"/*\" } ] }\n"
           "plans:\n"
           "  - name: metered\n"
           "    quota: { requests: " +
           std::to_string(requests) + ", per: " + per +
           " }\n"
           "    grants: [ { api: orders } ]\n"
           "  - name: billed\n"
           "    quota: { requests: 2, per: day, on_exceeded: allow_and_bill }\n"
           "    grants: [ { api: orders } ]\n"
           "  - { name: free, grants: [ { api: orders } ] }\n"
           "consumers:\n"
           "  - { name: acme, plan: metered, credentials: [ { type: key, id: a, hash: "
           "\"sha256:1111111111111111111111111111111111111111111111111111111111111111\" } ] }\n"
           "  - { name: bob, plan: billed, credentials: [ { type: key, id: b, hash: "
           "\"sha256:2222222222222222222222222222222222222222222222222222222222222222\" } ] }\n"
           "  - { name: carol, plan: free, credentials: [ { type: key, id: c, hash: "
           "\"sha256:3333333333333333333333333333333333333333333333333333333333333333\" } ] }\n";
}

struct Fixture {
    FakeClock clock;
    limits::CounterTable counters;
    std::shared_ptr<const server::Snapshot> snap;
    std::unique_ptr<QuotaStage> stage;
    std::string headers;

    explicit Fixture(int requests = 3, const std::string& per = "month") { compile(requests, per); }

    void compile(int requests, const std::string& per) {
        server::CompileContext context;
        context.resolveTargets = false;
        context.counters = &counters;
        context.unixMicros = clock.unixMicros();
        snap = compileSnapshot(config(requests, per), snap ? snap->generation + 1 : 1, context);
        std::string err;
        stage = requireStage(QuotaStage::create(*snap, &counters, err), err);
    }

    std::string run(const std::string& consumer, std::vector<std::string>* chain = nullptr) {
        RequestContext ctx;
        prepareRequest(ctx, *snap, Method::Get, "/orders/x", consumer, chain);
        ctx.unixMicros = clock.unixMicros();
        return runStage(*stage, ctx, headers);
    }

    // Requests counted for `consumer` in the current `per` period.
    uint64_t used(const std::string& consumer, QuotaConfig::Per per) const {
        return stages::readQuota(*counters.find(consumer), per, clock.unixSeconds()).used;
    }

    void topUp(const std::string& consumer, QuotaConfig::Per per, uint64_t n) {
        const limits::QuotaPeriod p = limits::QuotaPeriod::at(per, clock.unixSeconds());
        counters.slot(consumer)->quotaBonus = limits::quota_word::tag(per, p.index) | n;
    }
};

std::string lines(uint64_t limit, uint64_t remaining, int64_t reset, int64_t retryAfter = 0) {
    return limitHeaderLines(limit, remaining, reset, retryAfter);
}

const std::string kPass = "pass";
const std::string kRefused = "429 limit.quota";

// `passes` requests of `consumer` pass, then the next one is refused.
void usesUpTheQuota(Fixture& f, int passes, const std::string& consumer = "acme") {
    for (int i = 0; i < passes; ++i) {
        QCOMPARE(f.run(consumer), kPass);
    }
    QCOMPARE(f.run(consumer), kRefused);
}

} // namespace

class QuotaStageTest : public QObject {
    Q_OBJECT

private slots:
    void blocksAtExactlyTheQuota_retryAfterIsTheEndOfThePeriod() {
        Fixture f;
        f.clock.setUnixSeconds(kMidJanuary);
        const int64_t toFebruary = 1'425'600; // 16.5 days
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(3, 2, toFebruary));
        QCOMPARE(f.run("acme"), kPass);
        f.clock.advance(10s);
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(3, 0, toFebruary - 10));
        QCOMPARE(f.run("acme"), kRefused);
        QCOMPARE(f.headers, lines(3, 0, toFebruary - 10, toFebruary - 10));
        QCOMPARE(f.run("acme"), kRefused);
        QCOMPARE(f.used("acme", QuotaConfig::Per::Month), uint64_t(3)); // refusals are not counted
        // Other consumers: their own count; no quota, no headers.
        QCOMPARE(f.run("carol"), kPass);
        QCOMPARE(f.headers, std::string());
    }

    void monthRollsOverAtUtcMidnight() {
        Fixture f; // 2027-01-31T23:59:00Z
        usesUpTheQuota(f, 3);
        QCOMPARE(f.headers, lines(3, 0, 60, 60));
        f.clock.advance(59s);
        QCOMPARE(f.run("acme"), kRefused);
        QCOMPARE(f.headers, lines(3, 0, 1, 1));
        f.clock.advance(1s); // February 2027: 28 days
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(3, 2, 28 * kDay));
        QCOMPARE(f.used("acme", QuotaConfig::Per::Month), uint64_t(1));

        // December to January.
        f.clock.setUnixSeconds(1'830'297'540); // 2027-12-31T23:59:00Z
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(3, 2, 60)); // a new month for the counter (February's count is gone)
        usesUpTheQuota(f, 2);
        f.clock.advance(60s);
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(3, 2, 31 * kDay));
    }

    void leapDayBelongsToFebruary() {
        Fixture f;
        f.clock.setUnixSeconds(kLeapDayNoon);
        usesUpTheQuota(f, 3);
        QCOMPARE(f.headers, lines(3, 0, kDay / 2, kDay / 2)); // March starts at midnight
        f.clock.advance(12h - 1s);
        QCOMPARE(f.run("acme"), kRefused);
        f.clock.advance(1s);
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(3, 2, 31 * kDay));
    }

    void allowAndBill_passesAndCountsTheOverage() {
        Fixture f;
        f.clock.setUnixSeconds(kMidJanuary);
        for (int i = 0; i < 7; ++i) {
            QCOMPARE(f.run("bob"), kPass);
            QCOMPARE(f.headers, std::string()); // billing quotas do not emit RateLimit-*
        }
        QCOMPARE(f.used("bob", QuotaConfig::Per::Day), uint64_t(7)); // 5 over the quota of 2
        f.clock.advance(12h);                                        // the next UTC day
        QCOMPARE(f.run("bob"), kPass);
        QCOMPARE(f.used("bob", QuotaConfig::Per::Day), uint64_t(1));
    }

    void reload_keepsTheCountWhenRequestsChange() {
        Fixture f(3, "month");
        f.clock.setUnixSeconds(kMidJanuary);
        usesUpTheQuota(f, 3);
        f.compile(5, "month");
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(5, 1, 1'425'600));
        usesUpTheQuota(f, 1);
        f.compile(2, "month");
        QCOMPARE(f.run("acme"), kRefused);
        QCOMPARE(f.headers, lines(2, 0, 1'425'600, 1'425'600));
    }

    void reload_fromMonthToWeek_startsAFreshCount() {
        Fixture f(3, "month");
        f.clock.setUnixSeconds(kMidJanuary);
        usesUpTheQuota(f, 3);
        f.compile(3, "week");
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(3, 2, 2 * kDay + kDay / 2)); // to Monday 2027-01-18
        QCOMPARE(f.used("acme", QuotaConfig::Per::Week), uint64_t(1));
        usesUpTheQuota(f, 2);
        f.clock.advance(2 * 24h + 12h); // Monday: a new week
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(3, 2, 7 * kDay));
    }

    void topUp_raisesTheLimitForTheCurrentPeriodOnly() {
        Fixture f; // 2027-01-31T23:59:00Z
        usesUpTheQuota(f, 3);
        f.topUp("acme", QuotaConfig::Per::Month, 2);
        QCOMPARE(f.run("acme"), kPass);
        QCOMPARE(f.headers, lines(5, 1, 60));
        usesUpTheQuota(f, 1);
        QCOMPARE(f.headers, lines(5, 0, 60, 60));
        f.clock.advance(1min); // February: the top-up was for January
        usesUpTheQuota(f, 3);
        QCOMPARE(f.headers, lines(3, 0, 28 * kDay, 28 * kDay));
        // A top-up for a period of another kind (a week) does not apply to the monthly quota.
        f.topUp("acme", QuotaConfig::Per::Week, 10);
        QCOMPARE(f.run("acme"), kRefused);
    }

    void explainMode_countsNothing() {
        Fixture f;
        std::vector<std::string> chain;
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(f.run("acme", &chain), kPass);
            QCOMPARE(f.run("bob", &chain), kPass);
        }
        QCOMPARE(f.headers, std::string());
        QCOMPARE(f.used("acme", QuotaConfig::Per::Month), uint64_t(0));
        QCOMPARE(f.used("bob", QuotaConfig::Per::Day), uint64_t(0));
        QCOMPARE(chain.size(), size_t(20));
        QCOMPARE(
            chain[0],
            std::string(
                "quota: plan metered allows 3 per month (limit.quota beyond; not counted when explaining)"));
        QCOMPARE(chain[1],
                 std::string("quota: plan billed allows 2 per day (beyond it requests pass and are billed "
                             "as overage)"));
        usesUpTheQuota(f, 3);
    }
};

QTEST_APPLESS_MAIN(QuotaStageTest)
#include "quota_stage_test.moc"

// The core's public operator API for quotas on a real tollgate::Engine in this process: usage() while
// requests are counted, topUpQuota() and resetQuota() and what they let through, their refusals (an
// unknown consumer, a plan without quota), and counts that outlive the engine in its store.

#include "raw_client.h"
#include "tollgate/config.h"
#include "tollgate/credentials.h"
#include "tollgate/engine.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

using namespace std::chrono_literals;
using namespace tollgate;
using namespace tollgate::test;

namespace {

const std::string kAcmeKey = "acme-secret-key";
const std::string kCarolKey = "carol-secret-key";

// Plan "metered": a blocking quota of 3 per month and two rate limits far above what a test sends;
// plan "free": a rate limit, no quota. Consumer acme is on metered, carol on free.
std::string configText(const std::string& storePath) {
    return "version: 1\n"
           "gateway:\n"
           "  listen: [\"127.0.0.1:0\"]\n"
           "  workers: 2\n"
           "  store: \"" +
           storePath +
           "\"\n"
           "services:\n"
           "  - name: echo\n"
           "    targets: [ { url: \"builtin:echo\" } ]\n"
           "apis:\n"
           "  - { name: orders, version: v1, base_path: /orders, service: echo, auth: [key],\n"
           "      routes: [ { name: all, path: \"/*\" } ] }\n"
           "plans:\n"
           "  - name: metered\n"
           "    quota: { requests: 3, per: month, on_exceeded: block }\n"
           "    rate_limits: [ { requests: 100, per: hour }, { requests: 1000, per: day } ]\n"
           "    grants: [ { api: orders } ]\n"
           "  - name: free\n"
           "    rate_limits: [ { requests: 50, per: hour } ]\n"
           "    grants: [ { api: orders } ]\n"
           "consumers:\n"
           "  - { name: acme, plan: metered, credentials: [ { type: key, id: a, hash: \"" +
           apiKeyHash(kAcmeKey) +
           "\" } ] }\n"
           "  - { name: carol, plan: free, credentials: [ { type: key, id: c, hash: \"" +
           apiKeyHash(kCarolKey) + "\" } ] }\n";
}

// Unix seconds of the start of the UTC month `months` after the current one.
int64_t monthStart(int months) {
    const QDate today = QDateTime::currentDateTimeUtc().date();
    const QDate first = QDate(today.year(), today.month(), 1).addMonths(months);
    return first.startOfDay(Qt::UTC).toSecsSinceEpoch();
}

int64_t nowSeconds() {
    return QDateTime::currentSecsSinceEpoch();
}

} // namespace

class EngineQuotaTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_store;

    // Starts `engine` on the test's config and store, or fails the test.
    void start(Engine& engine) {
        const LoadResult loaded = loadConfigText(configText(m_store), "engine.yaml");
        QVERIFY2(loaded.ok(), loaded.errors.empty() ? "?" : loaded.errors[0].format().c_str());
        std::string error;
        QVERIFY2(engine.start(*loaded.config, error), error.c_str());
        QCOMPARE(engine.listeners().size(), size_t(1));
        QVERIFY(engine.listeners()[0].port != 0);
    }

    static std::optional<HttpResponse> call(const Engine& engine, const std::string& key) {
        if (engine.listeners().empty()) {
            return std::nullopt; // start() failed and said why
        }
        return roundTrip(engine.listeners()[0].port, buildRequest("GET", "/orders/x", {{"apikey", key}}));
    }

    // `n` requests of acme pass, then the next one is refused by the quota.
    void expectPassesThenQuotaRefusal(const Engine& engine, int n) {
        for (int i = 0; i < n; ++i) {
            const auto r = call(engine, kAcmeKey);
            QVERIFY2(r, lastRoundTripError().c_str());
            QVERIFY2(r->status == 200, r->rawHead.c_str());
        }
        const auto refused = call(engine, kAcmeKey);
        QVERIFY2(refused, lastRoundTripError().c_str());
        QVERIFY2(refused->status == 429, refused->rawHead.c_str());
        QCOMPARE(refused->header("X-Tollgate-Reason"), std::string("limit.quota"));
    }

    // acme's quota usage as the engine reports it: used, bonus, remaining.
    void expectQuota(const Engine& engine, uint64_t used, uint64_t bonus, uint64_t remaining) {
        const std::optional<ConsumerUsage> u = engine.usage("acme");
        QVERIFY(u);
        QVERIFY(u->quota);
        QCOMPARE(u->quota->used, used);
        QCOMPARE(u->quota->bonus, bonus);
        QCOMPARE(u->quota->remaining, remaining);
        QCOMPARE(u->quota->overage, uint64_t(0));
    }

private slots:
    void init() {
        // A quota period ending in the middle of a test would start a new count: stay clear of it.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (now.date().month() != now.addSecs(120).date().month()) {
            QSKIP("the UTC month ends within two minutes");
        }
        QVERIFY(m_dir.isValid());
        // A fresh store per test function.
        m_store = m_dir.filePath(QString("%1.db").arg(QTest::currentTestFunction())).toStdString();
    }

    void fourthRequestIsRefused_usageReportsQuotaAndRateLimits() {
        Engine engine;
        start(engine);
        expectQuota(engine, 0, 0, 3);
        expectPassesThenQuotaRefusal(engine, 3);

        const int64_t before = nowSeconds();
        const std::optional<ConsumerUsage> u = engine.usage("acme");
        const int64_t after = nowSeconds();
        QVERIFY(u);
        QCOMPARE(u->consumer, std::string("acme"));
        QCOMPARE(u->plan, std::string("metered"));
        QVERIFY(u->quota);
        const QuotaUsage& q = *u->quota;
        QCOMPARE(q.per, std::string("month"));
        QVERIFY(q.block);
        QCOMPARE(q.quota, uint64_t(3));
        QCOMPARE(q.used, uint64_t(3)); // the refusal is not counted
        QCOMPARE(q.bonus, uint64_t(0));
        QCOMPARE(q.remaining, uint64_t(0));
        QCOMPARE(q.overage, uint64_t(0));
        // The current UTC calendar month, which holds now.
        QVERIFY(q.periodStart <= before && after < q.periodEnd);
        QCOMPARE(q.periodStart, monthStart(0));
        QCOMPARE(q.periodEnd, monthStart(1));

        // The rate limits in plan order; all four requests arrived, so all four were taken (the quota
        // refuses after the rate limits).
        QCOMPARE(u->rateLimits.size(), size_t(2));
        // Reset: the four emission intervals, less the seconds the test has taken so far (a few).
        const RateLimitUsage& hour = u->rateLimits[0];
        QCOMPARE(hour.per, std::string("hour"));
        QCOMPARE(hour.limit, uint64_t(100));
        QCOMPARE(hour.remaining, uint64_t(96)); // one more every 36 s
        QVERIFY2(hour.resetSeconds > 4 * 36 - 10 && hour.resetSeconds <= 4 * 36,
                 std::to_string(hour.resetSeconds).c_str());
        const RateLimitUsage& day = u->rateLimits[1];
        QCOMPARE(day.per, std::string("day"));
        QCOMPARE(day.limit, uint64_t(1000));
        QCOMPARE(day.remaining, uint64_t(996)); // one more every 86.4 s
        QVERIFY2(day.resetSeconds > 346 - 10 && day.resetSeconds <= 346,
                 std::to_string(day.resetSeconds).c_str());

        // A consumer without quota: its rate limit, no quota.
        const auto carolCall = call(engine, kCarolKey);
        QVERIFY2(carolCall, lastRoundTripError().c_str());
        QVERIFY2(carolCall->status == 200, carolCall->rawHead.c_str());
        QVERIFY(!carolCall->hasHeader("X-Tollgate-Reason"));
        const std::optional<ConsumerUsage> carol = engine.usage("carol");
        QVERIFY(carol);
        QCOMPARE(carol->plan, std::string("free"));
        QVERIFY(!carol->quota);
        QCOMPARE(carol->rateLimits.size(), size_t(1));
        QCOMPARE(carol->rateLimits[0].per, std::string("hour"));
        QCOMPARE(carol->rateLimits[0].limit, uint64_t(50));
        QCOMPARE(carol->rateLimits[0].remaining, uint64_t(49));
    }

    void topUp_letsExactlyThatManyMorePass() {
        Engine engine;
        start(engine);
        expectPassesThenQuotaRefusal(engine, 3);
        std::string error;
        QVERIFY2(engine.topUpQuota("acme", 2, error), error.c_str());
        expectQuota(engine, 3, 2, 2);
        expectPassesThenQuotaRefusal(engine, 2);
        expectQuota(engine, 5, 2, 0);
        const std::optional<ConsumerUsage> u = engine.usage("acme");
        QVERIFY(u && u->quota);
        QCOMPARE(u->quota->quota, uint64_t(3)); // the plan's quota is unchanged
    }

    void reset_startsThePeriodAgain() {
        Engine engine;
        start(engine);
        expectPassesThenQuotaRefusal(engine, 3);
        std::string error;
        QVERIFY2(engine.topUpQuota("acme", 1, error), error.c_str());
        QVERIFY2(engine.resetQuota("acme", error), error.c_str());
        expectQuota(engine, 0, 0, 3); // the top-up is cleared too
        expectPassesThenQuotaRefusal(engine, 3);
        expectQuota(engine, 3, 0, 0);
    }

    void unknownConsumerOrPlanWithoutQuota_refusedWithAMessage() {
        Engine engine;
        start(engine);
        std::string error;
        QVERIFY(!engine.resetQuota("nobody", error));
        QVERIFY2(error.find("nobody") != std::string::npos, error.c_str());
        error.clear();
        QVERIFY(!engine.topUpQuota("nobody", 5, error));
        QVERIFY2(error.find("nobody") != std::string::npos, error.c_str());
        error.clear();
        QVERIFY(!engine.resetQuota("carol", error));
        QVERIFY2(error.find("carol") != std::string::npos, error.c_str());
        error.clear();
        QVERIFY(!engine.topUpQuota("carol", 5, error));
        QVERIFY2(error.find("carol") != std::string::npos, error.c_str());
        QVERIFY(!engine.usage("nobody"));
        // Nothing was changed: acme still has its full quota.
        expectQuota(engine, 0, 0, 3);
    }

    void usageSurvivesARestartOnTheSameStore() {
        {
            Engine engine;
            start(engine);
            expectPassesThenQuotaRefusal(engine, 3);
            std::string error;
            QVERIFY2(engine.topUpQuota("acme", 1, error), error.c_str());
            QCOMPARE(engine.stop(1s), size_t(0)); // the last flush writes the counts
            QVERIFY(!engine.running());
        }
        {
            Engine engine;
            start(engine);
            QCOMPARE(engine.storePath(), m_store);
            expectQuota(engine, 3, 1, 1);
            expectPassesThenQuotaRefusal(engine, 1);
            expectQuota(engine, 4, 1, 0);
            std::string error;
            QVERIFY2(engine.resetQuota("acme", error), error.c_str());
            QCOMPARE(engine.stop(1s), size_t(0));
        }
        // A reset is persisted as well.
        Engine engine;
        start(engine);
        expectQuota(engine, 0, 0, 3);
    }
};

QTEST_GUILESS_MAIN(EngineQuotaTest)
#include "engine_quota_test.moc"

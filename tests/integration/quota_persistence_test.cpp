// Quotas through the real binary: block and allow_and_bill, and counters that outlive the process:
// a clean restart (final flush on SIGTERM), a kill -9 after the background flush had time to run, the
// default store in the platform data directory and gateway.store named in the config.

#include "integration.h"

#include <QDateTime>
#include <QFileInfo>

#include <csignal>
#include <thread>

using namespace tollgate::test;

namespace {

// One API "orders" with one route, plans `block` (5 per month, blocking), `billed` (2 per month,
// allow_and_bill) and `six` (6 per month, blocking), one consumer per plan named after it.
std::string configFor(const TestUpstream& upstream, const std::string& gatewayExtra = {}) {
    std::string plans, consumers;
    const std::pair<const char*, const char*> quotas[] = {
        {"block", "{ requests: 5, per: month, on_exceeded: block }"},
        {"billed", "{ requests: 2, per: month, on_exceeded: allow_and_bill }"},
        {"six", "{ requests: 6, per: month, on_exceeded: block }"},
    };
    for (const auto& [name, quota] : quotas) {
        plans += std::string("  - name: ") + name + "\n    quota: " + quota +
                 "\n    grants: [ { api: orders, routes: [\"*\"] } ]\n";
        consumers += std::string("  - name: ") + name + "\n    plan: " + name +
                     "\n    credentials: [ { type: key, id: k-" + name + ", hash: \"" + keyHash(keyOf(name)) +
                     "\" } ]\n";
    }
    return ordersGatewayYaml(upstream, gatewayExtra) +
           "    auth: [key]\n"
           "    routes: [ { name: all, methods: [GET], path: \"/*\" } ]\n"
           "plans:\n" +
           plans + "consumers:\n" + consumers;
}

std::optional<HttpResponse> call(uint16_t port, const std::string& consumer) {
    return roundTrip(port, buildRequest("GET", "/orders/v1/x", {{"apikey", keyOf(consumer)}}));
}

bool fileExists(const std::string& path) {
    return QFileInfo::exists(QString::fromStdString(path));
}

} // namespace

class QuotaPersistenceTest : public QObject {
    Q_OBJECT

    TestUpstream m_upstream;

    // A pass of a blocking quota: 200 with the quota's headers.
    void expectPass(const std::optional<HttpResponse>& r, int64_t limit, int64_t remaining) {
        TG_EXPECT_STATUS(r, 200, nullptr);
        QCOMPARE(headerNumber(*r, "RateLimit-Limit"), limit);
        QCOMPARE(headerNumber(*r, "RateLimit-Remaining"), remaining);
        QVERIFY2(!r->hasHeader("Retry-After"), r->rawHead.c_str());
    }

    void expectQuotaRefusal(const std::optional<HttpResponse>& r, int64_t limit) {
        TG_EXPECT_STATUS(r, 429, nullptr);
        QCOMPARE(r->header("X-Tollgate-Reason"), std::string("limit.quota"));
        QCOMPARE(jsonReason(*r), std::string("limit.quota"));
        // Retry-After is the end of the calendar month: more than nothing, at most 31 days.
        const int64_t retry = headerNumber(*r, "Retry-After");
        QVERIFY2(retry >= 1 && retry <= 31 * 86400, r->rawHead.c_str());
        QCOMPARE(headerNumber(*r, "RateLimit-Limit"), limit);
        QCOMPARE(headerNumber(*r, "RateLimit-Remaining"), int64_t(0));
    }

private slots:
    void init() {
        // A quota period ending in the middle of a test would start a new count: stay clear of it.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (now.date().month() != now.addSecs(120).date().month()) {
            QSKIP("the UTC month ends within two minutes");
        }
    }

    void blockingQuotaRefusesTheRequestAfterTheLast() {
        TollgatedProcess gw;
        TG_START(gw, configFor(m_upstream));
        const size_t before = m_upstream.requestCount();
        for (int64_t remaining = 4; remaining >= 0; --remaining) {
            expectPass(call(gw.port(), "block"), 5, remaining);
        }
        for (int i = 0; i < 3; ++i) {
            expectQuotaRefusal(call(gw.port(), "block"), 5);
        }
        QCOMPARE(m_upstream.requestCount(), before + 5);
    }

    void allowAndBillPassesBeyondTheQuota() {
        TollgatedProcess gw;
        TG_START(gw, configFor(m_upstream));
        const size_t before = m_upstream.requestCount();
        for (int i = 0; i < 6; ++i) {
            TG_EXPECT_STATUS(call(gw.port(), "billed"), 200, nullptr);
        }
        QVERIFY(m_upstream.waitForRequests(before + 6));
    }

    void usageSurvivesCleanRestartAndKill() {
        TollgatedProcess gw;
        TG_START(gw, configFor(m_upstream));
        expectPass(call(gw.port(), "six"), 6, 5);
        expectPass(call(gw.port(), "six"), 6, 4);
        // SIGTERM: the last flush writes the two requests.
        QCOMPARE(gw.terminate(), std::optional<int>(0));
        QVERIFY2(fileExists(gw.defaultStorePath()), gw.defaultStorePath().c_str());

        TG_START(gw, configFor(m_upstream));
        expectPass(call(gw.port(), "six"), 6, 3);
        expectPass(call(gw.port(), "six"), 6, 2);
        // kill -9 leaves no chance to flush: the background flush (every 250 ms) must have written
        // them already.
        std::this_thread::sleep_for(1200ms);
        QVERIFY(gw.sendSignal(SIGKILL));
        gw.waitForExit(10s);
        QVERIFY(!gw.isRunning());

        TG_START(gw, configFor(m_upstream));
        expectPass(call(gw.port(), "six"), 6, 1);
        expectPass(call(gw.port(), "six"), 6, 0);
        expectQuotaRefusal(call(gw.port(), "six"), 6);
        // The other consumers' counts are their own.
        expectPass(call(gw.port(), "block"), 5, 4);
    }

    void configuredStoreIsUsedInsteadOfTheDefault() {
        TollgatedProcess first;
        // Relative to the config file.
        TG_START(first, configFor(m_upstream, "  store: state/counters.db\n"));
        const std::string storePath = first.dir() + "/state/counters.db";
        for (int64_t remaining = 4; remaining >= 2; --remaining) {
            expectPass(call(first.port(), "block"), 5, remaining);
        }
        QCOMPARE(first.terminate(), std::optional<int>(0));
        QVERIFY2(fileExists(storePath), storePath.c_str());
        QVERIFY2(!fileExists(first.defaultStorePath()), first.defaultStorePath().c_str());

        // Another gateway (its own data directory) named the same store: it finds the three requests.
        TollgatedProcess second;
        TG_START(second, configFor(m_upstream, "  store: \"" + storePath + "\"\n"));
        expectPass(call(second.port(), "block"), 5, 1);
        expectPass(call(second.port(), "block"), 5, 0);
        expectQuotaRefusal(call(second.port(), "block"), 5);
        QVERIFY(!fileExists(second.defaultStorePath()));
    }
};

QTEST_GUILESS_MAIN(QuotaPersistenceTest)
#include "quota_persistence_test.moc"

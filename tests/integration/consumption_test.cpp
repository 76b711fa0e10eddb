// Consumption through the real binary: every request counted once under concurrency (by consumer and
// status class, refusals included) in the store's aggregates, the last second's counts surviving a
// kill -9, a restart adding to them rather than starting over, and `tollgated report` billing them.

#include "integration.h"
#include "store/store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <csignal>
#include <thread>

using namespace tollgate;
using namespace tollgate::test;

namespace {

std::string configFor(const TestUpstream& upstream, const std::string& store) {
    std::string consumers;
    for (const char* name : {"alpha", "beta"}) {
        consumers += std::string("  - name: ") + name +
                     "\n    plan: open\n    credentials: [ { type: key, id: k-" + name + ", hash: \"" +
                     keyHash(keyOf(name)) + "\" } ]\n";
    }
    return ordersGatewayYaml(upstream, "  store: \"" + store + "\"\n") +
           "    auth: [key]\n"
           "    routes: [ { name: all, methods: [GET], path: \"/*\" } ]\n"
           "plans:\n"
           "  - name: open\n"
           "    grants: [ { api: orders, routes: [\"*\"] } ]\n"
           "consumers:\n" +
           consumers;
}

// What one kind of request is and what it must be counted as.
struct Kind {
    const char* consumer; // "" = no key
    const char* path;
    int status;
};
const Kind kKinds[] = {
    {"alpha", "/orders/v1/a", 200},
    {"beta", "/orders/v1/b", 200},
    {"", "/orders/v1/c", 401},
    {"alpha", "/nowhere", 404}, // no route: refused before authentication, so counted as anonymous
};

UsageTotals totalsOf(const std::string& storePath, const std::string& consumer) {
    std::string error;
    auto db = store::Store::open(storePath, error);
    if (!db) {
        qWarning("%s", error.c_str());
        return {};
    }
    UsageQuery q;
    q.consumer = consumer;
    const int64_t now = QDateTime::currentSecsSinceEpoch();
    q.fromUnix = now - 3600;
    q.toUnix = now + 3600;
    q.granularity = Granularity::Minute;
    UsageHistory history;
    if (!db->queryUsage(q, RetentionConfig{}, now, history, error)) {
        qWarning("%s", error.c_str());
        return {};
    }
    return history.totals;
}

} // namespace

class ConsumptionTest : public QObject {
    Q_OBJECT

    TestUpstream m_upstream;

private slots:
    void everyRequestCountedOnceAndKeptAcrossKillAndRestart() {
        TollgatedProcess gw;
        const std::string storePath = gw.dir() + "/usage.db";
        TG_START(gw, configFor(m_upstream, storePath));

        constexpr int kThreads = 8;
        constexpr int kPerThread = 400; // 3,200 requests, 800 of each kind
        std::atomic<int> wrongAnswers{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                RawClient client;
                if (!client.connect(gw.port())) {
                    wrongAnswers += kPerThread;
                    return;
                }
                for (int i = 0; i < kPerThread; ++i) {
                    const Kind& k = kKinds[(t + i) % 4];
                    HeaderList headers;
                    if (*k.consumer) {
                        headers.push_back({"apikey", keyOf(k.consumer)});
                    }
                    if (!client.send(buildRequest("GET", k.path, headers))) {
                        wrongAnswers++;
                        continue;
                    }
                    const auto r = client.readResponse();
                    if (!r || r->status != k.status) {
                        wrongAnswers++;
                    }
                }
            });
        }
        for (auto& th : threads) {
            th.join();
        }
        QCOMPARE(wrongAnswers.load(), 0);

        // The writer adds what is pending about once a second; then the process dies without warning.
        std::this_thread::sleep_for(2500ms);
        QVERIFY(gw.sendSignal(SIGKILL));
        gw.waitForExit(5s);

        const UsageTotals alpha = totalsOf(storePath, "alpha");
        QCOMPARE(alpha.requests, uint64_t(800));
        QCOMPARE(alpha.byStatusClass[2], uint64_t(800));
        const UsageTotals beta = totalsOf(storePath, "beta");
        QCOMPARE(beta.requests, uint64_t(800));
        const UsageTotals all = totalsOf(storePath, "");
        QCOMPARE(all.requests, uint64_t(kThreads * kPerThread));
        QCOMPARE(all.byStatusClass[2], uint64_t(1600));
        QCOMPARE(all.byStatusClass[4], uint64_t(1600));
        QCOMPARE(all.latency.total(), uint64_t(kThreads * kPerThread));

        // A restart on the same store adds to the counts; a clean stop flushes the last ones at once.
        TollgatedProcess again;
        TG_START(again, configFor(m_upstream, storePath));
        for (int i = 0; i < 10; ++i) {
            TG_EXPECT_STATUS(
                roundTrip(again.port(), buildRequest("GET", "/orders/v1/z", {{"apikey", keyOf("alpha")}})),
                200, nullptr);
        }
        QCOMPARE(again.terminate(), std::optional<int>(0));
        QCOMPARE(totalsOf(storePath, "alpha").requests, uint64_t(810));
    }

    // A billed plan (quota 5 a month, allow_and_bill, 10 a month + 2 per started thousand over quota):
    // alpha makes 8 granted requests (3 over quota) and 2 refused ones; beta makes none.
    void reportBillsTheMonthFromTheStore() {
        TollgatedProcess gw;
        const std::string storePath = gw.dir() + "/billing.db";
        std::string consumers;
        for (const char* name : {"alpha", "beta"}) {
            consumers += std::string("  - name: ") + name +
                         "\n    plan: billed\n    credentials: [ { type: key, id: k-" + name + ", hash: \"" +
                         keyHash(keyOf(name)) + "\" } ]\n";
        }
        const std::string yaml = ordersGatewayYaml(m_upstream, "  store: \"" + storePath + "\"\n") +
                                 "    auth: [key]\n"
                                 "    routes: [ { name: list, methods: [GET], path: / }, { name: item, "
                                 "methods: [GET], path: \"/{id}\" } ]\n"
                                 "plans:\n"
                                 "  - name: billed\n"
                                 "    quota: { requests: 5, per: month, on_exceeded: allow_and_bill }\n"
                                 "    price: { currency: EUR, monthly: 10, per_1000_over_quota: 2 }\n"
                                 "    grants: [ { api: orders, routes: [item] } ]\n"
                                 "consumers:\n" +
                                 consumers;
        TG_START(gw, yaml);
        for (int i = 0; i < 8; ++i) {
            TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/orders/v1/" + std::to_string(i),
                                                               {{"apikey", keyOf("alpha")}})),
                             200, nullptr);
        }
        for (int i = 0; i < 2; ++i) {
            TG_EXPECT_STATUS(
                roundTrip(gw.port(), buildRequest("GET", "/orders/v1/", {{"apikey", keyOf("alpha")}})), 403,
                nullptr);
        }
        QCOMPARE(gw.terminate(), std::optional<int>(0)); // the last second reaches the store

        const QString period = QDateTime::currentDateTimeUtc().toString("yyyy-MM");
        const QStringList base{"report", "--config", QString::fromStdString(gw.configPath()), "--period",
                               period};
        const CliRun csv = runTollgatedCli(base + QStringList{"--format", "csv"});
        QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
        const QStringList lines = csv.out.split("\r\n", Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], QString("consumer,plan,requests,refused,quota,overage,price,currency"));
        QCOMPARE(lines[1], QString("alpha,billed,8,2,5,3,12.00,EUR"));
        QCOMPARE(lines[2], QString("beta,billed,0,0,5,0,10.00,EUR"));

        const CliRun json = runTollgatedCli(base + QStringList{"--format", "json"});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonDocument doc = QJsonDocument::fromJson(json.out.toUtf8());
        const QJsonArray rows = doc.object().value("consumers").toArray();
        QCOMPARE(doc.object().value("period").toString(), period);
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].toObject().value("consumer").toString(), QString("alpha"));
        QCOMPARE(rows[0].toObject().value("overage").toInteger(), qint64(3));

        const CliRun bad = runTollgatedCli({"report", "--config", QString::fromStdString(gw.configPath()),
                                            "--period", "2026-13", "--format", "csv"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("2026-13"), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(ConsumptionTest)
#include "consumption_test.moc"

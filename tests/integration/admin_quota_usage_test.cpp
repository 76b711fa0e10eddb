// Operator actions and consumption through the admin API: quota reset and top-up, and GET /usage with
// its parameters.

#include "admin_client.h"
#include "integration.h"

#include <QJsonArray>

#include <thread>

using namespace tollgate::test;

class AdminQuotaUsageTest : public QObject {
    Q_OBJECT

private:
    TollgatedProcess m_gateway;

    uint16_t admin() const { return m_gateway.adminPort(); }

    void callOrders(const std::string& consumer, int n) {
        for (int i = 0; i < n; ++i) {
            const auto r = roundTrip(m_gateway.port(), buildRequest("GET", "/orders/v1/" + std::to_string(i),
                                                                    {{"apikey", keyOf(consumer)}}));
            TG_EXPECT_STATUS(r, 200, nullptr);
        }
    }

    QJsonObject quotaOf(const std::string& consumer) {
        const auto r = adminCall(admin(), "GET", "/usage?consumer=" + consumer);
        if (!r || r->status != 200) {
            qWarning("%s", describe(r).c_str());
            return {};
        }
        return jsonBody(*r).value("quota").toObject();
    }

private slots:
    void initTestCase() {
        m_gateway.setEnv("TOLLGATE_ADMIN_TOKEN", kAdminToken);
        TG_START(m_gateway, adminGatewayYaml());
    }

    void usage_answersShapeWithLiveQuota() {
        callOrders("acme", 3);
        const auto r = adminCall(admin(), "GET", "/usage?consumer=acme&granularity=hour");
        TG_EXPECT_STATUS(r, 200, nullptr);
        const QJsonObject u = jsonBody(*r);
        QCOMPARE(u.value("consumer").toString(), QString("acme"));
        QCOMPARE(u.value("granularity").toString(), QString("hour"));
        for (const char* key :
             {"from", "to", "requests", "by_status", "latency_ms", "quota", "rate_limits", "series"}) {
            QVERIFY2(u.contains(key), key);
        }
        QVERIFY(u.value("from").toString().endsWith('Z'));
        for (const char* key : {"p50", "p95", "p99"}) {
            QVERIFY2(u.value("latency_ms").toObject().contains(key), key);
        }
        const QJsonObject q = u.value("quota").toObject();
        QCOMPARE(q.value("limit").toInt(), 100);
        QCOMPARE(q.value("used").toInt(), 3);
        QCOMPARE(q.value("remaining").toInt(), 97);
        QVERIFY(q.value("resets_at").toString().endsWith("T00:00:00Z"));
    }

    // The history half of /usage: once the writer's second has passed, the store's aggregates hold
    // exactly the requests made, by status class, with one point in the series.
    void usage_historyCountsWhatWasSent() {
        callOrders("beta", 4);
        const auto r0 =
            roundTrip(m_gateway.port(), buildRequest("GET", "/orders/v1/x", {{"apikey", "wrong"}}));
        TG_EXPECT_STATUS(r0, 401, nullptr); // unknown key: not beta's
        QJsonObject u;
        for (int i = 0; i < 60; ++i) { // the writer adds pending deltas about once a second
            const auto r = adminCall(admin(), "GET", "/usage?consumer=beta&granularity=minute");
            TG_EXPECT_STATUS(r, 200, nullptr);
            u = jsonBody(*r);
            if (u.value("requests").toInt() >= 4) {
                break;
            }
            std::this_thread::sleep_for(100ms);
        }
        QCOMPARE(u.value("requests").toInt(), 4);
        QCOMPARE(u.value("by_status").toObject().value("2xx").toInt(), 4);
        const QJsonArray series = u.value("series").toArray();
        int inSeries = 0;
        for (const auto& p : series) {
            inSeries += p.toObject().value("requests").toInt();
        }
        QCOMPARE(inSeries, 4);
    }

    void usage_explicitRange() {
        const auto r = adminCall(
            admin(), "GET", "/usage?consumer=acme&from=2026-12-01T00:00:00Z&to=1796169600&granularity=day");
        TG_EXPECT_STATUS(r, 200, nullptr);
        QCOMPARE(jsonBody(*r).value("from").toString(), QString("2026-12-01T00:00:00Z"));
        QCOMPARE(jsonBody(*r).value("to").toString(), QString("2026-12-02T00:00:00Z"));
    }

    void usage_unknownConsumer_404() {
        const auto r = adminCall(admin(), "GET", "/usage?consumer=nobody");
        TG_EXPECT_STATUS(r, 404, nullptr);
        QCOMPARE(jsonBody(*r).value("error").toString(), QString("consumer.unknown"));
    }

    void usage_badParameters_400NamingThem() {
        const std::pair<const char*, const char*> cases[] = {
            {"/usage?consumer=acme&from=yesterday", "from"},
            {"/usage?consumer=acme&to=2026-13-01T00:00:00Z", "to"},
            {"/usage?consumer=acme&granularity=week", "granularity"},
            {"/usage", "consumer"},
        };
        for (const auto& [target, name] : cases) {
            const auto r = adminCall(admin(), "GET", target);
            TG_EXPECT_STATUS(r, 400, nullptr);
            QCOMPARE(jsonBody(*r).value("error").toString(), QString("request.bad_parameter"));
            QVERIFY2(jsonBody(*r).value("message").toString().startsWith(QString(name) + ":"), target);
        }
    }

    void quotaReset_zeroesTheCount() {
        callOrders("acme", 2);
        QVERIFY(quotaOf("acme").value("used").toInt() >= 2);
        const auto r = adminCall(admin(), "POST", "/consumers/acme/quota/reset");
        TG_EXPECT_STATUS(r, 200, nullptr);
        QCOMPARE(jsonBody(*r).value("quota").toObject().value("used").toInt(), 0);
        QCOMPARE(quotaOf("acme").value("used").toInt(), 0);
        QCOMPARE(quotaOf("acme").value("remaining").toInt(), 100);
    }

    void quotaTopUp_addsRequests() {
        const auto r = adminCall(admin(), "POST", "/consumers/acme/quota/topup", R"({"requests": 50})",
                                 {{"Content-Type", "application/json"}});
        TG_EXPECT_STATUS(r, 200, nullptr);
        const QJsonObject q = quotaOf("acme");
        QCOMPARE(q.value("limit").toInt(), 150);
        QCOMPARE(q.value("bonus").toInt(), 50);
    }

    void quotaTopUp_badBody_400() {
        for (const char* body : {"", "{}", R"({"requests": -3})", R"({"requests": "many"})", "not json"}) {
            const auto r = adminCall(admin(), "POST", "/consumers/acme/quota/topup", body);
            TG_EXPECT_STATUS(r, 400, nullptr);
        }
    }

    void quotaActions_unknownConsumer_404_noQuota_409() {
        const auto unknown = adminCall(admin(), "POST", "/consumers/nobody/quota/reset");
        TG_EXPECT_STATUS(unknown, 404, nullptr);
        QCOMPARE(jsonBody(*unknown).value("error").toString(), QString("consumer.unknown"));
        const auto none = adminCall(admin(), "POST", "/consumers/beta/quota/reset");
        TG_EXPECT_STATUS(none, 409, nullptr);
        QCOMPARE(jsonBody(*none).value("error").toString(), QString("quota.none"));
        const auto topUp = adminCall(admin(), "POST", "/consumers/beta/quota/topup", R"({"requests": 5})");
        TG_EXPECT_STATUS(topUp, 409, nullptr);
    }
};

QTEST_GUILESS_MAIN(AdminQuotaUsageTest)
#include "admin_quota_usage_test.moc"

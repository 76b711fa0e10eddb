// The admin API through a real tollgated: refusal to start without a token, bearer authentication,
// routing, HTTP strictness, GET /status and GET /metrics.

#include "admin_client.h"
#include "integration.h"

#include <QRegularExpression>

using namespace tollgate::test;

namespace {

std::string sendOrder(uint16_t port, const std::string& consumer) {
    const auto r = roundTrip(port, buildRequest("GET", "/orders/v1/42", {{"apikey", keyOf(consumer)}}));
    return r ? std::to_string(r->status) : "none";
}

} // namespace

class AdminApiTest : public QObject {
    Q_OBJECT

private:
    TollgatedProcess m_gateway;

    bool startGateway() {
        m_gateway.setEnv("TOLLGATE_ADMIN_TOKEN", kAdminToken);
        return m_gateway.start(adminGatewayYaml()) && m_gateway.adminPort() != 0;
    }

private slots:
    void initTestCase() { QVERIFY2(startGateway(), m_gateway.diagnostics().c_str()); }

    void refusesToStartWithoutToken() {
        TollgatedProcess p;
        p.setEnv("TOLLGATE_ADMIN_TOKEN", "");
        QVERIFY(!p.start(adminGatewayYaml(), {}, 1, 5s));
        QCOMPARE(p.waitForExit(5s), std::optional<int>(1));
        QVERIFY2(
            p.stderrText().find("gateway.admin: the environment variable TOLLGATE_ADMIN_TOKEN is empty") !=
                std::string::npos,
            p.diagnostics().c_str());
        QCOMPARE(p.countInStdout("listening on"), size_t(0));
    }

    void refusesToStartWithShortToken() {
        TollgatedProcess p;
        p.setEnv("TOLLGATE_ADMIN_TOKEN", "short-token");
        QVERIFY(!p.start(adminGatewayYaml(), {}, 1, 5s));
        QCOMPARE(p.waitForExit(5s), std::optional<int>(1));
        QVERIFY2(p.stderrText().find("at least 16") != std::string::npos, p.diagnostics().c_str());
    }

    void readsTokenFromTheNamedVariable() {
        TollgatedProcess p;
        p.setEnv("MY_ADMIN_TOKEN", "another-token-of-enough-length");
        TG_START(p, adminGatewayYaml({}, "    token_env: MY_ADMIN_TOKEN\n"));
        const auto r = adminCall(p.adminPort(), "GET", "/status", {}, {}, "another-token-of-enough-length");
        TG_EXPECT_STATUS(r, 200, nullptr);
    }

    void missingToken_401() {
        const auto r = adminCall(m_gateway.adminPort(), "GET", "/status", {}, {}, "");
        TG_EXPECT_STATUS(r, 401, nullptr);
        QVERIFY(r->header("WWW-Authenticate").starts_with("Bearer"));
        QCOMPARE(jsonBody(*r).value("error").toString(), QString("auth.missing"));
        QVERIFY(!jsonBody(*r).value("message").toString().isEmpty());
    }

    void invalidToken_401() {
        for (const char* token : {"wrong-token-of-enough-length", "test-admin-token-012345678", "x"}) {
            const auto r = adminCall(m_gateway.adminPort(), "GET", "/status", {}, {}, token);
            TG_EXPECT_STATUS(r, 401, nullptr);
            QVERIFY(r->header("WWW-Authenticate").starts_with("Bearer"));
            QCOMPARE(jsonBody(*r).value("error").toString(), QString("auth.invalid"));
        }
        const auto basic = roundTrip(m_gateway.adminPort(),
                                     buildRequest("GET", "/status", {{"Authorization", "Basic YTpi"}}));
        TG_EXPECT_STATUS(basic, 401, nullptr);
        QCOMPARE(jsonBody(*basic).value("error").toString(), QString("auth.invalid"));
    }

    void unknownPathNeedsTokenToo() {
        const auto anonymous = adminCall(m_gateway.adminPort(), "GET", "/nothing-here", {}, {}, "");
        TG_EXPECT_STATUS(anonymous, 401, nullptr);
        const auto r = adminCall(m_gateway.adminPort(), "GET", "/nothing-here");
        TG_EXPECT_STATUS(r, 404, nullptr);
        QCOMPARE(jsonBody(*r).value("error").toString(), QString("admin.no_route"));
    }

    void wrongMethod_405WithAllow() {
        const auto r = adminCall(m_gateway.adminPort(), "DELETE", "/config");
        TG_EXPECT_STATUS(r, 405, nullptr);
        QCOMPARE(r->header("Allow"), std::string("GET, PUT"));
        QCOMPARE(jsonBody(*r).value("error").toString(), QString("admin.method"));
        const auto post = adminCall(m_gateway.adminPort(), "GET", "/consumers/acme/quota/reset");
        TG_EXPECT_STATUS(post, 405, nullptr);
        QCOMPARE(post->header("Allow"), std::string("POST"));
    }

    void status_describesTheNode() {
        const auto r = adminCall(m_gateway.adminPort(), "GET", "/status");
        TG_EXPECT_STATUS(r, 200, nullptr);
        QCOMPARE(r->header("Content-Type"), std::string("application/json"));
        const QJsonObject s = jsonBody(*r);
        QCOMPARE(s.value("config_digest").toString().toStdString(),
                 "sha256:" + sha256Hex(readFile(m_gateway.configPath())));
        QCOMPARE(s.value("config_path").toString().toStdString(), m_gateway.configPath());
        const QJsonArray listeners = s.value("listeners").toArray();
        QCOMPARE(listeners.size(), 1);
        QCOMPARE(listeners[0].toString().toStdString(),
                 "http://127.0.0.1:" + std::to_string(m_gateway.port()));
        for (const char* key :
             {"version", "uptime_seconds", "workers", "open_connections", "requests", "store_path",
              "store_error", "access_log_path", "access_log_error", "records_dropped"}) {
            QVERIFY2(s.contains(key), key);
        }
        QCOMPARE(s.value("workers").toInt(), 1);
    }

    void metrics_isPrometheusText() {
        QCOMPARE(sendOrder(m_gateway.port(), "acme"), std::string("200"));
        const auto r = adminCall(m_gateway.adminPort(), "GET", "/metrics");
        TG_EXPECT_STATUS(r, 200, nullptr);
        QVERIFY(r->header("Content-Type").starts_with("text/plain; version=0.0.4"));
        const QRegularExpression sample(
            QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*"
                           "(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? "
                           "([-+]?[0-9.]+([eE][-+]?[0-9]+)?|NaN|[-+]Inf)( -?[0-9]+)?$"));
        int samples = 0;
        for (const QString& line : QString::fromStdString(r->body).split('\n')) {
            if (line.isEmpty() || line.startsWith('#')) {
                continue;
            }
            QVERIFY2(sample.match(line).hasMatch(), qPrintable(line));
            ++samples;
        }
        QVERIFY(samples > 0);
    }

    void keepsTheConnectionAlive() {
        RawClient c;
        QVERIFY(c.connect(m_gateway.adminPort()));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(c.send(
                buildRequest("GET", "/status", {{"Authorization", std::string("Bearer ") + kAdminToken}})));
            const auto r = c.readResponse(5s);
            TG_EXPECT_STATUS(r, 200, &c);
            QVERIFY(!r->hasHeader("Connection"));
        }
    }

    void chunkedBody_411() {
        RawClient c;
        QVERIFY(c.connect(m_gateway.adminPort()));
        QVERIFY(c.send(buildRequest(
            "PUT", "/config",
            {{"Authorization", std::string("Bearer ") + kAdminToken}, {"Transfer-Encoding", "chunked"}},
            chunkedEncode("version: 1\n"))));
        const auto r = c.readResponse(5s);
        TG_EXPECT_STATUS(r, 411, &c);
        QCOMPARE(jsonBody(*r).value("error").toString(), QString("request.chunked"));
        QVERIFY(c.waitForClose(3s));
    }

    void oversizedHead_431() {
        const std::string big(20 * 1024, 'a');
        const auto r = adminCall(m_gateway.adminPort(), "GET", "/status", {}, {{"X-Big", big}});
        TG_EXPECT_STATUS(r, 431, nullptr);
        QVERIFY(!jsonBody(*r).value("error").toString().isEmpty());
    }

    void oversizedBody_413() {
        RawClient c;
        QVERIFY(c.connect(m_gateway.adminPort()));
        QVERIFY(c.send("PUT /config HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " +
                       std::string(kAdminToken) + "\r\nContent-Length: 16777217\r\n\r\n"));
        const auto r = c.readResponse(5s);
        TG_EXPECT_STATUS(r, 413, &c);
        const auto small = adminCall(m_gateway.adminPort(), "POST", "/consumers/acme/quota/topup",
                                     std::string(70 * 1024, ' '));
        TG_EXPECT_STATUS(small, 413, nullptr);
    }

    void slowHead_408() {
        RawClient c;
        QVERIFY(c.connect(m_gateway.adminPort()));
        QVERIFY(c.send("GET /status HTTP/1.1\r\nHost: a\r\n"));
        const auto r = c.readResponse(5s);
        TG_EXPECT_STATUS(r, 408, &c);
        QCOMPARE(jsonBody(*r).value("error").toString(), QString("request.timeout"));
        QVERIFY(c.waitForClose(3s));
    }

    void malformedRequest_400AsJson() {
        const auto r =
            roundTrip(m_gateway.adminPort(), "GET /status HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n");
        TG_EXPECT_STATUS(r, 400, nullptr);
        QVERIFY(!jsonBody(*r).value("error").toString().isEmpty());
    }

    void gatewayStillServesWhileAdminIsBusy() {
        RawClient idle;
        QVERIFY(idle.connect(m_gateway.adminPort()));
        QVERIFY(idle.send("GET /sta"));
        QCOMPARE(sendOrder(m_gateway.port(), "acme"), std::string("200"));
    }

    void cleanupTestCase() {
        QCOMPARE(m_gateway.terminate(), std::optional<int>(0));
        QVERIFY(m_gateway.stdoutText().find("tollgated: stopped") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(AdminApiTest)
#include "admin_api_test.moc"

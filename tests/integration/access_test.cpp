// The whole decision table of docs/config.md through the real binary and a real upstream:
// IP rules, lifecycle, authentication (API key, HS256 JWT), authorization (plan and consumer
// grants, denies), credential stripping and X-Consumer, and path tricks that must not reach a
// denied route.

#include "integration.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

using namespace tollgate::test;

namespace {

const char* kJwtSecret = "integration-test-secret-0123456789";
// moc cannot read raw string literals, hence the escapes.
const std::string kIssuerClaim = "{\"iss\":\"https:\x2f/auth.acme.test\"";

std::string b64url(const QByteArray& data) {
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals).toStdString();
}

std::string hs256Token(const std::string& payloadJson) {
    const std::string head = b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    const std::string body = b64url(QByteArray::fromStdString(payloadJson));
    const std::string signingInput = head + "." + body;
    const QByteArray mac = QMessageAuthenticationCode::hash(
        QByteArray::fromStdString(signingInput), QByteArray(kJwtSecret), QCryptographicHash::Sha256);
    return signingInput + "." + b64url(mac);
}

std::string configFor(const TestUpstream& upstream, const std::string& gatewayExtra = {}) {
    return ordersGatewayYaml(upstream, gatewayExtra) +
           "    strip_base_path: true\n"
           "    auth: [key, jwt]\n"
           "    routes:\n"
           "      - { name: list, methods: [GET], path: / }\n"
           "      - { name: get, methods: [GET], path: \"/{id}\" }\n"
           "      - { name: create, methods: [POST], path: / }\n"
           "      - { name: admin, methods: [GET, POST, DELETE], path: \"/admin/*\" }\n"
           "  - name: legacy\n"
           "    version: v0\n"
           "    lifecycle: deprecated\n"
           "    sunset: 2027-06-30\n"
           "    base_path: /legacy\n"
           "    service: backend\n"
           "    auth: [key]\n"
           "    routes: [ { name: all, methods: [GET], path: \"/*\" } ]\n"
           "  - name: gone\n"
           "    version: v0\n"
           "    lifecycle: retired\n"
           "    base_path: /gone\n"
           "    service: backend\n"
           "    public: true\n"
           "    routes: [ { name: all, path: \"/*\" } ]\n"
           "  - name: soon\n"
           "    version: v9\n"
           "    lifecycle: draft\n"
           "    base_path: /soon\n"
           "    service: backend\n"
           "    public: true\n"
           "    routes: [ { name: all, path: \"/*\" } ]\n"
           "plans:\n"
           "  - name: free\n"
           "    grants:\n"
           "      - { api: orders, routes: [list, get] }\n"
           "      - { api: legacy, routes: [\"*\"] }\n"
           "  - name: partner\n"
           "    grants:\n"
           "      - { api: orders, routes: [\"*\"], methods: [GET, POST] }\n"
           "consumers:\n"
           "  - name: acme\n"
           "    plan: free\n"
           "    credentials:\n"
           "      - { type: key, id: acme-1, hash: \"" +
           keyHash("acme-secret-key") +
           "\" }\n"
           "      - { type: jwt, issuer: \"https://auth.acme.test\", secret_env: TG_TEST_ACME_JWT }\n"
           "    grants: [ { api: orders, routes: [create] } ]\n"
           "    denies: [ { api: orders, routes: [admin] } ]\n"
           "  - name: globex\n"
           "    plan: partner\n"
           "    credentials: [ { type: key, id: g1, hash: \"" +
           keyHash("globex-key") +
           "\" } ]\n"
           "  - name: sleepy\n"
           "    plan: partner\n"
           "    status: suspended\n"
           "    credentials: [ { type: key, id: s1, hash: \"" +
           keyHash("sleepy-key") +
           "\" } ]\n"
           "  - name: boxed\n"
           "    plan: partner\n"
           "    ip_allow: [\"10.0.0.0/8\"]\n"
           "    credentials: [ { type: key, id: b1, hash: \"" +
           keyHash("boxed-key") +
           "\" } ]\n"
           "ip_rules:\n"
           "  deny: [\"203.0.113.0/24\"]\n";
}

std::optional<HttpResponse> call(uint16_t port, const std::string& method, const std::string& target,
                                 const HeaderList& headers = {}, const std::string& body = {}) {
    return roundTrip(port, buildRequest(method, target, headers, body));
}

} // namespace

class AccessTest : public QObject {
    Q_OBJECT

    TestUpstream m_upstream;
    TollgatedProcess m_gw;

    uint16_t port() const { return m_gw.port(); }

private slots:
    void initTestCase() {
        qputenv("TG_TEST_ACME_JWT", kJwtSecret);
        TG_START(m_gw, configFor(m_upstream));
    }

    void missingCredentialIs401WithChallenge() {
        const size_t before = m_upstream.requestCount();
        const auto r = call(port(), "GET", "/orders/v1/");
        expectRefused(r, 401, "auth.missing");
        QVERIFY(!r->header("WWW-Authenticate").empty());
        QCOMPARE(m_upstream.requestCount(), before);
    }

    void wrongKeyIs401Invalid() {
        expectRefused(call(port(), "GET", "/orders/v1/", {{"apikey", "acme-secret-kez"}}), 401,
                      "auth.invalid");
        expectRefused(call(port(), "GET", "/orders/v1/", {{"apikey", "acme-secret-key-and-more"}}), 401,
                      "auth.invalid");
    }

    void planGrantPassesWithConsumerHeaderAndNoCredential() {
        const size_t before = m_upstream.requestCount();
        const auto r =
            call(port(), "GET", "/orders/v1/42?x=1", {{"apikey", "acme-secret-key"}, {"X-Consumer", "evil"}});
        TG_EXPECT_STATUS(r, 200, nullptr);
        QVERIFY(m_upstream.waitForRequests(before + 1));
        const RecordedRequest req = m_upstream.requests().back();
        QCOMPARE(req.target, std::string("/42?x=1"));
        QCOMPARE(req.header("X-Consumer"), std::string("acme"));
        QCOMPARE(req.headerCount("X-Consumer"), 1);
        QVERIFY2(!req.hasHeader("apikey"), req.rawHead.c_str());
    }

    void consumerGrantAddsToPlan() {
        TG_EXPECT_STATUS(call(port(), "POST", "/orders/v1/", {{"apikey", "acme-secret-key"}}, "{}"), 200,
                         nullptr);
    }

    void notGrantedIs403NoGrant() {
        // partner grants GET and POST only: DELETE is not granted.
        expectRefused(call(port(), "DELETE", "/orders/v1/admin/x", {{"apikey", "globex-key"}}), 403,
                      "deny.no_grant");
        // ... while POST is:
        TG_EXPECT_STATUS(call(port(), "POST", "/orders/v1/", {{"apikey", "globex-key"}}, "{}"), 200, nullptr);
    }

    void denyWinsOverGrant() {
        expectRefused(call(port(), "GET", "/orders/v1/admin/users", {{"apikey", "acme-secret-key"}}), 403,
                      "deny.explicit");
    }

    void suspendedConsumerIs403() {
        expectRefused(call(port(), "GET", "/orders/v1/", {{"apikey", "sleepy-key"}}), 403,
                      "consumer.suspended");
    }

    void consumerIpAllowIsEnforced() {
        expectRefused(call(port(), "GET", "/orders/v1/", {{"apikey", "boxed-key"}}), 403, "ip.denied");
    }

    void keyInQueryIsRefusedUnlessOptedIn() {
        const auto r = call(port(), "GET", "/orders/v1/?apikey=acme-secret-key");
        TG_EXPECT_STATUS(r, 401, nullptr);
    }

    void jwtPassesAndAuthorizationIsStripped() {
        const int64_t now = QDateTime::currentSecsSinceEpoch();
        const std::string token = hs256Token(kIssuerClaim + std::string(",\"sub\":\"u1\",\"exp\":") +
                                             std::to_string(now + 300) + "}");
        const size_t before = m_upstream.requestCount();
        const auto r = call(port(), "GET", "/orders/v1/7", {{"Authorization", "Bearer " + token}});
        TG_EXPECT_STATUS(r, 200, nullptr);
        QVERIFY(m_upstream.waitForRequests(before + 1));
        const RecordedRequest req = m_upstream.requests().back();
        QCOMPARE(req.header("X-Consumer"), std::string("acme"));
        QVERIFY2(!req.hasHeader("Authorization"), req.rawHead.c_str());
    }

    void expiredJwtIs401() {
        const int64_t now = QDateTime::currentSecsSinceEpoch();
        const std::string token =
            hs256Token(kIssuerClaim + std::string(",\"exp\":") + std::to_string(now - 3600) + "}");
        expectRefused(call(port(), "GET", "/orders/v1/7", {{"Authorization", "Bearer " + token}}), 401,
                      "auth.invalid");
    }

    void deprecatedApiAnswersWithDeprecationAndSunset() {
        const auto r = call(port(), "GET", "/legacy/thing", {{"apikey", "acme-secret-key"}});
        TG_EXPECT_STATUS(r, 200, nullptr);
        QCOMPARE(r->header("Deprecation"), std::string("true"));
        QCOMPARE(r->header("Sunset"), std::string("Wed, 30 Jun 2027 00:00:00 GMT"));
    }

    void retiredIs410AndDraftIs404() {
        expectRefused(call(port(), "GET", "/gone/x"), 410, "api.retired");
        expectRefused(call(port(), "GET", "/soon/x"), 404, "api.draft");
    }

    void pathTricksCannotReachADeniedRoute_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("status");
        QTest::newRow("percent-encoded letter") << "/orders/v1/%61dmin/x" << 403;
        QTest::newRow("double slash") << "/orders/v1//admin/x" << 403;
        QTest::newRow("dot segment") << "/orders/v1/./admin/x" << 403;
        QTest::newRow("dot-dot") << "/orders/v1/x/../admin/x" << 403;
        QTest::newRow("encoded dot-dot") << "/orders/v1/x/%2e%2e/admin/x" << 403;
        QTest::newRow("path parameters") << "/orders/v1/admin;x/x" << 400;
        QTest::newRow("encoded slash") << "/orders/v1/admin%2Fx" << 400;
        QTest::newRow("backslash") << "/orders/v1/admin\\x" << 400;
        QTest::newRow("case") << "/orders/v1/ADMIN" << 200; // paths are case-sensitive: route get, not admin
    }
    void pathTricksCannotReachADeniedRoute() {
        QFETCH(QString, target);
        QFETCH(int, status);
        const size_t before = m_upstream.requestCount();
        const auto r = call(port(), "GET", target.toStdString(), {{"apikey", "acme-secret-key"}});
        TG_EXPECT_STATUS(r, status, nullptr);
        if (status != 200) {
            QCOMPARE(m_upstream.requestCount(), before);
        } else {
            QVERIFY(m_upstream.waitForRequests(before + 1));
            const RecordedRequest req = m_upstream.requests().back();
            QVERIFY2(req.path().find("admin") == std::string::npos, req.target.c_str());
        }
    }

    void gatewayIpDenyUsesTrustedForwardedFor() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream, "  trusted_proxies: [\"127.0.0.1/32\"]\n"));
        const auto denied =
            roundTrip(gw.port(), buildRequest("GET", "/gone/x", {{"X-Forwarded-For", "203.0.113.9"}}));
        TG_EXPECT_STATUS(denied, 403, nullptr);
        QCOMPARE(jsonReason(*denied), std::string("ip.denied"));
        // Without a trusted proxy, the header is not believed: the socket address decides.
        const auto other = call(port(), "GET", "/gone/x", {{"X-Forwarded-For", "203.0.113.9"}});
        TG_EXPECT_STATUS(other, 410, nullptr);
        QCOMPARE(upstream.requestCount(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(AccessTest)
#include "access_test.moc"

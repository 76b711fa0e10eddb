// The admin API's pure pieces: the bearer token check, instants in query parameters, path routing and
// query decoding.

#include "admin/admin_message.h"
#include "admin/admin_router.h"
#include "admin/admin_token.h"
#include "admin/utc_time.h"

#include <QtTest>

using namespace tollgate::admin;

class AdminPiecesTest : public QObject {
    Q_OBJECT

private slots:
    void token_acceptsOnlyTheExactBearer() {
        const AdminToken token("0123456789abcdef-token");
        QCOMPARE(token.check(std::string_view("Bearer 0123456789abcdef-token")), AdminToken::Check::Ok);
        QCOMPARE(token.check(std::string_view("bearer 0123456789abcdef-token")), AdminToken::Check::Ok);
        QCOMPARE(token.check(std::nullopt), AdminToken::Check::Missing);
        QCOMPARE(token.check(std::string_view("Bearer 0123456789abcdef-toke")), AdminToken::Check::Invalid);
        QCOMPARE(token.check(std::string_view("Bearer 0123456789abcdef-token ")), AdminToken::Check::Invalid);
        QCOMPARE(token.check(std::string_view("Bearer")), AdminToken::Check::Invalid);
        QCOMPARE(token.check(std::string_view("Basic 0123456789abcdef-token")), AdminToken::Check::Invalid);
        QCOMPARE(token.check(std::string_view("")), AdminToken::Check::Invalid);
    }

    void token_fromEnvironment_refusesEmptyAndShort() {
        std::string error;
        qputenv("TG_TEST_ADMIN_TOKEN", "");
        QVERIFY(!AdminToken::fromEnvironment("TG_TEST_ADMIN_TOKEN", error));
        QVERIFY(error.find("TG_TEST_ADMIN_TOKEN is empty") != std::string::npos);
        qputenv("TG_TEST_ADMIN_TOKEN", "fifteen-chars!!");
        QVERIFY(!AdminToken::fromEnvironment("TG_TEST_ADMIN_TOKEN", error));
        QVERIFY(error.find("at least 16") != std::string::npos);
        qputenv("TG_TEST_ADMIN_TOKEN", "sixteen-chars!!!");
        const auto token = AdminToken::fromEnvironment("TG_TEST_ADMIN_TOKEN", error);
        QVERIFY(token);
        QCOMPARE(token->check(std::string_view("Bearer sixteen-chars!!!")), AdminToken::Check::Ok);
        qunsetenv("TG_TEST_ADMIN_TOKEN");
        QVERIFY(!AdminToken::fromEnvironment("TG_TEST_ADMIN_TOKEN", error));
    }

    void instant_parsesUnixSecondsAndRfc3339() {
        QCOMPARE(parseInstant("1796083200"), std::optional<int64_t>(1796083200));
        QCOMPARE(parseInstant("2026-12-01T00:00:00Z"), std::optional<int64_t>(1796083200));
        QCOMPARE(parseInstant("2026-12-01t00:00:00z"), std::optional<int64_t>(1796083200));
        QCOMPARE(parseInstant("2026-12-01T00:00:00.999Z"), std::optional<int64_t>(1796083200));
        QCOMPARE(parseInstant("2026-12-01T01:30:00+01:30"), std::optional<int64_t>(1796083200));
        QCOMPARE(parseInstant("2024-02-29T12:00:00Z"), std::optional<int64_t>(1709208000));
        QCOMPARE(parseInstant("1969-12-31T23:59:59Z"), std::optional<int64_t>(-1));
    }

    void instant_refusesTheRest() {
        for (const char* bad :
             {"", "yesterday", "2026-12-01", "2026-12-01T00:00:00", "2026-13-01T00:00:00Z",
              "2026-02-29T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T00:00:60Z", "2026-12-01 00:00:00Z",
              "2026-12-01T00:00:00.Z", "-5", "12a", "99999999999999999999999"}) {
            QVERIFY2(!parseInstant(bad), bad);
        }
    }

    void instant_formatsRoundTrip() {
        QCOMPARE(formatRfc3339(1796083200), std::string("2026-12-01T00:00:00Z"));
        QCOMPARE(formatRfc3339(0), std::string("1970-01-01T00:00:00Z"));
        QCOMPARE(formatRfc3339(-1), std::string("1969-12-31T23:59:59Z"));
        for (int64_t t : {int64_t(1709208000), int64_t(1801439940), int64_t(951782400)}) {
            QCOMPARE(parseInstant(formatRfc3339(t)), std::optional<int64_t>(t));
        }
    }

    void router_fixedPaths() {
        QCOMPARE(matchRoute("GET", "/status").endpoint, Endpoint::Status);
        QCOMPARE(matchRoute("GET", "/traffic/stream").endpoint, Endpoint::TrafficStream);
        QCOMPARE(matchRoute("PUT", "/config").endpoint, Endpoint::PutConfig);
        QCOMPARE(matchRoute("GET", "/config").endpoint, Endpoint::GetConfig);
        const RouteMatch wrong = matchRoute("POST", "/config");
        QCOMPARE(wrong.kind, RouteMatch::Kind::WrongMethod);
        QCOMPARE(wrong.allow, std::string("GET, PUT"));
        QCOMPARE(matchRoute("GET", "/status/").kind, RouteMatch::Kind::NoRoute);
        QCOMPARE(matchRoute("GET", "/STATUS").kind, RouteMatch::Kind::NoRoute);
        QCOMPARE(matchRoute("GET", "").kind, RouteMatch::Kind::NoRoute);
    }

    void router_consumerActions() {
        const RouteMatch reset = matchRoute("POST", "/consumers/acme/quota/reset");
        QCOMPARE(reset.kind, RouteMatch::Kind::Found);
        QCOMPARE(reset.endpoint, Endpoint::QuotaReset);
        QCOMPARE(reset.consumer, std::string("acme"));
        const RouteMatch topUp = matchRoute("POST", "/consumers/team%20a/quota/topup");
        QCOMPARE(topUp.endpoint, Endpoint::QuotaTopUp);
        QCOMPARE(topUp.consumer, std::string("team a"));
        QCOMPARE(matchRoute("GET", "/consumers/acme/quota/reset").kind, RouteMatch::Kind::WrongMethod);
        QCOMPARE(matchRoute("POST", "/consumers//quota/reset").kind, RouteMatch::Kind::NoRoute);
        QCOMPARE(matchRoute("POST", "/consumers/acme/quota").kind, RouteMatch::Kind::NoRoute);
        QCOMPARE(matchRoute("POST", "/consumers/a%2/quota/reset").kind, RouteMatch::Kind::NoRoute);
        QCOMPARE(matchRoute("POST", "/consumers/a/b/quota/reset").kind, RouteMatch::Kind::NoRoute);
    }

    void router_trafficCaptureAndHeaders() {
        QCOMPARE(matchRoute("GET", "/traffic/capture").endpoint, Endpoint::GetCapture);
        QCOMPARE(matchRoute("PUT", "/traffic/capture").endpoint, Endpoint::PutCapture);
        const RouteMatch heads = matchRoute("GET", "/traffic/42");
        QCOMPARE(heads.kind, RouteMatch::Kind::Found);
        QCOMPARE(heads.endpoint, Endpoint::TrafficHeaders);
        QCOMPARE(heads.seq, uint64_t(42));
        QCOMPARE(matchRoute("DELETE", "/traffic/42").kind, RouteMatch::Kind::WrongMethod);
        QCOMPARE(matchRoute("GET", "/traffic/0").kind, RouteMatch::Kind::NoRoute);
        QCOMPARE(matchRoute("GET", "/traffic/4x").kind, RouteMatch::Kind::NoRoute);
        QCOMPARE(matchRoute("GET", "/traffic/").kind, RouteMatch::Kind::NoRoute);
        QCOMPARE(matchRoute("GET", "/traffic/99999999999999999999999").kind, RouteMatch::Kind::NoRoute);
    }

    void query_decodes() {
        std::map<std::string, std::string> q;
        QVERIFY(parseQuery("consumer=team%20a&from=2026-12-01T00%3A00%3A00Z&x=a+b&flag&consumer=last", q));
        QCOMPARE(q["consumer"], std::string("last"));
        QCOMPARE(q["from"], std::string("2026-12-01T00:00:00Z"));
        QCOMPARE(q["x"], std::string("a b"));
        QCOMPARE(q["flag"], std::string(""));
        std::map<std::string, std::string> bad;
        QVERIFY(!parseQuery("a=%zz", bad));
        QVERIFY(!parseQuery("a=%4", bad));
    }

    void errors_areJsonWithACode() {
        const AdminResponse r = errorResponse(404, "admin.no_route", "no \"x\"");
        QCOMPARE(r.body, std::string("{\"error\":\"admin.no_route\",\"message\":\"no \\\"x\\\"\"}\n"));
        const std::string wire = serializeResponse(r, false);
        QVERIFY(wire.starts_with("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"));
        QVERIFY(wire.find("\r\nConnection: close\r\n") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(AdminPiecesTest)
#include "admin_pieces_test.moc"

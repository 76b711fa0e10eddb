// Upstream failures: refused connections (502 upstream.error), silent upstreams (504 upstream.timeout),
// retries of idempotent requests only, passive ejection of a failing target.

#include "integration.h"

#include <map>

using namespace tollgate::test;

class UpstreamFailureTest : public QObject {
    Q_OBJECT

private slots:
    void closedPortGives502() {
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {"http://127.0.0.1:" + std::to_string(unusedPort())};
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/x")));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 502, &client);
        QCOMPARE(resp->header("X-Tollgate-Reason"), std::string("upstream.error"));
        QCOMPARE(jsonReason(*resp), std::string("upstream.error"));
    }

    void upstreamClosingWithoutAnswerGives502() {
        TestUpstream upstream;
        UpstreamResponse r;
        r.action = UpstreamResponse::Action::CloseWithoutAnswer;
        upstream.setResponse(r);
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        cfg.retries = 0;
        TG_START(gw, cfg.toYaml());

        const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/x"));
        TG_EXPECT_STATUS(resp, 502, nullptr);
        QCOMPARE(resp->header("X-Tollgate-Reason"), std::string("upstream.error"));
    }

    void silentUpstreamGives504AfterReadTimeout() {
        TestUpstream upstream;
        UpstreamResponse r;
        r.action = UpstreamResponse::Action::NeverAnswer;
        upstream.setResponse(r);
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        cfg.readTimeout = "300ms";
        cfg.retries = 0;
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/slow")));
        const auto resp = client.readResponse(8s);
        TG_EXPECT_STATUS(resp, 504, &client);
        QCOMPARE(resp->header("X-Tollgate-Reason"), std::string("upstream.timeout"));
        QCOMPARE(jsonReason(*resp), std::string("upstream.timeout"));
    }

    void upstreamErrorStatusIsPassedThrough() {
        TestUpstream upstream;
        UpstreamResponse r;
        r.status = 503;
        r.body = "maintenance";
        upstream.setResponse(r);
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        TG_START(gw, cfg.toYaml());

        const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/x"));
        TG_EXPECT_STATUS(resp, 503, nullptr);
        QCOMPARE(resp->body, std::string("maintenance"));
    }

    void getIsRetriedOnOtherTargetWhenOneIsDown() {
        TestUpstream good("good");
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {good.url(), "http://127.0.0.1:" + std::to_string(unusedPort())};
        cfg.workers = 1;
        TG_START(gw, cfg.toYaml());

        for (int i = 0; i < 20; ++i) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/r/" + std::to_string(i)));
            TG_EXPECT_STATUS(resp, 200, nullptr);
            QCOMPARE(resp->header("X-Upstream"), std::string("good"));
        }
        QCOMPARE(good.requestCount(), size_t(20));
    }

    void postIsNeverSentTwice() {
        TestUpstream good("good");
        TestUpstream bad("bad");
        UpstreamResponse r;
        r.action = UpstreamResponse::Action::CloseWithoutAnswer;
        bad.setResponse(r);
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {good.url(), bad.url()};
        cfg.workers = 1;
        cfg.serviceExtra = "    passive: { failures: 100, eject: 10s }\n";
        TG_START(gw, cfg.toYaml());

        int ok = 0;
        int badGateway = 0;
        for (int i = 0; i < 12; ++i) {
            const auto resp =
                roundTrip(gw.port(), buildRequest("POST", "/api/orders", {}, "order-" + std::to_string(i)));
            QVERIFY2(resp && (resp->status == 200 || resp->status == 502), describe(resp).c_str());
            (resp->status == 200 ? ok : badGateway) += 1;
        }
        QVERIFY(good.waitForCompleteRequests(size_t(ok)));
        std::map<std::string, int> seen;
        for (const auto& req : good.requests()) {
            ++seen[req.body];
        }
        for (const auto& req : bad.requests()) {
            ++seen[req.body];
        }
        for (const auto& [body, count] : seen) {
            QVERIFY2(count == 1, (body + " was sent " + std::to_string(count) + " times").c_str());
        }
        QVERIFY2(bad.requestCount() >= 1, "round robin never tried the failing target");
        QCOMPARE(size_t(ok), good.requestCount());
        QVERIFY2(size_t(badGateway) <= bad.requestCount(), (std::to_string(badGateway) + " 502s for " +
                                                            std::to_string(bad.requestCount()) + " failures")
                                                               .c_str());
        QCOMPARE(ok + badGateway, 12);
    }

    void failingTargetIsEjected() {
        TestUpstream good("good");
        TestUpstream bad("bad");
        UpstreamResponse r;
        r.action = UpstreamResponse::Action::CloseWithoutAnswer;
        bad.setResponse(r);
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {good.url(), bad.url()};
        cfg.workers = 1;
        cfg.serviceExtra = "    passive: { failures: 3, eject: 10s }\n";
        TG_START(gw, cfg.toYaml());

        for (int i = 0; i < 30; ++i) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/e/" + std::to_string(i)));
            TG_EXPECT_STATUS(resp, 200, nullptr);
        }
        QVERIFY2(bad.requestCount() >= 1, "the failing target was never tried");
        QVERIFY2(bad.requestCount() <= 3, ("the failing target got " + std::to_string(bad.requestCount()) +
                                           " requests; ejection after 3 failures expected")
                                              .c_str());
    }
};

QTEST_GUILESS_MAIN(UpstreamFailureTest)
#include "upstream_failure_test.moc"

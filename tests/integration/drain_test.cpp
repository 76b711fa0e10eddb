// Graceful stop: SIGTERM lets in-flight requests finish, refuses new connections, prints
// "tollgated: stopped" and exits 0; SIGINT does the same; drain_timeout bounds the wait.

#include "integration.h"

#include <csignal>
#include <thread>

using namespace tollgate::test;

namespace {

GatewayYaml slowConfig(const TestUpstream& upstream) {
    GatewayYaml cfg;
    cfg.targets = {upstream.url()};
    return cfg;
}

void slowHandler(TestUpstream& upstream) {
    upstream.setHandler([](const RecordedRequest& req) {
        UpstreamResponse r;
        r.body = "done " + req.path();
        r.delay = req.path() == "/slow" ? 1000ms : 0ms;
        return r;
    });
}

} // namespace

class DrainTest : public QObject {
    Q_OBJECT

private slots:
    void sigtermFinishesInFlightAndRefusesNew() {
        TestUpstream upstream;
        slowHandler(upstream);
        TollgatedProcess gw;
        TG_START(gw, slowConfig(upstream).toYaml());
        const uint16_t port = gw.port();

        std::optional<HttpResponse> slow;
        std::string slowError;
        std::thread slowThread([&] {
            RawClient client;
            if (client.connect(port) && client.send(buildRequest("GET", "/api/slow"))) {
                slow = client.readResponse(10s);
            }
            slowError = client.lastError();
        });
        const bool reached = upstream.waitForRequests(1, 5s);
        if (reached) {
            QVERIFY(gw.sendSignal(SIGTERM));
            std::this_thread::sleep_for(200ms);
        }

        // New connections are refused (or closed without an answer) while draining.
        std::optional<HttpResponse> late;
        RawClient lateClient;
        if (reached && lateClient.connect(port, 1s) &&
            lateClient.send(buildRequest("GET", "/api/late"), 1s)) {
            late = lateClient.readResponse(1500ms);
        }
        slowThread.join();
        QVERIFY2(reached, "slow request never reached the upstream");
        QVERIFY2(slow && slow->status == 200,
                 ("in-flight request: " + describe(slow) + " " + slowError).c_str());
        QCOMPARE(slow->body, std::string("done /slow"));
        QVERIFY2(!late, ("a new connection was served while draining: " + describe(late)).c_str());

        const auto code = gw.waitForExit(10s);
        QVERIFY2(code.has_value(), gw.diagnostics().c_str());
        QCOMPARE(*code, 0);
        QVERIFY2(gw.stdoutText().find("tollgated: stopped") != std::string::npos, gw.diagnostics().c_str());
        QCOMPARE(upstream.requestCount(), size_t(1));
    }

    void sigintStopsCleanly() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, slowConfig(upstream).toYaml());
        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/x")), 200, nullptr);
        QVERIFY(gw.sendSignal(SIGINT));
        const auto code = gw.waitForExit(10s);
        QVERIFY2(code.has_value(), gw.diagnostics().c_str());
        QCOMPARE(*code, 0);
        QVERIFY2(gw.stdoutText().find("tollgated: stopped") != std::string::npos, gw.diagnostics().c_str());
    }

    void idleKeepAliveConnectionDoesNotBlockStop() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, slowConfig(upstream).toYaml());
        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/x")));
        TG_EXPECT_STATUS(client.readResponse(), 200, &client);

        QVERIFY(gw.sendSignal(SIGTERM));
        // drain_timeout is 5s: an idle connection may be closed at once, and at the latest then.
        const auto code = gw.waitForExit(10s);
        QVERIFY2(code.has_value(), gw.diagnostics().c_str());
        QCOMPARE(*code, 0);
        QVERIFY(client.waitForClose(2s));
    }

    void drainTimeoutBoundsTheWait() {
        TestUpstream upstream;
        UpstreamResponse never;
        never.action = UpstreamResponse::Action::NeverAnswer;
        upstream.setResponse(never);
        TollgatedProcess gw;
        GatewayYaml cfg = slowConfig(upstream);
        cfg.readTimeout = "60s";
        cfg.gatewayExtra = "  drain_timeout: 1s\n";
        std::string yaml = cfg.toYaml();
        yaml.erase(yaml.find("  drain_timeout: 5s\n"), std::string("  drain_timeout: 5s\n").size());
        TG_START(gw, yaml);

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/forever")));
        QVERIFY(upstream.waitForRequests(1));
        QVERIFY(gw.sendSignal(SIGTERM));
        // Behaviour, not speed: with a 1s drain it must be gone long before the 60s read timeout.
        const auto code = gw.waitForExit(8s);
        QVERIFY2(code.has_value(),
                 ("still running 8s after SIGTERM with drain_timeout 1s\n" + gw.diagnostics()).c_str());
        QCOMPARE(*code, 0);
        QVERIFY2(gw.stdoutText().find("tollgated: stopped") != std::string::npos, gw.diagnostics().c_str());
    }
};

QTEST_GUILESS_MAIN(DrainTest)
#include "drain_test.moc"

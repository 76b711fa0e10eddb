// Active health checks through a real tollgated: a target whose /healthz fails leaves the rotation
// (logged, in /metrics) without a single failed request, and rejoins once it passes again; a stopped
// target is reported down with its reason; a service whose only target is down answers 503.

#include "admin_client.h"
#include "integration.h"
#include "prometheus_text.h"

#include <atomic>
#include <memory>

using namespace tollgate::test;

namespace {

const std::string kHealth =
    "    health: { path: /healthz, interval: 200ms, unhealthy_after: 2, healthy_after: 2 }\n";

const std::string kAdmin = "  admin:\n"
                           "    listen: \"127.0.0.1:0\"\n"
                           "    token_env: TOLLGATE_ADMIN_TOKEN\n";

// A target whose /healthz answers 500 while `failing` is set; every other path answers 200.
void serveHealth(TestUpstream& upstream, const std::shared_ptr<std::atomic<bool>>& failing) {
    upstream.setHandler([failing, name = upstream.name()](const RecordedRequest& r) {
        UpstreamResponse resp;
        if (r.path() == "/healthz") {
            resp.status = failing->load() ? 500 : 200;
            resp.body = "health";
        } else {
            resp.body = name + " " + r.method + " " + r.target;
        }
        return resp;
    });
}

// Requests that reached `upstream` other than health probes.
size_t trafficTo(const TestUpstream& upstream) {
    size_t n = 0;
    for (const RecordedRequest& r : upstream.requests()) {
        n += r.path() != "/healthz" ? 1 : 0;
    }
    return n;
}

// The value of tollgate_upstream_target_up for `target`, -1 when absent.
int targetUp(uint16_t adminPort, const std::string& target) {
    const auto r = adminCall(adminPort, "GET", "/metrics");
    if (!r || r->status != 200) {
        return -1;
    }
    std::vector<PromSample> samples;
    std::string error;
    if (!parsePrometheusText(r->body, samples, error)) {
        return -1;
    }
    for (const PromSample& s : samplesNamed(samples, "tollgate_upstream_target_up")) {
        if (s.label("service") == "backend" && s.label("target") == target) {
            return int(s.value);
        }
    }
    return -1;
}

} // namespace

class HealthCheckTest : public QObject {
    Q_OBJECT

    // Sends requests one after another until `line` shows on stdout (or 15 s pass); every one must
    // be answered 200. Returns the number sent, -1 on timeout (a failed request fails the test).
    int sendUntil(TollgatedProcess& gw, const std::string& line, int& failures) {
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        int sent = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/n/" + std::to_string(sent)));
            ++sent;
            if (!resp || resp->status != 200) {
                ++failures;
                qWarning("request %d failed: %s", sent, describe(resp).c_str());
            }
            if (gw.stdoutText().find(line) != std::string::npos) {
                return sent;
            }
        }
        return -1;
    }

private slots:
    void failingTargetLeavesAndRejoinsRotationWithoutFailedRequests() {
        TestUpstream a("a");
        TestUpstream b("b");
        auto bFailing = std::make_shared<std::atomic<bool>>(false);
        serveHealth(a, std::make_shared<std::atomic<bool>>(false));
        serveHealth(b, bFailing);
        TollgatedProcess gw;
        gw.setEnv("TOLLGATE_ADMIN_TOKEN", kAdminToken);
        GatewayYaml cfg;
        cfg.targets = {a.url(), b.url()};
        cfg.gatewayExtra = kAdmin;
        cfg.serviceExtra = kHealth;
        TG_START(gw, cfg.toYaml());
        QVERIFY(gw.adminPort() != 0);

        for (int i = 0; i < 20; ++i) {
            TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/warm")), 200, nullptr);
        }
        QVERIFY(trafficTo(a) > 0 && trafficTo(b) > 0);
        QVERIFY(b.waitForRequests(1)); // probed at start
        QCOMPARE(targetUp(gw.adminPort(), b.url()), 1);

        bFailing->store(true);
        int failures = 0;
        const std::string down = "tollgated: health: backend " + b.url() + " down (2 failures: status 500)";
        QVERIFY2(sendUntil(gw, down, failures) > 0, gw.diagnostics().c_str());
        QCOMPARE(failures, 0);
        QCOMPARE(targetUp(gw.adminPort(), b.url()), 0);
        QCOMPARE(targetUp(gw.adminPort(), a.url()), 1);
        const auto status = adminCall(gw.adminPort(), "GET", "/status");
        TG_EXPECT_STATUS(status, 200, nullptr);
        bool listed = false;
        for (const QJsonValue v : jsonBody(*status).value("health").toArray()) {
            const QJsonObject t = v.toObject();
            if (t.value("target").toString().toStdString() == b.url()) {
                listed = true;
                QCOMPARE(t.value("service").toString(), QString("backend"));
                QCOMPARE(t.value("healthy").toBool(true), false);
                QCOMPARE(t.value("last_error").toString(), QString("status 500"));
                QVERIFY(t.value("consecutive_failures").toInt() >= 2);
            }
        }
        QVERIFY2(listed, status->body.c_str());

        const size_t bBefore = trafficTo(b);
        for (int i = 0; i < 40; ++i) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/d/" + std::to_string(i)));
            TG_EXPECT_STATUS(resp, 200, nullptr);
            QCOMPARE(resp->header("X-Upstream"), std::string("a"));
        }
        QCOMPARE(trafficTo(b), bBefore);

        // A reload keeps the verdict: the target does not rejoin as a fresh one would.
        QCOMPARE(gw.reload(), TollgatedProcess::ReloadResult::Reloaded);
        for (int i = 0; i < 20; ++i) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/r/" + std::to_string(i)));
            TG_EXPECT_STATUS(resp, 200, nullptr);
            QCOMPARE(resp->header("X-Upstream"), std::string("a"));
        }
        QCOMPARE(gw.countInStdout("health: backend " + b.url() + " up"), size_t(0));

        bFailing->store(false);
        const std::string up = "tollgated: health: backend " + b.url() + " up (2 successes)";
        QVERIFY2(sendUntil(gw, up, failures) > 0, gw.diagnostics().c_str());
        QCOMPARE(failures, 0);
        QCOMPARE(targetUp(gw.adminPort(), b.url()), 1);
        const size_t bAfter = trafficTo(b);
        for (int i = 0; i < 20; ++i) {
            TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/u/" + std::to_string(i))), 200,
                             nullptr);
        }
        QVERIFY2(trafficTo(b) > bAfter, "the recovered target got no traffic");
    }

    void stoppedTargetIsReportedDownWithoutFailedRequests() {
        TestUpstream a("a");
        auto b = std::make_unique<TestUpstream>("b");
        const std::string bUrl = b->url();
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {a.url(), bUrl};
        cfg.serviceExtra = kHealth;
        TG_START(gw, cfg.toYaml());
        for (int i = 0; i < 10; ++i) {
            TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/warm")), 200, nullptr);
        }

        b.reset();
        int failures = 0;
        const std::string down =
            "tollgated: health: backend " + bUrl + " down (2 failures: connection refused)";
        QVERIFY2(sendUntil(gw, down, failures) > 0, gw.diagnostics().c_str());
        QCOMPARE(failures, 0);
        for (int i = 0; i < 20; ++i) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/d/" + std::to_string(i)));
            TG_EXPECT_STATUS(resp, 200, nullptr);
            QCOMPARE(resp->header("X-Upstream"), std::string("a"));
        }
    }

    void onlyTargetDownAnswers503Unavailable() {
        TollgatedProcess gw;
        GatewayYaml cfg;
        const std::string target = "http://127.0.0.1:" + std::to_string(unusedPort());
        cfg.targets = {target};
        cfg.serviceExtra = kHealth;
        TG_START(gw, cfg.toYaml());
        QVERIFY2(gw.waitForOutput("tollgated: health: backend " + target + " down", 10s),
                 gw.diagnostics().c_str());

        const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/x"));
        expectRefused(resp, 503, "upstream.unavailable");
    }
};

QTEST_GUILESS_MAIN(HealthCheckTest)
#include "health_check_test.moc"

// https:// upstream targets through a real tollgated: verified against a private CA (services[].tls.ca)
// with SNI, ALPN and the host-name check; impostors (self-signed, wrong name, expired, not trusted
// by the system store) refused with 502 upstream.tls and reported with OpenSSL's reason;
// tls.verify: false lets them through; pooled connections are reused and reconnects resume their
// session; active health checks probe https targets with the same trust.

#include "admin_client.h"
#include "integration.h"
#include "prometheus_text.h"
#include "test_pki.h"
#include "tls_upstream.h"

#include <QTemporaryDir>

using namespace tollgate::test;

namespace {

const std::string kAdmin = "  admin:\n"
                           "    listen: \"127.0.0.1:0\"\n"
                           "    token_env: TOLLGATE_ADMIN_TOKEN\n";

// A gateway with one worker (so one pool) in front of `targets`, trusting `caPath` when given.
GatewayYaml httpsGateway(const std::vector<std::string>& targets, const std::string& tls) {
    GatewayYaml cfg;
    cfg.workers = 1;
    cfg.retries = 0;
    cfg.targets = targets;
    if (!tls.empty()) {
        cfg.serviceExtra = "    tls: " + tls + "\n";
    }
    return cfg;
}

std::string trustCa(const std::string& caPath) {
    return "{ ca: \"" + caPath + "\" }";
}

// The value of tollgate_upstream_target_up for `target` of service backend, -1 when absent.
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

class HttpsUpstreamTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestPki m_pki;
    std::string m_caPath;

    // Sends one request and expects a refusal with upstream.tls, then the reported reason on stderr.
    void expectTlsRefusal(TollgatedProcess& gw, const std::string& target, const std::string& why) {
        const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/x"));
        expectRefused(resp, 502, "upstream.tls");
        const std::string line = "tollgated: upstream tls: backend " + target + ": " + why;
        QVERIFY2(gw.waitForOutput(line, 5s, true), gw.diagnostics().c_str());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_caPath = writePem(m_dir.path().toStdString(), "ca.pem", m_pki.caPem());
    }

    void privateCa_verifiedEndToEndWithSniAndAlpn() {
        TlsUpstream upstream(m_pki.issueServer({"localhost"}));
        TollgatedProcess gw;
        TG_START(gw, httpsGateway({upstream.url("localhost")}, trustCa(m_caPath)).toYaml());

        const auto resp = roundTrip(gw.port(), buildRequest("POST", "/api/orders?x=1", {}, "hello"));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QCOMPARE(resp->body, std::string("tls-upstream POST /orders?x=1"));
        QCOMPARE(upstream.lastServerName(), std::string("localhost"));
        QCOMPARE(upstream.lastAlpnOffer(), std::string("http/1.1"));
    }

    void ipLiteralTarget_checkedAgainstIpAddresses() {
        TlsUpstream upstream(m_pki.issueServer({"localhost"}, {"127.0.0.1"}));
        TollgatedProcess gw;
        TG_START(gw, httpsGateway({upstream.url("127.0.0.1")}, trustCa(m_caPath)).toYaml());

        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/x")), 200, nullptr);
        QCOMPARE(upstream.lastServerName(), std::string()); // no SNI for an address (RFC 6066)
    }

    void selfSignedImpostor_refusedWithUpstreamTls() {
        TlsUpstream impostor(TestPki::selfSigned({"localhost"}));
        TollgatedProcess gw;
        TG_START(gw, httpsGateway({impostor.url("localhost")}, trustCa(m_caPath)).toYaml());
        expectTlsRefusal(gw, impostor.url("localhost"), "certificate verify failed: self-signed certificate");
        QCOMPARE(impostor.requests(), 0);
    }

    void wrongHostName_refusedWithUpstreamTls() {
        TlsUpstream upstream(m_pki.issueServer({"api.other.test"}, {}));
        TollgatedProcess gw;
        TG_START(gw, httpsGateway({upstream.url("localhost")}, trustCa(m_caPath)).toYaml());
        expectTlsRefusal(gw, upstream.url("localhost"), "certificate verify failed: hostname mismatch");
        QCOMPARE(upstream.requests(), 0);
    }

    void expiredCertificate_refusedWithUpstreamTls() {
        TlsUpstream upstream(m_pki.issueServer({"localhost"}, {"127.0.0.1"}, -10, -1));
        TollgatedProcess gw;
        TG_START(gw, httpsGateway({upstream.url("localhost")}, trustCa(m_caPath)).toYaml());
        expectTlsRefusal(gw, upstream.url("localhost"), "certificate verify failed: certificate has expired");
        QCOMPARE(upstream.requests(), 0);
    }

    void privateCaWithoutTlsCa_notTrustedBySystemStore() {
        TlsUpstream upstream(m_pki.issueServer({"localhost"}));
        TollgatedProcess gw;
        TG_START(gw, httpsGateway({upstream.url("localhost")}, "").toYaml());
        expectTlsRefusal(gw, upstream.url("localhost"),
                         "certificate verify failed: unable to get local issuer certificate");
    }

    void impostorBesideGoodTarget_idempotentRequestsRetriedOnTheGoodOne() {
        TlsUpstream good(m_pki.issueServer({"localhost"}), "good");
        TlsUpstream impostor(TestPki::selfSigned({"localhost"}), "impostor");
        TollgatedProcess gw;
        GatewayYaml cfg = httpsGateway({impostor.url("localhost"), good.url("localhost")}, trustCa(m_caPath));
        cfg.retries = 1;
        TG_START(gw, cfg.toYaml());

        for (int i = 0; i < 4; ++i) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/x"));
            TG_EXPECT_STATUS(resp, 200, nullptr);
            QCOMPARE(resp->header("X-Upstream"), std::string("good"));
        }
        QCOMPARE(impostor.requests(), 0);
        QVERIFY(impostor.accepts() > 0); // it was tried, and refused at the handshake
    }

    void verifyFalse_letsImpostorThroughAndCheckWarns() {
        TlsUpstream impostor(TestPki::selfSigned({"localhost"}));
        TollgatedProcess gw;
        const std::string yaml = httpsGateway({impostor.url("localhost")}, "{ verify: false }").toYaml();
        TG_START(gw, yaml);
        const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/x"));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QCOMPARE(resp->body, std::string("tls-upstream GET /x"));

        const CliRun check = runTollgatedCli({"--check", QString::fromStdString(gw.configPath())});
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(
            check.err.contains("warning: services[0].tls.verify: TLS certificate verification is disabled"),
            qPrintable(check.err));
    }

    void keepAlive_reusesTheUpstreamTlsConnection() {
        TlsUpstream upstream(m_pki.issueServer({"localhost"}));
        TollgatedProcess gw;
        TG_START(gw, httpsGateway({upstream.url("localhost")}, trustCa(m_caPath)).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        for (int i = 0; i < 5; ++i) {
            QVERIFY(client.send(buildRequest("GET", "/api/n/" + std::to_string(i))));
            const auto resp = client.readResponse();
            TG_EXPECT_STATUS(resp, 200, &client);
            QCOMPARE(resp->body, "tls-upstream GET /n/" + std::to_string(i));
        }
        QCOMPARE(upstream.requests(), 5);
        QCOMPARE(upstream.accepts(), 1);
        QCOMPARE(upstream.handshakes(), 1);
    }

    void reconnect_resumesTheTlsSession() {
        TlsUpstream upstream(m_pki.issueServer({"localhost"}));
        upstream.setCloseAfterResponse(true);
        TollgatedProcess gw;
        TG_START(gw, httpsGateway({upstream.url("localhost")}, trustCa(m_caPath)).toYaml());

        for (int i = 0; i < 3; ++i) {
            TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/x")), 200, nullptr);
        }
        QCOMPARE(upstream.accepts(), 3);
        QCOMPARE(upstream.handshakes(), 3);
        QCOMPARE(upstream.resumed(), 2); // every reconnect after the first full handshake
    }

    void healthChecks_probeHttpsTargetsWithTheServiceTrust() {
        TlsUpstream good(m_pki.issueServer({"localhost"}), "good");
        TlsUpstream impostor(TestPki::selfSigned({"localhost"}), "impostor");
        TollgatedProcess gw;
        gw.setEnv("TOLLGATE_ADMIN_TOKEN", kAdminToken);
        GatewayYaml cfg = httpsGateway({good.url("localhost"), impostor.url("localhost")}, trustCa(m_caPath));
        cfg.gatewayExtra = kAdmin;
        cfg.serviceExtra +=
            "    health: { path: /healthz, interval: 200ms, unhealthy_after: 1, healthy_after: 1 }\n";
        TG_START(gw, cfg.toYaml());
        QVERIFY(gw.adminPort() != 0);

        const std::string down = "tollgated: health: backend " + impostor.url("localhost") + " down";
        QVERIFY2(gw.waitForOutput(down, 10s), gw.diagnostics().c_str());
        QVERIFY(good.requests() > 0); // probed over TLS, and answered
        QCOMPARE(targetUp(gw.adminPort(), good.url("localhost")), 1);
        QCOMPARE(targetUp(gw.adminPort(), impostor.url("localhost")), 0);
        QCOMPARE(impostor.requests(), 0);
        for (int i = 0; i < 4; ++i) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/x"));
            TG_EXPECT_STATUS(resp, 200, nullptr);
            QCOMPARE(resp->header("X-Upstream"), std::string("good"));
        }
    }
};

QTEST_GUILESS_MAIN(HttpsUpstreamTest)
#include "https_upstream_test.moc"

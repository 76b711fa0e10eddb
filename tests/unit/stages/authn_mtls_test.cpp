// authn_mtls: a registered fingerprint identifies its consumer, an unknown one is 401 auth.invalid,
// no certificate passes (authz answers auth.missing), suspended consumers, APIs without mtls,
// a consumer set by an earlier stage, and duplicate fingerprints refused at compile.
#include "http/request_parser.h"
#include "server/snapshot.h"
#include "stages/authn_mtls/mtls_auth_stage.h"

#include <QTest>

#include <cstring>
#include <memory>
#include <string>

using namespace tollgate;
using pipeline::RequestContext;
using stages::MtlsAuthStage;

namespace {

// Fingerprints as the connection keeps them (raw) and as the config writes them (text).
struct Fingerprint {
    uint8_t raw[32];
    std::string text;
    explicit Fingerprint(uint8_t seed) {
        static const char kHex[] = "0123456789abcdef";
        text = "sha256:";
        for (int i = 0; i < 32; ++i) {
            raw[i] = static_cast<uint8_t>(seed * 31 + i * 7);
            text += kHex[raw[i] >> 4];
            text += kHex[raw[i] & 15];
        }
    }
};

const Fingerprint kAcme(1), kGlobex(2), kNobody(3), kBoth(4);

std::string config(const std::string& extraConsumers = "") {
    return "version: 1\n"
           "services:\n"
           "  - { name: backend, targets: [{ url: builtin:echo }] }\n"
           "apis:\n"
           "  - { name: certs, base_path: /certs, service: backend, auth: [mtls],\n"
           "      routes: [{ name: all, path: \"/*\" }] }\n"
           "  - { name: keys, base_path: /keys, service: backend, auth: [key],\n"
           "      routes: [{ name: all, path: \"/*\" }] }\n"
           "  - { name: open, base_path: /open, service: backend, public: true,\n"
           "      routes: [{ name: all, path: \"/*\" }] }\n"
           "plans:\n"
           "  - { name: free }\n"
           "consumers:\n"
           "  - { name: acme, plan: free, credentials: [{ type: mtls, fingerprint: \"" +
           kAcme.text + "\" }, { type: mtls, fingerprint: \"" + kBoth.text +
           "\" }] }\n"
           "  - { name: globex, plan: free, status: suspended, credentials: [{ type: mtls, fingerprint: \"" +
           kGlobex.text + "\" }] }\n" + extraConsumers;
}

std::shared_ptr<const server::Snapshot> compile(const std::string& yaml) {
    LoadResult r = loadConfigText(yaml, "t.yaml");
    if (!r.ok()) {
        qWarning() << QString::fromStdString(r.errors.front().format());
        return nullptr;
    }
    std::string error;
    server::CompileContext cc;
    cc.resolveTargets = false;
    return server::Snapshot::compile(*r.config, 1, error, cc);
}

struct Call {
    std::string raw;
    std::unique_ptr<http::RequestHead> head = std::make_unique<http::RequestHead>();
    RequestContext ctx;
    pipeline::Decision decision;

    Call(const server::Snapshot& snap, const MtlsAuthStage& stage, const std::string& path,
         const uint8_t* cert, const server::CompiledConsumer* already = nullptr) {
        raw = "GET " + path + " HTTP/1.1\r\nHost: gw.test\r\n\r\n";
        http::ParseError err;
        if (http::parseRequestHead(raw.data(), raw.size(), snap.parserLimits, *head, err) !=
            http::ParseStatus::Complete) {
            qFatal("bad test request");
        }
        ctx.snapshot = &snap;
        ctx.head = head.get();
        ctx.method = head->methodId;
        ctx.path = path;
        ctx.route = snap.routes.match(head->host, ctx.method, ctx.path).route;
        ctx.clientCertSha256 = cert;
        ctx.consumer = already;
        decision = stage.onRequest(ctx);
    }
};

} // namespace

class AuthnMtlsTest : public QObject {
    Q_OBJECT

    std::shared_ptr<const server::Snapshot> m_snap;
    std::unique_ptr<MtlsAuthStage> m_stage;

private slots:
    void initTestCase() {
        m_snap = compile(config());
        QVERIFY(m_snap);
        std::string error;
        m_stage = MtlsAuthStage::create(*m_snap, error);
        QVERIFY2(m_stage, error.c_str());
        QCOMPARE(m_stage->fingerprintCount(), size_t(3));
    }

    void registeredCertificateIdentifiesItsConsumer() {
        for (const Fingerprint* f : {&kAcme, &kBoth}) {
            Call c(*m_snap, *m_stage, "/certs/x", f->raw);
            QVERIFY(!c.decision.respond);
            QVERIFY(c.ctx.consumer != nullptr);
            QCOMPARE(c.ctx.consumer->config->name, std::string("acme"));
            QCOMPARE(c.ctx.consumerIndex, 0);
        }
    }

    void unknownCertificateIsAuthInvalid() {
        Call c(*m_snap, *m_stage, "/certs/x", kNobody.raw);
        QVERIFY(c.decision.respond);
        QCOMPARE(c.decision.status, 401);
        QCOMPARE(std::string(c.decision.reason), std::string("auth.invalid"));
        QVERIFY(c.ctx.consumer == nullptr);
    }

    void noCertificatePassesToAuthz() {
        Call c(*m_snap, *m_stage, "/certs/x", nullptr);
        QVERIFY(!c.decision.respond);
        QVERIFY(c.ctx.consumer == nullptr);
    }

    void suspendedConsumerIsRefused() {
        Call c(*m_snap, *m_stage, "/certs/x", kGlobex.raw);
        QVERIFY(c.decision.respond);
        QCOMPARE(c.decision.status, 403);
        QCOMPARE(std::string(c.decision.reason), std::string("consumer.suspended"));
    }

    void apisWithoutMtlsIgnoreCertificates() {
        for (const char* path : {"/keys/x", "/open/x"}) {
            Call c(*m_snap, *m_stage, path, kNobody.raw);
            QVERIFY2(!c.decision.respond, path);
            QVERIFY(c.ctx.consumer == nullptr);
        }
    }

    void earlierIdentityIsKept() {
        const server::CompiledConsumer* globex = &m_snap->consumers[1];
        Call c(*m_snap, *m_stage, "/certs/x", kNobody.raw, globex);
        QVERIFY(!c.decision.respond);
        QCOMPARE(c.ctx.consumer, globex);
    }

    void sharedFingerprintIsACompileError() {
        // The loader refuses this already (checkCredentialsUnique); the stage must not rely on it.
        Config cfg = m_snap->config;
        cfg.consumers[1].credentials[0].hash = kAcme.text;
        server::CompileContext cc;
        cc.resolveTargets = false;
        std::string error;
        QVERIFY(server::Snapshot::compile(cfg, 1, error, cc) == nullptr);
        QVERIFY2(error.find("acme") != std::string::npos && error.find("globex") != std::string::npos,
                 error.c_str());
    }
};

QTEST_APPLESS_MAIN(AuthnMtlsTest)
#include "authn_mtls_test.moc"

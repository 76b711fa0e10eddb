// authn_jwt stage: credentials loaded at create (secret_env, public_key, errors naming what is
// wrong), bearer tokens per request (valid, invalid, suspended, public APIs, strip bits, clock).
#include "http/request_parser.h"
#include "server/snapshot.h"
#include "stages/authn_jwt/jwt_auth_stage.h"
#include "stages/authn_jwt/jwt_signer.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

using namespace tollgate;
using pipeline::RequestContext;
using stages::JwtAuthStage;
namespace jwt = stages::jwt;

namespace {

constexpr int64_t kNow = 1'800'000'000;
const std::string kSecret = "acme-hs256-secret-of-at-least-32-bytes!";

int64_t fakeNow() {
    return kNow;
}

std::string claims(const std::string& iss, int64_t exp = kNow + 600, const std::string& extra = "") {
    return "{\"iss\":\"" + iss + "\",\"exp\":" + std::to_string(exp) + extra + "}";
}

struct Call {
    std::string raw;
    std::unique_ptr<http::RequestHead> head = std::make_unique<http::RequestHead>();
    RequestContext ctx;
    pipeline::Decision decision;

    Call(const server::Snapshot& snap, const JwtAuthStage& stage, const std::string& path,
         const std::string& headers = "") {
        raw = "GET " + path + " HTTP/1.1\r\nHost: gw.test\r\n" + headers + "\r\n";
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
        decision = stage.onRequest(ctx);
    }
    std::string consumer() const { return ctx.consumer ? ctx.consumer->config->name : ""; }
};

std::string bearer(const std::string& token) {
    return "Authorization: Bearer " + token + "\r\n";
}

} // namespace

class AuthnJwtTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    jwt::PKeyPtr m_rsa = jwt::generateRsaKey(2048);
    jwt::PKeyPtr m_ec = jwt::generateEcP256Key();
    std::string m_rsaPem;
    std::string m_ecPem;
    std::shared_ptr<const server::Snapshot> m_snap;
    std::unique_ptr<JwtAuthStage> m_stage;

    std::string write(const std::string& name, const std::string& text) {
        const std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString();
        std::ofstream(path) << text;
        return path;
    }

    std::string config(const std::string& consumers) const {
        return "version: 1\n"
               "services:\n"
               "  - { name: backend, targets: [{ url: builtin:echo }] }\n"
               "apis:\n"
               "  - { name: orders, base_path: /orders, service: backend, auth: [jwt],\n"
               "      routes: [{ name: all, path: \"/*\" }] }\n"
               "  - { name: open, base_path: /open, service: backend, public: true,\n"
               "      routes: [{ name: all, path: \"/*\" }] }\n"
               "  - { name: keys, base_path: /keys, service: backend, auth: [key],\n"
               "      routes: [{ name: all, path: \"/*\" }] }\n"
               "plans:\n"
               "  - { name: free }\n"
               "consumers:\n" +
               consumers;
    }

    std::shared_ptr<const server::Snapshot> compile(const std::string& consumers) const {
        LoadResult r = loadConfigText(config(consumers), "t.yaml", m_dir.path().toStdString());
        if (!r.ok()) {
            qWarning() << QString::fromStdString(r.errors.front().format());
            return nullptr;
        }
        std::string error;
        server::CompileContext cc;
        cc.resolveTargets = false;
        return server::Snapshot::compile(*r.config, 1, error, cc);
    }

    // Why the stage refuses `consumers` (Snapshot::compile runs create() when building its pipeline).
    std::string createError(const std::string& consumers) const {
        LoadResult r = loadConfigText(config(consumers), "t.yaml", m_dir.path().toStdString());
        if (!r.ok()) {
            return "config did not load";
        }
        return createError(*r.config);
    }

    static std::string createError(const Config& cfg) {
        std::string error;
        server::CompileContext cc;
        cc.resolveTargets = false;
        auto snap = server::Snapshot::compile(cfg, 1, error, cc);
        if (snap && JwtAuthStage::create(*snap, nullptr, error)) {
            return {};
        }
        return error;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        setenv("ACME_JWT_SECRET", kSecret.c_str(), 1);
        setenv("SHORT_SECRET", "too-short", 1);
        m_rsaPem = write("rsa.pem", jwt::publicKeyPem(m_rsa.get()));
        m_ecPem = write("ec.pem", jwt::publicKeyPem(m_ec.get()));
        m_snap = compile(
            "  - { name: acme, plan: free, credentials: [{ type: jwt, issuer: acme-idp, secret_env: "
            "ACME_JWT_SECRET, audience: orders }] }\n"
            "  - { name: rsa-co, plan: free, credentials: [{ type: jwt, issuer: rsa-idp, public_key: "
            "rsa.pem }] }\n"
            "  - { name: ec-co, plan: free, credentials: [{ type: jwt, issuer: ec-idp, public_key: "
            "ec.pem }] }\n"
            "  - { name: gone, plan: free, status: suspended, credentials: [{ type: jwt, issuer: "
            "gone-idp, public_key: rsa.pem }] }\n"
            "  - { name: remote, plan: free, credentials: [{ type: jwt, issuer: remote-idp, jwks_url: "
            "\"http://127.0.0.1:1/jwks.json\" }] }\n");
        QVERIFY(m_snap);
        std::string error;
        m_stage = JwtAuthStage::create(*m_snap, nullptr, error, fakeNow);
        QVERIFY2(m_stage, error.c_str());
        QCOMPARE(std::string(m_stage->name()), std::string("authn_jwt"));
    }

    void hs256Token_identifiesConsumerAndStripsAuthorization() {
        const std::string t = jwt::signHs256("{\"alg\":\"HS256\"}",
                                             claims("acme-idp", kNow + 60, ",\"aud\":\"orders\""), kSecret);
        Call c(*m_snap, *m_stage, "/orders/1", bearer(t));
        QVERIFY(!c.decision.respond);
        QCOMPARE(c.consumer(), std::string("acme"));
        QCOMPARE(c.ctx.consumerIndex, 0);
        QCOMPARE(c.ctx.strip, uint8_t(RequestContext::StripAuthorization));
    }

    void rs256AndEs256FromPemFiles() {
        const std::string r = jwt::signWithKey("{\"alg\":\"RS256\"}", claims("rsa-idp"), m_rsa.get());
        QCOMPARE(Call(*m_snap, *m_stage, "/orders/1", bearer(r)).consumer(), std::string("rsa-co"));
        const std::string e = jwt::signWithKey("{\"alg\":\"ES256\"}", claims("ec-idp"), m_ec.get());
        QCOMPARE(Call(*m_snap, *m_stage, "/orders/1", "authorization: bEaReR   " + e + "\r\n").consumer(),
                 std::string("ec-co"));
    }

    void invalidTokens_are401WithBearerChallenge() {
        const std::string wrongAud =
            jwt::signHs256("{\"alg\":\"HS256\"}", claims("acme-idp", kNow + 60, ",\"aud\":\"x\""), kSecret);
        const std::string expired = jwt::signHs256(
            "{\"alg\":\"HS256\"}", claims("acme-idp", kNow - 31, ",\"aud\":\"orders\""), kSecret);
        const std::string unknownIss = jwt::signHs256("{\"alg\":\"HS256\"}", claims("nobody"), kSecret);
        const std::string confused =
            jwt::signHs256("{\"alg\":\"HS256\"}", claims("rsa-idp"), jwt::publicKeyPem(m_rsa.get()));
        for (const std::string& t : {wrongAud, expired, unknownIss, confused, std::string("garbage")}) {
            Call c(*m_snap, *m_stage, "/orders/1", bearer(t));
            QVERIFY(c.decision.respond);
            QCOMPARE(c.decision.status, 401);
            QCOMPARE(std::string(c.decision.reason), std::string("auth.invalid"));
            QCOMPARE(c.ctx.responseHeaderCount, uint8_t(1));
            QCOMPARE(std::string(c.ctx.responseHeaders[0]),
                     std::string("WWW-Authenticate: Bearer realm=\"tollgate\", error=\"invalid_token\"\r\n"));
            QVERIFY(c.ctx.consumer == nullptr);
        }
        int index = 0;
        QCOMPARE(m_stage->check(wrongAud, index), jwt::Error::Audience);
        QCOMPARE(m_stage->check(expired, index), jwt::Error::Expired);
        QCOMPARE(m_stage->check(unknownIss, index), jwt::Error::Issuer);
        QCOMPARE(m_stage->check(confused, index), jwt::Error::Alg);
        QCOMPARE(index, -1);
    }

    void emptyOrDoubleBearer_isInvalid() {
        QCOMPARE(Call(*m_snap, *m_stage, "/orders/1", "Authorization: Bearer\r\n").decision.status, 401);
        const std::string r = jwt::signWithKey("{\"alg\":\"RS256\"}", claims("rsa-idp"), m_rsa.get());
        QCOMPARE(Call(*m_snap, *m_stage, "/orders/1", bearer(r) + bearer(r)).decision.status, 401);
    }

    void suspendedConsumer_is403() {
        const std::string t = jwt::signWithKey("{\"alg\":\"RS256\"}", claims("gone-idp"), m_rsa.get());
        Call c(*m_snap, *m_stage, "/orders/1", bearer(t));
        QCOMPARE(c.decision.status, 403);
        QCOMPARE(std::string(c.decision.reason), std::string("consumer.suspended"));
    }

    void noBearer_passes() {
        QVERIFY(!Call(*m_snap, *m_stage, "/orders/1").decision.respond);
        Call basic(*m_snap, *m_stage, "/orders/1", "Authorization: Basic dXNlcjpwYXNz\r\n");
        QVERIFY(!basic.decision.respond);
        QCOMPARE(basic.ctx.strip, uint8_t(0));
    }

    void publicOrKeyOnlyApi_passesUntouched() {
        const std::string t = jwt::signWithKey("{\"alg\":\"RS256\"}", claims("rsa-idp"), m_rsa.get());
        for (const char* path : {"/open/1", "/keys/1"}) {
            Call c(*m_snap, *m_stage, path, bearer(t));
            QVERIFY(!c.decision.respond);
            QVERIFY(c.ctx.consumer == nullptr);
            QCOMPARE(c.ctx.strip, uint8_t(0));
        }
    }

    void consumerAlreadySet_passes_andExplainAssumesIt() {
        RequestContext ctx;
        ctx.snapshot = m_snap.get();
        ctx.route = m_snap->routes.match("gw.test", http::Method::Get, "/orders/1").route;
        ctx.consumer = &m_snap->consumers[1];
        QVERIFY(!m_stage->onRequest(ctx).respond);
        std::vector<std::string> chain;
        ctx.explainChain = &chain;
        QVERIFY(!m_stage->onRequest(ctx).respond);
        QCOMPARE(chain, std::vector<std::string>{"authenticated as rsa-co (assumed)"});
    }

    void jwksWithoutCache_isRefusedCleanly() {
        const std::string t =
            jwt::signWithKey("{\"alg\":\"RS256\",\"kid\":\"k\"}", claims("remote-idp"), m_rsa.get());
        QCOMPARE(Call(*m_snap, *m_stage, "/orders/1", bearer(t)).decision.status, 401);
        int index = 0;
        QCOMPARE(m_stage->check(t, index), jwt::Error::Key);
    }

    void createErrors_nameTheProblem() {
        std::string e = createError("  - { name: acme, plan: free, credentials: [{ type: jwt, issuer: i, "
                                    "secret_env: NOT_SET_ANYWHERE_42 }] }\n");
        QVERIFY2(e.find("acme") != std::string::npos && e.find("NOT_SET_ANYWHERE_42") != std::string::npos,
                 e.c_str());
        e = createError("  - { name: acme, plan: free, credentials: [{ type: jwt, issuer: i, "
                        "secret_env: SHORT_SECRET }] }\n");
        QVERIFY2(e.find("SHORT_SECRET") != std::string::npos && e.find("32 bytes") != std::string::npos,
                 e.c_str());
        e = createError("  - { name: acme, plan: free, credentials: [{ type: jwt, issuer: i, "
                        "public_key: missing.pem }] }\n");
        QVERIFY2(e.find("acme") != std::string::npos && e.find("missing.pem") != std::string::npos,
                 e.c_str());
        write("junk.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        e = createError("  - { name: acme, plan: free, credentials: [{ type: jwt, issuer: i, "
                        "public_key: junk.pem }] }\n");
        QVERIFY2(e.find("junk.pem") != std::string::npos, e.c_str());
    }

    void duplicateIssuer_failsNamingBoth() {
        LoadResult r =
            loadConfigText(config("  - { name: a1, plan: free, credentials: [{ type: jwt, issuer: same, "
                                  "public_key: rsa.pem }] }\n"
                                  "  - { name: a2, plan: free, credentials: [{ type: jwt, issuer: other, "
                                  "public_key: ec.pem }] }\n"),
                           "t.yaml", m_dir.path().toStdString());
        QVERIFY(r.ok());
        r.config->consumers[1].credentials[0].issuer = "same";
        const std::string error = createError(*r.config);
        QVERIFY2(error.find("a1") != std::string::npos && error.find("a2") != std::string::npos,
                 error.c_str());
    }
};

QTEST_APPLESS_MAIN(AuthnJwtTest)
#include "authn_jwt_test.moc"

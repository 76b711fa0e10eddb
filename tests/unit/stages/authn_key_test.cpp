// authn_key: valid, invalid, missing, suspended, query keys (refused / opted in), strip bits,
// duplicate hashes, constant-time lookup, and the key generator.
#include "http/request_parser.h"
#include "server/snapshot.h"
#include "stages/authn_key/key_auth_stage.h"
#include "stages/authn_key/key_generator.h"

#include <QTest>

#include <memory>
#include <set>
#include <string>

using namespace tollgate;
using pipeline::RequestContext;
using stages::KeyAuthStage;

namespace {

const std::string kAcmeKey = "tg_acme-secret-key-0123456789abcdefghijklmnopqrstu";
const std::string kGlobexKey = "tg_globex-key";

std::string config(const std::string& extraConsumers = "") {
    return "version: 1\n"
           "services:\n"
           "  - { name: backend, targets: [{ url: builtin:echo }] }\n"
           "apis:\n"
           "  - { name: orders, base_path: /orders, service: backend, auth: [key],\n"
           "      routes: [{ name: all, path: \"/*\" }] }\n"
           "  - { name: open, base_path: /open, service: backend, public: true,\n"
           "      routes: [{ name: all, path: \"/*\" }] }\n"
           "  - { name: query, base_path: /query, service: backend, auth: [key], key_in_query: true,\n"
           "      routes: [{ name: all, path: \"/*\" }] }\n"
           "  - { name: tokens, base_path: /tokens, service: backend, auth: [jwt],\n"
           "      routes: [{ name: all, path: \"/*\" }] }\n"
           "plans:\n"
           "  - { name: free }\n"
           "consumers:\n"
           "  - { name: acme, plan: free, credentials: [{ type: key, id: acme-1, hash: \"" +
           stages::hashApiKey(kAcmeKey) +
           "\" }] }\n"
           "  - { name: globex, plan: free, status: suspended, credentials: [{ type: key, id: g-1, hash: \"" +
           stages::hashApiKey(kGlobexKey) + "\" }] }\n" + extraConsumers;
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

// One request through the stage: parses the head, routes it, runs onRequest.
struct Call {
    std::string raw;
    std::unique_ptr<http::RequestHead> head = std::make_unique<http::RequestHead>();
    RequestContext ctx;
    pipeline::Decision decision;

    Call(const server::Snapshot& snap, const KeyAuthStage& stage, const std::string& target,
         const std::string& headers = "") {
        raw = "GET " + target + " HTTP/1.1\r\nHost: gw.test\r\n" + headers + "\r\n";
        http::ParseError err;
        if (http::parseRequestHead(raw.data(), raw.size(), snap.parserLimits, *head, err) !=
            http::ParseStatus::Complete) {
            qFatal("bad test request");
        }
        ctx.snapshot = &snap;
        ctx.head = head.get();
        ctx.method = head->methodId;
        const size_t q = target.find('?');
        ctx.path = target.substr(0, q);
        ctx.query = q == std::string::npos ? "" : target.substr(q + 1);
        ctx.route = snap.routes.match(head->host, ctx.method, ctx.path).route;
        decision = stage.onRequest(ctx);
    }
    std::string consumer() const { return ctx.consumer ? ctx.consumer->config->name : ""; }
    std::string header(int i = 0) const { return std::string(ctx.responseHeaders[i]); }
};

} // namespace

class AuthnKeyTest : public QObject {
    Q_OBJECT

    std::shared_ptr<const server::Snapshot> m_snap;
    std::unique_ptr<KeyAuthStage> m_stage;

private slots:
    void initTestCase() {
        m_snap = compile(config());
        QVERIFY(m_snap);
        std::string error;
        m_stage = KeyAuthStage::create(*m_snap, error);
        QVERIFY2(m_stage, error.c_str());
        QCOMPARE(m_stage->keyCount(), size_t(2));
        QCOMPARE(std::string(m_stage->name()), std::string("authn_key"));
    }

    void validHeaderKey_identifiesConsumerAndStripsHeader() {
        Call c(*m_snap, *m_stage, "/orders/1", "ApiKey: " + kAcmeKey + "\r\n");
        QVERIFY(!c.decision.respond);
        QCOMPARE(c.consumer(), std::string("acme"));
        QCOMPARE(c.ctx.consumerIndex, 0);
        QCOMPARE(c.ctx.strip, uint8_t(RequestContext::StripApiKeyHeader));
    }

    void wrongKey_is401WithChallenge() {
        Call c(*m_snap, *m_stage, "/orders/1", "apikey: tg_nope\r\n");
        QVERIFY(c.decision.respond);
        QCOMPARE(c.decision.status, 401);
        QCOMPARE(std::string(c.decision.reason), std::string("auth.invalid"));
        QCOMPARE(c.ctx.responseHeaderCount, uint8_t(1));
        QCOMPARE(c.header(), std::string("WWW-Authenticate: ApiKey realm=\"tollgate\"\r\n"));
        QVERIFY(c.ctx.consumer == nullptr);
    }

    void emptyKey_isInvalid() {
        Call c(*m_snap, *m_stage, "/orders/1", "apikey: \r\n");
        QCOMPARE(c.decision.status, 401);
    }

    void wrongKeysSharingAPrefix_areRefused() {
        // Only digests are compared (CRYPTO_memcmp), so a near miss is as wrong as any other key.
        for (const std::string& k : {kAcmeKey.substr(0, kAcmeKey.size() - 1), kAcmeKey + "x",
                                     kAcmeKey.substr(0, kAcmeKey.size() - 1) + "v", "x" + kAcmeKey}) {
            Call c(*m_snap, *m_stage, "/orders/1", "apikey: " + k + "\r\n");
            QVERIFY2(c.decision.respond && c.decision.status == 401, k.c_str());
        }
    }

    void noKey_passesForALaterStage() {
        Call c(*m_snap, *m_stage, "/orders/1");
        QVERIFY(!c.decision.respond);
        QVERIFY(c.ctx.consumer == nullptr);
        QCOMPARE(c.ctx.strip, uint8_t(0));
    }

    void suspendedConsumer_is403() {
        Call c(*m_snap, *m_stage, "/orders/1", "apikey: " + kGlobexKey + "\r\n");
        QCOMPARE(c.decision.status, 403);
        QCOMPARE(std::string(c.decision.reason), std::string("consumer.suspended"));
        QCOMPARE(c.consumer(), std::string("globex"));
    }

    void twoKeyHeaders_areInvalid() {
        Call c(*m_snap, *m_stage, "/orders/1", "apikey: " + kAcmeKey + "\r\napikey: " + kAcmeKey + "\r\n");
        QCOMPARE(c.decision.status, 401);
    }

    void queryKey_refusedUnlessOptedIn() {
        Call c(*m_snap, *m_stage, "/orders/1?x=1&apikey=" + kAcmeKey);
        QCOMPARE(c.decision.status, 401);
        QCOMPARE(std::string(c.decision.reason), std::string("auth.key_in_query"));
        QCOMPARE(c.header(), std::string("WWW-Authenticate: ApiKey realm=\"tollgate\"\r\n"));
        Call other(*m_snap, *m_stage, "/orders/1?myapikey=1&apikeys=2");
        QVERIFY(!other.decision.respond);
    }

    void queryKey_acceptedWithOptIn_andStripped() {
        Call c(*m_snap, *m_stage, "/query/1?a=b&apikey=" + kAcmeKey + "&c");
        QVERIFY(!c.decision.respond);
        QCOMPARE(c.consumer(), std::string("acme"));
        QCOMPARE(c.ctx.strip, uint8_t(RequestContext::StripApiKeyQuery));
        Call encoded(*m_snap, *m_stage,
                     "/query/1?apikey=" + kAcmeKey.substr(0, 3) + "%61" + kAcmeKey.substr(4));
        QCOMPARE(encoded.consumer(), std::string("acme"));
        Call wrong(*m_snap, *m_stage, "/query/1?apikey=tg_wrong");
        QCOMPARE(wrong.decision.status, 401);
        QCOMPARE(wrong.ctx.strip, uint8_t(RequestContext::StripApiKeyQuery));
        Call bad(*m_snap, *m_stage, "/query/1?apikey=%zz");
        QCOMPARE(bad.decision.status, 401);
        Call huge(*m_snap, *m_stage, "/query/1?apikey=" + std::string(600, 'a'));
        QCOMPARE(huge.decision.status, 401);
    }

    void publicApi_passesButStripsKeyHeader() {
        Call c(*m_snap, *m_stage, "/open/1?apikey=whatever", "apikey: " + kAcmeKey + "\r\n");
        QVERIFY(!c.decision.respond);
        QVERIFY(c.ctx.consumer == nullptr);
        QCOMPARE(c.ctx.strip, uint8_t(RequestContext::StripApiKeyHeader));
        Call jwtOnly(*m_snap, *m_stage, "/tokens/1", "apikey: " + kAcmeKey + "\r\n");
        QVERIFY(!jwtOnly.decision.respond);
        QVERIFY(jwtOnly.ctx.consumer == nullptr);
        QCOMPARE(jwtOnly.ctx.strip, uint8_t(RequestContext::StripApiKeyHeader));
    }

    void consumerAlreadySet_passes() {
        RequestContext ctx;
        ctx.snapshot = m_snap.get();
        ctx.route = m_snap->routes.match("gw.test", http::Method::Get, "/orders/1").route;
        ctx.consumer = &m_snap->consumers[1];
        ctx.consumerIndex = 1;
        QVERIFY(!m_stage->onRequest(ctx).respond);
        QCOMPARE(ctx.consumerIndex, 1);
    }

    void explainMode_trustsTheGivenConsumer() {
        std::vector<std::string> chain;
        RequestContext ctx;
        ctx.snapshot = m_snap.get();
        ctx.route = m_snap->routes.match("gw.test", http::Method::Get, "/orders/1").route;
        ctx.consumer = &m_snap->consumers[0];
        ctx.explainChain = &chain;
        QVERIFY(!m_stage->onRequest(ctx).respond);
        QCOMPARE(chain.size(), size_t(1));
        QCOMPARE(chain[0], std::string("authenticated as acme (assumed)"));
    }

    void duplicateHashes_failNamingBoth() {
        // The loader refuses this already; the stage must not rely on it.
        LoadResult r = loadConfigText(config(), "t.yaml");
        QVERIFY(r.ok());
        r.config->consumers[1].credentials[0].hash = stages::hashApiKey(kAcmeKey);
        std::string error;
        server::CompileContext cc;
        cc.resolveTargets = false;
        auto snap = server::Snapshot::compile(*r.config, 1, error, cc); // the pipeline runs create()
        if (snap) {
            QVERIFY(!KeyAuthStage::create(*snap, error));
        }
        QVERIFY2(error.find("acme") != std::string::npos && error.find("globex") != std::string::npos,
                 error.c_str());
    }

    void manyKeys_allFound() {
        std::string extra;
        std::vector<std::string> keys;
        for (int i = 0; i < 100; ++i) {
            keys.push_back(stages::generateApiKey().key);
            extra += "  - { name: c" + std::to_string(i) +
                     ", plan: free, credentials: [{ type: key, id: k, hash: \"" +
                     stages::hashApiKey(keys.back()) + "\" }] }\n";
        }
        auto snap = compile(config(extra));
        QVERIFY(snap);
        std::string error;
        auto stage = KeyAuthStage::create(*snap, error);
        QVERIFY(stage);
        for (int i = 0; i < 100; ++i) {
            Call c(*snap, *stage, "/orders/1", "apikey: " + keys[size_t(i)] + "\r\n");
            QCOMPARE(c.consumer(), "c" + std::to_string(i));
        }
    }

    void generatedKeys_areUrlSafeUniqueAndHashed() {
        std::set<std::string> seen;
        for (int i = 0; i < 50; ++i) {
            const stages::NewKey k = stages::generateApiKey();
            QCOMPARE(k.key.size(), size_t(46));
            QCOMPARE(k.key.substr(0, 3), std::string("tg_"));
            QVERIFY(
                k.key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                                        3) == std::string::npos);
            QCOMPARE(k.hash, stages::hashApiKey(k.key));
            QVERIFY(seen.insert(k.key).second);
        }
        // SHA-256("abc"), FIPS 180-2 test vector.
        QCOMPARE(stages::hashApiKey("abc"),
                 std::string("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
};

QTEST_APPLESS_MAIN(AuthnKeyTest)
#include "authn_key_test.moc"

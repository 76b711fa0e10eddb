// What a valid file turns into: every key lands in the model, defaults apply, paths resolve
// against the config folder, and the shipped examples load clean.
#include "support.h"
#include "test_pki.h"
#include "tollgate/config.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tollgate;
using namespace std::chrono_literals;

namespace {

QString messages(const LoadResult& r) {
    QStringList lines;
    for (const ConfigError& e : r.errors) {
        lines << QString::fromStdString(e.format());
    }
    return lines.join('\n');
}

Config mustLoad(const std::string& text, const std::string& baseDir = "/srv/gw") {
    const LoadResult r = loadConfigText(text, "t.yaml", baseDir);
    if (!r.ok()) {
        qWarning("%s", qPrintable(messages(r)));
        return {};
    }
    return *r.config;
}

const std::string kHash = "sha256:8649cdebee753898fd50e01408a9e438aa5090249bc3e51b65f33dce973b0873";

} // namespace

class ConfigModelTest : public QObject {
    Q_OBJECT
private slots:
    void minimalFile_getsDefaults() {
        const LoadResult r = loadConfigText("version: 1\n", "t.yaml", "/srv/gw");
        QVERIFY2(r.ok(), qPrintable(messages(r)));
        QVERIFY(r.errors.empty());
        const Config& c = *r.config;
        QCOMPARE(c.version, 1);
        QCOMPARE(c.sourcePath, std::string());
        QCOMPARE(c.gateway.listen.size(), size_t(1));
        QCOMPARE(c.gateway.listen[0].text, std::string("127.0.0.1:8080"));
        QCOMPARE(c.gateway.listen[0].host, std::string("127.0.0.1"));
        QCOMPARE(c.gateway.listen[0].port, uint16_t(8080));
        QCOMPARE(c.gateway.workers, 0);
        QCOMPARE(c.gateway.limits.maxUriBytes, uint64_t(8 * 1024));
        QCOMPARE(c.gateway.limits.maxHeaderBytes, uint64_t(32 * 1024));
        QCOMPARE(c.gateway.limits.maxHeaderCount, uint64_t(100));
        QCOMPARE(c.gateway.limits.maxBodyBytes, uint64_t(10 * 1024 * 1024));
        QCOMPARE(c.gateway.limits.headerTimeout, Millis(10s));
        QCOMPARE(c.gateway.limits.bodyTimeout, Millis(60s));
        QCOMPARE(c.gateway.limits.idleTimeout, Millis(60s));
        QCOMPARE(c.gateway.drainTimeout, Millis(10s));
        QCOMPARE(c.gateway.store, std::string());
        QCOMPARE(c.gateway.accessLog, std::string());
        QVERIFY(!c.gateway.admin.listen.has_value());
        QCOMPARE(c.gateway.admin.tokenEnv, std::string("TOLLGATE_ADMIN_TOKEN"));
        QCOMPARE(c.gateway.cluster.redis, std::string());
        QVERIFY(c.services.empty() && c.apis.empty() && c.plans.empty() && c.consumers.empty());
    }

    void tlsOnly_hasNoDefaultPlainListener() {
        QTemporaryDir dir;
        // The loader reads the files: they must be a real certificate and its key.
        const test::TestCertificate cert = test::TestPki().issueServer({"a.test"});
        QVERIFY(test::writeFile(dir.filePath("certs/a.crt").toStdString(), cert.certPem));
        QVERIFY(test::writeFile(dir.filePath("certs/a.key").toStdString(), cert.keyPem));
        const Config c = mustLoad("version: 1\ngateway:\n  tls:\n    listen: [\"[::1]:8443\"]\n"
                                  "    certificates: [{ cert: certs/a.crt, key: certs/a.key }]\n",
                                  dir.path().toStdString());
        QVERIFY(c.gateway.listen.empty());
        QCOMPARE(c.gateway.tls.listen.size(), size_t(1));
        QCOMPARE(c.gateway.tls.listen[0].host, std::string("::1"));
        QCOMPARE(c.gateway.tls.listen[0].port, uint16_t(8443));
        QCOMPARE(c.gateway.tls.certificates[0].cert, dir.filePath("certs/a.crt").toStdString());
        QCOMPARE(c.gateway.tls.certificates[0].key, dir.filePath("certs/a.key").toStdString());
    }

    void gatewaySection_everyKeyParsed() {
        const Config c =
            mustLoad("version: 1\n"
                     "gateway:\n"
                     "  listen: [\"0.0.0.0:80\", \"[::]:0\"]\n"
                     "  workers: 8\n"
                     "  trusted_proxies: [\"10.0.0.0/8\", \"fd00::/8\"]\n"
                     "  limits: { max_uri_bytes: 4KiB, max_header_bytes: 16KiB, max_header_count: 50,\n"
                     "            max_body_bytes: 1MiB, header_timeout: 5s, body_timeout: 2m, "
                     "idle_timeout: 250ms }\n"
                     "  store: data/tollgate.db\n"
                     "  access_log: /var/log/tollgate/access.jsonl\n"
                     "  admin: { listen: \"127.0.0.1:8081\", token_env: MY_TOKEN }\n"
                     "  cluster: { redis: \"redis://127.0.0.1:6379/0\" }\n"
                     "  drain_timeout: 30s\n");
        QCOMPARE(c.gateway.listen.size(), size_t(2));
        QCOMPARE(c.gateway.listen[1].host, std::string("::"));
        QCOMPARE(c.gateway.listen[1].port, uint16_t(0));
        QCOMPARE(c.gateway.workers, 8);
        QCOMPARE(c.gateway.trustedProxies.size(), size_t(2));
        QVERIFY(c.gateway.trustedProxies[1].v6);
        QCOMPARE(c.gateway.trustedProxies[1].prefix, 8);
        QCOMPARE(c.gateway.limits.maxUriBytes, uint64_t(4096));
        QCOMPARE(c.gateway.limits.maxHeaderBytes, uint64_t(16384));
        QCOMPARE(c.gateway.limits.maxHeaderCount, uint64_t(50));
        QCOMPARE(c.gateway.limits.maxBodyBytes, uint64_t(1048576));
        QCOMPARE(c.gateway.limits.headerTimeout, Millis(5s));
        QCOMPARE(c.gateway.limits.bodyTimeout, Millis(2min));
        QCOMPARE(c.gateway.limits.idleTimeout, Millis(250ms));
        QCOMPARE(c.gateway.store, std::string("/srv/gw/data/tollgate.db"));
        QCOMPARE(c.gateway.accessLog, std::string("/var/log/tollgate/access.jsonl"));
        QCOMPARE(c.gateway.admin.listen->port, uint16_t(8081));
        QCOMPARE(c.gateway.admin.tokenEnv, std::string("MY_TOKEN"));
        QCOMPARE(c.gateway.cluster.redis, std::string("redis://127.0.0.1:6379/0"));
        QCOMPARE(c.gateway.drainTimeout, Millis(30s));
    }

    void servicesSection_everyKeyParsed() {
        const Config c = mustLoad("version: 1\n"
                                  "services:\n"
                                  "  - name: orders-backend\n"
                                  "    targets:\n"
                                  "      - { url: \"http://127.0.0.1:9001\", weight: 3 }\n"
                                  "      - { url: \"https://[::1]\" }\n"
                                  "      - { url: \"builtin:echo\" }\n"
                                  "    balance: consistent_hash\n"
                                  "    hash_on: header:X-User\n"
                                  "    timeouts: { connect: 500ms, read: 1m }\n"
                                  "    retries: 0\n"
                                  "    health: { path: /ready, interval: 2s, unhealthy_after: 5 }\n"
                                  "    passive: { failures: 7, eject: 1m }\n"
                                  "  - name: plain\n"
                                  "    targets: [{ url: \"http://backend.internal\" }]\n");
        QCOMPARE(c.services.size(), size_t(2));
        const ServiceConfig& s = c.services[0];
        QCOMPARE(s.name, std::string("orders-backend"));
        QCOMPARE(s.targets[0].scheme, std::string("http"));
        QCOMPARE(s.targets[0].host, std::string("127.0.0.1"));
        QCOMPARE(s.targets[0].port, uint16_t(9001));
        QCOMPARE(s.targets[0].weight, 3);
        QCOMPARE(s.targets[0].mark.line, 5);
        QCOMPARE(s.targets[1].scheme, std::string("https"));
        QCOMPARE(s.targets[1].host, std::string("::1"));
        QCOMPARE(s.targets[1].port, uint16_t(443));
        QCOMPARE(s.targets[2].scheme, std::string("builtin"));
        QCOMPARE(s.targets[2].host, std::string("echo"));
        QCOMPARE(s.targets[2].url, std::string("builtin:echo"));
        QCOMPARE(s.balance, Balance::ConsistentHash);
        QCOMPARE(s.hashOn, std::string("header:X-User"));
        QCOMPARE(s.connectTimeout, Millis(500ms));
        QCOMPARE(s.readTimeout, Millis(1min));
        QCOMPARE(s.retries, 0);
        QVERIFY(s.health.has_value());
        QCOMPARE(s.health->path, std::string("/ready"));
        QCOMPARE(s.health->interval, Millis(2s));
        QCOMPARE(s.health->unhealthyAfter, 5);
        QCOMPARE(s.health->healthyAfter, 2);
        QCOMPARE(s.passive.failures, 7);
        QCOMPARE(s.passive.ejectFor, Millis(1min));
        QCOMPARE(s.mark.line, 3);
        const ServiceConfig& p = c.services[1];
        QCOMPARE(p.targets[0].port, uint16_t(80));
        QCOMPARE(p.balance, Balance::RoundRobin);
        QCOMPARE(p.retries, 1);
        QVERIFY(!p.health.has_value());
        QCOMPARE(p.passive.failures, 3);
        QCOMPARE(p.tls.verify, true);
    }

    void apisSection_everyKeyParsed() {
        const Config c =
            mustLoad("version: 1\n"
                     "services: [{ name: b, targets: [{ url: builtin:echo }] }]\n"
                     "apis:\n"
                     "  - name: orders\n"
                     "    version: v1\n"
                     "    lifecycle: deprecated\n"
                     "    sunset: 2027-06-30\n"
                     "    base_path: /orders/v1\n"
                     "    service: b\n"
                     "    strip_base_path: true\n"
                     "    auth: [key, jwt, mtls]\n"
                     "    key_in_query: true\n"
                     "    hosts: [API.Example.com, \"*.example.org\"]\n"
                     "    openapi: specs/orders.yaml\n"
                     "    limits_per_ip: [ { requests: 20, per: second }, { requests: 500, per: day } ]\n"
                     "    routes:\n"
                     "      - { name: get, methods: [get, Post, GET], path: \"/{id}\", hosts: [A.b] }\n"
                     "      - { name: admin, path: \"/admin/*\" }\n");
        QCOMPARE(c.apis.size(), size_t(1));
        const ApiConfig& a = c.apis[0];
        QCOMPARE(a.name, std::string("orders"));
        QCOMPARE(a.version, std::string("v1"));
        QCOMPARE(a.lifecycle, Lifecycle::Deprecated);
        QCOMPARE(a.sunset, std::string("2027-06-30"));
        QCOMPARE(a.basePath, std::string("/orders/v1"));
        QCOMPARE(a.service, std::string("b"));
        QVERIFY(a.stripBasePath);
        QCOMPARE(a.auth, (std::vector<std::string>{"key", "jwt", "mtls"}));
        QVERIFY(!a.isPublic);
        QVERIFY(a.keyInQuery);
        QCOMPARE(a.hosts, (std::vector<std::string>{"api.example.com", "*.example.org"}));
        QCOMPARE(a.openapi, std::string("/srv/gw/specs/orders.yaml"));
        QCOMPARE(a.limitsPerIp.size(), size_t(2));
        QCOMPARE(a.limitsPerIp[1].requests, uint64_t(500));
        QCOMPARE(a.limitsPerIp[1].per, RateLimitConfig::Per::Day);
        QCOMPARE(a.routes.size(), size_t(2));
        QCOMPARE(a.routes[0].methods, (std::vector<std::string>{"GET", "POST"}));
        QCOMPARE(a.routes[0].path, std::string("/{id}"));
        QCOMPARE(a.routes[0].hosts, std::vector<std::string>{"a.b"});
        QCOMPARE(a.routes[0].mark.line, 17);
        QVERIFY(a.routes[1].methods.empty());
        QCOMPARE(a.mark.line, 4);
    }

    void apiDefaults() {
        const Config c = mustLoad("version: 1\nservices: [{ name: b, targets: [{ url: builtin:echo }] }]\n"
                                  "apis: [{ name: x, service: b, public: true }]\n");
        const ApiConfig& a = c.apis[0];
        QCOMPARE(a.version, std::string());
        QCOMPARE(a.lifecycle, Lifecycle::Published);
        QCOMPARE(a.basePath, std::string("/"));
        QVERIFY(!a.stripBasePath);
        QVERIFY(a.isPublic);
        QVERIFY(!a.keyInQuery);
        QVERIFY(a.routes.empty());
    }

    void plansAndConsumers_everyKeyParsed() {
        const Config c =
            mustLoad("version: 1\n"
                     "services: [{ name: b, targets: [{ url: builtin:echo }] }]\n"
                     "apis:\n"
                     "  - { name: orders, service: b, public: true, routes: [{ name: list, methods: "
                     "[GET], path: / }, { name: create, methods: [POST], path: / }] }\n"
                     "plans:\n"
                     "  - name: free\n"
                     "    rate_limits: [ { requests: 10, per: second }, { requests: 1000, per: hour } ]\n"
                     "    quota: { requests: 10000, per: week, on_exceeded: allow_and_bill }\n"
                     "    price: { currency: EUR, monthly: 9.5, per_1000_over_quota: 0.25 }\n"
                     "    grants: [ { api: orders, routes: [list], methods: [head] } ]\n"
                     "consumers:\n"
                     "  - name: acme\n"
                     "    plan: free\n"
                     "    status: suspended\n"
                     "    credentials:\n"
                     "      - { type: key, id: acme-1, hash: \"" +
                     kHash +
                     "\" }\n"
                     "      - { type: jwt, issuer: \"https://auth\", jwks_url: \"https://auth/jwks\", "
                     "audience: api }\n"
                     "      - { type: jwt, issuer: i2, public_key: keys/acme.pem }\n"
                     "      - { type: mtls, fingerprint: \"sha256:" +
                     std::string(64, 'A') +
                     "\" }\n"
                     "    grants: [ { api: orders, routes: [create] } ]\n"
                     "    denies: [ { api: orders, routes: [\"*\"] } ]\n"
                     "    ip_allow: [\"192.0.2.0/24\"]\n"
                     "ip_rules: { allow: [\"0.0.0.0/0\"], deny: [\"203.0.113.0/24\"] }\n");
        QCOMPARE(c.plans.size(), size_t(1));
        const PlanConfig& p = c.plans[0];
        QCOMPARE(p.rateLimits.size(), size_t(2));
        QCOMPARE(p.rateLimits[1].requests, uint64_t(1000));
        QCOMPARE(p.rateLimits[1].per, RateLimitConfig::Per::Hour);
        QVERIFY(p.quota.has_value());
        QCOMPARE(p.quota->requests, uint64_t(10000));
        QCOMPARE(p.quota->per, QuotaConfig::Per::Week);
        QCOMPARE(p.quota->onExceeded, QuotaConfig::OnExceeded::AllowAndBill);
        QCOMPARE(p.price.currency, std::string("EUR"));
        QCOMPARE(p.price.monthly, 9.5);
        QCOMPARE(p.price.per1000OverQuota, 0.25);
        QCOMPARE(p.grants[0].methods, std::vector<std::string>{"HEAD"});
        const ConsumerConfig& k = c.consumers[0];
        QCOMPARE(k.plan, std::string("free"));
        QCOMPARE(k.status, ConsumerConfig::Status::Suspended);
        QCOMPARE(k.credentials.size(), size_t(4));
        QCOMPARE(k.credentials[0].type, CredentialConfig::Type::Key);
        QCOMPARE(k.credentials[0].id, std::string("acme-1"));
        QCOMPARE(k.credentials[0].hash, kHash);
        QCOMPARE(k.credentials[1].type, CredentialConfig::Type::Jwt);
        QCOMPARE(k.credentials[1].jwksUrl, std::string("https://auth/jwks"));
        QCOMPARE(k.credentials[1].audience, std::string("api"));
        QCOMPARE(k.credentials[2].publicKey, std::string("/srv/gw/keys/acme.pem"));
        QCOMPARE(k.credentials[3].type, CredentialConfig::Type::Mtls);
        QCOMPARE(k.credentials[3].hash, "sha256:" + std::string(64, 'a'));
        QCOMPARE(k.grants[0].routes, std::vector<std::string>{"create"});
        QCOMPARE(k.denies[0].routes, std::vector<std::string>{"*"});
        QCOMPARE(k.ipAllow.size(), size_t(1));
        QCOMPARE(c.ipRules.allow[0].prefix, 0);
        QCOMPARE(c.ipRules.deny[0].prefix, 24);
    }

    void loadFile_resolvesPathsAgainstItsFolder() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        QVERIFY(test::writeFile(root + "/conf/ca.pem", "x"));
        QVERIFY(
            test::writeFile(root + "/conf/tollgate.yaml",
                            "version: 1\n"
                            "gateway: { store: ../data/t.db, access_log: logs/a.jsonl }\n"
                            "services:\n"
                            "  - { name: b, targets: [{ url: \"https://h\" }], tls: { ca: ./ca.pem } }\n"));
        const LoadResult r = loadConfigFile(root + "/conf/tollgate.yaml");
        QVERIFY2(r.ok(), qPrintable(messages(r)));
        QCOMPARE(r.config->sourcePath, root + "/conf/tollgate.yaml");
        QCOMPARE(r.config->gateway.store, root + "/data/t.db");
        QCOMPARE(r.config->gateway.accessLog, root + "/conf/logs/a.jsonl");
        QCOMPARE(r.config->services[0].tls.ca, root + "/conf/ca.pem");
    }

    void loadFile_errorsNameTheFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.yaml").toStdString();
        QVERIFY(test::writeFile(path, "version: 1\ngateway: { workers: 0 }\n"));
        const LoadResult r = loadConfigFile(path);
        QVERIFY(!r.ok());
        QCOMPARE(messages(r),
                 QString::fromStdString(path + ":2:21: gateway.workers: expected \"auto\" or a number "
                                               "from 1 to 256, got \"0\""));
    }

    void jsonInput_isAccepted() {
        const Config c = mustLoad(
            "{\"version\": 1,\n"
            "  \"gateway\": {\"listen\": [\"127.0.0.1:9090\"], \"workers\": \"auto\"},\n"
            "  \"services\": [{\"name\": \"b\", \"targets\": [{\"url\": \"http://127.0.0.1:9001\", "
            "\"weight\": 2}]}],\n"
            "  \"apis\": [{\"name\": \"a\", \"service\": \"b\", \"public\": true,\n"
            "            \"routes\": [{\"name\": \"r\", \"methods\": [\"GET\"], \"path\": \"/x\"}]}]}");
        QCOMPARE(c.gateway.listen[0].port, uint16_t(9090));
        QCOMPARE(c.services[0].targets[0].weight, 2);
        QCOMPARE(c.apis[0].routes[0].path, std::string("/x"));
    }

    void jsonInput_duplicateKeyIsReported() {
        const LoadResult r = loadConfigText("{\"version\": 1, \"version\": 1}", "t.json", ".");
        QCOMPARE(messages(r), QString("t.json:1:16: version: duplicate key \"version\" (first at line 1)"));
    }

    void demoExample_loadsClean() {
        const LoadResult r = loadConfigFile(test::sourcePath("resources/examples/demo.yaml"));
        QVERIFY2(r.ok(), qPrintable(messages(r)));
        QCOMPARE(messages(r), QString());
        const Config& c = *r.config;
        QCOMPARE(c.gateway.listen[0].text, std::string("127.0.0.1:8080"));
        QCOMPARE(c.services.size(), size_t(1));
        QCOMPARE(c.services[0].targets[0].scheme, std::string("builtin"));
        QCOMPARE(c.apis.size(), size_t(2));
        QCOMPARE(c.apis[0].routes.size(), size_t(4));
        QVERIFY(!c.apis[0].isPublic);
        QCOMPARE(c.apis[0].auth, (std::vector<std::string>{"key", "jwt"}));
        QCOMPARE(c.apis[1].lifecycle, Lifecycle::Deprecated);
        QCOMPARE(c.apis[1].sunset, std::string("2027-06-30"));
        QCOMPARE(c.plans.size(), size_t(3));
        QCOMPARE(c.consumers.size(), size_t(4));
        QCOMPARE(c.consumers[3].status, ConsumerConfig::Status::Suspended);
        QCOMPARE(c.consumers[0].credentials[0].hash, kHash); // sha256("demo-key-acme")
    }

    void minimalExample_loadsClean() {
        const LoadResult r = loadConfigFile(test::sourcePath("resources/examples/minimal.yaml"));
        QVERIFY2(r.ok(), qPrintable(messages(r)));
        QCOMPARE(messages(r), QString());
        QCOMPARE(r.config->services[0].targets[0].port, uint16_t(9001));
        QCOMPARE(r.config->apis.size(), size_t(1));
    }
};

QTEST_APPLESS_MAIN(ConfigModelTest)
#include "config_model_test.moc"

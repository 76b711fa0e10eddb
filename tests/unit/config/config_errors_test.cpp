// Every kind of mistake in a config file is reported with file, line, column, key path and a
// message saying what is wrong and what is allowed; errors are collected, in file order.
#include "tollgate/config.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tollgate;

namespace {

LoadResult load(const std::string& text) {
    return loadConfigText(text, "t.yaml", "/srv/gw");
}

// All messages, one per line, as the CLI prints them.
QString messages(const LoadResult& r) {
    QStringList lines;
    for (const ConfigError& e : r.errors) {
        lines << QString::fromStdString(e.format());
    }
    return lines.join('\n');
}

// A valid base that tests append to; line 1..7.
const std::string kBase = "version: 1\n"
                          "services:\n"
                          "  - name: backend\n"
                          "    targets: [{ url: \"http://127.0.0.1:9001\" }]\n"
                          "apis:\n"
                          "  - { name: orders, service: backend, public: true, base_path: /orders,\n"
                          "      routes: [{ name: list, path: / }] }\n";

} // namespace

class ConfigErrorsTest : public QObject {
    Q_OBJECT
private slots:
    void baseConfig_loadsClean() {
        const LoadResult r = load(kBase);
        QVERIFY2(r.ok(), qPrintable(messages(r)));
        QCOMPARE(messages(r), QString());
    }

    void syntaxError_reportsLineAndColumn() {
        const LoadResult r = load("version: 1\ngateway:\n  listen: [\"127.0.0.1:8080\"\n  workers: 2\n");
        QVERIFY(!r.ok());
        QCOMPARE(r.errors.size(), size_t(1));
        QCOMPARE(r.errors[0].line, 4);
        QCOMPARE(messages(r), QString("t.yaml:4:3: end of sequence flow not found"));
    }

    void emptyFile_isAnError() {
        QCOMPARE(messages(load("")),
                 QString("t.yaml:1:1: the file is empty (expected a mapping with version: 1)"));
        QCOMPARE(messages(load("# nothing\n")),
                 QString("t.yaml:1:1: the file is empty (expected a mapping with version: 1)"));
        QVERIFY(!load("").ok());
    }

    void controlCharacter_isRefusedWithPosition() {
        QCOMPARE(messages(load("version: 1\ngateway: { workers: \x1b"
                               "2 }\n")),
                 QString("t.yaml:2:21: control character 0x1B is not allowed"));
    }

    void invalidUtf8_isRefusedWithPosition() {
        QCOMPARE(messages(load("version: 1\n# caf\xc3\xa9 ok\nname: \xff"
                               "\n")),
                 QString("t.yaml:3:7: invalid UTF-8"));
    }

    void leadingComma_isAnErrorNotAHang() {
        // yaml-cpp 0.7's LoadAll loops forever on this stream (upstream issue #1040).
        const LoadResult r = load(",\n");
        QVERIFY(!r.ok());
        QCOMPARE(r.errors.size(), size_t(1));
        QVERIFY(!load("version: 1\n---\n, x\n").ok());
    }

    void topLevelList_isAnError() {
        const LoadResult r = load("- version: 1\n");
        QVERIFY(!r.ok());
        QCOMPARE(messages(r), QString("t.yaml:1:1: expected a mapping at the top level, got a list"));
    }

    void twoDocuments_areRefused() {
        QCOMPARE(messages(load(kBase + "---\nversion: 1\n")),
                 QString("t.yaml:8:1: only one YAML document is allowed"));
    }

    void missingVersion_isRequired() {
        QCOMPARE(messages(load("gateway: {}\n")), QString("t.yaml:1:1: missing required key \"version\""));
    }

    void wrongVersion_saysWhichIsSupported() {
        QCOMPARE(messages(load("version: 2\n")),
                 QString("t.yaml:1:10: version: unsupported version 2 (this gateway reads version 1)"));
    }

    void unknownKey_suggestsNearest() {
        const LoadResult r = load("version: 1\ngateway:\n  listn: [\"127.0.0.1:8080\"]\n");
        QVERIFY(!r.ok());
        QCOMPARE(messages(r),
                 QString("t.yaml:3:3: gateway.listn: unknown key \"listn\" (did you mean \"listen\"?)"));
    }

    void unknownKey_transpositionIsNear() {
        QCOMPARE(
            messages(load("version: 1\ngateway: { wokrers: 2 }\n")),
            QString("t.yaml:2:12: gateway.wokrers: unknown key \"wokrers\" (did you mean \"workers\"?)"));
    }

    void unknownKey_withoutNearOne_listsAllowed() {
        QCOMPARE(messages(load("version: 1\nip_rules: { block: [] }\n")),
                 QString("t.yaml:2:13: ip_rules.block: unknown key \"block\" (allowed: allow, deny)"));
    }

    void unknownKey_nestedInList_hasFullPath() {
        const LoadResult r =
            load(kBase + "plans:\n  - name: free\n    rate_limits: [{ requests: 1, per: second, "
                         "burst: 3 }]\n");
        QCOMPARE(messages(r), QString("t.yaml:10:47: plans[0].rate_limits[0].burst: unknown key \"burst\" "
                                      "(allowed: requests, per)"));
    }

    void duplicateKey_isAnError() {
        const LoadResult r = load("version: 1\ngateway:\n  workers: 2\n  workers: 4\n");
        QVERIFY(!r.ok());
        QCOMPARE(messages(r),
                 QString("t.yaml:4:3: gateway.workers: duplicate key \"workers\" (first at line 3)"));
    }

    void duplicateKey_inFlowMapping() {
        QCOMPARE(messages(load("version: 1\nip_rules: { deny: [], deny: [] }\n")),
                 QString("t.yaml:2:23: ip_rules.deny: duplicate key \"deny\" (first at line 2)"));
    }

    void listWhereMappingExpected() {
        QCOMPARE(messages(load("version: 1\ngateway:\n  - listen\n")),
                 QString("t.yaml:3:3: gateway: expected a mapping, got a list"));
    }

    void mappingWhereListExpected() {
        QCOMPARE(messages(load("version: 1\nservices: { name: x }\n")),
                 QString("t.yaml:2:11: services: expected a list, got a mapping"));
    }

    void textWhereIntegerExpected() {
        QCOMPARE(messages(load(kBase + "gateway: { limits: { max_header_count: abc } }\n")),
                 QString("t.yaml:8:40: gateway.limits.max_header_count: expected an integer, got \"abc\""));
    }

    void negativeNumber_isRefused() {
        const LoadResult r =
            load(kBase + "plans:\n  - name: free\n    rate_limits: [{ requests: -5, per: second }]\n");
        QCOMPARE(
            messages(r),
            QString(
                "t.yaml:10:31: plans[0].rate_limits[0].requests: must be between 1 and 1000000000, got -5"));
    }

    void integerOutOfRange_saysTheRange() {
        QCOMPARE(
            messages(load("version: 1\ngateway: { workers: 300 }\n")),
            QString(
                "t.yaml:2:21: gateway.workers: expected \"auto\" or a number from 1 to 256, got \"300\""));
        const std::string retries = "version: 1\n"
                                    "services:\n"
                                    "  - name: b\n"
                                    "    targets: [{ url: \"http://h:1\" }]\n"
                                    "    retries: 11\n";
        QCOMPARE(messages(load(retries)),
                 QString("t.yaml:5:14: services[0].retries: must be between 0 and 10, got 11"));
    }

    void badBoolean_saysTrueOrFalse() {
        QCOMPARE(messages(load(kBase + "  - { name: a, service: backend, auth: [key], public: yes }\n")),
                 QString("t.yaml:8:55: apis[1].public: expected true or false, got \"yes\""));
    }

    void badDuration_reportsLineAndKey() {
        const LoadResult r = load("version: 1\ngateway:\n  limits:\n    header_timeout: 10x\n");
        QVERIFY(!r.ok());
        QCOMPARE(r.errors.size(), size_t(1));
        QCOMPARE(r.errors[0].line, 4);
        QCOMPARE(r.errors[0].column, 21);
        QCOMPARE(r.errors[0].key, std::string("gateway.limits.header_timeout"));
        QCOMPARE(
            r.errors[0].message,
            std::string(
                "invalid duration \"10x\" (a whole number with a unit: ms, s, m, h, d, like 250ms or 10s)"));
    }

    void zeroTimeout_isRefused() {
        QCOMPARE(messages(load("version: 1\ngateway: { limits: { idle_timeout: 0s } }\n")),
                 QString("t.yaml:2:36: gateway.limits.idle_timeout: must be greater than 0"));
    }

    void badSize_listsUnits() {
        QCOMPARE(
            messages(load("version: 1\ngateway:\n  limits: { max_body_bytes: 10MB }\n")),
            QString(
                "t.yaml:3:29: gateway.limits.max_body_bytes: invalid size \"10MB\" (bytes, or a whole number "
                "with a unit: B, KiB, MiB, GiB, like 16KiB)"));
    }

    void badEnum_listsAllowedValues() {
        const LoadResult r =
            load(kBase + "plans:\n  - name: free\n    rate_limits:\n      - { requests: 10, per: "
                         "minut }\n");
        QCOMPARE(messages(r),
                 QString("t.yaml:11:30: plans[0].rate_limits[0].per: unknown unit \"minut\" (second, "
                         "minute, hour, day)"));
    }

    void badBalance_listsAllowedValues() {
        const std::string text = "version: 1\n"
                                 "services:\n"
                                 "  - name: b\n"
                                 "    targets: [{ url: \"http://h:1\" }]\n"
                                 "    balance: random\n";
        QCOMPARE(messages(load(text)), QString("t.yaml:5:14: services[0].balance: unknown balance \"random\" "
                                               "(round_robin, least_conn, consistent_hash)"));
    }

    void missingRequiredKeys_areNamed() {
        const std::string text = "version: 1\n"
                                 "services:\n"
                                 "  - balance: round_robin\n"
                                 "  - name: b\n"
                                 "    targets: [{ weight: 2 }]\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:3:5: services[0]: missing required key \"name\"\n"
                         "t.yaml:3:5: services[0]: missing required key \"targets\"\n"
                         "t.yaml:5:15: services[1].targets[0]: missing required key \"url\""));
    }

    void emptyTargets_needsOne() {
        QCOMPARE(messages(load("version: 1\nservices: [{ name: b, targets: [] }]\n")),
                 QString("t.yaml:2:23: services[0].targets: needs at least one target"));
    }

    void nullValue_isMissingValue() {
        QCOMPARE(messages(load("version: 1\nservices:\n  - name:\n    targets: [{ url: builtin:echo }]\n")),
                 QString("t.yaml:3:5: services[0].name: missing value"));
    }

    void badTargetUrl_saysTheForms() {
        const std::string text = "version: 1\n"
                                 "services:\n"
                                 "  - name: b\n"
                                 "    targets:\n"
                                 "      - url: ftp://h:1\n"
                                 "      - url: http://h:1/api\n"
                                 "      - url: builtin:mirror\n"
                                 "      - { url: \"http://h:99999\", weight: 0 }\n";
        QCOMPARE(
            messages(load(text)),
            QString(
                "t.yaml:5:14: services[0].targets[0].url: invalid target \"ftp://h:1\": expected "
                "http://host:port, https://host:port or builtin:echo\n"
                "t.yaml:6:14: services[0].targets[1].url: invalid target \"http://h:1/api\": a target is "
                "scheme://host[:port] only, without path, query or user\n"
                "t.yaml:7:14: services[0].targets[2].url: invalid target \"builtin:mirror\": unknown builtin "
                "\"mirror\" (echo)\n"
                "t.yaml:8:16: services[0].targets[3].url: invalid target \"http://h:99999\": port must be a "
                "number from 1 to 65535\n"
                "t.yaml:8:42: services[0].targets[3].weight: must be between 1 and 1000, got 0"));
    }

    void badListenAddress_saysTheForm() {
        QCOMPARE(
            messages(load("version: 1\ngateway:\n  listen: [\"::1:8080\", \"h:http\", \"[::1]:80\"]\n")),
            QString(
                "t.yaml:3:12: gateway.listen[0]: invalid listen address \"::1:8080\": an IPv6 address must "
                "be written in brackets, like [::1]:8080 (host:port or [v6]:port)\n"
                "t.yaml:3:24: gateway.listen[1]: invalid listen address \"h:http\": port must be a number "
                "from 0 to 65535 (host:port or [v6]:port)"));
    }

    void duplicateListener_isAnError() {
        QCOMPARE(messages(load("version: 1\ngateway:\n  listen: [\"127.0.0.1:80\"]\n  admin: { listen: "
                               "\"127.0.0.1:80\" }\n")),
                 QString("t.yaml:4:20: gateway.admin.listen: address \"127.0.0.1:80\" is already used by "
                         "gateway.listen[0]"));
    }

    void badCidr_isReported() {
        QCOMPARE(
            messages(load("version: 1\nip_rules:\n  deny: [\"10.0.0.0/8\", \"10.0.0.0/40\"]\n")),
            QString("t.yaml:3:24: ip_rules.deny[1]: invalid CIDR \"10.0.0.0/40\" (an IPv4 or IPv6 address, "
                    "optionally /prefix, like 10.0.0.0/8 or 2001:db8::/32)"));
    }

    void badSunset_mustBeARealDate() {
        QCOMPARE(
            messages(load(kBase + "  - { name: old, service: backend, public: true, sunset: 2027-02-29 }\n")),
            QString(
                "t.yaml:8:58: apis[1].sunset: invalid date \"2027-02-29\" (a real date written YYYY-MM-DD)"));
        QVERIFY(load(kBase + "  - { name: old, service: backend, public: true, sunset: 2028-02-29 }\n").ok());
    }

    void basePath_mustStartWithSlash() {
        QCOMPARE(messages(load(kBase + "  - { name: x, service: backend, public: true, base_path: x/v1 }\n")),
                 QString("t.yaml:8:59: apis[1].base_path: must start with '/', got \"x/v1\""));
    }

    void badRoutePath_explainsTheRule_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("no slash") << "items"
                                  << "must start with '/', got \"items\"";
        QTest::newRow("double slash") << "/a//b"
                                      << "must not contain \"//\", got \"/a//b\"";
        QTest::newRow("dotdot") << "/a/../b"
                                << "must not contain \".\" or \"..\" segments, got \"/a/../b\"";
        QTest::newRow("percent")
            << "/a%2Fb"
            << "must not contain '%' (patterns match the decoded path, without query), got "
               "\"/a%2Fb\"";
        QTest::newRow("query")
            << "/a?b=1"
            << "must not contain '?' (patterns match the decoded path, without query), got "
               "\"/a?b=1\"";
        QTest::newRow("star inside")
            << "/a/*/b"
            << "'*' is only allowed as the whole last segment, like /files/*, got \"/a/*/b\"";
        QTest::newRow("star suffix") << "/a/b*"
                                     << "'*' is only allowed as the whole last segment, like /files/*, got "
                                        "\"/a/b*\"";
        QTest::newRow("partial param") << "/a/x{id}"
                                       << "a parameter is a whole segment {name}, name being letters, "
                                          "digits and '_', got \"x{id}\", got \"/a/x{id}\"";
        QTest::newRow("bad param name") << "/{1d}"
                                        << "a parameter is a whole segment {name}, name being letters, "
                                           "digits and '_', got \"{1d}\", got \"/{1d}\"";
        QTest::newRow("repeated param") << "/{id}/{id}"
                                        << "parameter {id} appears twice, got \"/{id}/{id}\"";
    }
    void badRoutePath_explainsTheRule() {
        QFETCH(QString, path);
        QFETCH(QString, message);
        const std::string text = kBase +
                                 "  - name: x\n    service: backend\n    public: true\n    routes:\n"
                                 "      - name: r\n        path: \"" +
                                 path.toStdString() + "\"\n";
        QCOMPARE(messages(load(text)), "t.yaml:13:15: apis[1].routes[0].path: " + message);
    }

    void unknownMethod_listsAllowed() {
        const std::string text = kBase + "  - { name: x, service: backend, public: true, base_path: /x,\n"
                                         "      routes: [{ name: r, path: /, methods: [get, FETCH] }] }\n";
        const LoadResult r = load(text);
        QCOMPARE(messages(r),
                 QString("t.yaml:9:51: apis[1].routes[0].methods[1]: unknown method \"FETCH\" (GET, HEAD, "
                         "POST, PUT, DELETE, OPTIONS, PATCH, TRACE, CONNECT)"));
    }

    void badKeyHash_saysTheFormat() {
        const std::string text = kBase + "plans: [{ name: free }]\n"
                                         "consumers:\n"
                                         "  - name: acme\n"
                                         "    plan: free\n"
                                         "    credentials:\n"
                                         "      - { type: key, id: k1, hash: \"sha256:ABC\" }\n"
                                         "      - { type: mtls, fingerprint: \"md5:00\" }\n"
                                         "      - { type: basic, id: x }\n";
        QCOMPARE(
            messages(load(text)),
            QString("t.yaml:13:36: consumers[0].credentials[0].hash: invalid key hash (\"sha256:\" followed "
                    "by 64 "
                    "lowercase hex digits)\n"
                    "t.yaml:14:36: consumers[0].credentials[1].fingerprint: invalid certificate fingerprint "
                    "(\"sha256:\" followed by 64 hex digits)\n"
                    "t.yaml:15:17: consumers[0].credentials[2].type: unknown credential type \"basic\" (key, "
                    "jwt, mtls)"));
    }

    void jwtCredential_needsExactlyOneKeySource() {
        const std::string text =
            kBase + "plans: [{ name: free }]\n"
                    "consumers:\n"
                    "  - name: acme\n"
                    "    plan: free\n"
                    "    credentials:\n"
                    "      - { type: jwt, issuer: i, jwks_url: \"https://i/j\", secret_env: S }\n"
                    "      - { type: jwt, issuer: i }\n"
                    "      - { type: jwt, issuer: i, secret_env: S, fingerprint: x }\n";
        QCOMPARE(
            messages(load(text)),
            QString(
                "t.yaml:13:9: consumers[0].credentials[0]: a jwt credential needs exactly one of jwks_url, "
                "secret_env, public_key, got 2\n"
                "t.yaml:14:9: consumers[0].credentials[1]: a jwt credential needs exactly one of jwks_url, "
                "secret_env, public_key, got 0\n"
                "t.yaml:15:48: consumers[0].credentials[2].fingerprint: unknown key \"fingerprint\" "
                "(allowed: "
                "type, issuer, jwks_url, secret_env, public_key, audience)"));
    }

    void missingTlsFiles_areNamed() {
        const std::string text = "version: 1\n"
                                 "gateway:\n"
                                 "  tls:\n"
                                 "    listen: [\"127.0.0.1:8443\"]\n"
                                 "    certificates:\n"
                                 "      - { cert: certs/api.crt, key: /nonexistent/api.key }\n";
        QCOMPARE(
            messages(load(text)),
            QString(
                "t.yaml:6:17: gateway.tls.certificates[0].cert: cannot read file \"/srv/gw/certs/api.crt\"\n"
                "t.yaml:6:37: gateway.tls.certificates[0].key: cannot read file \"/nonexistent/api.key\""));
    }

    void tlsListenWithoutCertificates_isAnError() {
        QCOMPARE(messages(load("version: 1\ngateway:\n  tls: { listen: [\"127.0.0.1:8443\"] }\n")),
                 QString("t.yaml:3:8: gateway.tls: missing required key \"certificates\""));
    }

    void tlsVerifyFalse_isAWarningNotAnError() {
        const std::string text = "version: 1\n"
                                 "services:\n"
                                 "  - name: b\n"
                                 "    targets: [{ url: \"https://h\" }]\n"
                                 "    tls: { verify: false }\n";
        const LoadResult r = load(text);
        QVERIFY(r.ok());
        QCOMPARE(r.errors.size(), size_t(1));
        QVERIFY(r.errors[0].warning);
        QCOMPARE(messages(r),
                 QString("t.yaml:5:20: warning: services[0].tls.verify: TLS certificate verification is "
                         "disabled for this service's targets"));
        QCOMPARE(r.config->services[0].tls.verify, false);
        QCOMPARE(r.config->services[0].targets[0].port, uint16_t(443));
    }

    void missingCaFile_isAnError() {
        const std::string text = "version: 1\n"
                                 "services:\n"
                                 "  - name: b\n"
                                 "    targets: [{ url: \"https://h\" }]\n"
                                 "    tls: { ca: ca.pem }\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:5:16: services[0].tls.ca: cannot read file \"/srv/gw/ca.pem\""));
    }

    void errors_areCollectedInFileOrder() {
        const std::string text = "version: 1\n"
                                 "gateway:\n"
                                 "  workers: many\n"
                                 "  limits: { idle_timeout: soon }\n"
                                 "services:\n"
                                 "  - name: b\n"
                                 "    targets: [{ url: \"http://h:1\" }]\n"
                                 "apis:\n"
                                 "  - { name: a, service: nope, public: true }\n"
                                 "ip_rules: { deny: [bad] }\n";
        const LoadResult r = load(text);
        QVERIFY(!r.ok());
        QCOMPARE(r.errors.size(), size_t(4));
        QCOMPARE(r.errors[0].line, 3);
        QCOMPARE(r.errors[1].line, 4);
        QCOMPARE(r.errors[2].line, 9);
        QCOMPARE(r.errors[2].message, std::string("unknown service \"nope\" (defined: b)"));
        QCOMPARE(r.errors[3].line, 10);
        QCOMPARE(r.errors[3].key, std::string("ip_rules.deny[0]"));
    }

    void oversizedText_isRefused() {
        const std::string big(16 * 1024 * 1024 + 1, '#');
        const LoadResult r = load(big);
        QVERIFY(!r.ok());
        QCOMPARE(messages(r), QString("t.yaml:0:0: the file is larger than 16 MiB"));
    }

    void missingFile_isAnError() {
        const LoadResult r = loadConfigFile("/nonexistent/tollgate.yaml");
        QVERIFY(!r.ok());
        QCOMPARE(messages(r), QString("/nonexistent/tollgate.yaml:0:0: no such file"));
    }

    void aliasBomb_isStoppedNotExpanded() {
        // 2,000 aliases to one API of 2,000 routes: four million routes once expanded.
        std::string text = "version: 1\nservices: [{ name: b, targets: [{ url: builtin:echo }] }]\napis:\n"
                           "  - &api\n    name: a\n    service: b\n    public: true\n    routes:\n";
        for (int i = 0; i < 2000; ++i) {
            text += "      - { name: r" + std::to_string(i) + ", path: /r" + std::to_string(i) + " }\n";
        }
        for (int i = 0; i < 2000; ++i) {
            text += "  - *api\n";
        }
        const LoadResult r = load(text);
        QVERIFY(!r.ok());
        QCOMPARE(r.errors.front().message,
                 std::string("the document is too large once aliases are expanded"));
    }
};

QTEST_APPLESS_MAIN(ConfigErrorsTest)
#include "config_errors_test.moc"

// explain(): the gateway's own pipeline run in explain mode, for config.md's example, the demo
// workspace, unknown consumers and routes, draft and retired APIs, bad paths and bad queries.

#include "support.h"
#include "tollgate/explain.h"

#include <QtTest>

#include <string>
#include <vector>

using namespace tollgate;

namespace {

// config.md's access sections (orders not public; acme on free with its own create grant and an
// admin deny), plus a consumer on free without grants of its own, a draft, a retired and a
// host-bound API. Plain literals, not a raw string: moc takes a "/*" inside one for a comment.
const char* kConfig =
    "version: 1\n"
    "services:\n"
    "  - name: echo\n"
    "    targets: [ { url: \"builtin:echo\" } ]\n"
    "apis:\n"
    "  - name: orders\n"
    "    version: v1\n"
    "    base_path: /orders/v1\n"
    "    service: echo\n"
    "    auth: [key, jwt]\n"
    "    routes:\n"
    "      - { name: list,   methods: [GET],  path: / }\n"
    "      - { name: get,    methods: [GET],  path: \"/{id}\" }\n"
    "      - { name: create, methods: [POST], path: / }\n"
    "      - { name: admin,  methods: [GET, POST, DELETE], path: \"/admin/*\" }\n"
    "  - { name: next, version: v2, lifecycle: draft, base_path: /next, service: echo, public: true,\n"
    "      routes: [ { name: all, path: \"/*\" } ] }\n"
    "  - { name: gone, version: v0, lifecycle: retired, sunset: 2024-01-31, base_path: /gone, service: "
    "echo,\n"
    "      public: true, routes: [ { name: all, path: \"/*\" } ] }\n"
    "  - { name: hosted, base_path: /h, service: echo, public: true, hosts: [api.example.com],\n"
    "      routes: [ { name: all, methods: [GET], path: \"/*\" } ] }\n"
    "plans:\n"
    "  - name: free\n"
    "    grants: [ { api: orders, routes: [list, get] } ]\n"
    "consumers:\n"
    "  - name: acme\n"
    "    plan: free\n"
    "    credentials: [ { type: key, id: a, hash: "
    "\"sha256:1111111111111111111111111111111111111111111111111111111111111111\" } ]\n"
    "    grants: [ { api: orders, routes: [create] } ]\n"
    "    denies: [ { api: orders, routes: [admin] } ]\n"
    "  - name: beta\n"
    "    plan: free\n"
    "    credentials: [ { type: key, id: b, hash: "
    "\"sha256:2222222222222222222222222222222222222222222222222222222222222222\" } ]\n"
    "ip_rules:\n"
    "  deny: [\"203.0.113.0/24\"]\n";

Config load(const std::string& yaml) {
    const LoadResult r = loadConfigText(yaml, "t.yaml");
    if (!r.ok()) {
        qFatal("%s", r.errors.empty() ? "?" : r.errors[0].format().c_str());
    }
    return *r.config;
}

Config demo() {
    const LoadResult r = loadConfigFile(test::sourcePath("resources/examples/demo.yaml"));
    if (!r.ok()) {
        qFatal("%s", r.errors.empty() ? "?" : r.errors[0].format().c_str());
    }
    return *r.config;
}

ExplainQuery query(std::string consumer, std::string method, std::string path, std::string ip = "127.0.0.1") {
    ExplainQuery q;
    q.consumer = std::move(consumer);
    q.method = std::move(method);
    q.path = std::move(path);
    q.clientIp = std::move(ip);
    return q;
}

// Whether some chain line starts with `prefix`.
bool hasStep(const ExplainResult& r, const std::string& prefix) {
    for (const std::string& line : r.chain) {
        if (line.rfind(prefix, 0) == 0) {
            return true;
        }
    }
    return false;
}

QString dump(const ExplainResult& r) {
    QString out = QString::fromStdString(r.summary);
    for (const std::string& line : r.chain) {
        out += "\n  " + QString::fromStdString(line);
    }
    return out;
}

} // namespace

class ExplainTest : public QObject {
    Q_OBJECT
private slots:
    void configExample_consumerWithoutCreateGrant_isDenyNoGrant() {
        const ExplainResult r = explain(load(kConfig), query("beta", "POST", "/orders/v1/"));
        QVERIFY2(r.status == 403, qPrintable(dump(r)));
        QCOMPARE(r.reason, std::string("deny.no_grant"));
        QCOMPARE(
            r.summary,
            std::string(
                "403 deny.no_grant: plan free grants orders/{list,get}; POST /orders/v1/ is orders/create"));
        const std::vector<std::string> expected = {
            "ip_rules: 127.0.0.1 allowed (no rule matches)",
            "route: POST /orders/v1/ is orders/create (v1, pattern /orders/v1)",
            "lifecycle: orders v1 is published",
        };
        QVERIFY2(r.chain.size() >= 4, qPrintable(dump(r)));
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(r.chain[i], expected[i]);
        }
        QCOMPARE(r.chain.back(), std::string("authz: deny.no_grant: plan free grants orders/{list,get}; "
                                             "POST /orders/v1/ is orders/create"));
    }

    void configExample_acmeIsGrantedCreateByItsOwnGrant() {
        const Config cfg = load(kConfig);
        ExplainResult r = explain(cfg, query("acme", "POST", "/orders/v1/"));
        QVERIFY2(r.status == 200, qPrintable(dump(r)));
        QCOMPARE(r.reason, std::string());
        QCOMPARE(r.summary,
                 std::string("200 allowed: consumer acme, plan free grants orders/{list,get}; "
                             "consumer acme grants orders/{create}; POST is granted by consumer acme"));
        r = explain(cfg, query("acme", "get", "/orders/v1/42?expand=items"));
        QVERIFY2(r.status == 200, qPrintable(dump(r)));
        QVERIFY2(hasStep(r, "route: GET /orders/v1/42 is orders/get (v1, pattern /orders/v1/{id})"),
                 qPrintable(dump(r)));
        QVERIFY2(r.summary.find("GET is granted by plan free") != std::string::npos, qPrintable(dump(r)));
        r = explain(cfg, query("acme", "DELETE", "/orders/v1/admin/cache"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.reason, std::string("deny.explicit"));
    }

    void anonymous_is401AuthMissing() {
        const ExplainResult r = explain(load(kConfig), query("", "GET", "/orders/v1/"));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.reason, std::string("auth.missing"));
        QVERIFY2(r.summary.rfind("401 auth.missing: orders v1 is not public", 0) == 0, qPrintable(dump(r)));
    }

    void gatewayIpRules_decideFirst() {
        const ExplainResult r = explain(load(kConfig), query("acme", "GET", "/orders/v1/", "203.0.113.9"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.reason, std::string("ip.denied"));
        QCOMPARE(r.chain,
                 std::vector<std::string>{"ip_rules: ip.denied: 203.0.113.9 is inside deny 203.0.113.0/24"});
        QCOMPARE(r.summary, std::string("403 ip.denied: 203.0.113.9 is inside deny 203.0.113.0/24"));
    }

    void unknownConsumer_isAnUnusableQuery() {
        const ExplainResult r = explain(load(kConfig), query("wayne", "GET", "/orders/v1/"));
        QCOMPARE(r.status, 0);
        QCOMPARE(r.reason, std::string("explain.unknown_consumer"));
        QCOMPARE(r.summary, std::string("no consumer named \"wayne\" (consumers: acme, beta)"));
        QVERIFY(r.chain.empty());
    }

    void badQueries_areUnusable() {
        const Config cfg = load(kConfig);
        QCOMPARE(explain(cfg, query("", "", "/")).reason, std::string("explain.bad_method"));
        QCOMPARE(explain(cfg, query("", "GET", "/", "localhost")).reason,
                 std::string("explain.bad_client_ip"));
    }

    void unknownRoute_is404RouteNone() {
        const Config cfg = load(kConfig);
        ExplainResult r = explain(cfg, query("acme", "GET", "/nowhere"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.reason, std::string("route.none"));
        QCOMPARE(r.summary, std::string("404 route.none: no route matches GET /nowhere"));
        r = explain(cfg, query("acme", "PUT", "/orders/v1/42"));
        QCOMPARE(r.status, 405);
        QCOMPARE(r.reason, std::string("route.method"));
        QCOMPARE(r.summary,
                 std::string("405 route.method: /orders/v1/42 does not accept PUT (Allow: GET, HEAD)"));
    }

    void hostBoundApi_needsItsHost() {
        const Config cfg = load(kConfig);
        ExplainQuery q = query("", "GET", "/h/x");
        QCOMPARE(explain(cfg, q).status, 404);
        q.host = "API.example.com:8080";
        const ExplainResult r = explain(cfg, q);
        QVERIFY2(r.status == 200, qPrintable(dump(r)));
    }

    void draftAndRetiredApis() {
        const Config cfg = load(kConfig);
        ExplainResult r = explain(cfg, query("", "GET", "/next/x"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.reason, std::string("api.draft"));
        QCOMPARE(r.summary, std::string("404 api.draft: next v2 is a draft, not exposed yet"));
        r = explain(cfg, query("acme", "GET", "/gone/x"));
        QCOMPARE(r.status, 410);
        QCOMPARE(r.reason, std::string("api.retired"));
        QCOMPARE(r.summary, std::string("410 api.retired: gone v0 is retired, sunset 2024-01-31"));
    }

    void badPath_is400WithItsReason() {
        const Config cfg = load(kConfig);
        ExplainResult r = explain(cfg, query("acme", "GET", "/orders/v1/a%2Fb"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.reason, std::string("path.encoded_slash"));
        QCOMPARE(r.chain.size(), size_t(1));
        r = explain(cfg, query("acme", "GET", "/../etc/passwd"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.reason, std::string("path.above_root"));
        r = explain(cfg, query("acme", "GET", "orders"));
        QCOMPARE(r.reason, std::string("path.not_origin_form"));
        // a path that normalises is explained in its canonical form
        r = explain(cfg, query("acme", "GET", "/orders//v1/./%34%32"));
        QVERIFY2(r.status == 200, qPrintable(dump(r)));
        QVERIFY2(hasStep(r, "route: GET /orders/v1/42 is orders/get"), qPrintable(dump(r)));
    }

    void demo_ordersNeedsAGrant() {
        // acme's own grant adds orders/create to plan free; its deny of admin wins over everything.
        ExplainResult r = explain(demo(), query("acme", "POST", "/orders/v1/"));
        QVERIFY2(r.status == 200, qPrintable(dump(r)));
        r = explain(demo(), query("acme", "DELETE", "/orders/v1/admin/x"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.reason, std::string("deny.explicit"));
        r = explain(demo(), query("", "GET", "/orders/v1/42"));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.reason, std::string("auth.missing"));
    }

    void demo_inventoryDecisions() {
        const Config cfg = demo();
        ExplainResult r = explain(cfg, query("acme", "GET", "/inventory/v1/items"));
        QVERIFY2(r.status == 200, qPrintable(dump(r)));
        QVERIFY2(hasStep(r, "lifecycle: inventory v1 is deprecated, sunset 2027-06-30"), qPrintable(dump(r)));
        QVERIFY2(r.summary.find("GET is granted by plan free") != std::string::npos, qPrintable(dump(r)));

        r = explain(cfg, query("acme", "POST", "/inventory/v1/items/sku-1/restock"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.summary, std::string("403 deny.no_grant: plan free grants inventory/{items,item}; "
                                        "POST /inventory/v1/items/sku-1/restock is inventory/restock"));

        r = explain(cfg, query("globex", "POST", "/inventory/v1/items/sku-1/restock"));
        QVERIFY2(r.status == 200, qPrintable(dump(r)));
        r = explain(cfg, query("globex", "GET", "/inventory/v1/items", "10.1.1.1"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.reason, std::string("ip.denied"));
        r = explain(cfg, query("globex", "GET", "/inventory/v1/items", "::1"));
        QVERIFY2(r.status == 200, qPrintable(dump(r)));

        r = explain(cfg, query("umbrella", "GET", "/inventory/v1/items"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.reason, std::string("consumer.suspended"));

        r = explain(cfg, query("", "GET", "/inventory/v1/items"));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.reason, std::string("auth.missing"));

        r = explain(cfg, query("initech", "GET", "/orders/v1/", "203.0.113.1"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.reason, std::string("ip.denied"));
    }
};

QTEST_APPLESS_MAIN(ExplainTest)
#include "explain_test.moc"

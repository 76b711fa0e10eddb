// Routing through the real binary: 404 route.none, 405 route.method with Allow, most specific route wins.

#include "integration.h"

using namespace tollgate::test;

class RoutingTest : public QObject {
    Q_OBJECT

private slots:
    void unknownPathGives404WithReason() {
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/nowhere/x")));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 404, &client);
        QCOMPARE(resp->header("X-Tollgate-Reason"), std::string("route.none"));
        QCOMPARE(jsonReason(*resp), std::string("route.none"));
        QCOMPARE(upstream.requestCount(), size_t(0));

        // Exactly one answer per request, and the connection stays usable after a routing answer.
        const std::string extra = client.readAvailable(300ms);
        QVERIFY2(extra.empty(), ("unrequested bytes after the 404 (" + std::to_string(extra.size()) +
                                 " bytes): " + extra.substr(0, 300))
                                    .c_str());
        QVERIFY(client.send(buildRequest("GET", "/api/ok")));
        const auto next = client.readResponse();
        TG_EXPECT_STATUS(next, 200, &client);
    }

    void wrongMethodGives405WithAllow() {
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        cfg.routes = "      - { name: items, methods: [GET, POST], path: /items }\n";
        TG_START(gw, cfg.toYaml());

        const auto resp = roundTrip(gw.port(), buildRequest("DELETE", "/api/items"));
        TG_EXPECT_STATUS(resp, 405, nullptr);
        const std::string allow = resp->header("Allow");
        QVERIFY2(allow.find("GET") != std::string::npos && allow.find("POST") != std::string::npos,
                 ("Allow: " + allow).c_str());
        QCOMPARE(resp->header("X-Tollgate-Reason"), std::string("route.method"));
        QCOMPARE(jsonReason(*resp), std::string("route.method"));
        QCOMPARE(upstream.requestCount(), size_t(0));

        const auto ok = roundTrip(gw.port(), buildRequest("POST", "/api/items", {}, "x"));
        TG_EXPECT_STATUS(ok, 200, nullptr);
        // GET implies HEAD.
        const auto head = roundTrip(gw.port(), buildRequest("HEAD", "/api/items"), 10s, true);
        TG_EXPECT_STATUS(head, 200, nullptr);
    }

    void literalBeatsParameterBeatsWildcard() {
        // Three APIs under the same base path, one route each, each with its own service: the
        // upstream that answers shows which route matched.
        TestUpstream literal("literal");
        TestUpstream param("param");
        TestUpstream wildcard("wildcard");
        GatewayYaml cfg;
        cfg.targets = {literal.url()};
        cfg.routes = "      - { name: special, path: /items/special }\n";
        std::string services;
        for (const TestUpstream* u : {&param, &wildcard}) {
            cfg.extraApis += "  - name: " + u->name() +
                             "\n    version: v1\n    base_path: /api\n    service: " + u->name() +
                             "\n    strip_base_path: true\n    public: true\n    routes:\n" +
                             "      - { name: r, path: \"" + (u == &param ? "/items/{id}" : "/items/*") +
                             "\" }\n";
            services += "  - name: " + u->name() + "\n    targets:\n      - { url: \"" + u->url() + "\" }\n";
        }
        std::string yaml = cfg.toYaml();
        yaml.insert(yaml.find("apis:\n"), services);
        TollgatedProcess gw;
        TG_START(gw, yaml);

        const auto served = [&](const std::string& path) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", path));
            return resp && resp->status == 200 ? resp->header("X-Upstream") : "status " + describe(resp);
        };
        QCOMPARE(served("/api/items/special"), std::string("literal"));
        QCOMPARE(served("/api/items/7"), std::string("param"));
        QCOMPARE(served("/api/items/7/deeper"), std::string("wildcard"));
        // A trailing '/' is insignificant.
        QCOMPARE(served("/api/items/7/"), std::string("param"));
        QCOMPARE(served("/api/items/special/"), std::string("literal"));
    }

    void methodsNarrowTheMatch() {
        // Within one API: the route that matches path and method serves; 405 lists what would.
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        cfg.routes = "      - { name: special, methods: [POST], path: /items/special }\n"
                     "      - { name: one, methods: [GET], path: \"/items/{id}\" }\n";
        TG_START(gw, cfg.toYaml());

        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("POST", "/api/items/special", {}, "x")), 200,
                         nullptr);
        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/items/7")), 200, nullptr);
        const auto put = roundTrip(gw.port(), buildRequest("PUT", "/api/items/7"));
        TG_EXPECT_STATUS(put, 405, nullptr);
        QVERIFY2(put->header("Allow").find("GET") != std::string::npos, put->rawHead.c_str());
    }

    void longerBasePathWinsAcrossApis() {
        TestUpstream general("general");
        TestUpstream special("special");
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {general.url()};
        cfg.extraApis = "  - name: v2\n"
                        "    version: v2\n"
                        "    base_path: /api/v2\n"
                        "    service: special-backend\n"
                        "    strip_base_path: true\n"
                        "    public: true\n"
                        "    routes:\n"
                        "      - { name: all, path: \"/*\" }\n";
        std::string yaml = cfg.toYaml();
        const std::string service = "  - name: special-backend\n"
                                    "    targets:\n"
                                    "      - { url: \"" +
                                    special.url() + "\", weight: 1 }\n";
        yaml.insert(yaml.find("apis:\n"), service);
        TG_START(gw, yaml);

        const auto a = roundTrip(gw.port(), buildRequest("GET", "/api/v2/thing"));
        TG_EXPECT_STATUS(a, 200, nullptr);
        QCOMPARE(a->header("X-Upstream"), std::string("special"));
        QCOMPARE(special.requests().at(0).target, std::string("/thing"));

        const auto b = roundTrip(gw.port(), buildRequest("GET", "/api/v3/thing"));
        TG_EXPECT_STATUS(b, 200, nullptr);
        QCOMPARE(b->header("X-Upstream"), std::string("general"));
        QCOMPARE(general.requests().at(0).target, std::string("/v3/thing"));
    }
};

QTEST_GUILESS_MAIN(RoutingTest)
#include "routing_test.moc"

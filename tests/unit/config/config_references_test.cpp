// Checks across sections: unique names, references to services, plans, APIs, routes and methods,
// and routes that the router could not tell apart.
#include "tollgate/config.h"

#include <QTest>

using namespace tollgate;

namespace {

LoadResult load(const std::string& text) {
    return loadConfigText(text, "t.yaml", "/srv/gw");
}

QString messages(const LoadResult& r) {
    QStringList lines;
    for (const ConfigError& e : r.errors) {
        lines << QString::fromStdString(e.format());
    }
    return lines.join('\n');
}

// Lines 1-4.
const std::string kService = "version: 1\n"
                             "services:\n"
                             "  - name: backend\n"
                             "    targets: [{ url: builtin:echo }]\n";

// One API per line from line 6, each `{ ..., routes: [...] }`.
std::string apis(std::initializer_list<std::string> lines) {
    std::string out = kService + "apis:\n";
    for (const std::string& line : lines) {
        out += "  - { service: backend, public: true, " + line + " }\n";
    }
    return out;
}

// Lines 1-11: an API "orders" with routes list, get, create, admin.
const std::string kOrders = kService +
                            "apis:\n"
                            "  - name: orders\n"
                            "    base_path: /orders/v1\n"
                            "    service: backend\n"
                            "    auth: [key]\n"
                            "    routes: [{ name: list, methods: [GET], path: / }, { name: get, methods: "
                            "[GET], path: \"/{id}\" },\n"
                            "             { name: create, methods: [POST], path: / }, { name: admin, "
                            "path: \"/admin/*\" }]\n";

} // namespace

class ConfigReferencesTest : public QObject {
    Q_OBJECT
private slots:
    void duplicateServiceName_isAnError() {
        const std::string text = kService + "  - name: backend\n    targets: [{ url: builtin:echo }]\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:5:11: services[1].name: duplicate service \"backend\" (first at line 3)"));
    }

    void duplicateApiNameAndVersion_isAnError() {
        const LoadResult r =
            load(apis({"name: a, version: v1", "name: a, version: v2", "name: a, version: v1"}));
        QCOMPARE(messages(r),
                 QString("t.yaml:8:45: apis[2].name: duplicate api \"a\" version \"v1\" (first at line 6)"));
    }

    void duplicateRouteName_inOneApi() {
        const LoadResult r = load(apis({"name: a, routes: [{ name: r, path: /x }, { name: r, path: /y }]"}));
        QCOMPARE(
            messages(r),
            QString("t.yaml:6:88: apis[0].routes[1].name: duplicate route name \"r\" (first at line 6)"));
    }

    void duplicatePlanAndConsumer_areErrors() {
        const std::string text = kService + "plans: [{ name: free }, { name: free }]\n"
                                            "consumers:\n"
                                            "  - { name: acme, plan: free }\n"
                                            "  - { name: acme, plan: free }\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:5:33: plans[1].name: duplicate plan \"free\" (first at line 5)\n"
                         "t.yaml:8:13: consumers[1].name: duplicate consumer \"acme\" (first at line 7)"));
    }

    void unknownService_suggestsNearest() {
        const std::string text = kService + "apis:\n  - { name: a, service: backnd, public: true }\n"
                                            "  - { name: b, service: other, public: true }\n";
        QCOMPARE(
            messages(load(text)),
            QString("t.yaml:6:25: apis[0].service: unknown service \"backnd\" (did you mean \"backend\"?)\n"
                    "t.yaml:7:25: apis[1].service: unknown service \"other\" (defined: backend)"));
    }

    void unknownPlan_isAnError() {
        const std::string text = kService + "plans: [{ name: free }, { name: partner }]\n"
                                            "consumers:\n"
                                            "  - { name: acme, plan: fre }\n"
                                            "  - { name: zed, plan: gold }\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:7:25: consumers[0].plan: unknown plan \"fre\" (did you mean \"free\"?)\n"
                         "t.yaml:8:24: consumers[1].plan: unknown plan \"gold\" (defined: free, partner)"));
    }

    void grantOfUnknownApi_isAnError() {
        const std::string text =
            kOrders + "plans:\n  - name: free\n    grants: [{ api: order, routes: [list] }]\n";
        QCOMPARE(
            messages(load(text)),
            QString(
                "t.yaml:14:21: plans[0].grants[0].api: unknown api \"order\" (did you mean \"orders\"?)"));
    }

    void grantOfUnknownRoute_isAnError() {
        const std::string text = kOrders +
                                 "plans:\n  - name: free\n    grants: [{ api: orders, routes: [list, "
                                 "gets, \"*\"] }]\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:14:44: plans[0].grants[0].routes[1]: unknown route \"gets\" "
                         "(did you mean \"get\"?) in api \"orders\""));
    }

    void grantMethodNotServedByRoutes_isAnError() {
        const std::string text = kOrders +
                                 "plans:\n"
                                 "  - name: free\n"
                                 "    grants:\n"
                                 "      - { api: orders, routes: [list, get], methods: [get, head, "
                                 "delete] }\n"
                                 "      - { api: orders, routes: [\"*\"], methods: [PATCH] }\n"
                                 "      - { api: orders, routes: [create, admin], methods: [PATCH] }\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:15:66: plans[0].grants[0].methods[2]: method DELETE is not "
                         "served by the granted routes of api \"orders\""));
    }

    void consumerGrantsAndDenies_areChecked() {
        const std::string text = kOrders + "plans: [{ name: free }]\n"
                                           "consumers:\n"
                                           "  - name: acme\n"
                                           "    plan: free\n"
                                           "    grants: [{ api: orders, routes: [create] }]\n"
                                           "    denies: [{ api: orders, routes: [admn] }]\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:17:38: consumers[0].denies[0].routes[0]: unknown route "
                         "\"admn\" (did you mean \"admin\"?) in api \"orders\""));
    }

    void grantVersion_mustExist() {
        const std::string text =
            kOrders + "plans: [{ name: free, grants: [{ api: orders, version: v9 }] }]\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:12:56: plans[0].grants[0].version: api \"orders\" has no version \"v9\""));
    }

    void grantWithoutRoutes_coversWholeApi() {
        const LoadResult r = load(kOrders + "plans: [{ name: free, grants: [{ api: orders }] }]\n");
        QVERIFY2(r.ok(), qPrintable(messages(r)));
        QCOMPARE(r.config->plans[0].grants[0].routes, std::vector<std::string>{"*"});
    }

    void duplicateKeyHash_acrossConsumers() {
        const std::string hash = "\"sha256:" + std::string(64, 'a') + "\"";
        const std::string text =
            kService +
            "plans: [{ name: free }]\n"
            "consumers:\n"
            "  - { name: a, plan: free, credentials: [{ type: key, id: k, hash: " +
            hash + " }] }\n  - { name: b, plan: free, credentials: [{ type: key, id: k, hash: " + hash +
            " }] }\n";
        QCOMPARE(messages(load(text)),
                 QString("t.yaml:8:68: consumers[1].credentials[0].hash: already used by "
                         "consumers[0].credentials[0].hash"));
    }

    void overlappingRoutes_acrossApis_nameBoth() {
        const LoadResult r =
            load(apis({"name: orders-v2, base_path: /orders, routes: [{ name: get, methods: [GET], "
                       "path: \"/v1/{order}\" }]",
                       "name: orders, base_path: /orders/v1/, routes: [{ name: get, methods: [GET, "
                       "POST], path: \"/{id}/\" }]"}));
        QVERIFY(!r.ok());
        QCOMPARE(messages(r), QString("t.yaml:7:127: apis[1].routes[0].path: route \"orders/get\" overlaps "
                                      "\"orders-v2/get\" (same path /orders/v1/{}, method GET)"));
    }

    void overlappingRoutes_getImpliesHead() {
        const LoadResult r = load(apis({"name: a, routes: [{ name: g, methods: [GET], path: /x }, { name: h, "
                                        "methods: [HEAD], path: /x }]"}));
        QCOMPARE(messages(r),
                 QString("t.yaml:6:130: apis[0].routes[1].path: route \"a/h\" overlaps \"a/g\" (same "
                         "path /x, method HEAD)"));
    }

    void overlappingRoutes_noMethodsMeansAll() {
        const LoadResult r =
            load(apis({"name: a, routes: [{ name: any, path: /x/* }, { name: any2, path: /x/* }]",
                       "name: b, routes: [{ name: del, methods: [DELETE], path: /x/* }]"}));
        QCOMPARE(messages(r),
                 QString("t.yaml:6:104: apis[0].routes[1].path: route \"a/any2\" overlaps \"a/any\" (same "
                         "path /x/*, any method)\n"
                         "t.yaml:7:95: apis[1].routes[0].path: route \"b/del\" overlaps \"a/any\" (same "
                         "path /x/*, method DELETE)"));
    }

    void routesWithDistinctShapesMethodsOrHosts_doNotOverlap() {
        const LoadResult r = load(apis({
            "name: a, routes: [{ name: list, methods: [GET], path: / }, { name: create, methods: [POST], "
            "path: / }]",
            "name: b, base_path: /a, routes: [{ name: lit, path: /me }, { name: param, path: \"/{id}\" }]",
            "name: c, base_path: /a, routes: [{ name: star, path: /* }, { name: deep, path: \"/{id}/x\" }]",
            "name: d, hosts: [one.example], routes: [{ name: h1, path: /h }]",
            "name: e, routes: [{ name: h2, path: /h, hosts: [two.example] }]",
        }));
        QVERIFY2(r.ok(), qPrintable(messages(r)));
    }

    void overlappingRoutes_sharedHostIsCaseInsensitive() {
        const LoadResult r =
            load(apis({"name: d, hosts: [API.example.com], routes: [{ name: h1, path: /h }]",
                       "name: e, routes: [{ name: h2, path: /h, hosts: [api.EXAMPLE.com, x.y] }]",
                       "name: f, routes: [{ name: h3, path: /h }]"}));
        QCOMPARE(messages(r),
                 QString("t.yaml:7:75: apis[1].routes[0].path: route \"e/h2\" overlaps \"d/h1\" (same "
                         "path /h, any method)\n"
                         "t.yaml:8:75: apis[2].routes[0].path: route \"f/h3\" overlaps \"d/h1\" (same "
                         "path /h, any method)"));
    }
};

QTEST_APPLESS_MAIN(ConfigReferencesTest)
#include "config_references_test.moc"

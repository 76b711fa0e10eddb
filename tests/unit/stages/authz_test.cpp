// AuthzStage: public APIs, 401 auth.missing with WWW-Authenticate, suspended consumers, ip_allow,
// plan grants, consumer grants on top, denies winning, method defaults, explicit methods, "*" routes,
// versions, HEAD via GET; explain lines.

#include "server/snapshot.h"
#include "stage_harness.h"
#include "stages/authz/authz_stage.h"

#include <QtTest>

#include <cstring>
#include <string>
#include <vector>

using namespace tollgate;
using tollgate::http::Method;
using tollgate::pipeline::Decision;
using tollgate::pipeline::RequestContext;
using tollgate::stages::AuthzStage;
using namespace tollgate::test;

namespace {

// Plain literals, not a raw string: moc takes a "/*" inside a raw string for a comment.
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
    "      - { name: any,    path: \"/any/*\" }\n"
    "  - { name: orders, version: v2, base_path: /orders/v2, service: echo, auth: [key],\n"
    "      routes: [ { name: list, methods: [GET], path: / } ] }\n"
    "  - { name: tokens, version: v1, base_path: /tokens, service: echo, auth: [jwt],\n"
    "      routes: [ { name: all, methods: [GET], path: \"/*\" } ] }\n"
    "  - { name: open, version: v1, base_path: /open, service: echo, public: true,\n"
    "      routes: [ { name: all, path: \"/*\" } ] }\n"
    "plans:\n"
    "  - { name: free, grants: [ { api: orders, routes: [list, get] } ] }\n"
    "  - { name: partner, grants: [ { api: orders, routes: [\"*\"], methods: [GET, POST] } ] }\n"
    "  - { name: ops, grants: [ { api: orders, version: v1, routes: [admin] } ] }\n"
    "  - { name: empty }\n"
    "consumers:\n"
    "  - name: acme\n"
    "    plan: free\n"
    "    credentials: [ { type: key, id: a, hash: "
    "\"sha256:1111111111111111111111111111111111111111111111111111111111111111\" } ]\n"
    "    grants: [ { api: orders, routes: [create] } ]\n"
    "    denies: [ { api: orders, routes: [admin] } ]\n"
    "  - name: initech\n"
    "    plan: partner\n"
    "    credentials: [ { type: key, id: i, hash: "
    "\"sha256:2222222222222222222222222222222222222222222222222222222222222222\" } ]\n"
    "    denies: [ { api: orders, routes: [admin], methods: [DELETE] } ]\n"
    "  - name: nobody\n"
    "    plan: empty\n"
    "    credentials: [ { type: key, id: n, hash: "
    "\"sha256:3333333333333333333333333333333333333333333333333333333333333333\" } ]\n"
    "  - name: versioned\n"
    "    plan: empty\n"
    "    credentials: [ { type: key, id: v, hash: "
    "\"sha256:4444444444444444444444444444444444444444444444444444444444444444\" } ]\n"
    "    grants: [ { api: orders, version: v2, routes: [\"*\"] } ]\n"
    "  - name: locked\n"
    "    plan: free\n"
    "    credentials: [ { type: key, id: l, hash: "
    "\"sha256:5555555555555555555555555555555555555555555555555555555555555555\" } ]\n"
    "    ip_allow: [\"10.0.0.0/8\", \"2001:db8::/32\"]\n"
    "  - name: sleepy\n"
    "    plan: free\n"
    "    status: suspended\n"
    "    credentials: [ { type: key, id: s, hash: "
    "\"sha256:6666666666666666666666666666666666666666666666666666666666666666\" } ]\n"
    "  - name: operator\n"
    "    plan: ops\n"
    "    credentials: [ { type: key, id: o, hash: "
    "\"sha256:7777777777777777777777777777777777777777777777777777777777777777\" } ]\n"
    "    grants: [ { api: orders, routes: [any], methods: [PUT] } ]\n";

struct Fixture {
    std::shared_ptr<const server::Snapshot> snap;
    std::unique_ptr<AuthzStage> stage;
    std::string headers; // response header lines of the last run

    Fixture() {
        snap = compileSnapshot(kConfig, 1, {nullptr, false});
        std::string err;
        stage = requireStage(AuthzStage::create(*snap, err), err);
    }

    // "pass", "403 deny.no_grant", ... `consumer` "" = anonymous. The route is matched with GET
    // when `method` itself has no route there (to test methods a route does not list).
    std::string run(const std::string& consumer, Method method, const std::string& path,
                    std::vector<std::string>* chain = nullptr, const std::string& ip = "127.0.0.1") {
        RequestContext ctx;
        prepareRequest(ctx, *snap, method, path, consumer, chain);
        setClientIp(ctx, ip);
        ctx.route = findRoute(*snap, method, path);
        if (ctx.route == nullptr) {
            ctx.route = findRoute(*snap, Method::Get, path);
        }
        if (ctx.route == nullptr) {
            return "no route";
        }
        return runStage(*stage, ctx, headers);
    }
};

const std::string kPass = "pass";
const std::string kNoGrant = "403 deny.no_grant";
const std::string kExplicit = "403 deny.explicit";

} // namespace

class AuthzTest : public QObject {
    Q_OBJECT
private slots:
    void grantMask_methodsOrRouteDefault() {
        GrantConfig g;
        QCOMPARE(AuthzStage::grantMask(g, 0x5u), 0x5u);
        g.methods = {"GET"};
        QCOMPARE(AuthzStage::grantMask(g, 0x5u), (1u << int(Method::Get)) | (1u << int(Method::Head)));
        g.methods = {"POST", "DELETE"};
        QCOMPARE(AuthzStage::grantMask(g, 0u), (1u << int(Method::Post)) | (1u << int(Method::Delete)));
    }

    void publicApi_passesAnonymous() {
        Fixture f;
        QCOMPARE(std::string(f.stage->name()), std::string("authz"));
        QCOMPARE(f.run("", Method::Get, "/open/x"), kPass);
        QCOMPARE(f.run("nobody", Method::Delete, "/open/x"), kPass);
        QCOMPARE(f.headers, std::string());
    }

    void noConsumer_is401WithChallengesForTheApisCredentials() {
        Fixture f;
        QCOMPARE(f.run("", Method::Get, "/orders/v1/"), std::string("401 auth.missing"));
        QCOMPARE(f.headers, std::string("WWW-Authenticate: ApiKey realm=\"tollgate\"\r\n"
                                        "WWW-Authenticate: Bearer realm=\"tollgate\"\r\n"));
        QCOMPARE(f.run("", Method::Get, "/orders/v2/"), std::string("401 auth.missing"));
        QCOMPARE(f.headers, std::string("WWW-Authenticate: ApiKey realm=\"tollgate\"\r\n"));
        QCOMPARE(f.run("", Method::Get, "/tokens/x"), std::string("401 auth.missing"));
        QCOMPARE(f.headers, std::string("WWW-Authenticate: Bearer realm=\"tollgate\"\r\n"));
        QCOMPARE(f.run("stranger", Method::Get, "/orders/v1/"), std::string("401 auth.missing"));
    }

    void suspendedConsumer_is403() {
        Fixture f;
        QCOMPARE(f.run("sleepy", Method::Get, "/orders/v1/"), std::string("403 consumer.suspended"));
    }

    void consumerIpAllow_refusesOtherAddresses() {
        Fixture f;
        QCOMPARE(f.run("locked", Method::Get, "/orders/v1/", nullptr, "10.20.30.40"), kPass);
        QCOMPARE(f.run("locked", Method::Get, "/orders/v1/", nullptr, "2001:db8::7"), kPass);
        QCOMPARE(f.run("locked", Method::Get, "/orders/v1/", nullptr, "11.0.0.1"),
                 std::string("403 ip.denied"));
        QCOMPARE(f.run("locked", Method::Get, "/orders/v1/", nullptr, "::1"), std::string("403 ip.denied"));
        QCOMPARE(f.run("acme", Method::Get, "/orders/v1/", nullptr, "11.0.0.1"), kPass); // empty = any
    }

    void planGrants_methodsDefaultToTheRoutes() {
        Fixture f;
        QCOMPARE(f.run("acme", Method::Get, "/orders/v1/"), kPass);
        QCOMPARE(f.run("acme", Method::Get, "/orders/v1/42"), kPass);
        QCOMPARE(f.run("acme", Method::Head, "/orders/v1/42"), kPass); // HEAD via GET
        QCOMPARE(f.run("acme", Method::Get, "/orders/v1/any/x"), kNoGrant);
        // ops grants admin without methods: the route's GET, POST, DELETE (and HEAD), nothing else
        QCOMPARE(f.run("operator", Method::Get, "/orders/v1/admin/x"), kPass);
        QCOMPARE(f.run("operator", Method::Head, "/orders/v1/admin/x"), kPass);
        QCOMPARE(f.run("operator", Method::Post, "/orders/v1/admin/x"), kPass);
        QCOMPARE(f.run("operator", Method::Delete, "/orders/v1/admin/x"), kPass);
        QCOMPARE(f.run("operator", Method::Put, "/orders/v1/admin/x"), kNoGrant);
    }

    void consumerGrants_addToThePlans() {
        Fixture f;
        QCOMPARE(f.run("acme", Method::Post, "/orders/v1/"), kPass); // create, granted by acme itself
        // operator's own grant lists PUT on an any-method route: explicit methods, nothing else
        QCOMPARE(f.run("operator", Method::Put, "/orders/v1/any/x"), kPass);
        QCOMPARE(f.run("operator", Method::Get, "/orders/v1/any/x"), kNoGrant);
        QCOMPARE(f.run("operator", Method::Get, "/orders/v1/"), kNoGrant);
    }

    void denies_winOverGrants() {
        Fixture f;
        QCOMPARE(f.run("acme", Method::Get, "/orders/v1/admin/x"), kExplicit);
        QCOMPARE(f.run("acme", Method::Delete, "/orders/v1/admin/x"), kExplicit);
        // initech: partner grants every route for GET and POST; the deny names DELETE only
        QCOMPARE(f.run("initech", Method::Get, "/orders/v1/admin/x"), kPass);
        QCOMPARE(f.run("initech", Method::Post, "/orders/v1/admin/x"), kPass);
        QCOMPARE(f.run("initech", Method::Delete, "/orders/v1/admin/x"), kExplicit);
    }

    void starRoutes_withExplicitMethods() {
        Fixture f;
        QCOMPARE(f.run("initech", Method::Get, "/orders/v1/any/x"), kPass); // any-method route
        QCOMPARE(f.run("initech", Method::Head, "/orders/v1/any/x"), kPass);
        QCOMPARE(f.run("initech", Method::Post, "/orders/v1/any/x"), kPass);
        QCOMPARE(f.run("initech", Method::Put, "/orders/v1/any/x"), kNoGrant);
        QCOMPARE(f.run("initech", Method::Other, "/orders/v1/any/x"), kNoGrant);
        QCOMPARE(f.run("initech", Method::Get, "/orders/v2/"), kPass); // "*" without version: every version
    }

    void versionedGrant_coversOnlyItsVersion() {
        Fixture f;
        QCOMPARE(f.run("versioned", Method::Get, "/orders/v2/"), kPass);
        QCOMPARE(f.run("versioned", Method::Get, "/orders/v1/"), kNoGrant);
        QCOMPARE(f.run("operator", Method::Get, "/orders/v1/admin/x"), kPass);
    }

    void consumerWithoutGrants_getsNoGrant() {
        Fixture f;
        QCOMPARE(f.run("nobody", Method::Get, "/orders/v1/"), kNoGrant);
        QCOMPARE(f.run("nobody", Method::Post, "/orders/v1/"), kNoGrant);
        QCOMPARE(f.headers, std::string());
    }

    void explain_tellsWhoGrantedOrWhyNot() {
        Fixture f;
        std::vector<std::string> chain;
        QCOMPARE(f.run("acme", Method::Get, "/orders/v1/42", &chain), kPass);
        QCOMPARE(f.run("acme", Method::Post, "/orders/v1/", &chain), kPass);
        QCOMPARE(f.run("nobody", Method::Post, "/orders/v1/", &chain), kNoGrant);
        QCOMPARE(f.run("acme", Method::Get, "/orders/v1/any/x", &chain), kNoGrant);
        QCOMPARE(f.run("acme", Method::Get, "/orders/v1/admin/x", &chain), kExplicit);
        QCOMPARE(f.run("", Method::Get, "/orders/v1/", &chain), std::string("401 auth.missing"));
        QCOMPARE(f.run("", Method::Get, "/open/x", &chain), kPass);
        QCOMPARE(f.run("sleepy", Method::Get, "/orders/v1/", &chain), std::string("403 consumer.suspended"));
        QCOMPARE(f.run("locked", Method::Get, "/orders/v1/", &chain, "11.0.0.1"),
                 std::string("403 ip.denied"));
        QCOMPARE(f.run("initech", Method::Get, "/orders/v1/admin/x", &chain), kPass);
        QCOMPARE(f.run("operator", Method::Post, "/orders/v1/admin/x", &chain), kPass);
        const std::vector<std::string> expected = {
            "authz: consumer acme, plan free grants orders/{list,get}; consumer acme grants orders/{create}; "
            "GET is granted by plan free",
            "authz: consumer acme, plan free grants orders/{list,get}; consumer acme grants orders/{create}; "
            "POST is granted by consumer acme",
            "authz: deny.no_grant: plan empty grants nothing on orders; POST /orders/v1/ is orders/create",
            "authz: deny.no_grant: plan free grants orders/{list,get}; consumer acme grants orders/{create}; "
            "GET /orders/v1/any/x is orders/any",
            "authz: deny.explicit: consumer acme denies orders/{admin} (a deny always wins); "
            "GET /orders/v1/admin/x is orders/admin",
            "authz: auth.missing: orders v1 is not public (auth: key, jwt) and the request names no consumer",
            "authz: open v1 is public, no consumer needed",
            "authz: consumer.suspended: consumer sleepy is suspended",
            "authz: ip.denied: 11.0.0.1 is outside consumer locked's ip_allow (10.0.0.0/8, 2001:db8::/32)",
            "authz: consumer initech, plan partner grants orders/{*} [GET,POST]; GET is granted by plan "
            "partner",
            "authz: consumer operator, plan ops grants orders(v1)/{admin}; consumer operator grants "
            "orders/{any} [PUT]; POST is granted by plan ops",
        };
        QCOMPARE(chain.size(), expected.size());
        for (size_t i = 0; i < chain.size(); ++i) {
            QCOMPARE(chain[i], expected[i]);
        }
    }
};

QTEST_APPLESS_MAIN(AuthzTest)
#include "authz_test.moc"

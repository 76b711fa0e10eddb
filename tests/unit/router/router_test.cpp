// RouteTable: specificity, trailing slashes, wildcards, 405 with Allow, hosts, HEAD via GET.

#include "router/route_table.h"

#include <QtTest>

#include <string>
#include <vector>

using namespace tollgate;
using tollgate::http::Method;
using tollgate::router::RouteMatch;
using tollgate::router::RouteTable;

namespace {

RouteConfig route(std::string name, std::vector<std::string> methods, std::string path,
                  std::vector<std::string> hosts = {}) {
    RouteConfig r;
    r.name = std::move(name);
    r.methods = std::move(methods);
    r.path = std::move(path);
    r.hosts = std::move(hosts);
    return r;
}

ApiConfig api(std::string name, std::string basePath, std::vector<RouteConfig> routes,
              std::vector<std::string> hosts = {}, std::string service = {}) {
    ApiConfig a;
    a.name = std::move(name);
    a.basePath = std::move(basePath);
    a.routes = std::move(routes);
    a.hosts = std::move(hosts);
    a.service = std::move(service);
    return a;
}

RouteTable table(std::vector<ApiConfig> apis) {
    Config cfg;
    cfg.apis = std::move(apis);
    return RouteTable::build(cfg);
}

// Name of the matched route ("api.route"), "404", or "405 <Allow>".
std::string describe(const Config* cfg, const RouteMatch& m) {
    switch (m.kind) {
    case RouteMatch::Kind::NoRoute:
        return "404";
    case RouteMatch::Kind::MethodNotAllowed:
        return "405 " + std::string(m.allow);
    case RouteMatch::Kind::Found:
        break;
    }
    if (cfg != nullptr) {
        const ApiConfig& a = cfg->apis[m.route->apiIndex];
        return a.name + "." + a.routes[m.route->routeIndex].name;
    }
    return m.route->pattern;
}

struct Fixture {
    Config cfg;
    RouteTable t;
    explicit Fixture(std::vector<ApiConfig> apis) {
        cfg.apis = std::move(apis);
        t = RouteTable::build(cfg);
    }
    std::string operator()(std::string_view path, Method m = Method::Get,
                           std::string_view host = "gw.example.com") const {
        return describe(&cfg, t.match(host, m, path));
    }
};

} // namespace

class RouterTest : public QObject {
    Q_OBJECT

private slots:
    void literalBeatsParam() {
        Fixture f({api(
            "orders", "/orders/v1",
            {route("get", {"GET"}, "/{id}"), route("new", {"GET"}, "/new"), route("all", {"GET"}, "/*")})});
        QCOMPARE(f("/orders/v1/new"), std::string("orders.new"));
        QCOMPARE(f("/orders/v1/42"), std::string("orders.get"));
        QCOMPARE(f("/orders/v1/42/items"), std::string("orders.all"));
    }

    void literalBeatsParamRegardlessOfConfigOrder() {
        Fixture f({api("a", "/", {route("param", {"GET"}, "/x/{id}"), route("lit", {"GET"}, "/x/me")})});
        QCOMPARE(f("/x/me"), std::string("a.lit"));
        QCOMPARE(f("/x/you"), std::string("a.param"));
    }

    void paramBeatsWildcard() {
        Fixture f({api("files", "/files", {route("any", {"GET"}, "/*"), route("one", {"GET"}, "/{name}")})});
        QCOMPARE(f("/files/a.txt"), std::string("files.one"));
        QCOMPARE(f("/files/dir/a.txt"), std::string("files.any"));
    }

    void backtracksWhenMoreSpecificBranchDeadEnds() {
        Fixture f({api("a", "/", {route("abc", {"GET"}, "/a/b/c"), route("axd", {"GET"}, "/a/{x}/d")})});
        QCOMPARE(f("/a/b/c"), std::string("a.abc"));
        QCOMPARE(f("/a/b/d"), std::string("a.axd"));
        QCOMPARE(f("/a/b/e"), std::string("404"));
    }

    void trailingSlashIsInsignificant() {
        Fixture f(
            {api("orders", "/orders/v1/", {route("list", {"GET"}, "/"), route("get", {"GET"}, "/{id}/")})});
        QCOMPARE(f("/orders/v1"), std::string("orders.list"));
        QCOMPARE(f("/orders/v1/"), std::string("orders.list"));
        QCOMPARE(f("/orders/v1/7"), std::string("orders.get"));
        QCOMPARE(f("/orders/v1/7/"), std::string("orders.get"));
        QCOMPARE(f("//orders//v1//7"), std::string("orders.get")); // empty segments ignored
        QCOMPARE(f("/orders"), std::string("404"));
    }

    void wildcardMatchesZeroOrMoreSegments() {
        Fixture f({api("admin", "/orders/v1", {route("admin", {"GET"}, "/admin/*")})});
        QCOMPARE(f("/orders/v1/admin"), std::string("admin.admin"));
        QCOMPARE(f("/orders/v1/admin/"), std::string("admin.admin"));
        QCOMPARE(f("/orders/v1/admin/x"), std::string("admin.admin"));
        QCOMPARE(f("/orders/v1/admin/x/y/z"), std::string("admin.admin"));
        QCOMPARE(f("/orders/v1/administrator"), std::string("404"));
        QCOMPARE(f("/orders/v1"), std::string("404"));
    }

    void rootWildcardMatchesEverything() {
        Fixture f({api("all", "/", {route("all", {"GET"}, "/*")})});
        QCOMPARE(f("/"), std::string("all.all"));
        QCOMPARE(f(""), std::string("all.all"));
        QCOMPARE(f("/small"), std::string("all.all"));
        QCOMPARE(f("/a/b/c/d/e/f/g/h/i/j"), std::string("all.all"));
        QCOMPARE(f("/small?x=1"), std::string("all.all"));
    }

    void exactEndBeatsWildcardAtSameNode() {
        Fixture f({api("a", "/docs", {route("tree", {"GET"}, "/*"), route("index", {"GET"}, "/")})});
        QCOMPARE(f("/docs"), std::string("a.index"));
        QCOMPARE(f("/docs/intro"), std::string("a.tree"));
    }

    void deeperWildcardBeatsShallowerOne() {
        Fixture f({api("a", "/", {route("root", {"GET"}, "/*"), route("api", {"GET"}, "/api/*")})});
        QCOMPARE(f("/api/x"), std::string("a.api"));
        QCOMPARE(f("/web/x"), std::string("a.root"));
    }

    void noRouteForUnknownPath() {
        Fixture f({api("orders", "/orders/v1", {route("list", {"GET"}, "/")})});
        QCOMPARE(f("/customers"), std::string("404"));
        QCOMPARE(f("/orders/v1/x"), std::string("404"));
        QCOMPARE(f("/"), std::string("404"));
    }

    void methodNotAllowedListsUnionOfMethods() {
        Fixture f({api("items", "/items",
                       {route("list", {"GET"}, "/"), route("create", {"POST"}, "/"),
                        route("replace", {"PUT"}, "/{id}")})});
        QCOMPARE(f("/items", Method::Delete), std::string("405 GET, HEAD, POST"));
        QCOMPARE(f("/items", Method::Other), std::string("405 GET, HEAD, POST"));
        QCOMPARE(f("/items/3", Method::Get), std::string("405 PUT"));
        QCOMPARE(f("/items", Method::Post), std::string("items.create"));
    }

    void methodNotAllowedUnionSpansLessSpecificRoutes() {
        Fixture f({api("a", "/a", {route("get", {"GET"}, "/{id}"), route("post", {"POST", "PATCH"}, "/*")})});
        QCOMPARE(f("/a/x", Method::Delete), std::string("405 GET, HEAD, POST, PATCH"));
        QCOMPARE(f("/a/x", Method::Patch), std::string("a.post")); // falls through to the wildcard
    }

    void allowIsInFixedMethodOrder() {
        Fixture f({api("a", "/", {route("r", {"PATCH", "DELETE", "POST", "GET"}, "/r")})});
        QCOMPARE(f("/r", Method::Put), std::string("405 GET, HEAD, POST, DELETE, PATCH"));
        QCOMPARE(f.t.routes().at(0).allow, std::string("GET, HEAD, POST, DELETE, PATCH"));
    }

    void headIsServedByGetRoutes() {
        Fixture f({api("a", "/", {route("get", {"GET"}, "/g"), route("post", {"POST"}, "/p")})});
        QCOMPARE(f("/g", Method::Head), std::string("a.get"));
        QCOMPARE(f("/p", Method::Head), std::string("405 POST"));
    }

    void anyMethodMatchesEverythingIncludingOther() {
        Fixture f({api("a", "/", {route("any", {}, "/any")})});
        QCOMPARE(f("/any", Method::Other), std::string("a.any"));
        QCOMPARE(f("/any", Method::Delete), std::string("a.any"));
        QVERIFY(f.t.routes().at(0).anyMethod);
    }

    void hostMatchIgnoresCaseAndPort() {
        Fixture f({api("a", "/", {route("r", {"GET"}, "/r", {"API.example.com"})})});
        QCOMPARE(f("/r", Method::Get, "api.example.com"), std::string("a.r"));
        QCOMPARE(f("/r", Method::Get, "Api.Example.COM:8443"), std::string("a.r"));
        QCOMPARE(f("/r", Method::Get, "api.example.com."), std::string("a.r"));
        QCOMPARE(f("/r", Method::Get, "other.example.com"), std::string("404"));
        QCOMPARE(f("/r", Method::Get, ""), std::string("404"));
    }

    void wildcardHostMatchesOneOrMoreLabels() {
        Fixture f({api("a", "/", {route("r", {"GET"}, "/r", {"*.example.com"})})});
        QCOMPARE(f("/r", Method::Get, "a.example.com"), std::string("a.r"));
        QCOMPARE(f("/r", Method::Get, "a.b.EXAMPLE.com:80"), std::string("a.r"));
        QCOMPARE(f("/r", Method::Get, "example.com"), std::string("404"));
        QCOMPARE(f("/r", Method::Get, "badexample.com"), std::string("404"));
    }

    void routeHostsOverrideApiHosts() {
        Fixture f(
            {api("a", "/",
                 {route("own", {"GET"}, "/own", {"own.example.com"}), route("inherit", {"GET"}, "/inherit")},
                 {"api.example.com"})});
        QCOMPARE(f("/own", Method::Get, "own.example.com"), std::string("a.own"));
        QCOMPARE(f("/own", Method::Get, "api.example.com"), std::string("404"));
        QCOMPARE(f("/inherit", Method::Get, "api.example.com"), std::string("a.inherit"));
        QCOMPARE(f("/inherit", Method::Get, "own.example.com"), std::string("404"));
    }

    void hostRoutesRankBeforeHostless() {
        // The hostless API comes first in the file; the host-bound one still wins for its host.
        Fixture f({api("generic", "/v1", {route("r", {"GET"}, "/r")}),
                   api("tenant", "/v1", {route("r", {"GET"}, "/r")}, {"tenant.example.com"}),
                   api("wild", "/v1", {route("r", {"GET"}, "/r")}, {"*.example.com"})});
        QCOMPARE(f("/v1/r", Method::Get, "tenant.example.com"), std::string("tenant.r"));
        QCOMPARE(f("/v1/r", Method::Get, "x.example.com"), std::string("wild.r"));
        QCOMPARE(f("/v1/r", Method::Get, "other.org"), std::string("generic.r"));
    }

    void hostMismatchIsNotMethodNotAllowed() {
        Fixture f({api("a", "/", {route("r", {"POST"}, "/r", {"api.example.com"})})});
        QCOMPARE(f("/r", Method::Get, "api.example.com"), std::string("405 POST"));
        QCOMPARE(f("/r", Method::Get, "other.example.com"), std::string("404"));
    }

    void fullMatchElsewhereBeatsMethodNotAllowed() {
        Fixture f({api("a", "/", {route("post", {"POST"}, "/a/{id}"), route("get", {"GET"}, "/a/*")})});
        QCOMPARE(f("/a/1", Method::Get), std::string("a.get"));
        QCOMPARE(f("/a/1", Method::Post), std::string("a.post"));
    }

    void compiledRoutesCarryResolvedFields() {
        Config cfg;
        ServiceConfig s1;
        s1.name = "billing";
        ServiceConfig s2;
        s2.name = "orders-backend";
        cfg.services = {s1, s2};
        cfg.apis = {api("orders", "/orders/v1/",
                        {route("get", {"GET"}, "/{id}"), route("list", {"GET"}, "/")}, {}, "orders-backend"),
                    api("root", "/", {route("all", {}, "/*")}, {}, "missing")};
        const RouteTable t = RouteTable::build(cfg);
        const auto& rs = t.routes();
        QCOMPARE(rs.size(), size_t{3});
        QCOMPARE(rs[0].apiIndex, 0u);
        QCOMPARE(rs[0].routeIndex, 0u);
        QCOMPARE(rs[0].serviceIndex, 1);
        QCOMPARE(rs[0].basePath, std::string("/orders/v1"));
        QCOMPARE(rs[0].pattern, std::string("/orders/v1/{id}"));
        QCOMPARE(rs[0].allow, std::string("GET, HEAD"));
        QCOMPARE(rs[0].methodMask, (1u << int(Method::Get)) | (1u << int(Method::Head)));
        QCOMPARE(rs[1].routeIndex, 1u);
        QCOMPARE(rs[1].pattern, std::string("/orders/v1"));
        QCOMPARE(rs[2].apiIndex, 1u);
        QCOMPARE(rs[2].serviceIndex, -1);
        QCOMPARE(rs[2].basePath, std::string(""));
        QCOMPARE(rs[2].pattern, std::string("/*"));
        const RouteMatch m = t.match("h", Method::Get, "/orders/v1/9");
        QCOMPARE(m.kind, RouteMatch::Kind::Found);
        QCOMPARE(m.route, &rs[0]);
    }

    void manyApisRouteIndependently() {
        std::vector<ApiConfig> apis;
        for (int i = 0; i < 300; ++i) {
            const std::string n = "api" + std::to_string(i);
            apis.push_back(api(n, "/" + n + "/v1",
                               {route("list", {"GET"}, "/"), route("get", {"GET"}, "/{id}"),
                                route("create", {"POST"}, "/"), route("admin", {"DELETE"}, "/admin/*")}));
        }
        Fixture f(std::move(apis));
        QCOMPARE(f.t.routes().size(), size_t{1200});
        for (int i = 0; i < 300; i += 7) {
            const std::string n = "api" + std::to_string(i);
            QCOMPARE(f("/" + n + "/v1"), n + ".list");
            QCOMPARE(f("/" + n + "/v1/5"), n + ".get");
            QCOMPARE(f("/" + n + "/v1", Method::Post), n + ".create");
            QCOMPARE(f("/" + n + "/v1/admin/x", Method::Delete), n + ".admin");
            QCOMPARE(f("/" + n + "/v1", Method::Put), std::string("405 GET, HEAD, POST"));
            QCOMPARE(f("/" + n + "/v2"), std::string("404"));
        }
    }

    void emptyAndMovedFromTablesMatchNothing() {
        const RouteTable empty;
        QCOMPARE(empty.match("h", Method::Get, "/").kind, RouteMatch::Kind::NoRoute);
        QVERIFY(empty.routes().empty());

        RouteTable t = table({api("a", "/", {route("r", {"GET"}, "/r")})});
        const auto* before = &t.routes()[0];
        RouteTable moved = std::move(t);
        const RouteMatch m = moved.match("h", Method::Get, "/r");
        QCOMPARE(m.kind, RouteMatch::Kind::Found);
        QCOMPARE(m.route, before); // routes do not move with the table
        QCOMPARE(t.match("h", Method::Get, "/r").kind,
                 RouteMatch::Kind::NoRoute); // NOLINT(bugprone-use-after-move)
        QVERIFY(t.routes().empty());
    }
};

QTEST_APPLESS_MAIN(RouterTest)
#include "router_test.moc"

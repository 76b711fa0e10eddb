// matchRoute(): the route table alone, as the console's path tester asks it.

#include "support.h"
#include "tollgate/explain.h"

#include <QtTest>

using namespace tollgate;

namespace {

Config demo() {
    const LoadResult r = loadConfigFile(test::sourcePath("resources/examples/demo.yaml"));
    if (!r.ok()) {
        qFatal("%s", r.errors.empty() ? "?" : r.errors[0].format().c_str());
    }
    return *r.config;
}

} // namespace

class RouteMatchTest : public QObject {
    Q_OBJECT
private slots:
    void found_givesApiRouteAndPattern() {
        const RouteMatchResult m = matchRoute(demo(), "get", "/orders/v1/42?x=1");
        QCOMPARE(m.kind, RouteMatchResult::Kind::Found);
        QCOMPARE(m.apiIndex, 0);
        QCOMPARE(m.routeIndex, 1);
        QCOMPARE(m.pattern, std::string("/orders/v1/{id}"));
        QCOMPARE(m.path, std::string("/orders/v1/42"));
    }

    void pathIsNormalisedFirst() {
        const RouteMatchResult m = matchRoute(demo(), "POST", "/inventory/v1/items/../items/a%62c/restock");
        QCOMPARE(m.kind, RouteMatchResult::Kind::Found);
        QCOMPARE(m.apiIndex, 1);
        QCOMPARE(m.routeIndex, 2);
        QCOMPARE(m.path, std::string("/inventory/v1/items/abc/restock"));
    }

    void wrongMethod_saysWhatIsAllowed() {
        const RouteMatchResult m = matchRoute(demo(), "PUT", "/orders/v1/42");
        QCOMPARE(m.kind, RouteMatchResult::Kind::MethodNotAllowed);
        QVERIFY(m.allow.find("GET") != std::string::npos);
    }

    void noRouteAndBadPath() {
        QCOMPARE(matchRoute(demo(), "GET", "/nowhere").kind, RouteMatchResult::Kind::NoRoute);
        const RouteMatchResult bad = matchRoute(demo(), "GET", "/orders/v1/a%2Fb");
        QCOMPARE(bad.kind, RouteMatchResult::Kind::BadPath);
        QCOMPARE(bad.reason, std::string("path.encoded_slash"));
    }
};

QTEST_APPLESS_MAIN(RouteMatchTest)
#include "route_match_test.moc"

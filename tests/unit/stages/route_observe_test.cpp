// RouteStage (404 route.none, 405 route.method with Allow, the route set on the context) and
// ObserveStage (one record per request in the worker's ring, counters by status class).

#include "server/snapshot.h"
#include "server/telemetry.h"
#include "stages/observe/observe_stage.h"
#include "stages/route/route_stage.h"

#include <QtTest>

#include <cstring>
#include <string>

using namespace tollgate;
using tollgate::pipeline::RequestContext;

namespace {

// Plain literals, not a raw string: moc takes a "/*" inside a raw string for a comment.
const char* kConfig = "version: 1\n"
                      "services:\n"
                      "  - name: echo\n"
                      "    targets: [ { url: \"builtin:echo\" } ]\n"
                      "apis:\n"
                      "  - name: orders\n"
                      "    version: v1\n"
                      "    base_path: /orders/v1\n"
                      "    service: echo\n"
                      "    public: true\n"
                      "    routes:\n"
                      "      - { name: get, methods: [GET], path: \"/{id}\" }\n"
                      "      - { name: create, methods: [POST], path: / }\n";

std::shared_ptr<const server::Snapshot> compile() {
    const LoadResult r = loadConfigText(kConfig, "t.yaml");
    if (!r.ok()) {
        qFatal("%s", r.errors.empty() ? "?" : r.errors[0].format().c_str());
    }
    std::string err;
    auto snap = server::Snapshot::compile(*r.config, 1, err, {nullptr, false});
    if (!snap) {
        qFatal("%s", err.c_str());
    }
    return snap;
}

} // namespace

static std::vector<RequestRecord> drained(server::WorkerTelemetry& telemetry) {
    std::vector<RequestRecord> out;
    telemetry.ring.drain([&](const RequestRecord& r) { out.push_back(r); });
    return out;
}

class RouteObserveTest : public QObject {
    Q_OBJECT

private slots:
    void matchingRouteIsSetOnTheContext() {
        const auto snap = compile();
        stages::RouteStage stage(snap->routes);
        RequestContext ctx;
        ctx.method = http::Method::Get;
        ctx.path = "/orders/v1/42";
        const auto d = stage.onRequest(ctx);
        QVERIFY(!d.respond);
        QVERIFY(ctx.route != nullptr);
        QCOMPARE(snap->config.apis[ctx.route->apiIndex].routes[ctx.route->routeIndex].name,
                 std::string("get"));
    }

    void unknownPathIs404RouteNone() {
        const auto snap = compile();
        stages::RouteStage stage(snap->routes);
        RequestContext ctx;
        ctx.method = http::Method::Get;
        ctx.path = "/nowhere";
        const auto d = stage.onRequest(ctx);
        QVERIFY(d.respond);
        QCOMPARE(d.status, 404);
        QCOMPARE(std::string(d.reason), std::string("route.none"));
        QVERIFY(ctx.route == nullptr);
    }

    void wrongMethodIs405WithAllow() {
        const auto snap = compile();
        stages::RouteStage stage(snap->routes);
        RequestContext ctx;
        ctx.method = http::Method::Delete;
        ctx.path = "/orders/v1/42";
        const auto d = stage.onRequest(ctx);
        QVERIFY(d.respond);
        QCOMPARE(d.status, 405);
        QCOMPARE(std::string(d.reason), std::string("route.method"));
        QCOMPARE(std::string(d.allow), std::string("GET, HEAD"));
    }

    void observeWritesOneRecordAndCounts() {
        const auto snap = compile();
        stages::RouteStage route(snap->routes);
        stages::ObserveStage observe;
        server::WorkerTelemetry telemetry;
        RequestContext ctx;
        ctx.snapshot = snap.get();
        ctx.telemetry = &telemetry;
        ctx.worker = 1;
        ctx.method = http::Method::Get;
        ctx.path = "/orders/v1/7";
        ctx.clientIp = "192.0.2.1";
        ctx.start = pipeline::Clock::now();
        ctx.unixMicros = 1'700'000'000'000'000;
        QVERIFY(!route.onRequest(ctx).respond);
        ctx.status = 201;
        ctx.bytesIn = 120;
        ctx.bytesOut = 340;
        observe.onLog(ctx);

        const std::vector<RequestRecord> records = drained(telemetry);
        QCOMPARE(records.size(), size_t(1)); // exactly one record per request
        const RequestRecord& r = records[0];
        QCOMPARE(int(r.status), 201);
        QCOMPARE(std::string(r.api), std::string("orders"));
        QCOMPARE(std::string(r.apiVersion), std::string("v1"));
        QCOMPARE(std::string(r.route), std::string("get"));
        QCOMPARE(std::string(r.path), std::string("/orders/v1/7"));
        QCOMPARE(std::string(r.clientIp), std::string("192.0.2.1"));
        QCOMPARE(r.bytesIn, uint64_t(120));
        QCOMPARE(r.bytesOut, uint64_t(340));
        QCOMPARE(r.unixMicros, int64_t(1'700'000'000'000'000));
        QCOMPARE(int(r.worker), 1);

        MetricsSnapshot m;
        telemetry.counters.addTo(m);
        QCOMPARE(m.requests, uint64_t(1));
        QCOMPARE(m.status2xx, uint64_t(1));
        QCOMPARE(m.bytesOut, uint64_t(340));
    }

    void refusalIsRecordedWithItsReason() {
        const auto snap = compile();
        stages::ObserveStage observe;
        server::WorkerTelemetry telemetry;
        RequestContext ctx;
        ctx.snapshot = snap.get();
        ctx.telemetry = &telemetry;
        ctx.path = "/nowhere";
        ctx.start = pipeline::Clock::now();
        ctx.status = 404;
        ctx.reason = "route.none";
        observe.onLog(ctx);
        const std::vector<RequestRecord> records = drained(telemetry);
        QCOMPARE(records.size(), size_t(1));
        const RequestRecord& r = records[0];
        QCOMPARE(std::string(r.reason), std::string("route.none"));
        QCOMPARE(std::string(r.api), std::string());
        MetricsSnapshot m;
        telemetry.counters.addTo(m);
        QCOMPARE(m.status4xx, uint64_t(1));
    }

    void fullRingKeepsTheNewestAndCountsTheRest() {
        const auto snap = compile();
        stages::ObserveStage observe;
        server::WorkerTelemetry telemetry;
        RequestContext ctx;
        ctx.snapshot = snap.get();
        ctx.telemetry = &telemetry;
        ctx.status = 200;
        ctx.start = pipeline::Clock::now();
        const size_t capacity = telemetry.ring.capacity();
        const size_t pushed = capacity + 1000;
        for (size_t i = 0; i < pushed; ++i) {
            ctx.unixMicros = static_cast<int64_t>(i);
            observe.onLog(ctx);
        }
        std::vector<int64_t> seen;
        telemetry.ring.drain([&](const RequestRecord& r) { seen.push_back(r.unixMicros); });
        QCOMPARE(seen.size(), capacity);
        QCOMPARE(seen.front(), int64_t(pushed - capacity)); // the oldest went
        QCOMPARE(seen.back(), int64_t(pushed - 1));
        QCOMPARE(telemetry.ring.dropped(), uint64_t(pushed - capacity));
        MetricsSnapshot m;
        telemetry.counters.addTo(m);
        QCOMPARE(m.requests, uint64_t(pushed)); // counters never drop
    }
};

QTEST_APPLESS_MAIN(RouteObserveTest)
#include "route_observe_test.moc"

// HealthTable: unhealthy_after / healthy_after transitions, the probe schedule, events, and what a
// reload keeps, adds and drops. The time is passed in, so no test waits.

#include "upstream/health_table.h"

#include <QtTest>

#include <string>
#include <vector>

using namespace tollgate;
using namespace std::chrono_literals;
using tollgate::upstream::HealthProbe;
using tollgate::upstream::HealthTable;
using tollgate::upstream::ProbeOutcome;

namespace {

using TimePoint = HealthTable::TimePoint;

TargetConfig target(uint16_t port) {
    TargetConfig t;
    t.url = "http://127.0.0.1:" + std::to_string(port);
    t.scheme = "http";
    t.host = "127.0.0.1";
    t.port = port;
    return t;
}

ServiceConfig service(const std::string& name, std::vector<uint16_t> ports, int unhealthyAfter = 3,
                      int healthyAfter = 2) {
    ServiceConfig s;
    s.name = name;
    for (uint16_t p : ports) {
        s.targets.push_back(target(p));
    }
    HealthConfig h;
    h.interval = 200ms;
    h.unhealthyAfter = unhealthyAfter;
    h.healthyAfter = healthyAfter;
    s.health = h;
    return s;
}

const ProbeOutcome kOk{true, "", 120};
const ProbeOutcome kRefused{false, "connection refused", 80};

// Runs every due probe with `outcome` for the target whose URL starts with `url` (others succeed)
// and moves the clock one interval on.
struct Driver {
    HealthTable& table;
    TimePoint now{std::chrono::seconds(1000)};
    int64_t unix = 1'800'000'000;

    void round(const std::string& failingUrl, const ProbeOutcome& failure = kRefused) {
        for (const HealthProbe& p : table.takeDue(now)) {
            const bool failing = !failingUrl.empty() && p.url.rfind(failingUrl, 0) == 0;
            table.record(p.id, failing ? failure : kOk, now, unix);
        }
        now += 200ms;
        unix += 1;
    }
};

const TargetHealth* find(const std::vector<TargetHealth>& list, const std::string& url) {
    for (const TargetHealth& t : list) {
        if (t.target == url) {
            return &t;
        }
    }
    return nullptr;
}

} // namespace

class HealthTableTest : public QObject {
    Q_OBJECT

private slots:
    void targetsStartHealthyAndAreProbedAtOnce() {
        HealthTable table;
        const auto cell = table.cell("orders", "http://127.0.0.1:9001");
        table.setServices({service("orders", {9001, 9002})}, 1'800'000'000);
        QVERIFY(cell->up.load());
        const auto due = table.takeDue(TimePoint{std::chrono::seconds(1)});
        QCOMPARE(due.size(), size_t(2));
        QCOMPARE(due[0].url, std::string("http://127.0.0.1:9001/healthz"));
        QVERIFY(table.takeDue(TimePoint{std::chrono::seconds(1)}).empty()); // in flight
        const auto list = table.list();
        QCOMPARE(list.size(), size_t(2));
        QVERIFY(list[0].healthy);
        QCOMPARE(list[0].lastChangeUnix, int64_t(1'800'000'000));
    }

    void goesDownAfterUnhealthyAfterConsecutiveFailures() {
        HealthTable table;
        const auto cell = table.cell("orders", "http://127.0.0.1:9001");
        table.setServices({service("orders", {9001, 9002}, 3, 2)}, 0);
        Driver d{table};
        d.round("http://127.0.0.1:9001");
        d.round("http://127.0.0.1:9001");
        QVERIFY(cell->up.load());
        uint64_t cursor = 0;
        std::vector<HealthEvent> events;
        QCOMPARE(table.eventsSince(cursor, events), size_t(0));
        d.round("http://127.0.0.1:9001");
        QVERIFY(!cell->up.load());
        QCOMPARE(table.eventsSince(cursor, events), size_t(1));
        QCOMPARE(events[0].service, std::string("orders"));
        QCOMPARE(events[0].target, std::string("http://127.0.0.1:9001"));
        QVERIFY(!events[0].healthy);
        QCOMPARE(events[0].count, 3u);
        QCOMPARE(events[0].error, std::string("connection refused"));
        const auto list = table.list();
        const TargetHealth* t = find(list, "http://127.0.0.1:9001");
        QVERIFY(t && !t->healthy);
        QCOMPARE(t->consecutiveFailures, 3u);
        QCOMPARE(t->checksFailed, uint64_t(3));
        QCOMPARE(t->lastError, std::string("connection refused"));
        QCOMPARE(t->lastLatencyMicros, int64_t(80));
        QVERIFY(find(list, "http://127.0.0.1:9002")->healthy);
    }

    void aSuccessInBetweenRestartsTheCount() {
        HealthTable table;
        const auto cell = table.cell("orders", "http://127.0.0.1:9001");
        table.setServices({service("orders", {9001}, 2, 2)}, 0);
        Driver d{table};
        d.round("http://127.0.0.1:9001");
        d.round("");
        d.round("http://127.0.0.1:9001");
        QVERIFY(cell->up.load());
        d.round("http://127.0.0.1:9001");
        QVERIFY(!cell->up.load());
    }

    void comesBackAfterHealthyAfterConsecutiveSuccesses() {
        HealthTable table;
        const auto cell = table.cell("orders", "http://127.0.0.1:9001");
        table.setServices({service("orders", {9001}, 1, 2)}, 0);
        Driver d{table};
        d.round("http://127.0.0.1:9001", {false, "status 500", 10});
        QVERIFY(!cell->up.load());
        d.round("");
        QVERIFY(!cell->up.load());
        d.round("http://127.0.0.1:9001");
        d.round("");
        QVERIFY(!cell->up.load()); // the failure reset the count
        d.round("");
        QVERIFY(cell->up.load());
        uint64_t cursor = 0;
        std::vector<HealthEvent> events;
        QCOMPARE(table.eventsSince(cursor, events), size_t(2));
        QVERIFY(events[1].healthy);
        QCOMPARE(events[1].count, 2u);
        QVERIFY(events[1].error.empty());
        QVERIFY(events[1].seq > events[0].seq);
        QCOMPARE(table.eventsSince(cursor, events), size_t(0));
    }

    void nextProbeFallsDueOneIntervalAfterTheLast() {
        HealthTable table;
        table.setServices({service("orders", {9001})}, 0);
        const TimePoint t0{std::chrono::seconds(50)};
        auto due = table.takeDue(t0);
        QCOMPARE(due.size(), size_t(1));
        QCOMPARE(table.nextDue(), TimePoint::max()); // in flight: nothing else scheduled
        table.record(due[0].id, kOk, t0, 0);
        QCOMPARE(table.nextDue(), t0 + 200ms);
        QVERIFY(table.takeDue(t0 + 199ms).empty());
        QCOMPARE(table.takeDue(t0 + 200ms).size(), size_t(1));
    }

    void probeTimeoutIsBoundedByIntervalAndServiceTimeouts() {
        HealthTable table;
        ServiceConfig s = service("orders", {9001});
        s.connectTimeout = 100ms;
        s.readTimeout = 50ms;
        ServiceConfig slow = service("slow", {9002});
        slow.health->interval = 10s;
        table.setServices({s, slow}, 0);
        const auto due = table.takeDue(TimePoint{std::chrono::seconds(1)});
        QCOMPARE(due.size(), size_t(2));
        QCOMPARE(due[0].timeout, 150ms); // connect + read < interval
        QCOMPARE(due[0].connectTimeout, 100ms);
        QCOMPARE(due[1].timeout, 10s); // interval < 2s + 30s
    }

    void reloadKeepsStateOfKeptTargets() {
        HealthTable table;
        const auto cell = table.cell("orders", "http://127.0.0.1:9001");
        table.setServices({service("orders", {9001, 9002}, 1, 2)}, 0);
        Driver d{table};
        d.round("http://127.0.0.1:9001");
        QVERIFY(!cell->up.load());
        // The compile of the new config resolves the same cell, then the config is applied.
        QCOMPARE(table.cell("orders", "http://127.0.0.1:9001").get(), cell.get());
        table.setServices({service("orders", {9001, 9003}, 1, 2)}, 5);
        QVERIFY(!cell->up.load());
        const auto list = table.list();
        QCOMPARE(list.size(), size_t(2));
        QVERIFY(!find(list, "http://127.0.0.1:9001")->healthy);
        QCOMPARE(find(list, "http://127.0.0.1:9001")->consecutiveFailures, 1u);
        QVERIFY(find(list, "http://127.0.0.1:9003")->healthy);
        QCOMPARE(find(list, "http://127.0.0.1:9003")->lastChangeUnix, int64_t(5));
    }

    void removedTargetsAreDroppedAndComeBackHealthy() {
        HealthTable table;
        const auto old = table.cell("orders", "http://127.0.0.1:9001");
        table.setServices({service("orders", {9001, 9002}, 1, 2)}, 0);
        Driver d{table};
        d.round("http://127.0.0.1:9001");
        QVERIFY(!old->up.load());
        table.setServices({service("orders", {9002}, 1, 2)}, 0);
        const auto list = table.list();
        QCOMPARE(list.size(), size_t(1));
        QCOMPARE(list[0].target, std::string("http://127.0.0.1:9002"));
        QVERIFY(!old->up.load()); // an old snapshot's cell stays valid, untouched
        const auto fresh = table.cell("orders", "http://127.0.0.1:9001");
        QVERIFY(fresh.get() != old.get());
        QVERIFY(fresh->up.load());
    }

    void resultOfADroppedTargetIsIgnored() {
        HealthTable table;
        table.setServices({service("orders", {9001}, 1, 1)}, 0);
        const auto due = table.takeDue(TimePoint{std::chrono::seconds(1)});
        QCOMPARE(due.size(), size_t(1));
        table.setServices({}, 0);
        table.setServices({service("orders", {9001}, 1, 1)}, 0); // re-added: a new entry
        table.record(due[0].id, kRefused, TimePoint{std::chrono::seconds(1)}, 0);
        QVERIFY(table.list()[0].healthy);
        QCOMPARE(table.list()[0].checksFailed, uint64_t(0));
    }

    void servicesWithoutHealthAndBuiltinTargetsAreNotProbed() {
        HealthTable table;
        ServiceConfig plain = service("plain", {9001});
        plain.health.reset();
        ServiceConfig echo = service("echo", {});
        TargetConfig builtin;
        builtin.url = "builtin:echo";
        builtin.scheme = "builtin";
        builtin.host = "echo";
        echo.targets.push_back(builtin);
        table.setServices({plain, echo}, 0);
        QVERIFY(table.list().empty());
        QVERIFY(table.takeDue(TimePoint::max()).empty());
    }

    void sameUrlInTwoServicesIsTrackedApart() {
        HealthTable table;
        const auto a = table.cell("a", "http://127.0.0.1:9001");
        const auto b = table.cell("b", "http://127.0.0.1:9001");
        table.setServices({service("a", {9001}, 1, 1), service("b", {9001}, 1, 1)}, 0);
        const auto due = table.takeDue(TimePoint{std::chrono::seconds(1)});
        QCOMPARE(due.size(), size_t(2));
        table.record(due[0].id, kRefused, TimePoint{std::chrono::seconds(1)}, 0);
        QVERIFY(!a->up.load());
        QVERIFY(b->up.load());
    }

    void ipv6TargetsAreBracketed() {
        TargetConfig t;
        t.scheme = "http";
        t.host = "::1";
        t.port = 8080;
        QCOMPARE(upstream::probeUrl(t, "/healthz"), std::string("http://[::1]:8080/healthz"));
    }
};

QTEST_GUILESS_MAIN(HealthTableTest)
#include "health_table_test.moc"

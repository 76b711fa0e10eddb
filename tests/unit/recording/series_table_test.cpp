// The recorder's running totals: per-minute deltas for the store (each change handed over exactly
// once, in the minute it happened) and the Prometheus exposition (well-formed lines, the documented
// label sets, cumulative histograms that agree with the request counts, escaped label values).

#include "http/message.h"
#include "prometheus_text.h"
#include "recording/series_table.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

using namespace tollgate;
using namespace tollgate::recording;
using namespace tollgate::test;

namespace {

// A minute boundary: 2023-11-14T22:14:00Z.
constexpr int64_t kMinute = 1'700'000'040;
static_assert(kMinute % 60 == 0);

template <size_t N> void set(char (&dst)[N], std::string_view text) {
    std::memset(dst, 0, N);
    std::memcpy(dst, text.data(), std::min(text.size(), N - 1));
}

struct Rec {
    int64_t atSeconds = kMinute;
    std::string consumer = "acme";
    std::string api = "orders";
    std::string version = "v1";
    std::string route = "list";
    http::Method method = http::Method::Get;
    uint16_t status = 200;
    std::string reason;
    uint32_t totalMicros = 1000;
    uint32_t upstreamMicros = 0;
    uint64_t bytesIn = 0;
    uint64_t bytesOut = 0;
    std::string target;

    RequestRecord make() const {
        RequestRecord r;
        r.unixMicros = atSeconds * 1'000'000 + 250'000;
        set(r.consumer, consumer);
        set(r.api, api);
        set(r.apiVersion, version);
        set(r.route, route);
        r.method = static_cast<uint8_t>(method);
        r.status = status;
        set(r.reason, reason);
        r.totalMicros = totalMicros;
        r.upstreamMicros = upstreamMicros;
        r.bytesIn = bytesIn;
        r.bytesOut = bytesOut;
        set(r.target, target);
        return r;
    }
};

std::vector<AggregateDelta> take(SeriesTable& table) {
    std::vector<AggregateDelta> out;
    table.takeDeltas(out);
    std::sort(out.begin(), out.end(), [](const AggregateDelta& a, const AggregateDelta& b) {
        return std::tie(a.minute, a.key.consumer, a.key.route, a.key.statusClass) <
               std::tie(b.minute, b.key.consumer, b.key.route, b.key.statusClass);
    });
    return out;
}

// Parses the table's exposition, failing the test on a malformed line.
std::vector<PromSample> exposition(const SeriesTable& table, std::string* textOut = nullptr) {
    std::string text;
    table.renderPrometheus(text);
    if (textOut) {
        *textOut = text;
    }
    std::vector<PromSample> samples;
    std::string error;
    if (!parsePrometheusText(text, samples, error, /*requireLabels=*/true)) {
        QTest::qFail((error + "\n" + text).c_str(), __FILE__, __LINE__);
        return {};
    }
    return samples;
}

// The one sample named `name` whose labels include all of `labels`; fails the test unless exactly one.
PromSample findOne(const std::vector<PromSample>& samples, const std::string& name,
                   const std::map<std::string, std::string>& labels) {
    std::vector<PromSample> found;
    for (const PromSample& s : samples) {
        if (s.name != name) {
            continue;
        }
        bool all = true;
        for (const auto& [k, v] : labels) {
            all = all && s.label(k) == v;
        }
        if (all) {
            found.push_back(s);
        }
    }
    if (found.size() != 1) {
        QTest::qFail(("expected one " + name + ", found " + std::to_string(found.size())).c_str(), __FILE__,
                     __LINE__);
        return {};
    }
    return found[0];
}

} // namespace

class SeriesTableTest : public QObject {
    Q_OBJECT

private slots:
    void twoMinutesOfOneSeries_twoDeltas() {
        SeriesTable table;
        Rec a;
        a.atSeconds = kMinute + 5;
        a.totalMicros = 200; // bucket le=250us
        a.upstreamMicros = 150;
        a.bytesIn = 100;
        a.bytesOut = 1000;
        table.add(a.make());
        a.atSeconds = kMinute + 59;
        a.totalMicros = 4000; // bucket le=5ms
        a.upstreamMicros = 3000;
        a.bytesIn = 10;
        a.bytesOut = 20;
        table.add(a.make());
        a.atSeconds = kMinute + 60; // the next minute
        a.totalMicros = 40'000'000; // above the last bound
        a.upstreamMicros = 0;
        a.bytesIn = 1;
        a.bytesOut = 2;
        table.add(a.make());
        QCOMPARE(table.size(), size_t(1)); // one series

        const std::vector<AggregateDelta> deltas = take(table);
        QCOMPARE(deltas.size(), size_t(2));
        const AggregateDelta& first = deltas[0];
        QCOMPARE(first.minute, kMinute);
        QCOMPARE(first.requests, uint64_t(2));
        QCOMPARE(first.bytesIn, uint64_t(110));
        QCOMPARE(first.bytesOut, uint64_t(1020));
        QCOMPARE(first.upstreamMicros, uint64_t(3150));
        QCOMPARE(first.latency.total(), uint64_t(2));
        QCOMPARE(first.latency.counts[LatencyHistogram::bucketOf(200)], uint64_t(1));
        QCOMPARE(first.latency.counts[LatencyHistogram::bucketOf(4000)], uint64_t(1));
        QCOMPARE(LatencyHistogram::kUpperMicros[LatencyHistogram::bucketOf(200)], uint32_t(250));
        QCOMPARE(LatencyHistogram::kUpperMicros[LatencyHistogram::bucketOf(4000)], uint32_t(5000));
        const SeriesKey expectedKey{"acme", "orders", "v1", "list", "GET", 2, ""};
        QVERIFY(first.key == expectedKey);

        const AggregateDelta& second = deltas[1];
        QCOMPARE(second.minute, kMinute + 60);
        QCOMPARE(second.requests, uint64_t(1));
        QCOMPARE(second.bytesIn, uint64_t(1));
        QCOMPARE(second.bytesOut, uint64_t(2));
        QCOMPARE(second.upstreamMicros, uint64_t(0));
        QCOMPARE(second.latency.total(), uint64_t(1));
        QCOMPARE(second.latency.counts[LatencyHistogram::kBuckets - 1], uint64_t(1));
        QVERIFY(second.key == expectedKey);

        // Handed over once.
        QVERIFY(take(table).empty());
    }

    void afterATake_onlyTheNewChange() {
        SeriesTable table;
        Rec a;
        a.bytesIn = 5;
        table.add(a.make());
        table.add(a.make());
        QCOMPARE(take(table).at(0).requests, uint64_t(2));
        QVERIFY(take(table).empty());
        // The same series in the same minute again: a delta of 1, not the running total of 3.
        table.add(a.make());
        const std::vector<AggregateDelta> deltas = take(table);
        QCOMPARE(deltas.size(), size_t(1));
        QCOMPARE(deltas[0].minute, kMinute);
        QCOMPARE(deltas[0].requests, uint64_t(1));
        QCOMPARE(deltas[0].bytesIn, uint64_t(5));
        QCOMPARE(deltas[0].latency.total(), uint64_t(1));
        QVERIFY(take(table).empty());
    }

    void minutesOutOfOrder_eachRequestInItsOwnMinute() {
        // Two workers' records interleave around a minute boundary.
        SeriesTable table;
        Rec a;
        const int64_t seconds[] = {58, 61, 59, 62, 59, 125};
        for (int64_t s : seconds) {
            a.atSeconds = kMinute + s;
            table.add(a.make());
        }
        std::map<int64_t, uint64_t> perMinute;
        for (const AggregateDelta& d : take(table)) {
            QCOMPARE(d.minute % 60, int64_t(0));
            perMinute[d.minute] += d.requests;
            QCOMPARE(d.latency.total(), d.requests);
        }
        QCOMPARE(perMinute,
                 (std::map<int64_t, uint64_t>{{kMinute, 3}, {kMinute + 60, 2}, {kMinute + 120, 1}}));
        QVERIFY(take(table).empty());
    }

    void severalSeries_keptApart() {
        SeriesTable table;
        Rec base;
        Rec other = base;
        other.consumer = "bob";
        Rec anonymous = base;
        anonymous.consumer = "";
        anonymous.status = 401;
        anonymous.reason = "auth.missing";
        Rec noRoute = base;
        noRoute.consumer = "";
        noRoute.api = "";
        noRoute.version = "";
        noRoute.route = "";
        noRoute.status = 404;
        noRoute.reason = "route.none";
        Rec post = base;
        post.method = http::Method::Post;
        post.status = 503;
        post.reason = "upstream.timeout";
        for (int i = 0; i < 3; ++i) {
            table.add(base.make());
        }
        table.add(other.make());
        table.add(anonymous.make());
        table.add(anonymous.make());
        table.add(noRoute.make());
        table.add(post.make());
        QCOMPARE(table.size(), size_t(5));

        std::vector<AggregateDelta> deltas;
        table.takeDeltas(deltas);
        QCOMPARE(deltas.size(), size_t(5));
        std::map<std::string, const AggregateDelta*> byName;
        uint64_t total = 0;
        for (const AggregateDelta& d : deltas) {
            QCOMPARE(d.minute, kMinute);
            total += d.requests;
            byName[d.key.consumer + "|" + d.key.route + "|" + d.key.method + "|" +
                   std::to_string(d.key.statusClass) + "|" + d.key.reason] = &d;
        }
        QCOMPARE(total, uint64_t(8));
        QCOMPARE(byName.at("acme|list|GET|2|")->requests, uint64_t(3));
        QCOMPARE(byName.at("bob|list|GET|2|")->requests, uint64_t(1));
        QCOMPARE(byName.at("|list|GET|4|auth.missing")->requests, uint64_t(2));
        const AggregateDelta& none = *byName.at("||GET|4|route.none");
        QCOMPARE(none.requests, uint64_t(1));
        QCOMPARE(none.key.api, std::string());
        QCOMPARE(byName.at("acme|list|POST|5|upstream.timeout")->requests, uint64_t(1));
        QCOMPARE(byName.at("acme|list|POST|5|upstream.timeout")->key.api, std::string("orders"));
        QCOMPARE(byName.at("acme|list|POST|5|upstream.timeout")->key.apiVersion, std::string("v1"));
    }

    void lookAlikeSeries_keptApart_staleBytesIgnored() {
        // The table's index hashes each field's bytes in place and probes past entries whose hash
        // or fields differ: names alike but for a few middle bytes, or a plan, are separate series.
        // Bytes after a field's NUL (left by an older record in the ring's slot) must not matter.
        SeriesTable table;
        Rec north;
        north.consumer = "customer-0001-north-eu";
        Rec south = north;
        south.consumer = "customer-0002-north-eu";
        Rec created = north;
        created.status = 201;
        std::map<std::string, int> sent;
        for (int i = 0; i < 300; ++i) {
            RequestRecord r = (i % 3 == 0 ? south : i % 3 == 1 ? north : created).make();
            if (i % 2 == 0) { // an older, longer name's tail after the NUL
                std::memcpy(r.consumer + std::strlen(r.consumer) + 1, "stale-tail", 10);
                std::memcpy(r.route + std::strlen(r.route) + 1, "older-route", 11);
            }
            if (i % 5 == 0) {
                set(r.plan, "gold"); // the plan is part of the series
            }
            const std::string& identity = table.add(r);
            QVERIFY2(identity.find(std::string("\"consumer\":\"") + r.consumer + "\"") != std::string::npos,
                     identity.c_str());
            QVERIFY2(identity.find("stale") == std::string::npos &&
                         identity.find("older") == std::string::npos,
                     identity.c_str());
            ++sent[std::string(r.consumer) + "|" + std::to_string(r.status) + "|" + r.plan];
        }
        QCOMPARE(table.size(), sent.size());
        QCOMPARE(table.size(), size_t(6)); // 3 consumer/status pairs x 2 plans

        std::vector<AggregateDelta> deltas;
        table.takeDeltas(deltas);
        std::map<std::string, uint64_t> byConsumer;
        for (const AggregateDelta& d : deltas) {
            byConsumer[d.key.consumer] += d.requests;
        }
        QCOMPARE(byConsumer.size(), size_t(2));
        QCOMPARE(byConsumer.at("customer-0001-north-eu"), uint64_t(200));
        QCOMPARE(byConsumer.at("customer-0002-north-eu"), uint64_t(100));
    }

    void prometheus_everyLineWellFormed_requestsGroupedByApiRouteConsumerStatus() {
        SeriesTable table;
        Rec get;
        Rec post = get;
        post.method = http::Method::Post;
        Rec notFound = get;
        notFound.status = 404;
        Rec created = get;
        created.status = 201; // another status of the same class: its own line
        Rec otherRoute = get;
        otherRoute.route = "create";
        for (int i = 0; i < 4; ++i) {
            table.add(get.make());
        }
        for (int i = 0; i < 3; ++i) {
            table.add(post.make());
        }
        post.atSeconds += 120; // another minute: still the same counter
        table.add(post.make());
        table.add(notFound.make());
        table.add(created.make());
        table.add(otherRoute.make());

        std::string text;
        const std::vector<PromSample> samples = exposition(table, &text);
        QVERIFY(!samples.empty());
        const std::vector<PromSample> requests = samplesNamed(samples, "tollgate_requests_total");
        QCOMPARE(requests.size(), size_t(4));
        for (const PromSample& s : requests) {
            QCOMPARE(s.labels.size(), size_t(4)); // api, route, consumer, status: no method
        }
        const std::map<std::string, std::string> list{
            {"api", "orders"}, {"route", "list"}, {"consumer", "acme"}};
        auto with = [](std::map<std::string, std::string> labels, const char* status) {
            labels["status"] = status;
            return labels;
        };
        QCOMPARE(findOne(samples, "tollgate_requests_total", with(list, "200")).valueText, std::string("8"));
        QCOMPARE(findOne(samples, "tollgate_requests_total", with(list, "404")).valueText, std::string("1"));
        QCOMPARE(findOne(samples, "tollgate_requests_total", with(list, "201")).valueText, std::string("1"));
        QCOMPARE(findOne(samples, "tollgate_requests_total",
                         {{"api", "orders"}, {"route", "create"}, {"consumer", "acme"}, {"status", "200"}})
                     .valueText,
                 std::string("1"));

        // Taking the deltas does not reset the cumulative counters.
        std::vector<AggregateDelta> deltas;
        table.takeDeltas(deltas);
        QCOMPARE(findOne(exposition(table), "tollgate_requests_total", with(list, "200")).valueText,
                 std::string("8"));
        QVERIFY2(text.find("# TYPE tollgate_requests_total counter\n") != std::string::npos, text.c_str());
        QVERIFY2(text.find("# TYPE tollgate_request_duration_seconds histogram\n") != std::string::npos,
                 text.c_str());
    }

    void prometheus_histogramCumulative_countEqualsRequests() {
        SeriesTable table;
        Rec r;
        const uint32_t latencies[] = {50, 100, 101, 900, 1000, 4000, 4000, 250'000, 31'000'000};
        uint64_t sumMicros = 0;
        for (uint32_t us : latencies) {
            r.totalMicros = us;
            sumMicros += us;
            table.add(r.make());
        }
        Rec other = r; // another consumer and method of the same route: same histogram
        other.consumer = "bob";
        other.method = http::Method::Put;
        other.totalMicros = 100;
        sumMicros += 100;
        table.add(other.make());
        Rec otherRoute = r; // another route: its own histogram
        otherRoute.route = "create";
        otherRoute.totalMicros = 10;
        table.add(otherRoute.make());
        const uint64_t requests = std::size(latencies) + 1;

        const std::vector<PromSample> samples = exposition(table);
        std::vector<PromSample> buckets;
        for (const PromSample& s : samplesNamed(samples, "tollgate_request_duration_seconds_bucket")) {
            if (s.label("route") == "list") {
                QCOMPARE(s.label("api"), std::string("orders"));
                QCOMPARE(s.labels.size(), size_t(3)); // api, route, le
                buckets.push_back(s);
            }
        }
        QCOMPARE(buckets.size(), LatencyHistogram::kBuckets);
        double previousLe = -1;
        double previous = 0;
        std::map<double, double> byLe;
        for (const PromSample& b : buckets) {
            double le = 0;
            if (b.label("le") == "+Inf") {
                le = INFINITY;
            } else {
                bool ok = false;
                le = QString::fromStdString(b.label("le")).toDouble(&ok);
                QVERIFY2(ok, b.label("le").c_str());
            }
            QVERIFY2(le > previousLe, b.label("le").c_str());   // bounds ascending
            QVERIFY2(b.value >= previous, b.valueText.c_str()); // counts cumulative
            // Each bucket holds exactly the requests at or below its bound.
            uint64_t expected = 0;
            for (uint32_t us : latencies) {
                expected += us <= le * 1e6 + 1e-6 ? 1 : 0;
            }
            expected += 100 <= le * 1e6 + 1e-6 ? 1 : 0;
            QVERIFY2(b.value == static_cast<double>(expected), (b.label("le") + " " + b.valueText).c_str());
            previousLe = le;
            previous = b.value;
            byLe[le] = b.value;
        }
        QCOMPARE(buckets.back().label("le"), std::string("+Inf"));
        QCOMPARE(byLe.at(0.0001), 3.0); // 50, 100 and bob's 100
        QCOMPARE(byLe.at(INFINITY), static_cast<double>(requests));
        QCOMPARE(findOne(samples, "tollgate_request_duration_seconds_count",
                         {{"api", "orders"}, {"route", "list"}})
                     .value,
                 static_cast<double>(requests));
        const double sum =
            findOne(samples, "tollgate_request_duration_seconds_sum", {{"api", "orders"}, {"route", "list"}})
                .value;
        QVERIFY2(std::abs(sum - sumMicros / 1e6) < 1e-9, std::to_string(sum).c_str());
        QCOMPARE(findOne(samples, "tollgate_request_duration_seconds_count", {{"route", "create"}}).value,
                 1.0);

        // _count agrees with requests_total summed over consumers and statuses of the route.
        double total = 0;
        for (const PromSample& s : samplesNamed(samples, "tollgate_requests_total")) {
            if (s.label("route") == "list") {
                total += s.value;
            }
        }
        QCOMPARE(total, static_cast<double>(requests));
    }

    void prometheus_labelValuesEscaped() {
        SeriesTable table;
        Rec r;
        r.consumer = "a\"b\\c";
        r.api = "x\ny";
        r.route = "back\\slash\"";
        table.add(r.make());
        std::string text;
        const std::vector<PromSample> samples = exposition(table, &text);
        QVERIFY2(text.find("consumer=\"a\\\"b\\\\c\"") != std::string::npos, text.c_str());
        QVERIFY2(text.find("api=\"x\\ny\"") != std::string::npos, text.c_str());
        const PromSample s = findOne(samples, "tollgate_requests_total", {{"status", "200"}});
        QCOMPARE(s.label("consumer"), r.consumer);
        QCOMPARE(s.label("api"), r.api);
        QCOMPARE(s.label("route"), r.route);
        QCOMPARE(findOne(samples, "tollgate_request_duration_seconds_count", {}).label("route"), r.route);
    }

    void prometheus_outcomesRateLimitedAndTargets() {
        SeriesTable table;
        Rec ok;
        ok.target = "http://10.0.0.1:80";
        Rec quota = ok;
        quota.status = 429;
        quota.reason = "limit.quota";
        quota.target = "";
        Rec rate = quota;
        rate.reason = "limit.rate";
        rate.consumer = "bob";
        Rec timeout = ok;
        timeout.status = 504;
        timeout.reason = "upstream.timeout";
        for (int i = 0; i < 3; ++i) {
            table.add(ok.make());
        }
        table.add(quota.make());
        table.add(quota.make());
        table.add(rate.make());
        table.add(timeout.make());

        const std::vector<PromSample> samples = exposition(table);
        QCOMPARE(findOne(samples, "tollgate_request_outcomes_total", {{"reason", "limit.quota"}}).value, 2.0);
        QCOMPARE(findOne(samples, "tollgate_request_outcomes_total", {{"reason", "limit.rate"}}).value, 1.0);
        QCOMPARE(findOne(samples, "tollgate_request_outcomes_total", {{"reason", "upstream.timeout"}}).value,
                 1.0);
        QCOMPARE(samplesNamed(samples, "tollgate_request_outcomes_total").size(), size_t(3)); // no "" reason
        QCOMPARE(findOne(samples, "tollgate_rate_limited_total", {{"consumer", "acme"}}).value, 2.0);
        QCOMPARE(findOne(samples, "tollgate_rate_limited_total", {{"consumer", "bob"}}).value, 1.0);
        QCOMPARE(
            findOne(samples, "tollgate_upstream_requests_total", {{"target", "http://10.0.0.1:80"}}).value,
            4.0);
        QCOMPARE(
            findOne(samples, "tollgate_upstream_failures_total", {{"target", "http://10.0.0.1:80"}}).value,
            1.0);
    }

    void emptyTable_onlyComments() {
        SeriesTable table;
        std::string text;
        QVERIFY(exposition(table, &text).empty());
        QVERIFY(!text.empty());
        std::vector<AggregateDelta> deltas;
        table.takeDeltas(deltas);
        QVERIFY(deltas.empty());
    }
};

QTEST_GUILESS_MAIN(SeriesTableTest)
#include "series_table_test.moc"

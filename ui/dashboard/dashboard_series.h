#pragma once
// What the Dashboard's charts draw, as plain numbers: one point per time bucket with requests per
// second by status class, latency percentiles and error and refusal rates, plus the top consumers and
// routes. Two sources feed the same shape: the live feed (the last 5 minutes at 1 s, from request
// rows) and the store's history (1 h to 30 d, from its aggregates). Percentiles always come from
// latency histograms with the store's buckets, so live and history agree.

#include "tollgate/usage.h"
#include "tollgate/usage_history.h"
#include "traffic/traffic_row.h"

#include <QHash>
#include <QString>

#include <array>
#include <deque>
#include <optional>
#include <vector>

namespace tollgate::ui {

struct ChartPoint {
    int64_t start = 0;                 // unix seconds
    std::array<double, 6> perSecond{}; // requests/s by status / 100 (0: no status)
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;
    double errorRate = 0;   // 5xx share of requests, 0..1
    double refusalRate = 0; // answers the gateway gave itself (4xx with a reason), 0..1
};

struct RankedName {
    QString name;
    uint64_t requests = 0;
};

struct DashboardData {
    std::vector<ChartPoint> points; // ascending, every bucket of the range (zeros where quiet)
    int bucketSeconds = 1;
    std::vector<RankedName> topConsumers; // at most 6, largest first
    std::vector<RankedName> topRoutes;
    uint64_t requests = 0;
};

// Percentiles in milliseconds from a histogram (the core's interpolation).
double percentileMs(const LatencyHistogram& h, double q);

// A filter the charts apply: empty fields match everything.
struct DashboardFilter {
    QString api;
    QString plan;
    QString consumer;
    bool matches(const TrafficRow& r) const;
};

// The live range: request rows go in (any order within the window), 300 one-second buckets come out.
class LiveSeries {
public:
    explicit LiveSeries(int seconds = 300) : m_seconds(seconds) {}
    void setFilter(const DashboardFilter& filter) { m_filter = filter; }
    void add(const TrafficRow& row);
    void clear() { m_buckets.clear(); }
    // Buckets from now - seconds to now; `nowUnix` is the newest second shown.
    DashboardData data(int64_t nowUnix) const;

private:
    struct Bucket {
        int64_t second = 0;
        std::array<uint64_t, 6> byClass{};
        uint64_t refused = 0;
        LatencyHistogram latency;
        QHash<QString, uint64_t> consumers;
        QHash<QString, uint64_t> routes;
    };
    int m_seconds;
    DashboardFilter m_filter;
    std::deque<Bucket> m_buckets; // ascending seconds, at most m_seconds + a few
};

// A history range from the store; refusals are not in the aggregates' status classes, so
// `refusalRate` stays 0 there and the page says so.
DashboardData historyData(const UsageHistory& history, int64_t fromUnix, int64_t toUnix);

// A consumer's quota as the gauge shows it; `runsOutAt` is when the remaining requests are gone at
// the pace of the period so far (nullopt when there is no pace yet or it lasts past the period).
struct QuotaGauge {
    QString consumer;
    QString plan;
    uint64_t used = 0;
    uint64_t limit = 0; // quota + bonus
    uint64_t remaining = 0;
    int64_t resetsAt = 0;
    std::optional<int64_t> runsOutAt;
    double fraction() const { return limit ? double(used) / double(limit) : 0; }
};
std::optional<QuotaGauge> quotaGauge(const ConsumerUsage& usage, int64_t nowUnix);

} // namespace tollgate::ui

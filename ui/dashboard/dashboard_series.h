#pragma once
// What the Dashboard's charts draw, as plain numbers: one point per time bucket with requests per
// second by status class, latency percentiles and error and refusal rates, plus the top consumers and
// routes. Two sources feed the same shape: the live feed (the last 5 minutes at 1 s, from request
// rows) and the store's history (1 h to 30 d, from its aggregates). Percentiles always come from
// latency histograms with the store's buckets, so live and history agree.

#include "tollgate/traffic.h"
#include "tollgate/usage.h"
#include "tollgate/usage_history.h"
#include "traffic/text_table.h"

#include <QHash>
#include <QString>

#include <array>
#include <deque>
#include <optional>
#include <unordered_map>
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
};

// The live range: request records go in (any order within the window), 300 one-second buckets come
// out. Each second keeps its counts per (consumer, plan, api) and per route, so a filter applies when
// the charts are drawn and changing it needs no records again. Memory: per second, one entry per
// group and per route seen in that second. UI thread only.
class LiveSeries {
public:
    explicit LiveSeries(int seconds = 300) : m_seconds(seconds) {}
    ~LiveSeries() { clear(); }
    LiveSeries(const LiveSeries&) = delete;
    LiveSeries& operator=(const LiveSeries&) = delete;

    void add(const RequestRecord& record);
    void clear();
    // Buckets from nowUnix - seconds + 1 to nowUnix, counting what `filter` lets through.
    DashboardData data(int64_t nowUnix, const DashboardFilter& filter = {}) const;
    size_t namesHeld() const { return m_texts.size(); }

private:
    struct Group {
        TextId consumer = 0, plan = 0, api = 0;
        bool operator==(const Group&) const = default;
    };
    struct Route {
        Group group;
        TextId route = 0;
        bool operator==(const Route&) const = default;
    };
    struct Hash {
        size_t operator()(const Group& g) const {
            return (size_t(g.consumer) * 0x9E3779B97F4A7C15ull) ^ (size_t(g.plan) << 21) ^
                   (size_t(g.api) << 42);
        }
        size_t operator()(const Route& r) const {
            return (*this)(r.group) ^ (size_t(r.route) * 0xC2B2AE3D27D4EB4Full);
        }
    };
    struct Totals {
        std::array<uint32_t, 6> byClass{};
        uint32_t refused = 0;
        std::array<uint32_t, LatencyHistogram::kBuckets> latency{};
    };
    struct Bucket {
        int64_t second = 0;
        std::unordered_map<Group, Totals, Hash> groups;
        std::unordered_map<Route, uint32_t, Hash> routes;
    };
    void drop(Bucket& b);

    int m_seconds;
    TextTable m_texts;            // the names the buckets hold
    Route m_last;                 // the previous record's ids (hints: they may have been released since)
    std::deque<Bucket> m_buckets; // ascending seconds, at most m_seconds + a few
};

// A history range from the store (asked with UsageQuery::ranked for the tops and refusals).
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

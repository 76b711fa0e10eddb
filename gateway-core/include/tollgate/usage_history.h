#pragma once
// Consumption history as the store keeps it: per-minute aggregates rolled up to hours and days.
// Plain values, safe to copy anywhere (console, admin API, reports).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tollgate {

// Request latency in fixed buckets, fine enough for p50/p95/p99 by interpolation inside a bucket and
// cheap to sum across series and time (the store adds them column by column).
struct LatencyHistogram {
    // Upper bounds in microseconds; one more bucket counts everything above the last bound.
    static constexpr std::array<uint32_t, 27> kUpperMicros{
        100,     250,     500,     750,     1'000,     1'500,     2'000,     3'000,      5'000,
        7'500,   10'000,  15'000,  20'000,  30'000,    50'000,    75'000,    100'000,    150'000,
        200'000, 300'000, 500'000, 750'000, 1'000'000, 2'000'000, 5'000'000, 10'000'000, 30'000'000};
    static constexpr size_t kBuckets = kUpperMicros.size() + 1;
    std::array<uint64_t, kBuckets> counts{};

    static size_t bucketOf(uint32_t micros) {
        size_t lo = 0, hi = kUpperMicros.size();
        while (lo < hi) { // first bound >= micros
            const size_t mid = (lo + hi) / 2;
            if (kUpperMicros[mid] < micros) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
    void add(uint32_t micros, uint64_t n = 1) { counts[bucketOf(micros)] += n; }
    void merge(const LatencyHistogram& o) {
        for (size_t i = 0; i < kBuckets; ++i) {
            counts[i] += o.counts[i];
        }
    }
    uint64_t total() const {
        uint64_t t = 0;
        for (uint64_t c : counts) {
            t += c;
        }
        return t;
    }
    // q in [0, 1]; linear inside the bucket holding the q-th request; 0 when empty. Above the last
    // bound the answer is that bound (the histogram cannot say more).
    double quantileMicros(double q) const {
        const uint64_t n = total();
        if (n == 0) {
            return 0;
        }
        const double rank = q * static_cast<double>(n);
        double seen = 0;
        for (size_t i = 0; i < kBuckets; ++i) {
            const double c = static_cast<double>(counts[i]);
            if (c > 0 && seen + c >= rank) {
                const double lo = i == 0 ? 0 : kUpperMicros[i - 1];
                if (i == kUpperMicros.size()) {
                    return lo;
                }
                const double hi = kUpperMicros[i];
                return lo + (hi - lo) * ((rank - seen) / c);
            }
            seen += c;
        }
        return kUpperMicros.back();
    }
};

enum class Granularity { Auto, Minute, Hour, Day };

struct UsageQuery {
    std::string consumer; // empty = every consumer (and anonymous traffic)
    std::string api;      // empty = every API
    int64_t fromUnix = 0; // inclusive, unix seconds
    int64_t toUnix = 0;   // exclusive
    // Auto: minutes up to 6 hours, hours up to 31 days, days beyond (and never finer than the
    // retention still holds).
    Granularity granularity = Granularity::Auto;
    // Also rank consumers and routes over the range and count refusals per bucket (three more
    // queries over the per-consumer rows: the dashboard asks, the admin API's /usage does not).
    bool ranked = false;
};

struct UsageTotals {
    uint64_t requests = 0;
    std::array<uint64_t, 6> byStatusClass{}; // index status / 100 (0 = no status: the client left)
    uint64_t bytesIn = 0;
    uint64_t bytesOut = 0;
    LatencyHistogram latency;
    void merge(const UsageTotals& o) {
        requests += o.requests;
        for (size_t i = 0; i < byStatusClass.size(); ++i) {
            byStatusClass[i] += o.byStatusClass[i];
        }
        bytesIn += o.bytesIn;
        bytesOut += o.bytesOut;
        latency.merge(o.latency);
    }
};

struct UsagePoint {
    int64_t start = 0; // unix seconds, start of the bucket
    UsageTotals totals;
    uint64_t refused = 0; // of totals.requests, 4xx the gateway gave itself (with a reason); ranked only
};

struct UsageRank {
    std::string name; // a consumer ("" for anonymous traffic), or "api/route"
    uint64_t requests = 0;
};

struct UsageHistory {
    UsageQuery query;               // as answered: granularity resolved, bounds aligned to it
    UsageTotals totals;             // over the whole range
    std::vector<UsagePoint> series; // ascending, only buckets with traffic
    // Only when query.ranked: the busiest first (at most 10 each), ties by name; and totals' refusals.
    // For ranges of 7 days or more the ranking counts the whole UTC days the range touches.
    std::vector<UsageRank> topConsumers;
    std::vector<UsageRank> topRoutes;
    uint64_t refused = 0;
};

// One consumer's traffic over a billing period (the report).
struct ConsumerPeriodUsage {
    std::string consumer;
    uint64_t requests = 0;
    std::array<uint64_t, 6> byStatusClass{};
    uint64_t refused = 0; // of `requests`, those the gateway refused itself (not billable)
};

} // namespace tollgate

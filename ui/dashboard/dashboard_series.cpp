#include "dashboard/dashboard_series.h"

#include <algorithm>

namespace tollgate::ui {
namespace {

constexpr size_t kTop = 6; // more would not fit a readable label per bar

std::vector<RankedName> ranked(const QHash<QString, uint64_t>& counts) {
    std::vector<RankedName> out;
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        out.push_back({it.key(), it.value()});
    }
    std::sort(out.begin(), out.end(), [](const RankedName& a, const RankedName& b) {
        return a.requests != b.requests ? a.requests > b.requests : a.name < b.name;
    });
    if (out.size() > kTop) {
        out.resize(kTop);
    }
    return out;
}

ChartPoint point(int64_t start, double seconds, const std::array<uint64_t, 6>& byClass, uint64_t refused,
                 const LatencyHistogram& latency) {
    ChartPoint p;
    p.start = start;
    uint64_t total = 0;
    for (size_t c = 0; c < byClass.size(); ++c) {
        p.perSecond[c] = double(byClass[c]) / seconds;
        total += byClass[c];
    }
    p.p50Ms = percentileMs(latency, 0.50);
    p.p95Ms = percentileMs(latency, 0.95);
    p.p99Ms = percentileMs(latency, 0.99);
    if (total > 0) {
        p.errorRate = double(byClass[5]) / double(total);
        p.refusalRate = double(refused) / double(total);
    }
    return p;
}

} // namespace

double percentileMs(const LatencyHistogram& h, double q) {
    return h.quantileMicros(q) / 1000.0;
}

bool DashboardFilter::matches(const TrafficRow& r) const {
    return (api.isEmpty() || r.api == api) && (plan.isEmpty() || r.plan == plan) &&
           (consumer.isEmpty() || r.consumer == consumer);
}

void LiveSeries::add(const TrafficRow& row) {
    if (!m_filter.matches(row)) {
        return;
    }
    const int64_t second = row.unixMicros / 1'000'000;
    // Rows arrive nearly in order: find the bucket from the back.
    auto it = m_buckets.end();
    while (it != m_buckets.begin() && std::prev(it)->second > second) {
        --it;
    }
    if (it == m_buckets.begin() || std::prev(it)->second != second) {
        if (!m_buckets.empty() && second <= m_buckets.back().second - m_seconds) {
            return; // older than the window
        }
        Bucket b;
        b.second = second;
        it = m_buckets.insert(it, std::move(b));
    } else {
        --it;
    }
    Bucket& b = *it;
    b.byClass[std::min<size_t>(row.status / 100, 5)] += 1;
    b.refused += row.status >= 400 && row.status < 500 && !row.reason.isEmpty();
    b.latency.add(row.totalMicros);
    b.consumers[row.consumer.isEmpty() ? QStringLiteral("(anonymous)") : row.consumer] += 1;
    if (!row.route.isEmpty()) {
        b.routes[row.api + QLatin1Char('/') + row.route] += 1;
    }
    while (!m_buckets.empty() && m_buckets.front().second <= m_buckets.back().second - m_seconds) {
        m_buckets.pop_front();
    }
}

DashboardData LiveSeries::data(int64_t nowUnix) const {
    DashboardData out;
    out.bucketSeconds = 1;
    QHash<QString, uint64_t> consumers;
    QHash<QString, uint64_t> routes;
    auto it = m_buckets.begin();
    for (int64_t s = nowUnix - m_seconds + 1; s <= nowUnix; ++s) {
        while (it != m_buckets.end() && it->second < s) {
            ++it;
        }
        if (it != m_buckets.end() && it->second == s) {
            out.points.push_back(point(s, 1.0, it->byClass, it->refused, it->latency));
            for (auto c = it->consumers.begin(); c != it->consumers.end(); ++c) {
                consumers[c.key()] += c.value();
            }
            for (auto r = it->routes.begin(); r != it->routes.end(); ++r) {
                routes[r.key()] += r.value();
            }
            for (uint64_t n : it->byClass) {
                out.requests += n;
            }
        } else {
            ChartPoint quiet;
            quiet.start = s;
            out.points.push_back(quiet);
        }
    }
    out.topConsumers = ranked(consumers);
    out.topRoutes = ranked(routes);
    return out;
}

DashboardData historyData(const UsageHistory& history, int64_t fromUnix, int64_t toUnix) {
    DashboardData out;
    const Granularity g = history.query.granularity;
    out.bucketSeconds = g == Granularity::Day ? 86'400 : g == Granularity::Hour ? 3'600 : 60;
    const int64_t step = out.bucketSeconds;
    const int64_t first = fromUnix - (fromUnix % step);
    auto it = history.series.begin();
    for (int64_t s = first; s < toUnix; s += step) {
        while (it != history.series.end() && it->start < s) {
            ++it;
        }
        if (it != history.series.end() && it->start == s) {
            out.points.push_back(point(s, double(step), it->totals.byStatusClass, 0, it->totals.latency));
        } else {
            ChartPoint quiet;
            quiet.start = s;
            out.points.push_back(quiet);
        }
    }
    out.requests = history.totals.requests;
    return out;
}

std::optional<QuotaGauge> quotaGauge(const ConsumerUsage& usage, int64_t nowUnix) {
    if (!usage.quota) {
        return std::nullopt;
    }
    const QuotaUsage& q = *usage.quota;
    QuotaGauge g;
    g.consumer = QString::fromStdString(usage.consumer);
    g.plan = QString::fromStdString(usage.plan);
    g.used = q.used;
    g.limit = q.quota + q.bonus;
    g.remaining = q.remaining;
    g.resetsAt = q.periodEnd;
    const int64_t elapsed = nowUnix - q.periodStart;
    if (q.used > 0 && elapsed > 0) {
        const double perSecond = double(q.used) / double(elapsed);
        const int64_t runsOut = nowUnix + int64_t(double(q.remaining) / perSecond);
        if (runsOut < q.periodEnd) {
            g.runsOutAt = runsOut;
        }
    }
    return g;
}

} // namespace tollgate::ui

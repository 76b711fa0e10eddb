#include "dashboard/dashboard_series.h"

#include "traffic/traffic_row.h"

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

void LiveSeries::add(const RequestRecord& record) {
    const int64_t second = record.unixMicros / 1'000'000;
    // Records arrive nearly in order: find the bucket from the back.
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
    // The previous record's ids first: consecutive records mostly share their names.
    const Group key{m_texts.acquire(recordText(record, TextField::Consumer), m_last.group.consumer),
                    m_texts.acquire(recordText(record, TextField::Plan), m_last.group.plan),
                    m_texts.acquire(recordText(record, TextField::Api), m_last.group.api)};
    auto [group, added] = b.groups.try_emplace(key);
    Totals& t = group->second;
    t.byClass[std::min<size_t>(record.status / 100, 5)] += 1;
    t.refused += record.status >= 400 && record.status < 500 && record.reason[0] != 0;
    t.latency[LatencyHistogram::bucketOf(record.totalMicros)] += 1;
    const std::string_view routeName = recordText(record, TextField::Route);
    if (!routeName.empty()) {
        const Route route{key, m_texts.acquire(routeName, m_last.route)};
        m_last.route = route.route;
        auto [r, routeAdded] = b.routes.try_emplace(route, 0);
        r->second += 1;
        if (routeAdded) {
            for (TextId id : {key.consumer, key.plan, key.api}) {
                m_texts.retain(id); // the route entry holds its group's names too
            }
        } else {
            m_texts.release(route.route);
        }
    }
    m_last.group = key;
    if (!added) { // the bucket holds the names once, for the group
        for (TextId id : {key.consumer, key.plan, key.api}) {
            m_texts.release(id);
        }
    }
    while (!m_buckets.empty() && m_buckets.front().second <= m_buckets.back().second - m_seconds) {
        drop(m_buckets.front());
        m_buckets.pop_front();
    }
}

void LiveSeries::drop(Bucket& b) {
    for (const auto& [g, totals] : b.groups) {
        for (TextId id : {g.consumer, g.plan, g.api}) {
            m_texts.release(id);
        }
    }
    for (const auto& [r, count] : b.routes) {
        for (TextId id : {r.group.consumer, r.group.plan, r.group.api, r.route}) {
            m_texts.release(id);
        }
    }
}

void LiveSeries::clear() {
    for (Bucket& b : m_buckets) {
        drop(b);
    }
    m_buckets.clear();
}

DashboardData LiveSeries::data(int64_t nowUnix, const DashboardFilter& filter) const {
    DashboardData out;
    out.bucketSeconds = 1;
    // The filter's names as ids; a name nobody holds matches nothing.
    bool possible = true;
    auto idOf = [&](const QString& name) -> std::optional<TextId> {
        if (name.isEmpty()) {
            return std::nullopt;
        }
        bool found = false;
        const TextId id = m_texts.find(name.toStdString(), &found);
        possible = possible && found;
        return id;
    };
    const auto api = idOf(filter.api), plan = idOf(filter.plan), consumer = idOf(filter.consumer);
    auto passes = [&](const Group& g) {
        return possible && (!api || g.api == *api) && (!plan || g.plan == *plan) &&
               (!consumer || g.consumer == *consumer);
    };
    std::unordered_map<TextId, uint64_t> consumers;
    std::unordered_map<uint64_t, uint64_t> routes; // api << 32 | route
    auto it = m_buckets.begin();
    for (int64_t s = nowUnix - m_seconds + 1; s <= nowUnix; ++s) {
        while (it != m_buckets.end() && it->second < s) {
            ++it;
        }
        std::array<uint64_t, 6> byClass{};
        uint64_t refused = 0;
        LatencyHistogram latency;
        if (it != m_buckets.end() && it->second == s) {
            for (const auto& [g, t] : it->groups) {
                if (!passes(g)) {
                    continue;
                }
                uint64_t n = 0;
                for (size_t c = 0; c < byClass.size(); ++c) {
                    byClass[c] += t.byClass[c];
                    n += t.byClass[c];
                }
                refused += t.refused;
                for (size_t i = 0; i < t.latency.size(); ++i) {
                    latency.counts[i] += t.latency[i];
                }
                consumers[g.consumer] += n;
                out.requests += n;
            }
            for (const auto& [r, n] : it->routes) {
                if (passes(r.group)) {
                    routes[uint64_t(r.group.api) << 32 | r.route] += n;
                }
            }
        }
        out.points.push_back(point(s, 1.0, byClass, refused, latency));
    }
    QHash<QString, uint64_t> consumerNames, routeNames;
    for (const auto& [id, n] : consumers) {
        consumerNames[id ? m_texts.text(id) : QStringLiteral("(anonymous)")] += n;
    }
    for (const auto& [key, n] : routes) {
        routeNames[m_texts.text(TextId(key >> 32)) + QLatin1Char('/') + m_texts.text(TextId(key))] += n;
    }
    out.topConsumers = ranked(consumerNames);
    out.topRoutes = ranked(routeNames);
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
            out.points.push_back(
                point(s, double(step), it->totals.byStatusClass, it->refused, it->totals.latency));
        } else {
            ChartPoint quiet;
            quiet.start = s;
            out.points.push_back(quiet);
        }
    }
    out.requests = history.totals.requests;
    const auto ranked = [](const std::vector<UsageRank>& from, bool consumers) {
        std::vector<RankedName> to;
        for (const UsageRank& r : from) {
            if (to.size() == kTop) {
                break;
            }
            to.push_back(
                {r.name.empty() && consumers ? QStringLiteral("(anonymous)") : QString::fromStdString(r.name),
                 r.requests});
        }
        return to;
    };
    out.topConsumers = ranked(history.topConsumers, true);
    out.topRoutes = ranked(history.topRoutes, false);
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

#include "store/usage_query.h"

#include <chrono>

namespace tollgate::store {

namespace {

constexpr int64_t kSixHours = 6 * 3600;
constexpr int64_t kThirtyOneDays = 31 * 86'400;

int64_t floorTo(int64_t t, int64_t step) {
    const int64_t r = t % step;
    return r < 0 ? t - r - step : t - r;
}

int64_t retentionSeconds(const RetentionConfig& retention, Granularity g) {
    const Millis kept = g == Granularity::Minute ? retention.minutes
                        : g == Granularity::Hour ? retention.hours
                                                 : retention.days;
    return std::chrono::duration_cast<std::chrono::seconds>(kept).count();
}

} // namespace

int64_t bucketSeconds(Granularity granularity) {
    switch (granularity) {
    case Granularity::Minute:
        return 60;
    case Granularity::Hour:
        return 3600;
    default:
        return 86'400;
    }
}

UsageQuery resolveUsageQuery(const UsageQuery& query, const RetentionConfig& retention, int64_t nowUnix) {
    UsageQuery q = query;
    if (q.granularity == Granularity::Auto) {
        const int64_t range = q.toUnix - q.fromUnix;
        q.granularity = range <= kSixHours        ? Granularity::Minute
                        : range <= kThirtyOneDays ? Granularity::Hour
                                                  : Granularity::Day;
    }
    // A finer table that was already pruned at `from` would silently answer with a hole at the start.
    while (q.granularity != Granularity::Day &&
           q.fromUnix < nowUnix - retentionSeconds(retention, q.granularity)) {
        q.granularity = q.granularity == Granularity::Minute ? Granularity::Hour : Granularity::Day;
    }
    const int64_t step = bucketSeconds(q.granularity);
    q.fromUnix = floorTo(q.fromUnix, step);
    q.toUnix = -floorTo(-q.toUnix, step); // ceiling
    return q;
}

} // namespace tollgate::store

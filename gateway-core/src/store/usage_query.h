#pragma once
// Which aggregate table answers a usage query, and the bounds aligned to its buckets.

#include "tollgate/config.h"
#include "tollgate/usage_history.h"

#include <cstdint>

namespace tollgate::store {

// Bucket length in seconds of a resolved granularity (Minute, Hour or Day).
int64_t bucketSeconds(Granularity granularity);

// The query as it will be answered at `nowUnix`: Auto becomes Minute for ranges up to 6 hours, Hour up
// to 31 days, Day beyond; any granularity whose retention no longer covers `fromUnix` becomes the next
// coarser one (days are never coarsened); `fromUnix` is aligned down and `toUnix` up to the bucket.
UsageQuery resolveUsageQuery(const UsageQuery& query, const RetentionConfig& retention, int64_t nowUnix);

} // namespace tollgate::store

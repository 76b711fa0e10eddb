#pragma once
// A consumer's limits as the engine counts them right now: plain values, safe to copy anywhere.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tollgate {

struct RateLimitUsage {
    std::string per;          // "second", "minute", "hour", "day"
    uint64_t limit = 0;       // requests per `per`
    uint64_t remaining = 0;   // requests that would pass right now
    int64_t resetSeconds = 0; // until the bucket is full again
};

struct QuotaUsage {
    std::string per;         // "day", "week", "month" (UTC calendar periods)
    bool block = true;       // on_exceeded: block (false: allow_and_bill)
    uint64_t quota = 0;      // the plan's quota
    uint64_t bonus = 0;      // operator top-ups for this period
    uint64_t used = 0;       // requests counted this period
    uint64_t remaining = 0;  // quota + bonus - used, or 0
    uint64_t overage = 0;    // allow_and_bill: requests beyond quota + bonus
    int64_t periodStart = 0; // unix seconds
    int64_t periodEnd = 0;   // unix seconds, exclusive
};

struct ConsumerUsage {
    std::string consumer;
    std::string plan;
    std::vector<RateLimitUsage> rateLimits;
    std::optional<QuotaUsage> quota;
};

} // namespace tollgate

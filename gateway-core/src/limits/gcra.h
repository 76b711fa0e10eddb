#pragma once
// GCRA (the generic cell rate algorithm, as in ATM and redis-cell): "N requests per P" is a bucket of N
// that refills one request every T = P / N. Its whole state is one number, the theoretical arrival time
// (TAT): the moment the bucket will be full again. A request at `now` passes when TAT - now <= (N - 1) T
// and pushes TAT to max(TAT, now) + T. One atomic word per limit, updated with compare-and-swap: no lock,
// exact under any number of threads. Times are unix nanoseconds so that a persisted TAT means the same
// thing after a restart.

#include "tollgate/config.h"

#include <atomic>
#include <cstdint>

namespace tollgate::limits {

constexpr int kRateUnits = 4; // second, minute, hour, day: one limit per unit and consumer

constexpr int64_t kNanosPerSecond = 1'000'000'000;

constexpr int64_t unitNanos(RateLimitConfig::Per per) {
    switch (per) {
    case RateLimitConfig::Per::Second:
        return kNanosPerSecond;
    case RateLimitConfig::Per::Minute:
        return 60 * kNanosPerSecond;
    case RateLimitConfig::Per::Hour:
        return 3600 * kNanosPerSecond;
    case RateLimitConfig::Per::Day:
        return 86400 * kNanosPerSecond;
    }
    return kNanosPerSecond;
}

const char* unitName(RateLimitConfig::Per per);

// One compiled limit: N per unit.
struct RateRule {
    uint64_t limit = 0;    // N
    int64_t interval = 0;  // T = unit / N (ns, at least 1)
    int64_t tolerance = 0; // (N - 1) T: how far ahead of now the TAT may be for a request to pass
    uint8_t unit = 0;      // RateLimitConfig::Per, the counter slot

    static RateRule make(const RateLimitConfig& cfg) {
        RateRule r;
        r.limit = cfg.requests;
        r.interval = unitNanos(cfg.per) / int64_t(cfg.requests);
        if (r.interval < 1) {
            r.interval = 1;
        }
        r.tolerance = int64_t(cfg.requests - 1) * r.interval;
        r.unit = static_cast<uint8_t>(cfg.per);
        return r;
    }
};

// Takes one request from the bucket if it fits. `tatAfter` is the TAT after the attempt (unchanged on
// refusal), for the headers.
inline bool tryAdmit(std::atomic<int64_t>& tat, int64_t now, const RateRule& rule, int64_t& tatAfter) {
    int64_t current = tat.load(std::memory_order_relaxed);
    for (;;) {
        const int64_t base = current > now ? current : now;
        if (base - now > rule.tolerance) {
            tatAfter = current;
            return false;
        }
        const int64_t next = base + rule.interval;
        if (tat.compare_exchange_weak(current, next, std::memory_order_relaxed)) {
            tatAfter = next;
            return true;
        }
    }
}

// Gives back a request taken by tryAdmit (another limit refused it). Exact: a TAT at or before now
// means a full bucket, whatever its value.
inline void giveBack(std::atomic<int64_t>& tat, const RateRule& rule) {
    tat.fetch_sub(rule.interval, std::memory_order_relaxed);
}

// Requests still allowed right now with this TAT: N - ceil((TAT - now) / T), within [0, N].
inline uint64_t remaining(int64_t tat, int64_t now, const RateRule& rule) {
    if (tat <= now) {
        return rule.limit;
    }
    const int64_t used = (tat - now + rule.interval - 1) / rule.interval;
    return used >= int64_t(rule.limit) ? 0 : rule.limit - uint64_t(used);
}

// Whole seconds until the bucket is full again (RateLimit-Reset).
inline int64_t secondsToFull(int64_t tat, int64_t now) {
    return tat <= now ? 0 : (tat - now + kNanosPerSecond - 1) / kNanosPerSecond;
}

// Whole seconds until one more request fits (Retry-After), at least 1.
inline int64_t secondsToRetry(int64_t tat, int64_t now, const RateRule& rule) {
    const int64_t wait = tat - rule.tolerance - now;
    const int64_t s = (wait + kNanosPerSecond - 1) / kNanosPerSecond;
    return s < 1 ? 1 : s;
}

// A TAT written under rule `from`, re-expressed so that the same number of requests stays in the
// bucket under rule `to` (a plan change keeps usage).
inline int64_t retune(int64_t tat, int64_t now, const RateRule& from, const RateRule& to) {
    if (tat <= now || from.interval == to.interval) {
        return tat;
    }
    const int64_t level = (tat - now + from.interval - 1) / from.interval;
    return now + level * to.interval;
}

} // namespace tollgate::limits

#pragma once
#include "limits/counter_table.h"
#include "limits/ip_limiter.h"
#include "pipeline/stage.h"

#include <memory>
#include <string>
#include <vector>

namespace tollgate::server {
struct Snapshot;
}

namespace tollgate::stages {

// Rate limits, after authorization (only authorized requests count): an identified consumer is held to
// its plan's rate_limits, an anonymous caller of a public API to the API's limits_per_ip, keyed by the
// client address the connection established (the socket peer, or the client a trusted proxy named).
// Each limit is a GCRA bucket (limits/gcra.h); several limits pass only together. A refusal is 429
// limit.rate with Retry-After; every answer to a limited caller carries the RateLimit-* headers of the
// tightest limit. Counters live outside the snapshot (CounterTable, IpLimiter): a reload keeps them, and a
// changed limit keeps the number of requests already in its bucket.
// Thread safety: immutable after create(); onRequest runs on any worker (counters are atomics, the per-IP
// table is sharded).
class RateLimitStage final : public pipeline::Stage {
public:
    // `counters` and `ipLimiter` may be null (explain, --check): limits are then described, not counted.
    // `unixMicros` is now on the requests' clock (buckets of a changed plan are retuned at that time);
    // 0: the system clock.
    static std::unique_ptr<RateLimitStage> create(const server::Snapshot& snap,
                                                  limits::CounterTable* counters,
                                                  limits::IpLimiter* ipLimiter, int64_t unixMicros,
                                                  std::string& error);

    const char* name() const override { return "rate_limit"; }
    pipeline::Decision onRequest(pipeline::RequestContext& ctx) const override;

    // "10 per second, 1000 per hour".
    static std::string describe(const std::vector<limits::RateRule>& rules);

private:
    struct Plan {
        std::vector<limits::RateRule> rules; // ordered by unit, at most one per unit
        std::string name;                    // explanations
    };
    // 16 bytes per consumer: the rules are the plan's, shared.
    struct Consumer {
        limits::ConsumerCounters* counters = nullptr;
        const Plan* plan = nullptr;
    };
    struct Api {
        uint64_t id = 0;
        std::vector<limits::RateRule> rules; // limits_per_ip
        std::string label;                   // explanations
    };

    RateLimitStage() = default;
    pipeline::Decision limitConsumer(pipeline::RequestContext& ctx, const Consumer& c) const;
    pipeline::Decision limitAddress(pipeline::RequestContext& ctx, const Api& api) const;

    std::vector<Plan> m_plans;         // parallel to Config::plans, then one without limits (no plan)
    std::vector<Consumer> m_consumers; // parallel to Config::consumers
    std::vector<Api> m_apis;           // parallel to Config::apis
    limits::IpLimiter* m_ipLimiter = nullptr;
};

} // namespace tollgate::stages

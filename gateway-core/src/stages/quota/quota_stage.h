#pragma once
#include "limits/counter_table.h"
#include "pipeline/stage.h"

#include <memory>
#include <string>
#include <vector>

namespace tollgate::server {
struct Snapshot;
}

namespace tollgate::stages {

// The plan's quota, after the rate limits: requests per calendar period (UTC day, ISO week, month),
// counted per consumer in one atomic word that also names the period, so the first request of a new
// period starts it at zero. `block` answers 429 limit.quota (Retry-After: the end of the period) once
// the quota plus any operator top-up is used; `allow_and_bill` lets the request pass and the count
// goes on (the excess is the overage). Blocking quotas report the RateLimit-* headers when they are
// the tightest limit.
// Thread safety: immutable after create(); onRequest runs on any worker.
class QuotaStage final : public pipeline::Stage {
public:
    static std::unique_ptr<QuotaStage> create(const server::Snapshot& snap, limits::CounterTable* counters,
                                              std::string& error);

    const char* name() const override { return "quota"; }
    pipeline::Decision onRequest(pipeline::RequestContext& ctx) const override;

private:
    struct Plan {
        bool active = false; // the plan has a quota
        bool block = true;
        QuotaConfig::Per per = QuotaConfig::Per::Month;
        uint64_t requests = 0;
        std::string name; // explanations
    };
    // 16 bytes per consumer: the quota is the plan's, shared.
    struct Consumer {
        limits::ConsumerCounters* counters = nullptr;
        const Plan* plan = nullptr;
    };
    QuotaStage() = default;

    std::vector<Plan> m_plans;         // parallel to Config::plans, then one without quota (no plan)
    std::vector<Consumer> m_consumers; // parallel to Config::consumers
};

// What a consumer's quota counter says at `unixSeconds` (shared with the engine's operator calls).
struct QuotaReading {
    uint64_t tag = 0;   // limits::quota_word tag of the current period
    uint64_t used = 0;  // requests counted in the period
    uint64_t bonus = 0; // top-ups for the period
};
QuotaReading readQuota(const limits::ConsumerCounters& c, QuotaConfig::Per per, int64_t unixSeconds);

} // namespace tollgate::stages

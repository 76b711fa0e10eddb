#include "stages/quota/quota_stage.h"

#include "limits/quota_period.h"
#include "pipeline/limit_headers.h"
#include "server/snapshot.h"

namespace tollgate::stages {

QuotaReading readQuota(const limits::ConsumerCounters& c, QuotaConfig::Per per, int64_t unixSeconds) {
    const limits::QuotaPeriod period = limits::QuotaPeriod::at(per, unixSeconds);
    QuotaReading r;
    r.tag = limits::quota_word::tag(per, period.index);
    r.used = limits::quota_word::count(c.quotaUsed.load(std::memory_order_relaxed), r.tag);
    r.bonus = limits::quota_word::count(c.quotaBonus.load(std::memory_order_relaxed), r.tag);
    return r;
}

std::unique_ptr<QuotaStage> QuotaStage::create(const server::Snapshot& snap, limits::CounterTable* counters,
                                               std::string& error) {
    (void)error;
    const Config& cfg = snap.config;
    std::unique_ptr<QuotaStage> stage(new QuotaStage);
    // Filled once, before any consumer points into it.
    stage->m_plans.resize(cfg.plans.size() + 1);
    for (size_t p = 0; p < cfg.plans.size(); ++p) {
        Plan& plan = stage->m_plans[p];
        plan.name = cfg.plans[p].name;
        if (cfg.plans[p].quota) {
            const QuotaConfig& q = *cfg.plans[p].quota;
            plan.active = true;
            plan.block = q.onExceeded == QuotaConfig::OnExceeded::Block;
            plan.per = q.per;
            plan.requests = q.requests;
        }
    }
    stage->m_consumers.reserve(cfg.consumers.size());
    for (size_t i = 0; i < cfg.consumers.size(); ++i) {
        Consumer c;
        const int plan = i < snap.consumers.size() ? snap.consumers[i].planIndex : -1;
        c.plan = &stage->m_plans[plan >= 0 ? size_t(plan) : cfg.plans.size()];
        if (counters != nullptr) {
            c.counters = counters->slot(cfg.consumers[i].name);
        }
        stage->m_consumers.push_back(c);
    }
    return stage;
}

pipeline::Decision QuotaStage::onRequest(pipeline::RequestContext& ctx) const {
    if (ctx.consumerIndex < 0 || size_t(ctx.consumerIndex) >= m_consumers.size()) {
        return pipeline::Decision::next();
    }
    const Consumer& consumer = m_consumers[size_t(ctx.consumerIndex)];
    const Plan& c = *consumer.plan;
    if (!c.active) {
        return pipeline::Decision::next();
    }
    if (ctx.explainChain != nullptr || consumer.counters == nullptr) {
        ctx.explainStep("quota: plan " + c.name + " allows " + std::to_string(c.requests) + " per " +
                        limits::periodName(c.per) +
                        (c.block ? " (limit.quota beyond; not counted when explaining)"
                                 : " (beyond it requests pass and are billed as overage)"));
        return pipeline::Decision::next();
    }
    const int64_t nowSeconds = ctx.unixMicros / 1'000'000;
    const limits::QuotaPeriod period = limits::QuotaPeriod::at(c.per, nowSeconds);
    const uint64_t tag = limits::quota_word::tag(c.per, period.index);
    const uint64_t limit =
        c.requests +
        limits::quota_word::count(consumer.counters->quotaBonus.load(std::memory_order_relaxed), tag);
    const int64_t reset = period.end - nowSeconds;
    uint64_t word = consumer.counters->quotaUsed.load(std::memory_order_relaxed);
    for (;;) {
        const uint64_t used = limits::quota_word::count(word, tag);
        if (c.block && used >= limit) {
            pipeline::reportLimit(ctx, limit, 0, reset, reset);
            return pipeline::Decision::answer(429, "limit.quota");
        }
        const uint64_t next = used < limits::quota_word::kCountMask ? used + 1 : used;
        if (consumer.counters->quotaUsed.compare_exchange_weak(word, tag | next, std::memory_order_relaxed)) {
            if (c.block) {
                pipeline::reportLimit(ctx, limit, limit - next, reset);
            }
            return pipeline::Decision::next();
        }
    }
}

} // namespace tollgate::stages

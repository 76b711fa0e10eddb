#include "stages/rate_limit/rate_limit_stage.h"

#include "pipeline/limit_headers.h"
#include "server/snapshot.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace tollgate::stages {

namespace {

std::vector<limits::RateRule> compileRules(const std::vector<RateLimitConfig>& cfg) {
    std::vector<limits::RateRule> rules;
    for (const RateLimitConfig& c : cfg) {
        rules.push_back(limits::RateRule::make(c));
    }
    std::sort(rules.begin(), rules.end(),
              [](const limits::RateRule& a, const limits::RateRule& b) { return a.unit < b.unit; });
    return rules;
}

int64_t unixNanosNow() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A plan change keeps the requests already counted: each bucket is re-expressed in the new interval
// (controller thread, at compile; workers still on the old snapshot may count a few requests under the
// old interval meanwhile).
void retune(limits::ConsumerCounters& c, const std::vector<limits::RateRule>& rules, int64_t now) {
    for (const limits::RateRule& r : rules) {
        const uint32_t old = c.limit[r.unit];
        if (old != 0 && old != r.limit) {
            RateLimitConfig before;
            before.requests = old;
            before.per = RateLimitConfig::Per(r.unit);
            const limits::RateRule from = limits::RateRule::make(before);
            int64_t tat = c.tat[r.unit].load(std::memory_order_relaxed);
            while (!c.tat[r.unit].compare_exchange_weak(tat, limits::retune(tat, now, from, r),
                                                        std::memory_order_relaxed)) {
            }
        }
        c.limit[r.unit] = uint32_t(r.limit);
    }
}

pipeline::Decision report(pipeline::RequestContext& ctx, const limits::LimitState& s) {
    if (s.tightest == nullptr) {
        return pipeline::Decision::next();
    }
    pipeline::reportLimit(ctx, s.tightest->limit, s.remaining, s.resetSeconds, s.allowed ? 0 : s.retryAfter);
    return s.allowed ? pipeline::Decision::next() : pipeline::Decision::answer(429, "limit.rate");
}

} // namespace

std::string RateLimitStage::describe(const std::vector<limits::RateRule>& rules) {
    std::string out;
    for (const limits::RateRule& r : rules) {
        if (!out.empty()) {
            out += ", ";
        }
        out += std::to_string(r.limit) + " per " + limits::unitName(RateLimitConfig::Per(r.unit));
    }
    return out;
}

std::unique_ptr<RateLimitStage> RateLimitStage::create(const server::Snapshot& snap,
                                                       limits::CounterTable* counters,
                                                       limits::IpLimiter* ipLimiter, int64_t unixMicros,
                                                       std::string& error) {
    (void)error;
    const Config& cfg = snap.config;
    std::unique_ptr<RateLimitStage> stage(new RateLimitStage);
    stage->m_ipLimiter = ipLimiter;
    // The clock of the requests (ctx.unixMicros), not the system clock: a retuned TAT is relative to now.
    const int64_t now = unixMicros != 0 ? unixMicros * 1000 : unixNanosNow();
    // Filled once, before any consumer points into it.
    stage->m_plans.resize(cfg.plans.size() + 1);
    for (size_t p = 0; p < cfg.plans.size(); ++p) {
        stage->m_plans[p].rules = compileRules(cfg.plans[p].rateLimits);
        stage->m_plans[p].name = cfg.plans[p].name;
    }
    stage->m_consumers.reserve(cfg.consumers.size());
    for (size_t i = 0; i < cfg.consumers.size(); ++i) {
        Consumer c;
        const int plan = i < snap.consumers.size() ? snap.consumers[i].planIndex : -1;
        c.plan = &stage->m_plans[plan >= 0 ? size_t(plan) : cfg.plans.size()];
        if (counters != nullptr) {
            c.counters = counters->slot(cfg.consumers[i].name);
            retune(*c.counters, c.plan->rules, now);
        }
        stage->m_consumers.push_back(c);
    }
    for (const ApiConfig& a : cfg.apis) {
        Api api;
        api.id = limits::IpLimiter::apiId(a.name, a.version);
        api.rules = compileRules(a.limitsPerIp);
        api.label = a.version.empty() ? a.name : a.name + " " + a.version;
        stage->m_apis.push_back(std::move(api));
    }
    return stage;
}

pipeline::Decision RateLimitStage::onRequest(pipeline::RequestContext& ctx) const {
    if (ctx.consumerIndex >= 0 && size_t(ctx.consumerIndex) < m_consumers.size()) {
        return limitConsumer(ctx, m_consumers[size_t(ctx.consumerIndex)]);
    }
    if (ctx.route != nullptr && ctx.route->apiIndex < m_apis.size()) {
        return limitAddress(ctx, m_apis[ctx.route->apiIndex]);
    }
    return pipeline::Decision::next();
}

pipeline::Decision RateLimitStage::limitConsumer(pipeline::RequestContext& ctx, const Consumer& c) const {
    const std::vector<limits::RateRule>& rules = c.plan->rules;
    if (rules.empty()) {
        return pipeline::Decision::next();
    }
    if (ctx.explainChain != nullptr || c.counters == nullptr) {
        ctx.explainStep("rate limits: plan " + c.plan->name + " allows " + describe(rules) +
                        " (limit.rate beyond; not counted when explaining)");
        return pipeline::Decision::next();
    }
    const int64_t now = ctx.unixMicros * 1000;
    return report(ctx, limits::admitAll(c.counters->tat, rules.data(), int(rules.size()), now));
}

pipeline::Decision RateLimitStage::limitAddress(pipeline::RequestContext& ctx, const Api& api) const {
    if (api.rules.empty()) {
        return pipeline::Decision::next();
    }
    if (ctx.explainChain != nullptr || m_ipLimiter == nullptr) {
        ctx.explainStep("rate limits: " + api.label + " allows anonymous callers " + describe(api.rules) +
                        " per client address (limit.rate beyond; not counted when explaining)");
        return pipeline::Decision::next();
    }
    limits::IpKey key;
    key.api = api.id;
    key.v6 = ctx.clientV6;
    std::memcpy(key.addr, ctx.clientAddr, ctx.clientV6 ? 16 : 4);
    const int64_t now = ctx.unixMicros * 1000;
    return report(ctx, m_ipLimiter->admit(key, api.rules.data(), int(api.rules.size()), now));
}

} // namespace tollgate::stages

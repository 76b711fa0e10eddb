// The engine's counters as an operator sees them: usage of a consumer, quota reset and top-up.
#include "engine/engine_impl.h"
#include "limits/quota_period.h"
#include "stages/quota/quota_stage.h"

#include <algorithm>

namespace tollgate {

namespace {

struct Found {
    const ConsumerConfig* consumer = nullptr;
    const PlanConfig* plan = nullptr;
};

Found findConsumer(const Config& cfg, const std::string& name) {
    Found f;
    for (const ConsumerConfig& c : cfg.consumers) {
        if (c.name == name) {
            f.consumer = &c;
            break;
        }
    }
    if (f.consumer != nullptr) {
        for (const PlanConfig& p : cfg.plans) {
            if (p.name == f.consumer->plan) {
                f.plan = &p;
            }
        }
    }
    return f;
}

int64_t nowNanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The quota word's count for the current period set to `count` (reset) or its bonus raised by `add`.
void storeForPeriod(std::atomic<uint64_t>& word, uint64_t tag, uint64_t count, bool add) {
    uint64_t current = word.load(std::memory_order_relaxed);
    for (;;) {
        uint64_t value = add ? limits::quota_word::count(current, tag) + count : count;
        value = std::min(value, limits::quota_word::kCountMask);
        if (word.compare_exchange_weak(current, tag | value, std::memory_order_relaxed)) {
            return;
        }
    }
}

} // namespace

std::optional<ConsumerUsage> Engine::usage(const std::string& consumer) const {
    const auto snap = m_impl->snapshot();
    const Found f = snap ? findConsumer(snap->config, consumer) : Found{};
    if (f.consumer == nullptr) {
        return std::nullopt;
    }
    ConsumerUsage u;
    u.consumer = consumer;
    u.plan = f.consumer->plan;
    limits::ConsumerCounters* c = m_impl->counters.find(consumer);
    const int64_t now = nowNanos();
    if (f.plan != nullptr) {
        for (const RateLimitConfig& cfg : f.plan->rateLimits) {
            const limits::RateRule rule = limits::RateRule::make(cfg);
            const int64_t tat = c ? c->tat[rule.unit].load(std::memory_order_relaxed) : 0;
            u.rateLimits.push_back({limits::unitName(cfg.per), rule.limit, limits::remaining(tat, now, rule),
                                    limits::secondsToFull(tat, now)});
        }
        if (f.plan->quota) {
            const QuotaConfig& q = *f.plan->quota;
            const int64_t seconds = now / limits::kNanosPerSecond;
            const limits::QuotaPeriod period = limits::QuotaPeriod::at(q.per, seconds);
            QuotaUsage qu;
            qu.per = limits::periodName(q.per);
            qu.block = q.onExceeded == QuotaConfig::OnExceeded::Block;
            qu.quota = q.requests;
            if (c != nullptr) {
                const stages::QuotaReading r = stages::readQuota(*c, q.per, seconds);
                qu.used = r.used;
                qu.bonus = r.bonus;
            }
            const uint64_t allowed = qu.quota + qu.bonus;
            qu.remaining = qu.used < allowed ? allowed - qu.used : 0;
            qu.overage = qu.used > allowed ? qu.used - allowed : 0;
            qu.periodStart = period.start;
            qu.periodEnd = period.end;
            u.quota = qu;
        }
    }
    return u;
}

namespace {

// The counters of `consumer` and the quota_word tag of its quota's current period, or nullptr with a
// message (not running, unknown consumer, plan without quota).
limits::ConsumerCounters* quotaTarget(const std::shared_ptr<const server::Snapshot>& snap,
                                      limits::CounterTable& counters, const std::string& consumer,
                                      uint64_t& tag, std::string& error) {
    if (!snap) {
        error = "the engine is not running";
        return nullptr;
    }
    const Found f = findConsumer(snap->config, consumer);
    if (f.consumer == nullptr) {
        error = "no consumer named \"" + consumer + "\"";
        return nullptr;
    }
    if (f.plan == nullptr || !f.plan->quota) {
        error = "consumer \"" + consumer + "\" has no quota (plan " + f.consumer->plan + ")";
        return nullptr;
    }
    const QuotaConfig::Per per = f.plan->quota->per;
    tag = limits::quota_word::tag(per,
                                  limits::QuotaPeriod::at(per, nowNanos() / limits::kNanosPerSecond).index);
    return counters.slot(consumer);
}

} // namespace

bool Engine::resetQuota(const std::string& consumer, std::string& error) {
    uint64_t tag = 0;
    limits::ConsumerCounters* c = quotaTarget(m_impl->snapshot(), m_impl->counters, consumer, tag, error);
    if (c == nullptr) {
        return false;
    }
    storeForPeriod(c->quotaUsed, tag, 0, false);
    storeForPeriod(c->quotaBonus, tag, 0, false);
    return true;
}

bool Engine::topUpQuota(const std::string& consumer, uint64_t requests, std::string& error) {
    uint64_t tag = 0;
    limits::ConsumerCounters* c = quotaTarget(m_impl->snapshot(), m_impl->counters, consumer, tag, error);
    if (c == nullptr) {
        return false;
    }
    storeForPeriod(c->quotaBonus, tag, requests, true);
    return true;
}

} // namespace tollgate

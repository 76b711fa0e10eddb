#include "stages/ip_filter/ip_filter_stage.h"

#include "server/snapshot.h"

namespace tollgate::stages {

std::unique_ptr<IpFilterStage> IpFilterStage::create(const server::Snapshot& snap, std::string& error) {
    return std::unique_ptr<IpFilterStage>(new IpFilterStage(snap.config.ipRules));
}

IpFilterStage::IpFilterStage(const IpRulesConfig& rules)
    : m_allow(rules.allow), m_deny(rules.deny), m_noRules(rules.allow.empty() && rules.deny.empty()) {}

pipeline::Decision IpFilterStage::onRequest(pipeline::RequestContext& ctx) const {
    if (ctx.explainChain != nullptr) {
        return explain(ctx);
    }
    if (m_noRules) {
        return pipeline::Decision::next();
    }
    if (m_deny.match(ctx.clientAddr, ctx.clientV6) >= 0 ||
        (!m_allow.empty() && m_allow.match(ctx.clientAddr, ctx.clientV6) < 0)) {
        return pipeline::Decision::answer(403, "ip.denied");
    }
    return pipeline::Decision::next();
}

// The same decision, told step by step (explain mode only; allocates freely).
pipeline::Decision IpFilterStage::explain(pipeline::RequestContext& ctx) const {
    const std::string addr =
        ctx.clientIp.empty() ? formatAddress(ctx.clientAddr, ctx.clientV6) : ctx.clientIp;
    const std::string who = "ip_rules: " + addr;
    if (m_noRules) {
        ctx.explainStep(who + " allowed (no ip_rules)");
        return pipeline::Decision::next();
    }
    if (const int d = m_deny.match(ctx.clientAddr, ctx.clientV6); d >= 0) {
        ctx.explainStep("ip_rules: ip.denied: " + addr + " is inside deny " + m_deny.text(d));
        return pipeline::Decision::answer(403, "ip.denied");
    }
    if (!m_allow.empty()) {
        const int a = m_allow.match(ctx.clientAddr, ctx.clientV6);
        if (a < 0) {
            ctx.explainStep("ip_rules: ip.denied: " + addr + " is outside allow (" + m_allow.joined() + ")");
            return pipeline::Decision::answer(403, "ip.denied");
        }
        ctx.explainStep(who + " allowed by allow " + m_allow.text(a));
        return pipeline::Decision::next();
    }
    ctx.explainStep(who + " allowed (no rule matches)");
    return pipeline::Decision::next();
}

} // namespace tollgate::stages

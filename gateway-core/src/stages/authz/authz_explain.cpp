// AuthzStage in explain mode: the decision onRequest took, told with the grants behind it.
// Runs only for the "why?" function, never for traffic, so it allocates freely.
#include "stages/authz/authz_stage.h"

#include <cstring>

namespace tollgate::stages {

std::string AuthzStage::grantsOn(const std::vector<GrantText>& grants, const Api& api) const {
    std::string out;
    for (const GrantText& g : grants) {
        if (g.api == api.name && (g.version.empty() || g.version == api.version)) {
            out += out.empty() ? "" : ", ";
            out += g.text;
        }
    }
    return out;
}

std::string AuthzStage::routeLabel(const router::CompiledRoute& route) const {
    const size_t index = size_t(&route - m_routes);
    return index < m_routeNames.size() ? m_routeNames[index] : route.pattern;
}

pipeline::Decision AuthzStage::explain(pipeline::RequestContext& ctx, pipeline::Decision d) const {
    const router::CompiledRoute& route = *ctx.route;
    const Api& api = m_apis[route.apiIndex];
    std::string method(http::methodName(ctx.method));
    if (method.empty()) {
        method = ctx.head != nullptr && !ctx.head->method.empty() ? std::string(ctx.head->method) : "OTHER";
    }
    const std::string request = method + " " + ctx.path + " is " + routeLabel(route);
    if (api.isPublic) {
        ctx.explainStep("authz: " + api.label + " is public, no consumer needed");
        return d;
    }
    if (std::strcmp(d.reason, "auth.missing") == 0) {
        ctx.explainStep("authz: auth.missing: " + api.label + " is not public (auth: " + api.auth +
                        ") and the request names no consumer");
        return d;
    }
    const size_t ci = size_t(ctx.consumerIndex);
    const Consumer& c = m_consumers[ci];
    const ConsumerConfig& cc = m_config->consumers[ci];
    const std::string& name = cc.name;
    if (std::strcmp(d.reason, "consumer.suspended") == 0) {
        ctx.explainStep("authz: consumer.suspended: consumer " + name + " is suspended");
        return d;
    }
    if (std::strcmp(d.reason, "ip.denied") == 0) {
        const std::string addr =
            ctx.clientIp.empty() ? formatAddress(ctx.clientAddr, ctx.clientV6) : ctx.clientIp;
        ctx.explainStep("authz: ip.denied: " + addr + " is outside consumer " + name + "'s ip_allow (" +
                        m_ipAllows[size_t(c.ipAllow)].joined() + ")");
        return d;
    }

    // What the plan and the consumer grant on this API.
    std::string plan;
    if (c.planIndex < 0 || size_t(c.planIndex) >= m_planNames.size()) {
        plan = "consumer " + name + " has no plan";
    } else {
        const std::string g = grantsOn(m_planGrantTexts[size_t(c.planIndex)], api);
        plan = "plan " + m_planNames[size_t(c.planIndex)] + " grants " +
               (g.empty() ? "nothing on " + api.name : g);
    }
    const std::string own = grantsOn(textsOf(cc.grants), api);
    const std::string grants = plan + (own.empty() ? "" : "; consumer " + name + " grants " + own);

    if (std::strcmp(d.reason, "deny.explicit") == 0) {
        ctx.explainStep("authz: deny.explicit: consumer " + name + " denies " +
                        grantsOn(textsOf(cc.denies), api) + " (a deny always wins); " + request);
        return d;
    }
    if (d.respond) { // deny.no_grant
        ctx.explainStep("authz: deny.no_grant: " + grants + "; " + request);
        return d;
    }
    const size_t ri = size_t(&route - m_routes);
    const uint32_t bit = 1u << static_cast<unsigned>(ctx.method);
    const bool byPlan =
        c.planIndex >= 0 && (m_planGranted[size_t(c.planIndex) * m_routeCount + ri] & bit) != 0;
    const bool byConsumer = (maskOn(cc.grants, ri) & bit) != 0;
    std::string by;
    if (byPlan) {
        by = "plan " + m_planNames[size_t(c.planIndex)];
    }
    if (byConsumer) {
        by += (by.empty() ? "consumer " : " and consumer ") + name;
    }
    ctx.explainStep("authz: consumer " + name + ", " + grants + "; " + method + " is granted by " + by);
    return d;
}

} // namespace tollgate::stages

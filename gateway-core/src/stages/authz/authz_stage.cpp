#include "stages/authz/authz_stage.h"

#include "server/snapshot.h"

#include <algorithm>

namespace tollgate::stages {
namespace {

constexpr std::string_view kApiKeyChallenge = "WWW-Authenticate: ApiKey realm=\"tollgate\"\r\n";
constexpr std::string_view kBearerChallenge = "WWW-Authenticate: Bearer realm=\"tollgate\"\r\n";
// The permission table must stay a modest, directly indexed array.
constexpr size_t kMaxTableEntries = size_t(64) << 20;

uint32_t methodBit(http::Method m) {
    return 1u << static_cast<unsigned>(m);
}

bool covers(const GrantConfig& g, const ApiConfig& api, const std::string& routeName) {
    if (g.api != api.name || (!g.version.empty() && g.version != api.version)) {
        return false;
    }
    return std::any_of(g.routes.begin(), g.routes.end(),
                       [&](const std::string& r) { return r == "*" || r == routeName; });
}

// OR of the masks of every grant in `grants` covering the route.
uint32_t maskOf(const std::vector<GrantConfig>& grants, const ApiConfig& api, const RouteConfig& route,
                uint32_t routeMask) {
    uint32_t mask = 0;
    for (const GrantConfig& g : grants) {
        if (covers(g, api, route.name)) {
            mask |= AuthzStage::grantMask(g, routeMask);
        }
    }
    return mask;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const std::string& s : items) {
        if (!out.empty()) {
            out += sep;
        }
        out += s;
    }
    return out;
}

} // namespace

uint32_t AuthzStage::grantMask(const GrantConfig& grant, uint32_t routeMask) {
    if (grant.methods.empty()) {
        return routeMask;
    }
    uint32_t mask = 0;
    for (const std::string& m : grant.methods) {
        const http::Method id = http::methodFromToken(m);
        mask |= methodBit(id);
        if (id == http::Method::Get) {
            mask |= methodBit(http::Method::Head);
        }
    }
    return mask;
}

std::vector<AuthzStage::GrantText> AuthzStage::textsOf(const std::vector<GrantConfig>& grants) {
    std::vector<GrantText> out;
    for (const GrantConfig& g : grants) {
        GrantText t{g.api, g.version, g.api};
        if (!g.version.empty()) {
            t.text += "(" + g.version + ")";
        }
        t.text += "/{" + join(g.routes, ",") + "}";
        if (!g.methods.empty()) {
            t.text += " [" + join(g.methods, ",") + "]";
        }
        out.push_back(std::move(t));
    }
    return out;
}

uint32_t AuthzStage::maskOn(const std::vector<GrantConfig>& grants, size_t r) const {
    const router::CompiledRoute& route = m_routes[r];
    const ApiConfig& api = m_config->apis[route.apiIndex];
    return maskOf(grants, api, api.routes[route.routeIndex], route.methodMask);
}

std::unique_ptr<AuthzStage> AuthzStage::create(const server::Snapshot& snap, std::string& error) {
    const Config& cfg = snap.config;
    const std::vector<router::CompiledRoute>& routes = snap.routes.routes();
    const size_t routeCount = routes.size();
    if (routeCount != 0 && cfg.consumers.size() > kMaxTableEntries / 2 / routeCount) {
        error = "authz: " + std::to_string(cfg.consumers.size()) + " consumers x " +
                std::to_string(routeCount) + " routes is too large a permission table";
        return nullptr;
    }
    std::unique_ptr<AuthzStage> stage(new AuthzStage);
    AuthzStage& s = *stage;
    s.m_routes = routes.data();
    s.m_routeCount = routeCount;

    for (const ApiConfig& a : cfg.apis) {
        Api api;
        api.isPublic = a.isPublic;
        const bool key = std::find(a.auth.begin(), a.auth.end(), "key") != a.auth.end();
        const bool jwt = std::find(a.auth.begin(), a.auth.end(), "jwt") != a.auth.end();
        if (key || !jwt) {
            api.challenges[api.challengeCount++] = kApiKeyChallenge;
        }
        if (jwt) {
            api.challenges[api.challengeCount++] = kBearerChallenge;
        }
        api.name = a.name;
        api.version = a.version;
        api.label = a.version.empty() ? a.name : a.name + " " + a.version;
        api.auth = a.auth.empty() ? std::string("none listed") : join(a.auth, ", ");
        s.m_apis.push_back(std::move(api));
    }

    for (const PlanConfig& p : cfg.plans) {
        s.m_planNames.push_back(p.name);
        s.m_planGrantTexts.push_back(textsOf(p.grants));
    }
    for (const router::CompiledRoute& r : routes) {
        s.m_routeNames.push_back(cfg.apis[r.apiIndex].name + "/" +
                                 cfg.apis[r.apiIndex].routes[r.routeIndex].name);
    }

    // Plans first: their grants are shared by their consumers.
    s.m_planGranted.assign(cfg.plans.size() * routeCount, 0);
    for (size_t p = 0; p < cfg.plans.size(); ++p) {
        for (size_t r = 0; r < routeCount; ++r) {
            const ApiConfig& api = cfg.apis[routes[r].apiIndex];
            s.m_planGranted[p * routeCount + r] =
                maskOf(cfg.plans[p].grants, api, api.routes[routes[r].routeIndex], routes[r].methodMask);
        }
    }

    // One row per plan, one for consumers without a plan, then one per consumer with grants or denies.
    const size_t planRows = cfg.plans.size() + 1;
    s.m_table.assign(planRows * routeCount * 2, 0);
    for (size_t p = 0; p < cfg.plans.size(); ++p) {
        for (size_t r = 0; r < routeCount; ++r) {
            s.m_table[(p * routeCount + r) * 2 + 1] = s.m_planGranted[p * routeCount + r];
        }
    }
    s.m_config = &cfg;
    s.m_consumers.reserve(cfg.consumers.size());
    for (size_t c = 0; c < cfg.consumers.size(); ++c) {
        const ConsumerConfig& cc = cfg.consumers[c];
        Consumer consumer;
        consumer.suspended = c < snap.consumers.size() ? snap.consumers[c].suspended
                                                       : cc.status == ConsumerConfig::Status::Suspended;
        consumer.planIndex = c < snap.consumers.size() ? snap.consumers[c].planIndex : -1;
        if (!cc.ipAllow.empty()) {
            consumer.ipAllow = int(s.m_ipAllows.size());
            s.m_ipAllows.emplace_back(cc.ipAllow);
        }
        const size_t planRow = consumer.planIndex >= 0 ? size_t(consumer.planIndex) : cfg.plans.size();
        consumer.row = uint32_t(planRow);
        if (!cc.grants.empty() || !cc.denies.empty()) {
            consumer.row = uint32_t(s.m_table.size() / 2 / (routeCount == 0 ? 1 : routeCount));
            for (size_t r = 0; r < routeCount; ++r) {
                const uint32_t plan = s.m_table[(planRow * routeCount + r) * 2 + 1];
                s.m_table.push_back(s.maskOn(cc.denies, r));
                s.m_table.push_back(s.maskOn(cc.grants, r) | plan);
            }
        }
        s.m_consumers.push_back(consumer);
    }
    return stage;
}

pipeline::Decision AuthzStage::onRequest(pipeline::RequestContext& ctx) const {
    const router::CompiledRoute* route = ctx.route;
    if (route == nullptr) {
        return pipeline::Decision::next(); // nothing routed: not this stage's business
    }
    pipeline::Decision d = pipeline::Decision::next();
    const Api& api = m_apis[route->apiIndex];
    const size_t routeIndex = size_t(route - m_routes);
    if (api.isPublic) {
        // public: anyone may call
    } else if (ctx.consumer == nullptr || ctx.consumerIndex < 0 ||
               size_t(ctx.consumerIndex) >= m_consumers.size()) {
        for (uint8_t i = 0; i < api.challengeCount; ++i) {
            ctx.addResponseHeader(api.challenges[i]);
        }
        d = pipeline::Decision::answer(401, "auth.missing");
    } else if (const Consumer& c = m_consumers[size_t(ctx.consumerIndex)]; c.suspended) {
        d = pipeline::Decision::answer(403, "consumer.suspended");
    } else if (c.ipAllow >= 0 && m_ipAllows[size_t(c.ipAllow)].match(ctx.clientAddr, ctx.clientV6) < 0) {
        d = pipeline::Decision::answer(403, "ip.denied");
    } else if (routeIndex >= m_routeCount) {
        d = pipeline::Decision::answer(403, "deny.no_grant"); // a route of another snapshot: never granted
    } else {
        const uint32_t* masks = &m_table[(size_t(c.row) * m_routeCount + routeIndex) * 2];
        const uint32_t bit = methodBit(ctx.method);
        if ((masks[0] & bit) != 0) {
            d = pipeline::Decision::answer(403, "deny.explicit");
        } else if ((masks[1] & bit) == 0) {
            d = pipeline::Decision::answer(403, "deny.no_grant");
        }
    }
    if (ctx.explainChain != nullptr) {
        return explain(ctx, d);
    }
    return d;
}

} // namespace tollgate::stages

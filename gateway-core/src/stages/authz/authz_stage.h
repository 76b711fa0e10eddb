#pragma once
#include "pipeline/stage.h"
#include "stages/ip_filter/cidr_set.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::server {
struct Snapshot;
}

namespace tollgate::stages {

// Authorization, after the authentication stages: a public API passes; no consumer is 401
// auth.missing (with WWW-Authenticate); a suspended consumer 403 consumer.suspended (the
// authentication stages say it first in traffic; repeated here for explain mode); a client outside
// the consumer's ip_allow 403 ip.denied; then a table compiled once, indexed [row][route] (a row per
// plan, and per consumer with its own grants or denies),
// holds two method masks: `denied` (consumer denies) wins over `granted` (plan grants plus
// consumer grants): 403 deny.explicit, pass, or 403 deny.no_grant. O(1) and allocation-free.
// Thread safety: immutable after create(); onRequest runs on any worker.
class AuthzStage final : public pipeline::Stage {
public:
    static std::unique_ptr<AuthzStage> create(const server::Snapshot& snap, std::string& error);

    const char* name() const override { return "authz"; }
    pipeline::Decision onRequest(pipeline::RequestContext& ctx) const override;

    // Method mask of a grant or deny on a route: its methods if listed (GET implies HEAD),
    // else the route's own. Exposed for tests.
    static uint32_t grantMask(const GrantConfig& grant, uint32_t routeMask);

private:
    struct Api {
        bool isPublic = false;
        uint8_t challengeCount = 0;
        std::string_view challenges[2]; // WWW-Authenticate lines (static strings)
        // Explanations only.
        std::string name;
        std::string version;
        std::string label; // "orders v1"
        std::string auth;  // "key, jwt"
    };
    struct Consumer {
        bool suspended = false;
        int planIndex = -1;
        int ipAllow = -1; // index into m_ipAllows, -1: any address
        uint32_t row = 0; // row of m_table: the plan's own row unless the consumer has grants or denies
    };
    // Explanations only: a plan's or consumer's grant (or deny) as written.
    struct GrantText {
        std::string api;
        std::string version; // empty = every version
        std::string text;    // "orders/{list,get}", "orders/{*} [GET,POST]"
    };

    AuthzStage() = default;
    pipeline::Decision explain(pipeline::RequestContext& ctx, pipeline::Decision d) const;
    std::string grantsOn(const std::vector<GrantText>& grants, const Api& api) const;
    static std::vector<GrantText> textsOf(const std::vector<GrantConfig>& grants);
    // Methods `grants` allow on route `r` (index into the snapshot's routes).
    uint32_t maskOn(const std::vector<GrantConfig>& grants, size_t r) const;
    std::string routeLabel(const router::CompiledRoute& route) const;

    std::vector<Api> m_apis;                         // parallel to Config::apis
    std::vector<Consumer> m_consumers;               // parallel to Config::consumers
    std::vector<CidrSet> m_ipAllows;                 // the consumers' non-empty ip_allow lists
    const Config* m_config = nullptr;                // the snapshot's (which owns this stage)
    const router::CompiledRoute* m_routes = nullptr; // the snapshot's routes().data()
    size_t m_routeCount = 0;
    // [row * m_routeCount + route] * 2: {denied, granted} method masks. Rows 0..plans-1 belong to the
    // plans, the next one to consumers without a plan; only consumers with their own grants or denies
    // get a row of their own, so 100,000 consumers of a few plans cost a few rows, not 100,000.
    std::vector<uint32_t> m_table;

    // Explanations only ("who granted what"), not read per request.
    std::vector<uint32_t> m_planGranted; // [plan * m_routeCount + route]
    std::vector<std::string> m_planNames;
    std::vector<std::vector<GrantText>> m_planGrantTexts;
    std::vector<std::string> m_routeNames; // [route]: "orders/get"
};

} // namespace tollgate::stages

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
// the consumer's ip_allow 403 ip.denied; then a table compiled once, indexed [consumer][route],
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
        CidrSet ipAllow;
        // Explanations only.
        std::string name;
        int planIndex = -1;
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
    std::string routeLabel(const router::CompiledRoute& route) const;

    std::vector<Api> m_apis;                         // parallel to Config::apis
    std::vector<Consumer> m_consumers;               // parallel to Config::consumers
    const router::CompiledRoute* m_routes = nullptr; // the snapshot's routes().data()
    size_t m_routeCount = 0;
    // [consumer * m_routeCount + route] * 2: {denied, granted} method masks.
    std::vector<uint32_t> m_table;

    // Explanations only ("who granted what"), not read per request.
    std::vector<uint32_t> m_planGranted;     // [plan * m_routeCount + route]
    std::vector<uint32_t> m_consumerGranted; // [consumer * m_routeCount + route]
    std::vector<std::string> m_planNames;
    std::vector<std::vector<GrantText>> m_planGrantTexts;
    std::vector<std::vector<GrantText>> m_consumerGrantTexts;
    std::vector<std::vector<GrantText>> m_consumerDenyTexts;
    std::vector<std::string> m_routeNames; // [route]: "orders/get"
};

} // namespace tollgate::stages

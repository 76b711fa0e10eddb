#pragma once
#include "pipeline/stage.h"
#include "stages/ip_filter/cidr_set.h"

#include <memory>
#include <string>

namespace tollgate::server {
struct Snapshot;
}

namespace tollgate::stages {

// Gateway-wide `ip_rules`, checked first (before routing): an address inside a `deny` range, or
// outside a non-empty `allow` list, is answered 403 ip.denied. Without rules the stage does nothing.
// Thread safety: immutable after create(); onRequest runs on any worker.
class IpFilterStage final : public pipeline::Stage {
public:
    static std::unique_ptr<IpFilterStage> create(const server::Snapshot& snap, std::string& error);

    const char* name() const override { return "ip_filter"; }
    pipeline::Decision onRequest(pipeline::RequestContext& ctx) const override;

private:
    IpFilterStage(const IpRulesConfig& rules);
    pipeline::Decision explain(pipeline::RequestContext& ctx) const;

    CidrSet m_allow;
    CidrSet m_deny;
    bool m_noRules = true;
};

} // namespace tollgate::stages

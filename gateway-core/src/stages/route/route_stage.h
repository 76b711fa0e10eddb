#pragma once
#include "pipeline/stage.h"
#include "router/route_table.h"

namespace tollgate::stages {

// Matches host + method + canonical path against the compiled route table:
// 404 route.none, 405 route.method (with Allow).
class RouteStage final : public pipeline::Stage {
public:
    explicit RouteStage(const router::RouteTable& table) : m_table(table) {}
    const char* name() const override { return "route"; }
    pipeline::Decision onRequest(pipeline::RequestContext& ctx) const override;

private:
    const router::RouteTable& m_table; // owned by the snapshot, which outlives its pipeline
};

} // namespace tollgate::stages

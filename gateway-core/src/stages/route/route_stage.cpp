#include "stages/route/route_stage.h"

namespace tollgate::stages {

pipeline::Decision RouteStage::onRequest(pipeline::RequestContext& ctx) const {
    const router::RouteMatch m =
        m_table.match(ctx.head ? ctx.head->host : std::string_view{}, ctx.method, ctx.path);
    switch (m.kind) {
    case router::RouteMatch::Kind::Found:
        ctx.route = m.route;
        return pipeline::Decision::next();
    case router::RouteMatch::Kind::MethodNotAllowed: {
        pipeline::Decision d = pipeline::Decision::answer(405, "route.method");
        d.allow = m.allow;
        return d;
    }
    case router::RouteMatch::Kind::NoRoute:
        break;
    }
    return pipeline::Decision::answer(404, "route.none");
}

} // namespace tollgate::stages

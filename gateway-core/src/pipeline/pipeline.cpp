#include "pipeline/pipeline.h"

namespace tollgate::pipeline {

Decision Pipeline::run(RequestContext& ctx) const {
    for (const auto& stage : m_stages) {
        Decision d = stage->onRequest(ctx);
        if (d.respond) {
            return d;
        }
    }
    return Decision::next();
}

void Pipeline::log(RequestContext& ctx) const {
    for (const auto& stage : m_stages) {
        stage->onLog(ctx);
    }
}

} // namespace tollgate::pipeline

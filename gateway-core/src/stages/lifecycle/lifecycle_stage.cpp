#include "stages/lifecycle/lifecycle_stage.h"

#include "server/snapshot.h"

namespace tollgate::stages {

std::unique_ptr<LifecycleStage> LifecycleStage::create(const server::Snapshot& snap, std::string& error) {
    std::unique_ptr<LifecycleStage> stage(new LifecycleStage);
    stage->m_apis.reserve(snap.config.apis.size());
    for (size_t i = 0; i < snap.config.apis.size(); ++i) {
        const ApiConfig& cfg = snap.config.apis[i];
        Api api;
        api.lifecycle = cfg.lifecycle;
        if (i < snap.apis.size()) {
            api.headers = snap.apis[i].deprecationHeaders;
        }
        api.label = cfg.version.empty() ? cfg.name : cfg.name + " " + cfg.version;
        api.sunset = cfg.sunset;
        stage->m_apis.push_back(std::move(api));
    }
    return stage;
}

pipeline::Decision LifecycleStage::onRequest(pipeline::RequestContext& ctx) const {
    if (ctx.route == nullptr || ctx.route->apiIndex >= m_apis.size()) {
        return pipeline::Decision::next(); // nothing routed: not this stage's business
    }
    const Api& api = m_apis[ctx.route->apiIndex];
    if (ctx.explainChain != nullptr) {
        explain(ctx, api);
    }
    switch (api.lifecycle) {
    case Lifecycle::Published:
        break;
    case Lifecycle::Deprecated:
        if (!api.headers.empty()) {
            ctx.addResponseHeader(api.headers);
        }
        break;
    case Lifecycle::Draft:
        return pipeline::Decision::answer(404, "api.draft");
    case Lifecycle::Retired:
        return pipeline::Decision::answer(410, "api.retired");
    }
    return pipeline::Decision::next();
}

void LifecycleStage::explain(pipeline::RequestContext& ctx, const Api& api) const {
    const std::string sunset = api.sunset.empty() ? std::string() : ", sunset " + api.sunset;
    switch (api.lifecycle) {
    case Lifecycle::Published:
        ctx.explainStep("lifecycle: " + api.label + " is published");
        break;
    case Lifecycle::Deprecated:
        ctx.explainStep("lifecycle: " + api.label + " is deprecated" + sunset +
                        (sunset.empty() ? " (answers carry a Deprecation header)"
                                        : " (answers carry Deprecation and Sunset headers)"));
        break;
    case Lifecycle::Draft:
        ctx.explainStep("lifecycle: api.draft: " + api.label + " is a draft, not exposed yet");
        break;
    case Lifecycle::Retired:
        ctx.explainStep("lifecycle: api.retired: " + api.label + " is retired" + sunset);
        break;
    }
}

} // namespace tollgate::stages

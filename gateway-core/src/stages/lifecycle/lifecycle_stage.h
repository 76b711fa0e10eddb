#pragma once
#include "pipeline/stage.h"

#include <memory>
#include <string>
#include <vector>

namespace tollgate::server {
struct Snapshot;
}

namespace tollgate::stages {

// An API's lifecycle, after routing: draft answers 404 api.draft, retired 410 api.retired;
// deprecated passes and adds the Deprecation and Sunset headers (RFC 8594) to whatever answer
// the client gets; published passes.
// Thread safety: immutable after create(); onRequest runs on any worker.
class LifecycleStage final : public pipeline::Stage {
public:
    static std::unique_ptr<LifecycleStage> create(const server::Snapshot& snap, std::string& error);

    const char* name() const override { return "lifecycle"; }
    pipeline::Decision onRequest(pipeline::RequestContext& ctx) const override;

private:
    struct Api {
        Lifecycle lifecycle = Lifecycle::Published;
        std::string headers; // deprecated: "Deprecation: ...\r\nSunset: ...\r\n", owned here
        std::string label;   // "orders v1", for explanations
        std::string sunset;
    };
    LifecycleStage() = default;
    void explain(pipeline::RequestContext& ctx, const Api& api) const;

    std::vector<Api> m_apis; // parallel to Config::apis
};

} // namespace tollgate::stages

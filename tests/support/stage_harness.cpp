#include "stage_harness.h"

#include "tollgate/config.h"

#include <arpa/inet.h>

namespace tollgate::test {

std::shared_ptr<const server::Snapshot> compileSnapshot(const std::string& yaml, uint64_t generation,
                                                        const server::CompileContext& context) {
    const LoadResult r = loadConfigText(yaml, "t.yaml");
    if (!r.ok()) {
        qFatal("%s", r.errors.empty() ? "?" : r.errors[0].format().c_str());
    }
    std::string err;
    auto snap = server::Snapshot::compile(*r.config, generation, err, context);
    if (!snap) {
        qFatal("%s", err.c_str());
    }
    return snap;
}

const router::CompiledRoute* findRoute(const server::Snapshot& snap, http::Method method,
                                       const std::string& path) {
    const router::RouteMatch m = snap.routes.match("", method, path);
    return m.kind == router::RouteMatch::Kind::Found ? m.route : nullptr;
}

void prepareRequest(pipeline::RequestContext& ctx, const server::Snapshot& snap, http::Method method,
                    const std::string& path, const std::string& consumer, std::vector<std::string>* chain) {
    ctx.snapshot = &snap;
    ctx.method = method;
    ctx.path = path;
    ctx.explainChain = chain;
    for (size_t i = 0; i < snap.consumers.size(); ++i) {
        if (snap.consumers[i].config->name == consumer) {
            ctx.consumer = &snap.consumers[i];
            ctx.consumerIndex = static_cast<int>(i);
        }
    }
}

void setClientIp(pipeline::RequestContext& ctx, const std::string& ip) {
    ctx.clientIp = ip;
    ctx.clientV6 = ip.find(':') != std::string::npos;
    inet_pton(ctx.clientV6 ? AF_INET6 : AF_INET, ip.c_str(), ctx.clientAddr);
}

std::string runStage(const pipeline::Stage& stage, pipeline::RequestContext& ctx, std::string& headers) {
    const pipeline::Decision d = stage.onRequest(ctx);
    headers.clear();
    for (uint8_t i = 0; i < ctx.responseHeaderCount; ++i) {
        headers += ctx.responseHeaders[i];
    }
    return d.respond ? std::to_string(d.status) + " " + d.reason : "pass";
}

std::string limitHeaderLines(uint64_t limit, uint64_t remaining, int64_t reset, int64_t retryAfter) {
    std::string s = "RateLimit-Limit: " + std::to_string(limit) +
                    "\r\nRateLimit-Remaining: " + std::to_string(remaining) +
                    "\r\nRateLimit-Reset: " + std::to_string(reset) + "\r\n";
    if (retryAfter > 0) {
        s += "Retry-After: " + std::to_string(retryAfter) + "\r\n";
    }
    return s;
}

} // namespace tollgate::test

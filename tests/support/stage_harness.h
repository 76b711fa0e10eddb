#pragma once
// One policy stage outside a worker, for the stage unit tests: a snapshot compiled from config text,
// a request by a named consumer, and the stage's decision in a form QCOMPARE can show.
// Thread safety: plain functions; what they return belongs to the caller.

#include "pipeline/request_context.h"
#include "pipeline/stage.h"
#include "server/snapshot.h"

#include <QtGlobal>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tollgate::test {

// Loads `yaml` and compiles it as snapshot `generation`; ends the test binary with the first error
// (a fixture's config is part of the test, not under test).
std::shared_ptr<const server::Snapshot> compileSnapshot(const std::string& yaml, uint64_t generation,
                                                        const server::CompileContext& context);

// `stage`, or the end of the test binary with `error` when its create() refused.
template <typename S> std::unique_ptr<S> requireStage(std::unique_ptr<S> stage, const std::string& error) {
    if (!stage) {
        qFatal("%s", error.c_str());
    }
    return stage;
}

// The route `method` and `path` reach in `snap`, or nullptr.
const router::CompiledRoute* findRoute(const server::Snapshot& snap, http::Method method,
                                       const std::string& path);

// A request as the earlier stages leave it: `method` and `path` on `snap`, made by `consumer` ("" or an
// unknown name: anonymous), explained into `chain` when given. No route and no client address.
void prepareRequest(pipeline::RequestContext& ctx, const server::Snapshot& snap, http::Method method,
                    const std::string& path, const std::string& consumer,
                    std::vector<std::string>* chain = nullptr);

// Sets the client address, textual and binary ("192.0.2.1", "2001:db8::1").
void setClientIp(pipeline::RequestContext& ctx, const std::string& ip);

// Runs `stage` on `ctx`: "pass" or "<status> <reason>" ("429 limit.rate"); `headers` receives the
// response header lines the request collected.
std::string runStage(const pipeline::Stage& stage, pipeline::RequestContext& ctx, std::string& headers);

// The lines a limit stage adds: RateLimit-Limit, -Remaining, -Reset, and Retry-After when > 0.
std::string limitHeaderLines(uint64_t limit, uint64_t remaining, int64_t reset, int64_t retryAfter = 0);

} // namespace tollgate::test

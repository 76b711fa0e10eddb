#pragma once
// A policy stage: immutable compiled config plus per-request hooks with do-nothing defaults.
// A stage never calls another stage; it sees only the request context and the snapshot.
// Stages run on worker threads and must not block, allocate when avoidable, or throw.

#include "pipeline/request_context.h"

namespace tollgate::pipeline {

struct Decision {
    bool respond = false; // true: the gateway answers now, the rest of the pipeline is skipped
    int status = 0;
    const char* reason = ""; // reason code, such as "route.none"
    std::string_view allow;  // 405: value of the Allow header

    static Decision next() { return {}; }
    static Decision answer(int status, const char* reason) { return {true, status, reason, {}}; }
};

class Stage {
public:
    virtual ~Stage() = default;
    virtual const char* name() const = 0;
    // Called in pipeline order once the request head is parsed and normalised.
    virtual Decision onRequest(RequestContext& ctx) const { return Decision::next(); }
    // Always called, in pipeline order, once the request is over (answered, failed or aborted).
    virtual void onLog(RequestContext& ctx) const {}
};

} // namespace tollgate::pipeline

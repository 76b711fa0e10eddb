#pragma once
// A worker's own state for one upstream target address: its idle keep-alive connections,
// requests in flight (least_conn) and passive health. Keyed by address, so it survives reloads.
// Worker thread only.

#include "pipeline/request_context.h"

#include <cstdint>
#include <string>

namespace tollgate::upstream {

class UpstreamConnection;

struct TargetRuntime {
    std::string key; // "address:port"
    uint32_t active = 0;
    uint32_t consecutiveFailures = 0;
    pipeline::Clock::time_point ejectedUntil{};
    UpstreamConnection* idleHead = nullptr; // intrusive list of idle connections, most recent first
    uint32_t idleCount = 0;

    bool ejected(pipeline::Clock::time_point now) const { return now < ejectedUntil; }
};

} // namespace tollgate::upstream

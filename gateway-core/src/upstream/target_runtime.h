#pragma once
// A worker's own state for one upstream target address: its idle keep-alive connections,
// requests in flight (least_conn), passive health and, for https, the TLS session to resume. Keyed
// by address (and, for https, host name and verification settings), so it survives reloads.
// Worker thread only.

#include "pipeline/request_context.h"
#include "upstream/tls_client_context.h"

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
    TlsSessionSlot tlsSession; // https targets: the session the next connection resumes

    bool ejected(pipeline::Clock::time_point now) const { return now < ejectedUntil; }
};

} // namespace tollgate::upstream

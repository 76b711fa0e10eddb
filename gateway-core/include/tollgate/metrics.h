#pragma once
// Plain snapshots of the engine's counters, summed over workers. Safe to copy anywhere.

#include <cstdint>
#include <vector>

namespace tollgate {

struct MetricsSnapshot {
    uint64_t requests = 0;
    uint64_t status1xx = 0, status2xx = 0, status3xx = 0, status4xx = 0, status5xx = 0;
    uint64_t localResponses = 0; // answered by the gateway itself (refusals, errors)
    uint64_t upstreamRequests = 0;
    uint64_t upstreamRetries = 0;
    uint64_t upstreamConnects = 0; // new upstream connections opened
    uint64_t upstreamErrors = 0;
    uint64_t upstreamTimeouts = 0;
    uint64_t targetEjections = 0;
    uint64_t connectionsAccepted = 0;
    uint64_t connectionsOpen = 0;
    uint64_t bytesIn = 0, bytesOut = 0;
    uint64_t recordsDropped = 0;
    uint64_t headerCapturesDropped = 0; // exchanges whose heads found no free capture slot
};

} // namespace tollgate

#pragma once
// Active health checks as the engine reports them: plain values, copied out for any reader.

#include <cstdint>
#include <string>

namespace tollgate {

// One probed target of one service (services[].health).
struct TargetHealth {
    std::string service;
    std::string target; // the target's url as written in the config
    bool healthy = true;
    uint32_t consecutiveFailures = 0;
    uint32_t consecutiveSuccesses = 0;
    std::string lastError;          // of the last failed probe ("" before any failure)
    int64_t lastChangeUnix = 0;     // when `healthy` last changed, or when probing started
    int64_t lastLatencyMicros = -1; // of the last probe, -1 before the first
    uint64_t checksSucceeded = 0;
    uint64_t checksFailed = 0;
};

// A target left or rejoined the rotation.
struct HealthEvent {
    uint64_t seq = 0; // increasing, starts at 1
    std::string service;
    std::string target;
    bool healthy = true;
    uint32_t count = 0; // the consecutive failures (down) or successes (up) that decided it
    std::string error;  // the last probe's error when going down
    int64_t unixTime = 0;
};

} // namespace tollgate

#pragma once
// The dimensions consumption is aggregated on, and one minute's worth of change for one series.
// Produced by the recorder thread from request records, consumed by the aggregate writer.

#include "tollgate/usage_history.h"

#include <cstdint>
#include <functional>
#include <string>

namespace tollgate::recording {

struct SeriesKey {
    std::string consumer; // "" = anonymous (or refused before authentication)
    std::string api;      // "" = no route matched
    std::string apiVersion;
    std::string route;
    std::string method;      // "GET", ...
    uint8_t statusClass = 0; // status / 100; 0 when no status was sent
    // The reason code of a refusal or failure ("limit.quota", "upstream.timeout"), "" for a request
    // the upstream answered: keeps refusals apart from billable traffic and says why.
    std::string reason;
    bool operator==(const SeriesKey&) const = default;
};

struct SeriesKeyHash {
    size_t operator()(const SeriesKey& k) const noexcept {
        size_t h = std::hash<std::string>{}(k.consumer);
        const auto mix = [&h](size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
        mix(std::hash<std::string>{}(k.api));
        mix(std::hash<std::string>{}(k.apiVersion));
        mix(std::hash<std::string>{}(k.route));
        mix(std::hash<std::string>{}(k.method));
        mix(k.statusClass);
        mix(std::hash<std::string>{}(k.reason));
        return h;
    }
};

// What one series gained during one minute since the last flush. Adding deltas is exact and
// idempotent-free: the writer adds them to the minute, hour and day rows in one transaction and
// forgets them only once that transaction committed.
struct AggregateDelta {
    int64_t minute = 0; // unix seconds, multiple of 60
    SeriesKey key;
    uint64_t requests = 0;
    uint64_t bytesIn = 0;
    uint64_t bytesOut = 0;
    uint64_t upstreamMicros = 0; // sum, for the gateway/upstream split
    LatencyHistogram latency;    // total latency
};

} // namespace tollgate::recording

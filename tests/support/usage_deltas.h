#pragma once
// Builds consumption deltas for store, writer and report tests.

#include "recording/series.h"

#include <string>

namespace tollgate::test {

inline recording::AggregateDelta usageDelta(int64_t minute, std::string consumer, std::string route,
                                            uint64_t requests, uint8_t statusClass = 2,
                                            std::string reason = "", std::string api = "shop",
                                            uint32_t latencyMicros = 800) {
    recording::AggregateDelta d;
    d.minute = minute;
    d.key.consumer = std::move(consumer);
    d.key.api = std::move(api);
    d.key.apiVersion = "v1";
    d.key.route = std::move(route);
    d.key.method = "GET";
    d.key.statusClass = statusClass;
    d.key.reason = std::move(reason);
    d.requests = requests;
    d.bytesIn = requests * 10;
    d.bytesOut = requests * 100;
    d.upstreamMicros = requests * 500;
    d.latency.add(latencyMicros, requests);
    return d;
}

} // namespace tollgate::test

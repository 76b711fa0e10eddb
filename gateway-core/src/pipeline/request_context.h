#pragma once
// What the stages of one request share. Lives in the client connection and is reset per request,
// so its strings keep their capacity and a request allocates nothing once warm.

#include "http/message.h"
#include "router/route_table.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tollgate::server {
struct Snapshot;
struct WorkerTelemetry;
} // namespace tollgate::server

namespace tollgate::pipeline {

using Clock = std::chrono::steady_clock;

struct RequestContext {
    const server::Snapshot* snapshot = nullptr;
    int worker = 0;
    server::WorkerTelemetry* telemetry = nullptr; // the worker's counters and record ring

    // The request as parsed; views are valid until the body starts streaming.
    const http::RequestHead* head = nullptr;
    http::Method method = http::Method::Other;
    std::string path;     // canonical path (routing, authorization, forwarding)
    std::string query;    // query string without '?', unchanged
    std::string clientIp; // textual peer address (or the trusted proxy's X-Forwarded-For client)
    bool fromTrustedProxy = false;

    const router::CompiledRoute* route = nullptr;

    // Outcome, filled as the request progresses.
    int status = 0;
    const char* reason = ""; // reason code of a refusal or failure; "" for success
    int targetIndex = -1;
    uint64_t bytesIn = 0;
    uint64_t bytesOut = 0;
    Clock::time_point start{};
    Clock::time_point upstreamStart{};
    Clock::time_point upstreamEnd{};
    int64_t unixMicros = 0;

    void reset() {
        head = nullptr;
        method = http::Method::Other;
        path.clear();
        query.clear();
        route = nullptr;
        status = 0;
        reason = "";
        targetIndex = -1;
        bytesIn = bytesOut = 0;
        upstreamStart = upstreamEnd = Clock::time_point{};
    }
};

} // namespace tollgate::pipeline

#pragma once
// What the stages of one request share. Lives in a pooled request slot (server/request_slot.h) and
// is reset per request, so its strings keep their capacity and a request allocates nothing once warm.

#include "http/message.h"
#include "router/route_table.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::server {
struct Snapshot;
struct CompiledConsumer;
struct WorkerTelemetry;
struct CaptureSlot;
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
    std::string path;            // canonical path (routing, authorization, forwarding)
    std::string query;           // query string without '?', unchanged
    std::string clientIp;        // textual peer address (or the trusted proxy's X-Forwarded-For client)
    uint8_t clientAddr[16] = {}; // the same address in network order (IPv4 in the first 4 bytes)
    bool clientV6 = false;
    bool fromTrustedProxy = false;
    // SHA-256 of the client certificate's DER (32 bytes), computed once at the TLS handshake and
    // owned by the connection; nullptr on plain HTTP or when the client sent no certificate.
    const uint8_t* clientCertSha256 = nullptr;

    const router::CompiledRoute* route = nullptr;

    // Identity, set by an authentication stage (nullptr: anonymous).
    const server::CompiledConsumer* consumer = nullptr;
    int consumerIndex = -1;

    // Credentials the forwarder must not pass upstream (bits of Strip).
    enum Strip : uint8_t { StripApiKeyHeader = 1, StripAuthorization = 2, StripApiKeyQuery = 4 };
    uint8_t strip = 0;

    // Extra response header lines ("Name: value\r\n"), owned by the snapshot's stages, added to
    // whatever answer the client gets (Deprecation, Sunset, WWW-Authenticate, RateLimit-*).
    static constexpr int kMaxResponseHeaders = 6;
    std::string_view responseHeaders[kMaxResponseHeaders];
    uint8_t responseHeaderCount = 0;
    void addResponseHeader(std::string_view line) {
        if (responseHeaderCount < kMaxResponseHeaders) {
            responseHeaders[responseHeaderCount++] = line;
        }
    }

    // The tightest limit the limit stages saw, rendered once into `limitHeaders` (RateLimit-Limit,
    // -Remaining, -Reset and, on a refusal, Retry-After) and listed in responseHeaders.
    bool limitSeen = false;
    int8_t limitHeaderSlot = -1;
    uint64_t limitRemaining = 0;
    char limitHeaders[160];

    // Explain mode (the "why?" function): no traffic; stages append the rules they applied to
    // `explainChain`, and authentication trusts the consumer already set.
    std::vector<std::string>* explainChain = nullptr;
    void explainStep(std::string line) const {
        if (explainChain) {
            explainChain->push_back(std::move(line));
        }
    }

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
    // Where this request's heads are being captured (server/header_capture.h); nullptr when not.
    server::CaptureSlot* capture = nullptr;

    void reset() {
        head = nullptr;
        method = http::Method::Other;
        path.clear();
        query.clear();
        route = nullptr;
        clientCertSha256 = nullptr;
        consumer = nullptr;
        consumerIndex = -1;
        strip = 0;
        responseHeaderCount = 0;
        limitSeen = false;
        limitHeaderSlot = -1;
        status = 0;
        reason = "";
        targetIndex = -1;
        bytesIn = bytesOut = 0;
        upstreamStart = upstreamEnd = Clock::time_point{};
        capture = nullptr;
    }
};

} // namespace tollgate::pipeline

#pragma once
// RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset (draft-ietf-httpapi-ratelimit-headers) and
// Retry-After, shared by the rate-limit and quota stages: each reports what it found, the tightest
// report (fewest requests left; a refusal always) is what the client sees.

#include "pipeline/request_context.h"

#include <charconv>
#include <cstring>

namespace tollgate::pipeline {

inline void reportLimit(RequestContext& ctx, uint64_t limit, uint64_t remaining, int64_t resetSeconds,
                        int64_t retryAfter = 0) {
    if (ctx.limitSeen && retryAfter == 0 && remaining >= ctx.limitRemaining) {
        return;
    }
    ctx.limitSeen = true;
    ctx.limitRemaining = remaining;
    char* p = ctx.limitHeaders;
    char* const end = ctx.limitHeaders + sizeof ctx.limitHeaders;
    auto text = [&](const char* s) {
        const size_t n = std::strlen(s);
        std::memcpy(p, s, n);
        p += n;
    };
    auto number = [&](uint64_t v) { p = std::to_chars(p, end, v).ptr; };
    // Four lines of at most 20 digits plus names: 4 * 20 + 74 bytes fits the buffer.
    text("RateLimit-Limit: ");
    number(limit);
    text("\r\nRateLimit-Remaining: ");
    number(remaining);
    text("\r\nRateLimit-Reset: ");
    number(uint64_t(resetSeconds < 0 ? 0 : resetSeconds));
    text("\r\n");
    if (retryAfter > 0) {
        text("Retry-After: ");
        number(uint64_t(retryAfter));
        text("\r\n");
    }
    const std::string_view lines(ctx.limitHeaders, size_t(p - ctx.limitHeaders));
    if (ctx.limitHeaderSlot >= 0) {
        ctx.responseHeaders[ctx.limitHeaderSlot] = lines;
    } else if (ctx.responseHeaderCount < RequestContext::kMaxResponseHeaders) {
        ctx.limitHeaderSlot = static_cast<int8_t>(ctx.responseHeaderCount);
        ctx.addResponseHeader(lines);
    }
}

} // namespace tollgate::pipeline

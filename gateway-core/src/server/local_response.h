#pragma once
// Responses the gateway makes itself: a small JSON body naming the reason code, the same code in
// X-Tollgate-Reason, so a client (and the console) can tell why a request was refused.

#include "pipeline/request_context.h"

#include <string>
#include <string_view>

namespace tollgate::server {

std::string_view statusText(int status);

// `ctx` contributes the response header lines its stages added (WWW-Authenticate, Sunset, ...).
void appendLocalResponse(std::string& out, int status, std::string_view reason, std::string_view allow,
                         bool keepAlive, bool headOnly, const pipeline::RequestContext& ctx);

// Appends the stages' response header lines.
inline void appendStageHeaders(std::string& out, const pipeline::RequestContext& ctx) {
    for (uint8_t i = 0; i < ctx.responseHeaderCount; ++i) {
        out += ctx.responseHeaders[i];
    }
}

// Appends `s` JSON-escaped (without quotes).
void appendJsonEscaped(std::string& out, std::string_view s);

} // namespace tollgate::server

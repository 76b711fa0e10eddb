#pragma once
// Which request headers the forwarder (and the builtin echo, which shows what an upstream
// would receive) drops.

#include "http/request_parser.h"
#include "pipeline/request_context.h"

#include <string_view>

namespace tollgate::server {

inline bool headerNameIs(std::string_view name, std::string_view lower) {
    return name.size() == lower.size() && http::equalsIgnoreCase(name, lower);
}

// The credentials a stage consumed never travel upstream, and X-Consumer is the gateway's to set.
inline bool isCredentialOrIdentity(std::string_view n, uint8_t strip) {
    switch (n.size()) {
    case 6:
        return (strip & pipeline::RequestContext::StripApiKeyHeader) && headerNameIs(n, "apikey");
    case 10:
        return headerNameIs(n, "x-consumer");
    case 13:
        return (strip & pipeline::RequestContext::StripAuthorization) && headerNameIs(n, "authorization");
    default:
        return false;
    }
}

} // namespace tollgate::server

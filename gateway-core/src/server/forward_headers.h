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

// Calls fn(token) for each token of every Connection header (trimmed, non-empty) until fn
// returns false. Those names are hop-by-hop (RFC 9110 7.6.1).
template <typename Fn> void forEachConnectionToken(const http::Header* headers, size_t count, Fn&& fn) {
    for (size_t i = 0; i < count; ++i) {
        if (!headerNameIs(headers[i].name, "connection")) {
            continue;
        }
        std::string_view v = headers[i].value;
        while (!v.empty()) {
            const size_t comma = v.find(',');
            std::string_view t = v.substr(0, comma);
            v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
            while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) {
                t.remove_prefix(1);
            }
            while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) {
                t.remove_suffix(1);
            }
            if (!t.empty() && !fn(t)) {
                return;
            }
        }
    }
}

} // namespace tollgate::server

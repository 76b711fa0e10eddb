#pragma once
// Maps a request's method and path to an admin endpoint. The table is small and fixed, so a match is a
// handful of comparisons; the router only names the endpoint, the connection calls it.
// Thread safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

namespace tollgate::admin {

enum class Endpoint {
    Status,
    Metrics,
    Usage,
    Traffic,
    TrafficStream,
    GetConfig,
    PutConfig,
    QuotaReset,
    QuotaTopUp,
    GetCapture,
    PutCapture,
    TrafficHeaders,
};

struct RouteMatch {
    enum class Kind { Found, NoRoute, WrongMethod } kind = Kind::NoRoute;
    Endpoint endpoint = Endpoint::Status;
    std::string consumer; // /consumers/{name}/...: the name, percent-decoded
    uint64_t seq = 0;     // /traffic/{seq}
    std::string allow;    // WrongMethod: the methods the path accepts, "GET, PUT"
};

// `path` is the request-target without its query.
RouteMatch matchRoute(std::string_view method, std::string_view path);

// Percent-decodes a path segment or query component ('+' is a space only when `plusIsSpace`);
// false for a malformed escape.
bool percentDecode(std::string_view in, std::string& out, bool plusIsSpace);

} // namespace tollgate::admin

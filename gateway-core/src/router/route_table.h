#pragma once
// Compiled route table: host + method + normalised path -> route. Built once per config snapshot;
// matching allocates nothing and is safe from any number of threads at once (read-only).

#include "http/message.h"
#include "tollgate/config.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::router {

struct CompiledRoute {
    uint32_t apiIndex = 0;     // index into Config::apis
    uint32_t routeIndex = 0;   // index into ApiConfig::routes
    int32_t serviceIndex = -1; // index into Config::services (-1: none)
    uint32_t methodMask = 0;   // bit (1 << int(http::Method)); GET implies HEAD
    bool anyMethod = false;    // no methods listed: any method, including Other
    std::string basePath;      // normalised, without trailing '/', "" for "/"
    std::string pattern;       // base_path + path, for messages
    std::string allow;         // "GET, HEAD" for this route, for Allow headers
};

struct RouteMatch {
    enum class Kind : uint8_t { Found, NoRoute, MethodNotAllowed } kind = Kind::NoRoute;
    const CompiledRoute* route = nullptr; // Found
    std::string_view allow;               // MethodNotAllowed: value for the Allow header
};

class RouteTable {
public:
    RouteTable();
    ~RouteTable();
    RouteTable(RouteTable&&) noexcept;
    RouteTable& operator=(RouteTable&&) noexcept;

    // Precondition: cfg was validated (services resolve, no overlapping routes).
    static RouteTable build(const Config& cfg);

    // `host` is the Host header (port and case are ignored), `path` the canonical path.
    // The most specific route wins: per segment, literal before {param} before trailing /*;
    // routes with a matching host before routes without hosts. A trailing '/' is insignificant.
    // When routes match the path but none the method: MethodNotAllowed with their methods.
    RouteMatch match(std::string_view host, http::Method method, std::string_view path) const;

    const std::vector<CompiledRoute>& routes() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace tollgate::router

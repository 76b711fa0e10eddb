// matchRoute(): the route table alone, without the pipeline, so the console can test paths
// against a config whose access rules are not decided yet.
#include "tollgate/explain.h"

#include "http/message.h"
#include "http/path_normalizer.h"
#include "router/route_table.h"

#include <cctype>

namespace tollgate {

RouteMatchResult matchRoute(const Config& config, const std::string& method, const std::string& path,
                            const std::string& host) {
    RouteMatchResult result;
    std::string_view query;
    const http::PathError pathError = http::normalizePath(path, result.path, query);
    if (pathError != http::PathError::None) {
        result.kind = RouteMatchResult::Kind::BadPath;
        result.reason = http::pathErrorReason(pathError);
        return result;
    }
    std::string token = method;
    for (char& c : token) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    const router::RouteTable table = router::RouteTable::build(config);
    const router::RouteMatch m = table.match(host, http::methodFromToken(token), result.path);
    switch (m.kind) {
    case router::RouteMatch::Kind::Found:
        result.kind = RouteMatchResult::Kind::Found;
        result.apiIndex = static_cast<int>(m.route->apiIndex);
        result.routeIndex = static_cast<int>(m.route->routeIndex);
        result.pattern = m.route->pattern;
        break;
    case router::RouteMatch::Kind::MethodNotAllowed:
        result.kind = RouteMatchResult::Kind::MethodNotAllowed;
        result.allow = std::string(m.allow);
        break;
    case router::RouteMatch::Kind::NoRoute:
        result.kind = RouteMatchResult::Kind::NoRoute;
        break;
    }
    return result;
}

} // namespace tollgate

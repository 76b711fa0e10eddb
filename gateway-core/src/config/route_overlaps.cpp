// Two routes the router could not tell apart: same path shape, a shared method and a shared host.
#include "config/sections.h"

#include <unordered_map>

namespace tollgate::config {
namespace {

constexpr std::string_view kMethods[] = {"GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                                         "OPTIONS", "PATCH", "TRACE", "CONNECT"};
constexpr uint32_t kAllMethods = (1u << std::size(kMethods)) - 1;

} // namespace

uint32_t methodMask(const std::vector<std::string>& methods) {
    if (methods.empty()) {
        return kAllMethods;
    }
    uint32_t mask = 0;
    for (const std::string& m : methods) {
        for (size_t i = 0; i < std::size(kMethods); ++i) {
            if (m == kMethods[i]) {
                mask |= 1u << i;
            }
        }
    }
    // GET implies HEAD in the router, so a GET route and a HEAD route collide.
    return (mask & 1u) ? (mask | 2u) : mask;
}

namespace {

// "/orders/v1/{}" for "/orders/v1" + "/{id}/": empty segments vanish, parameters become "{}".
std::string shapeOf(std::string_view basePath, std::string_view path) {
    std::string shape;
    for (std::string_view part : {basePath, path}) {
        size_t start = 0;
        while (start <= part.size()) {
            const size_t end = std::min(part.find('/', start), part.size());
            const std::string_view segment = part.substr(start, end - start);
            if (!segment.empty()) {
                shape += '/';
                shape += (segment.front() == '{') ? std::string_view("{}") : segment;
            }
            start = end + 1;
        }
    }
    return shape.empty() ? "/" : shape;
}

struct RouteRef {
    size_t api;
    size_t route;
    uint32_t methods;
    const std::vector<std::string>* hosts; // the route's, else the API's; empty = any host
};

bool hostsMeet(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.empty() || b.empty()) {
        return true;
    }
    // Both lists are stored lower case by the parser.
    for (const std::string& h : a) {
        for (const std::string& k : b) {
            if (h == k) {
                return true;
            }
        }
    }
    return false;
}

} // namespace

void checkRouteOverlaps(Reader& reader, const Config& config) {
    std::unordered_map<std::string, std::vector<RouteRef>> byShape;
    for (size_t a = 0; a < config.apis.size(); ++a) {
        const ApiConfig& api = config.apis[a];
        for (size_t r = 0; r < api.routes.size(); ++r) {
            const RouteConfig& route = api.routes[r];
            if (route.path.empty()) {
                continue;
            }
            const std::string shape = shapeOf(api.basePath, route.path);
            const RouteRef ref{a, r, methodMask(route.methods),
                               route.hosts.empty() ? &api.hosts : &route.hosts};
            auto& earlier = byShape[shape];
            for (const RouteRef& other : earlier) {
                const uint32_t shared = ref.methods & other.methods;
                if (shared == 0 || !hostsMeet(*ref.hosts, *other.hosts)) {
                    continue;
                }
                std::string method = "any method";
                if (shared != kAllMethods) {
                    for (size_t i = 0; i < std::size(kMethods); ++i) {
                        if (shared & (1u << i)) {
                            method = "method " + std::string(kMethods[i]);
                            break;
                        }
                    }
                }
                const ApiConfig& otherApi = config.apis[other.api];
                const std::string path = indexPath(indexPath("apis", a) + ".routes", r) + ".path";
                reader.error(reader.markAt(path), path,
                             "route \"" + api.name + "/" + route.name + "\" overlaps \"" + otherApi.name +
                                 "/" + otherApi.routes[other.route].name + "\" (same path " + shape + ", " +
                                 method + ")");
                break;
            }
            if (!reader.spend()) {
                return;
            }
            earlier.push_back(ref);
        }
    }
}

} // namespace tollgate::config

#pragma once
// Grants as method masks per route, computed with the rules the gateway's authz stage compiles
// (gateway-core/src/stages/authz/): a grant covers a route when its api matches, its version is
// empty or equal, and its routes list names the route or "*"; it allows its listed methods (GET
// brings HEAD) or, without methods, the route's own. And back: the compact grants that give a
// wanted set of masks. Pure functions of plain values; callable from any thread.

#include "tollgate/config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tollgate::ui {

// One bit per method, in the order of kMethodNames.
using MethodMask = uint32_t;
extern const char* const kMethodNames[9]; // GET HEAD POST PUT DELETE OPTIONS PATCH TRACE CONNECT
constexpr MethodMask kAllMethods = (1u << 9) - 1;

MethodMask methodBit(const std::string& upperCaseMethod); // 0 when unknown
// Methods listed (GET implies HEAD); an empty list is every method, as for a route without methods.
MethodMask methodsMask(const std::vector<std::string>& methods);
// "GET, POST" style list of the methods in `mask`, HEAD left out when GET is there (it follows).
std::vector<std::string> maskMethods(MethodMask mask);

// A route of the matrix: where it is in the config and what it serves.
struct RouteRef {
    int api = 0;   // index into Config::apis
    int route = 0; // index into ApiConfig::routes
    MethodMask mask = 0;
};
std::vector<RouteRef> routeRefs(const Config& config);

// The methods `grants` allow on each route of `routes` (already cut to what the route serves).
std::vector<MethodMask> grantMasks(const Config& config, const std::vector<GrantConfig>& grants,
                                   const std::vector<RouteRef>& routes);

// The compact grants for API name `api` that give exactly `masks` (parallel to `routes`) on every
// API of that name: `routes: ["*"]` for a whole API, one grant for the routes granted in full and
// one per narrower method set. `version` is written only when several APIs share the name.
std::vector<GrantConfig> compactGrants(const Config& config, const std::string& api,
                                       const std::vector<RouteRef>& routes,
                                       const std::vector<MethodMask>& masks);

} // namespace tollgate::ui

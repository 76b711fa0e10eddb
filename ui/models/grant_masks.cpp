#include "models/grant_masks.h"

#include <algorithm>

namespace tollgate::ui {

const char* const kMethodNames[9] = {"GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                                     "OPTIONS", "PATCH", "TRACE", "CONNECT"};

namespace {

constexpr MethodMask kGet = 1u << 0;
constexpr MethodMask kHead = 1u << 1;

bool covers(const GrantConfig& g, const ApiConfig& api, const std::string& routeName) {
    if (g.api != api.name || (!g.version.empty() && g.version != api.version)) {
        return false;
    }
    return std::any_of(g.routes.begin(), g.routes.end(),
                       [&](const std::string& r) { return r == "*" || r == routeName; });
}

} // namespace

MethodMask methodBit(const std::string& method) {
    for (unsigned i = 0; i < std::size(kMethodNames); ++i) {
        if (method == kMethodNames[i]) {
            return 1u << i;
        }
    }
    return 0;
}

MethodMask methodsMask(const std::vector<std::string>& methods) {
    if (methods.empty()) {
        return kAllMethods;
    }
    MethodMask mask = 0;
    for (const std::string& m : methods) {
        mask |= methodBit(m);
    }
    return (mask & kGet) != 0 ? mask | kHead : mask;
}

std::vector<std::string> maskMethods(MethodMask mask) {
    std::vector<std::string> out;
    for (unsigned i = 0; i < std::size(kMethodNames); ++i) {
        const MethodMask bit = 1u << i;
        if ((mask & bit) != 0 && !(bit == kHead && (mask & kGet) != 0)) {
            out.emplace_back(kMethodNames[i]);
        }
    }
    return out;
}

std::vector<RouteRef> routeRefs(const Config& config) {
    std::vector<RouteRef> out;
    for (size_t a = 0; a < config.apis.size(); ++a) {
        const ApiConfig& api = config.apis[a];
        for (size_t r = 0; r < api.routes.size(); ++r) {
            out.push_back({int(a), int(r), methodsMask(api.routes[r].methods)});
        }
    }
    return out;
}

std::vector<MethodMask> grantMasks(const Config& config, const std::vector<GrantConfig>& grants,
                                   const std::vector<RouteRef>& routes) {
    std::vector<MethodMask> out(routes.size(), 0);
    for (size_t i = 0; i < routes.size(); ++i) {
        const ApiConfig& api = config.apis[size_t(routes[i].api)];
        const RouteConfig& route = api.routes[size_t(routes[i].route)];
        for (const GrantConfig& g : grants) {
            if (covers(g, api, route.name)) {
                // Methods a route does not serve never pass the router, so they are not shown.
                out[i] |= (g.methods.empty() ? routes[i].mask : methodsMask(g.methods)) & routes[i].mask;
            }
        }
    }
    return out;
}

std::vector<GrantConfig> compactGrants(const Config& config, const std::string& apiName,
                                       const std::vector<RouteRef>& routes,
                                       const std::vector<MethodMask>& masks) {
    const bool versioned = std::count_if(config.apis.begin(), config.apis.end(),
                                         [&](const ApiConfig& a) { return a.name == apiName; }) > 1;
    std::vector<GrantConfig> out;
    for (size_t a = 0; a < config.apis.size(); ++a) {
        const ApiConfig& api = config.apis[a];
        if (api.name != apiName) {
            continue;
        }
        GrantConfig base;
        base.api = api.name;
        base.version = versioned ? api.version : std::string();
        // Routes granted in full first (no methods), then one grant per narrower method set, in
        // the order the routes are written.
        GrantConfig full = base;
        std::vector<std::pair<MethodMask, GrantConfig>> narrow;
        size_t routeCount = 0;
        for (size_t i = 0; i < routes.size(); ++i) {
            if (routes[i].api != int(a)) {
                continue;
            }
            ++routeCount;
            const MethodMask m = masks[i] & routes[i].mask;
            const std::string& name = api.routes[size_t(routes[i].route)].name;
            if (m == 0) {
                continue;
            }
            if (m == routes[i].mask) {
                full.routes.push_back(name);
                continue;
            }
            auto same =
                std::find_if(narrow.begin(), narrow.end(), [&](const auto& n) { return n.first == m; });
            if (same == narrow.end()) {
                GrantConfig g = base;
                g.methods = maskMethods(m);
                narrow.emplace_back(m, std::move(g));
                same = narrow.end() - 1;
            }
            same->second.routes.push_back(name);
        }
        if (!full.routes.empty()) {
            if (full.routes.size() == routeCount) {
                full.routes = {"*"};
            }
            out.push_back(std::move(full));
        }
        for (auto& n : narrow) {
            out.push_back(std::move(n.second));
        }
    }
    return out;
}

} // namespace tollgate::ui

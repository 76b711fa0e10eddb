// Checks that span sections: unique names, references between sections, grants, and route overlaps.
#include "config/sections.h"
#include "config/text_util.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace tollgate::config {
namespace {

// `unknown service "x" (did you mean "y"?)`, or the defined names when none is close.
std::string unknownReference(std::string_view what, const std::string& name,
                             const std::vector<std::string>& known) {
    std::vector<std::string_view> views(known.begin(), known.end());
    const std::string suggestion = nearest(name, views);
    std::string out = "unknown " + std::string(what) + " \"" + name + "\" (";
    if (!suggestion.empty()) {
        return out + "did you mean \"" + suggestion + "\"?)";
    }
    if (known.empty()) {
        return out + "none is defined)";
    }
    if (views.size() > 10) {
        views.resize(10);
        views.push_back("...");
    }
    return out + "defined: " + joinList(views) + ")";
}

// A name as printed in messages; "" stays "" so that unnamed entries are not compared.
std::string quoted(const std::string& s) {
    return s.empty() ? s : "\"" + s + "\"";
}

std::string firstAt(SourceMark mark) {
    return "(first at line " + std::to_string(mark.line) + ")";
}

// Reports the second and later uses of a name; `key` gives the name as printed ("" = skip).
template <class T, class KeyFn>
void checkUnique(Reader& reader, const std::vector<T>& items, const std::string& section,
                 std::string_view what, KeyFn key) {
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < items.size(); ++i) {
        const std::string k = key(items[i]);
        if (k.empty()) {
            continue;
        }
        const std::string path = indexPath(section, i) + ".name";
        const auto [it, inserted] = seen.emplace(k, i);
        if (!inserted) {
            const SourceMark first = reader.markAt(indexPath(section, it->second) + ".name");
            reader.error(reader.markAt(path), path,
                         "duplicate " + std::string(what) + " " + k + " " + firstAt(first));
        }
    }
}

void checkGrant(Reader& reader, const Config& config, const GrantConfig& grant, const std::string& path) {
    if (grant.api.empty()) {
        return;
    }
    std::vector<const ApiConfig*> apis;
    std::vector<std::string> apiNames;
    for (const ApiConfig& api : config.apis) {
        if (api.name == grant.api && (grant.version.empty() || api.version == grant.version)) {
            apis.push_back(&api);
        }
        if (std::find(apiNames.begin(), apiNames.end(), api.name) == apiNames.end()) {
            apiNames.push_back(api.name);
        }
    }
    if (apis.empty()) {
        const bool nameExists = std::find(apiNames.begin(), apiNames.end(), grant.api) != apiNames.end();
        if (nameExists) {
            reader.error(reader.markAt(path + ".version"), path + ".version",
                         "api \"" + grant.api + "\" has no version \"" + grant.version + "\"");
        } else {
            reader.error(reader.markAt(path + ".api"), path + ".api",
                         unknownReference("api", grant.api, apiNames));
        }
        return;
    }
    // The granted routes, to check the methods against.
    std::vector<const RouteConfig*> granted;
    for (size_t r = 0; r < grant.routes.size(); ++r) {
        const std::string& name = grant.routes[r];
        std::vector<std::string> known;
        bool found = false;
        for (const ApiConfig* api : apis) {
            for (const RouteConfig& route : api->routes) {
                if (name == "*" || route.name == name) {
                    granted.push_back(&route);
                    found = true;
                }
                known.push_back(route.name);
            }
        }
        if (!found && name != "*") {
            const std::string p = indexPath(path + ".routes", r);
            reader.error(reader.markAt(p), p,
                         unknownReference("route", name, known) + " in api \"" + grant.api + "\"");
        }
    }
    for (size_t m = 0; m < grant.methods.size(); ++m) {
        const uint32_t bit = methodMask({grant.methods[m]}) & ~(grant.methods[m] == "GET" ? 2u : 0u);
        const bool served = std::any_of(granted.begin(), granted.end(), [&](const RouteConfig* route) {
            return methodMask(route->methods) & bit;
        });
        if (!served && !granted.empty()) {
            const std::string p = indexPath(path + ".methods", m);
            reader.error(reader.markAt(p), p,
                         "method " + grant.methods[m] + " is not served by the granted routes of api \"" +
                             grant.api + "\"");
        }
    }
}

void checkGrants(Reader& reader, const Config& config, const std::vector<GrantConfig>& grants,
                 const std::string& path) {
    for (size_t i = 0; i < grants.size(); ++i) {
        checkGrant(reader, config, grants[i], indexPath(path, i));
    }
}

// Two consumers with one key or certificate could not be told apart at authentication.
void checkCredentialsUnique(Reader& reader, const Config& config) {
    std::unordered_map<std::string, std::string> seen; // hash -> path of its first use
    for (size_t c = 0; c < config.consumers.size(); ++c) {
        const auto& creds = config.consumers[c].credentials;
        for (size_t k = 0; k < creds.size(); ++k) {
            if (creds[k].type == CredentialConfig::Type::Jwt || creds[k].hash.empty()) {
                continue;
            }
            const std::string base = indexPath(indexPath("consumers", c) + ".credentials", k);
            const std::string path =
                base + (creds[k].type == CredentialConfig::Type::Key ? ".hash" : ".fingerprint");
            const auto [it, inserted] = seen.emplace(creds[k].hash, path);
            if (!inserted) {
                reader.error(reader.markAt(path), path, "already used by " + it->second);
            }
        }
    }
}

} // namespace

void checkReferences(Reader& reader, const Config& config) {
    checkUnique(reader, config.services, "services", "service",
                [](const ServiceConfig& s) { return quoted(s.name); });
    checkUnique(reader, config.apis, "apis", "api", [](const ApiConfig& a) {
        return a.name.empty() ? std::string()
                              : quoted(a.name) + (a.version.empty() ? "" : " version " + quoted(a.version));
    });
    checkUnique(reader, config.plans, "plans", "plan", [](const PlanConfig& p) { return quoted(p.name); });
    checkUnique(reader, config.consumers, "consumers", "consumer",
                [](const ConsumerConfig& c) { return quoted(c.name); });

    std::vector<std::string> services;
    for (const ServiceConfig& s : config.services) {
        services.push_back(s.name);
    }
    for (size_t a = 0; a < config.apis.size(); ++a) {
        const ApiConfig& api = config.apis[a];
        const std::string path = indexPath("apis", a);
        if (!api.service.empty() &&
            std::find(services.begin(), services.end(), api.service) == services.end()) {
            reader.error(reader.markAt(path + ".service"), path + ".service",
                         unknownReference("service", api.service, services));
        }
        checkUnique(reader, api.routes, path + ".routes", "route name",
                    [](const RouteConfig& r) { return quoted(r.name); });
    }

    std::vector<std::string> plans;
    for (size_t p = 0; p < config.plans.size(); ++p) {
        plans.push_back(config.plans[p].name);
        checkGrants(reader, config, config.plans[p].grants, indexPath("plans", p) + ".grants");
    }
    for (size_t c = 0; c < config.consumers.size(); ++c) {
        const ConsumerConfig& consumer = config.consumers[c];
        const std::string path = indexPath("consumers", c);
        if (!consumer.plan.empty() && std::find(plans.begin(), plans.end(), consumer.plan) == plans.end()) {
            reader.error(reader.markAt(path + ".plan"), path + ".plan",
                         unknownReference("plan", consumer.plan, plans));
        }
        checkGrants(reader, config, consumer.grants, path + ".grants");
        checkGrants(reader, config, consumer.denies, path + ".denies");
    }
    checkCredentialsUnique(reader, config);
}

} // namespace tollgate::config

#include "simulator/simulation_plan.h"

#include "tollgate/credentials.h"

#include <algorithm>

namespace tollgate::ui {
namespace {

// "/orders/v1" + "/{id}" -> "/orders/v1/{n}"; a trailing "*" becomes a word.
QByteArray pathFor(const ApiConfig& api, const RouteConfig& route) {
    std::string base = api.basePath == "/" ? std::string() : api.basePath;
    std::string path = base + route.path;
    std::string out;
    for (size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '{') {
            const size_t close = path.find('}', i);
            out += "{n}";
            i = close == std::string::npos ? path.size() : close;
        } else if (path[i] == '*') {
            out += "report";
        } else {
            out += path[i];
        }
    }
    return QByteArray::fromStdString(out.empty() ? "/" : out);
}

bool granted(const std::vector<GrantConfig>& grants, const ApiConfig& api, const RouteConfig& route) {
    return std::any_of(grants.begin(), grants.end(), [&](const GrantConfig& g) {
        if (g.api != api.name || (!g.version.empty() && g.version != api.version)) {
            return false;
        }
        return std::find(g.routes.begin(), g.routes.end(), "*") != g.routes.end() ||
               std::find(g.routes.begin(), g.routes.end(), route.name) != g.routes.end() || g.routes.empty();
    });
}

} // namespace

SimulationPlan planSimulation(const Config& config) {
    SimulationPlan plan;
    for (const ConsumerConfig& c : config.consumers) {
        NewApiKey key = newApiKey();
        plan.keys[c.name] = key.key;
        plan.hashes[c.name] = key.hash;
    }
    for (const ApiConfig& api : config.apis) {
        if (api.lifecycle == Lifecycle::Draft) {
            continue;
        }
        for (const RouteConfig& route : api.routes) {
            const QByteArray path = pathFor(api, route);
            std::vector<std::string> methods =
                route.methods.empty() ? std::vector<std::string>{"GET"} : route.methods;
            for (const std::string& m : methods) {
                const QByteArray method = QByteArray::fromStdString(m);
                // Reads are most of real traffic.
                const int base = m == "GET" ? 6 : 2;
                for (const ConsumerConfig& c : config.consumers) {
                    const PlanConfig* p = nullptr;
                    for (const PlanConfig& candidate : config.plans) {
                        if (candidate.name == c.plan) {
                            p = &candidate;
                        }
                    }
                    const bool allowed =
                        (p && granted(p->grants, api, route)) || granted(c.grants, api, route);
                    // Allowed calls dominate (about nine in ten); refused ones stay visible.
                    const bool active = c.status == ConsumerConfig::Status::Active;
                    plan.requests.push_back({method, path, c.name, allowed && active ? base * 10 : 1});
                }
                plan.requests.push_back({method, path, std::string(), 1}); // no credential
            }
        }
        // A path under the API that no route serves.
        plan.requests.push_back(
            {"GET", pathFor(api, RouteConfig{"", {}, "/no-such-thing", {}, {}}), std::string(), 1});
    }
    return plan;
}

std::shared_ptr<const Config> withSimulationKeys(const Config& config,
                                                 const std::map<std::string, std::string>& hashes) {
    auto copy = std::make_shared<Config>(config);
    for (ConsumerConfig& c : copy->consumers) {
        std::erase_if(c.credentials,
                      [](const CredentialConfig& k) { return k.id == kSimulationCredentialId; });
        const auto it = hashes.find(c.name);
        if (it == hashes.end()) {
            continue;
        }
        CredentialConfig k;
        k.type = CredentialConfig::Type::Key;
        k.id = kSimulationCredentialId;
        k.hash = it->second;
        c.credentials.push_back(k);
    }
    return copy;
}

} // namespace tollgate::ui

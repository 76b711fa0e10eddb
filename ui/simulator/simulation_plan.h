#pragma once
// What the traffic simulator sends: requests built from the workspace itself (every consumer, every
// route of every API, with paths made from the route patterns), weighted so that most calls are
// allowed and a realistic share is refused (no key, a route the plan does not grant, a suspended
// consumer, a path no route serves).
//
// Keys: the config holds only key hashes, so the simulator gives each consumer a key of its own for
// the session. withSimulationKeys() adds their hashes to the config the engine runs; the workspace
// file never sees them and the clear keys live in memory only.

#include "tollgate/config.h"

#include <QByteArray>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tollgate::ui {

struct SimulatedRequest {
    QByteArray method;
    QByteArray path;      // may hold "{n}" where a random number goes
    std::string consumer; // "" = anonymous
    int weight = 1;
};

struct SimulationPlan {
    std::vector<SimulatedRequest> requests;
    std::map<std::string, std::string> keys;   // consumer -> clear key (session only)
    std::map<std::string, std::string> hashes; // consumer -> its key's hash, for the engine's config
};

inline constexpr const char* kSimulationCredentialId = "console-simulator";

// Fresh keys every call.
SimulationPlan planSimulation(const Config& config);
// A copy of `config` with each consumer's simulation key added (replacing an earlier one).
std::shared_ptr<const Config> withSimulationKeys(const Config& config,
                                                 const std::map<std::string, std::string>& hashes);

} // namespace tollgate::ui

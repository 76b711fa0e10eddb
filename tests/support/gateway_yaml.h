#pragma once
// Builds the YAML of a small gateway for integration tests: one plain listener on 127.0.0.1:0, one
// service "backend" with the given targets, one public API "test" under /api (strip_base_path: true)
// with a catch-all route. Knobs for the parts tests vary; raw YAML lines can be added where needed.
// Thread safety: plain values.

#include <string>
#include <vector>

namespace tollgate::test {

struct GatewayYaml {
    std::vector<std::string> targets; // target URLs, "http://127.0.0.1:PORT" or "builtin:echo"
    std::vector<int> weights;         // per target; empty = weight 1 everywhere
    int workers = 2;
    std::string balance = "round_robin";
    std::string connectTimeout = "2s";
    std::string readTimeout = "10s";
    int retries = 1;
    std::string gatewayExtra; // YAML lines added under `gateway:`, already indented by 2 spaces
    std::string limits;       // YAML lines added under `gateway.limits:`, already indented by 4 spaces
    std::string serviceExtra; // YAML lines added under the service, already indented by 4 spaces
    std::string basePath = "/api";
    bool stripBasePath = true;
    // Route list items, each line indented by 6 spaces; empty = one route "all" with path "/*" and
    // any method.
    std::string routes;
    std::string extraApis; // whole API list items appended to `apis:`, indented by 2 spaces

    std::string toYaml() const;
};

} // namespace tollgate::test

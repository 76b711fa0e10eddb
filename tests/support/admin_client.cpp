#include "admin_client.h"

#include "integration.h"

namespace tollgate::test {

std::optional<HttpResponse> adminCall(uint16_t port, std::string_view method, std::string_view target,
                                      std::string_view body, const HeaderList& headers,
                                      std::string_view token) {
    HeaderList all = headers;
    if (!token.empty()) {
        all.emplace_back("Authorization", "Bearer " + std::string(token));
    }
    if (!body.empty() || method == "PUT" || method == "POST") {
        bool framed = false;
        for (const auto& [k, v] : all) {
            framed = framed || equalsIgnoreCase(k, "Content-Length");
        }
        if (!framed && body.empty()) {
            all.emplace_back("Content-Length", "0");
        }
    }
    return roundTrip(port, buildRequest(method, target, all, body, "127.0.0.1"), 15s);
}

std::string adminGatewayYaml(const std::string& extraApis, const std::string& adminExtra) {
    return "version: 1\n"
           "gateway:\n"
           "  listen: [\"127.0.0.1:0\"]\n"
           "  workers: 1\n"
           "  drain_timeout: 2s\n"
           "  limits: { header_timeout: 1s }\n"
           "  admin:\n"
           "    listen: \"127.0.0.1:0\"\n" +
           adminExtra +
           "services:\n"
           "  - name: echo\n"
           "    targets: [ { url: \"builtin:echo\" } ]\n"
           "apis:\n"
           "  - name: orders\n"
           "    version: v1\n"
           "    base_path: /orders/v1\n"
           "    service: echo\n"
           "    auth: [key]\n"
           "    routes:\n"
           "      - { name: all, path: \"/*\" }\n" +
           extraApis +
           "plans:\n"
           "  - name: metered\n"
           "    quota: { requests: 100, per: day }\n"
           "    grants: [ { api: orders, routes: [\"*\"] } ]\n"
           "  - name: unmetered\n"
           "    grants: [ { api: orders, routes: [\"*\"] } ]\n"
           "consumers:\n"
           "  - name: acme\n"
           "    plan: metered\n"
           "    credentials: [ { type: key, id: acme-1, hash: \"" +
           keyHash(keyOf("acme")) +
           "\" } ]\n"
           "  - name: beta\n"
           "    plan: unmetered\n"
           "    credentials: [ { type: key, id: beta-1, hash: \"" +
           keyHash(keyOf("beta")) + "\" } ]\n";
}

} // namespace tollgate::test

#include "gateway_yaml.h"

namespace tollgate::test {

std::string GatewayYaml::toYaml() const {
    std::string y = "version: 1\n"
                    "gateway:\n"
                    "  listen: [\"127.0.0.1:0\"]\n"
                    "  workers: " +
                    std::to_string(workers) + "\n" + "  drain_timeout: 5s\n";
    if (!limits.empty()) {
        y += "  limits:\n" + limits;
    }
    y += gatewayExtra;
    y += "services:\n"
         "  - name: backend\n"
         "    targets:\n";
    for (size_t i = 0; i < targets.size(); ++i) {
        const int weight = i < weights.size() ? weights[i] : 1;
        y += "      - { url: \"" + targets[i] + "\", weight: " + std::to_string(weight) + " }\n";
    }
    y += "    balance: " + balance + "\n";
    y += "    timeouts: { connect: " + connectTimeout + ", read: " + readTimeout + " }\n";
    y += "    retries: " + std::to_string(retries) + "\n";
    y += serviceExtra;
    y += "apis:\n"
         "  - name: test\n"
         "    version: v1\n"
         "    base_path: " +
         basePath + "\n" + "    service: backend\n" +
         "    strip_base_path: " + (stripBasePath ? "true" : "false") + "\n" + "    public: true\n" +
         "    routes:\n";
    y += routes.empty() ? "      - { name: all, path: \"/*\" }\n" : routes;
    y += extraApis;
    return y;
}

} // namespace tollgate::test

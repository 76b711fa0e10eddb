#include "integration.h"

#include <sstream>

namespace tollgate::test {

QJsonObject jsonBody(const HttpResponse& response) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(response.body)).object();
}

std::string jsonReason(const HttpResponse& response) {
    return jsonBody(response).value("reason").toString().toStdString();
}

std::string describe(const std::optional<HttpResponse>& response, const RawClient* client) {
    if (!response) {
        return "no response (" + (client ? client->lastError() : lastRoundTripError()) + ")";
    }
    std::string out = response->rawHead;
    out += response->body.substr(0, 300);
    return out;
}

int lineOf(const std::string& text, const std::string& needle) {
    std::istringstream in(text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.find(needle) != std::string::npos) {
            return n;
        }
    }
    return 0;
}

std::string keyOf(const std::string& consumer) {
    return consumer + "-secret-key";
}

std::string keyHash(const std::string& key) {
    // Computed here, not by the core's apiKeyHash(), so that a test checks the core's hashing.
    return "sha256:" + sha256Hex(key);
}

void expectRefused(const std::optional<HttpResponse>& response, int status, const std::string& reason) {
    TG_EXPECT_STATUS(response, status, nullptr);
    QCOMPARE(response->header("X-Tollgate-Reason"), reason);
    QCOMPARE(jsonReason(*response), reason);
}

int64_t headerNumber(const HttpResponse& response, std::string_view name) {
    const std::string v = response.header(name);
    return v.empty() ? -1 : std::stoll(v);
}

std::string ordersGatewayYaml(const TestUpstream& upstream, const std::string& gatewayExtra) {
    return "version: 1\n"
           "gateway:\n"
           "  listen: [\"127.0.0.1:0\"]\n"
           "  workers: 2\n" +
           gatewayExtra +
           "services:\n"
           "  - name: backend\n"
           "    targets: [ { url: \"" +
           upstream.url() +
           "\" } ]\n"
           "apis:\n"
           "  - name: orders\n"
           "    version: v1\n"
           "    base_path: /orders/v1\n"
           "    service: backend\n";
}

} // namespace tollgate::test

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

} // namespace tollgate::test

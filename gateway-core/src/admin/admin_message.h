#pragma once
// The admin API's requests and answers as plain owned values: the connection copies what it parsed out
// of its read buffer, so an endpoint never holds a view into memory the next read reuses.
// Thread safety: plain values.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tollgate::admin {

struct AdminRequest {
    std::string method;
    std::string path;                         // the target before '?', as received
    std::map<std::string, std::string> query; // percent-decoded; a repeated name keeps the last value
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    // First value of a header (case-insensitive name), nullopt when absent.
    std::optional<std::string_view> header(std::string_view name) const;
    const std::string* param(const std::string& name) const;
};

struct AdminResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers; // besides Content-Type/-Length, Connection
    std::string body;
};

// A JSON body, already rendered.
AdminResponse jsonResponse(int status, std::string json);
// {"error": code, "message": message}: every refusal of the admin API has this shape.
AdminResponse errorResponse(int status, std::string_view code, std::string_view message);

// Status line, headers and body; `keepAlive` false adds "Connection: close".
std::string serializeResponse(const AdminResponse& response, bool keepAlive);

// Splits "a=1&b=x%20y" into decoded pairs; false for a malformed escape.
bool parseQuery(std::string_view query, std::map<std::string, std::string>& out);

} // namespace tollgate::admin

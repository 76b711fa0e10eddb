#include "admin/admin_message.h"

#include "admin/admin_router.h"

#include <nlohmann/json.hpp>

namespace tollgate::admin {
namespace {

bool sameName(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        const char x = (a[i] >= 'A' && a[i] <= 'Z') ? char(a[i] + 32) : a[i];
        const char y = (b[i] >= 'A' && b[i] <= 'Z') ? char(b[i] + 32) : b[i];
        if (x != y) {
            return false;
        }
    }
    return true;
}

std::string_view reasonPhrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

} // namespace

std::optional<std::string_view> AdminRequest::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (sameName(k, name)) {
            return std::string_view(v);
        }
    }
    return std::nullopt;
}

const std::string* AdminRequest::param(const std::string& name) const {
    const auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
}

AdminResponse jsonResponse(int status, std::string json) {
    AdminResponse r;
    r.status = status;
    r.body = std::move(json);
    r.body += '\n';
    return r;
}

AdminResponse errorResponse(int status, std::string_view code, std::string_view message) {
    const nlohmann::ordered_json body{{"error", code}, {"message", message}};
    // Replace, not throw: a message may quote bytes a client sent.
    return jsonResponse(status, body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

std::string serializeResponse(const AdminResponse& response, bool keepAlive) {
    std::string out;
    out.reserve(256 + response.body.size());
    out += "HTTP/1.1 " + std::to_string(response.status) + " ";
    out += reasonPhrase(response.status);
    out += "\r\nContent-Type: " + response.contentType;
    out += "\r\nContent-Length: " + std::to_string(response.body.size());
    for (const auto& [k, v] : response.headers) {
        out += "\r\n" + k + ": " + v;
    }
    if (!keepAlive) {
        out += "\r\nConnection: close";
    }
    out += "\r\n\r\n";
    out += response.body;
    return out;
}

bool parseQuery(std::string_view query, std::map<std::string, std::string>& out) {
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        const size_t eq = pair.find('=');
        std::string name, value;
        if (!percentDecode(pair.substr(0, eq), name, true) ||
            !percentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), value,
                           true)) {
            return false;
        }
        out[std::move(name)] = std::move(value);
    }
    return true;
}

} // namespace tollgate::admin

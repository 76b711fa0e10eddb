#include "server/local_response.h"

#include <charconv>

namespace tollgate::server {

std::string_view statusText(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 410:
        return "Gone";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 417:
        return "Expectation Failed";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 499:
        return "Client Closed Request";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

void appendJsonEscaped(std::string& out, std::string_view s) {
    static const char* hex = "0123456789abcdef";
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
    }
}

namespace {
void appendInt(std::string& out, uint64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}
} // namespace

void appendLocalResponse(std::string& out, int status, std::string_view reason, std::string_view allow,
                         bool keepAlive, bool headOnly, const pipeline::RequestContext& ctx) {
    const std::string_view text = statusText(status);
    std::string body;
    body.reserve(96);
    body += "{\"status\":";
    appendInt(body, static_cast<uint64_t>(status));
    body += ",\"reason\":\"";
    appendJsonEscaped(body, reason);
    body += "\",\"message\":\"";
    appendJsonEscaped(body, text);
    body += "\"}\n";

    out += "HTTP/1.1 ";
    appendInt(out, static_cast<uint64_t>(status));
    out += ' ';
    out += text;
    out += "\r\nContent-Type: application/json\r\nContent-Length: ";
    appendInt(out, body.size());
    out += "\r\nX-Tollgate-Reason: ";
    out += reason;
    if (!allow.empty()) {
        out += "\r\nAllow: ";
        out += allow;
    }
    if (!keepAlive) {
        out += "\r\nConnection: close";
    }
    out += "\r\n";
    appendStageHeaders(out, ctx);
    out += "\r\n";
    if (!headOnly) {
        out += body;
    }
}

} // namespace tollgate::server

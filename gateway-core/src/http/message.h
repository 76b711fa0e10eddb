#pragma once
// Parsed HTTP/1.1 message heads. Views point into the connection's read buffer and stay valid
// until that buffer is compacted, that is, for the duration of one request.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tollgate::http {

enum class Method : uint8_t { Get, Head, Post, Put, Delete, Connect, Options, Trace, Patch, Other };
constexpr int kMethodCount = 10;
// Upper-case token of a known method ("GET"); "" for Other.
std::string_view methodName(Method m);
Method methodFromToken(std::string_view token);
// Idempotent per RFC 9110 9.2.2: safe to retry on another upstream target.
bool isIdempotent(Method m);

struct Header {
    std::string_view name;  // as received (case preserved)
    std::string_view value; // leading and trailing whitespace removed
};

// Hard upper bound on header lines per message; gateway.limits.max_header_count must not exceed it.
constexpr size_t kMaxHeaders = 256;

struct ParserLimits {
    size_t maxUriBytes = 8 * 1024;     // longer request-target: 414
    size_t maxHeaderBytes = 32 * 1024; // longer head: 431
    size_t maxHeaderCount = 100;       // more header lines: 431
};

struct RequestHead {
    std::string_view method;
    Method methodId = Method::Other;
    std::string_view target; // request-target as received
    int versionMinor = 1;    // HTTP/1.<minor>, 0 or 1
    Header headers[kMaxHeaders];
    size_t headerCount = 0;

    // Framing and semantics derived from the headers while parsing.
    int64_t contentLength = -1; // -1: no Content-Length
    bool chunked = false;       // Transfer-Encoding: chunked (the only coding accepted)
    bool keepAlive = true;      // HTTP/1.1 default, or HTTP/1.0 with keep-alive
    bool expectContinue = false;
    bool upgrade = false;             // Connection: upgrade and an Upgrade header
    std::string_view host;            // Host header (or authority from an absolute-form target)
    std::string_view upgradeProtocol; // value of the Upgrade header
    size_t headBytes = 0;             // bytes of the head including the final CRLF CRLF

    bool hasBody() const { return chunked || contentLength > 0; }
};

struct ResponseHead {
    int status = 0;
    int versionMinor = 1;
    std::string_view reason;
    Header headers[kMaxHeaders];
    size_t headerCount = 0;

    int64_t contentLength = -1;
    bool chunked = false;
    bool keepAlive = true;
    bool upgrade = false; // 101 with Upgrade header
    size_t headBytes = 0;
};

enum class ParseStatus : uint8_t { Complete, Incomplete, Error };

// On error: the status to answer (400, 414, 431, 501, 505) and a short reason code such as
// "request.header_name", "request.conflicting_length".
struct ParseError {
    int status = 400;
    const char* reason = "request.malformed";
};

} // namespace tollgate::http

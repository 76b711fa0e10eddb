#pragma once
// One record per request, produced in one place (the observe stage) whatever the outcome.
// Plain fixed-size value: workers fill it without allocating; readers drain copies. Text fields are
// NUL-terminated (cut to fit); the bytes after the NUL are unspecified (a ring slot is reused).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate {

struct RequestRecord {
    uint64_t seq = 0;            // 1, 2, 3... in the order the engine read the records (0: not yet)
    int64_t unixMicros = 0;      // when the request head was complete
    uint32_t totalMicros = 0;    // head complete -> last response byte written
    uint32_t upstreamMicros = 0; // upstream connect+exchange, 0 if none
    uint64_t bytesIn = 0;        // request bytes read from the client (head + body)
    uint64_t bytesOut = 0;       // response bytes written to the client
    uint16_t status = 0;
    uint8_t method = 0; // http::Method
    uint8_t worker = 0;
    int16_t targetIndex = -1; // index in the service's targets, -1 when none
    uint16_t captureSlot = 0; // with captureId: where the worker left the headers (internal)
    uint32_t captureId = 0;   // 0: headers not captured (capture off, or no slot free)
    char reason[32] = {};     // reason code, such as "route.none"; "" for a plain success
    char consumer[48] = {};   // "" when anonymous or refused before authentication
    char plan[32] = {};
    char api[48] = {}; // api name ("" when no route matched)
    char apiVersion[16] = {};
    char route[48] = {};
    char path[160] = {}; // canonical path, truncated
    char clientIp[46] = {};
    char target[64] = {}; // the upstream target's URL, "" when none was tried
};

// Request and response heads of one recent exchange (Engine::capturedExchange), kept only while
// header capture is on. Credentials were redacted when captured: Authorization and
// Proxy-Authorization keep their scheme word ("Bearer [redacted]"); Cookie, Set-Cookie, the
// `apikey` header and `apikey` query values read "[redacted]". At most kCapturedExchangeBytes of
// text per exchange (6 KiB for the request); header lines beyond that are left out and the
// matching *Cut flag is set.
struct HeaderLine {
    std::string name;
    std::string value;
};
inline constexpr size_t kCapturedExchangeBytes = 8192;
inline constexpr std::string_view kRedactedValue = "[redacted]";

struct CapturedExchange {
    uint64_t seq = 0;
    int64_t unixMicros = 0;  // the record's: seqs start again at 1 when the engine restarts
    std::string requestLine; // "GET /v1/pets?apikey=[redacted] HTTP/1.1"
    std::vector<HeaderLine> requestHeaders;
    uint32_t requestHeadBytes = 0; // the head as received, CRLF CRLF included
    bool requestCut = false;
    std::string statusLine; // "HTTP/1.1 200 OK"; "" when no answer was sent (the client left)
    std::vector<HeaderLine> responseHeaders;
    uint32_t responseHeadBytes = 0;
    bool responseCut = false;
};

// The record's method as its token ("GET"); "" for a method the gateway does not name. Any thread.
std::string_view recordMethodName(uint8_t method);

} // namespace tollgate

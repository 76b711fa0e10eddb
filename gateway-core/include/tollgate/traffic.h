#pragma once
// One record per request, produced in one place (the observe stage) whatever the outcome.
// Plain fixed-size value: workers fill it without allocating; readers drain copies. Text fields are
// NUL-terminated (cut to fit); the bytes after the NUL are unspecified (a ring slot is reused).

#include <cstdint>
#include <string_view>

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

// The record's method as its token ("GET"); "" for a method the gateway does not name. Any thread.
std::string_view recordMethodName(uint8_t method);

} // namespace tollgate

#pragma once
// Private to src/http: character tables and the header-section scanner shared by the request and
// response parsers. Everything here is allocation-free and works on views into the read buffer.

#include "http/message.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tollgate::http::detail {

enum CharClass : uint8_t {
    kTchar = 1,       // RFC 9110 5.6.2 token character
    kFieldChar = 2,   // field-value byte: VCHAR, obs-text, SP, HTAB
    kTargetChar = 4,  // visible ASCII (0x21-0x7E): what a request-target may hold
    kHexDigit = 8,    // 0-9 A-F a-f
    kUnreserved = 16, // RFC 3986 unreserved: ALPHA DIGIT - . _ ~
    kPchar = 32,      // RFC 3986 pchar except pct-encoded and ';' (path parameters are refused)
    kDigit = 64,
};

constexpr std::array<uint8_t, 256> makeCharClasses() {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) {
        uint8_t v = 0;
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        if (alpha || digit) {
            v |= kTchar | kUnreserved | kPchar;
        }
        if (digit) {
            v |= kDigit | kHexDigit;
        }
        if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
            v |= kHexDigit;
        }
        for (char s : std::string_view("!#$%&'*+-.^_`|~")) {
            if (c == static_cast<unsigned char>(s)) {
                v |= kTchar;
            }
        }
        for (char s : std::string_view("-._~")) {
            if (c == static_cast<unsigned char>(s)) {
                v |= kUnreserved | kPchar;
            }
        }
        for (char s : std::string_view("!$&'()*+,=:@")) {
            if (c == static_cast<unsigned char>(s)) {
                v |= kPchar;
            }
        }
        if (c == '\t' || (c >= 0x20 && c != 0x7F)) {
            v |= kFieldChar;
        }
        if (c >= 0x21 && c <= 0x7E) {
            v |= kTargetChar;
        }
        t[static_cast<size_t>(c)] = v;
    }
    return t;
}

inline constexpr std::array<uint8_t, 256> kCharClasses = makeCharClasses();

inline bool hasClass(char c, uint8_t cls) {
    return (kCharClasses[static_cast<unsigned char>(c)] & cls) != 0;
}

constexpr std::array<char, 256> makeLowerTable() {
    std::array<char, 256> t{};
    for (int c = 0; c < 256; ++c) {
        t[static_cast<size_t>(c)] = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    return t;
}

inline constexpr std::array<char, 256> kLower = makeLowerTable();

inline char toLower(char c) {
    return kLower[static_cast<unsigned char>(c)];
}

// Compares a received name against a lower-case literal: one table lookup per byte.
inline bool equalsLowerLiteral(std::string_view received, std::string_view lowerLiteral) {
    if (received.size() != lowerLiteral.size()) {
        return false;
    }
    for (size_t i = 0; i < received.size(); ++i) {
        if (toLower(received[i]) != lowerLiteral[i]) {
            return false;
        }
    }
    return true;
}

// Eight bytes at a time (SWAR, "Bit Twiddling Hacks"): does any byte fall below n, or above m?
// Exact as yes/no answers for n <= 128 and m <= 127, which is all the scanners below need.
constexpr uint64_t kOnes = ~uint64_t(0) / 255;
constexpr uint64_t kHighBits = kOnes * 128;
inline uint64_t anyByteBelow(uint64_t x, uint8_t n) {
    return (x - kOnes * n) & ~x & kHighBits;
}
inline uint64_t anyByteAbove(uint64_t x, uint8_t m) {
    return ((x + kOnes * (127 - m)) | x) & kHighBits;
}
inline uint64_t anyByteEqual(uint64_t x, uint8_t v) {
    return anyByteBelow(x ^ (kOnes * v), 1);
}

inline uint64_t load8(const char* p) {
    uint64_t x;
    std::memcpy(&x, p, sizeof x);
    return x;
}

// First '\n' in [p, limit), or nullptr. Inline rather than memchr: header lines are short, so
// the call and setup cost of memchr dominated the scan. The lowest flagged byte of the SWAR test
// is exact (false positives can only appear above a true match), so ctz finds it.
inline const char* findLf(const char* p, const char* limit) {
    static_assert(std::endian::native == std::endian::little);
    while (limit - p >= 8) {
        const uint64_t hit = anyByteEqual(load8(p), '\n');
        if (hit != 0) {
            return p + (std::countr_zero(hit) >> 3);
        }
        p += 8;
    }
    for (; p < limit; ++p) {
        if (*p == '\n') {
            return p;
        }
    }
    return nullptr;
}

// First byte in [p, limit) that may not appear in a field value (CTL other than HTAB, or DEL),
// or limit. Skips eight clean bytes per step; HTAB and the stop byte are settled byte by byte.
inline const char* skipFieldChars(const char* p, const char* limit) {
    while (limit - p >= 8) {
        const uint64_t x = load8(p);
        if ((anyByteBelow(x, 0x20) | anyByteEqual(x, 0x7F)) != 0) {
            break;
        }
        p += 8;
    }
    while (p < limit && hasClass(*p, kFieldChar)) {
        ++p;
    }
    return p;
}

// First byte in [p, limit) outside visible ASCII (0x21-0x7E), or limit.
inline const char* skipTargetChars(const char* p, const char* limit) {
    while (limit - p >= 8) {
        const uint64_t x = load8(p);
        if ((anyByteBelow(x, 0x21) | anyByteAbove(x, 0x7E)) != 0) {
            break;
        }
        p += 8;
    }
    while (p < limit && hasClass(*p, kTargetChar)) {
        ++p;
    }
    return p;
}

inline int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    const char l = toLower(c);
    if (l >= 'a' && l <= 'f') {
        return l - 'a' + 10;
    }
    return -1;
}

inline std::string_view trimOws(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) {
        v.remove_prefix(1);
    }
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) {
        v.remove_suffix(1);
    }
    return v;
}

// Calls fn(element) for each comma-separated element, OWS trimmed (empty elements included so
// callers can decide whether they are acceptable). Stops early when fn returns false.
template <typename Fn> bool forEachListElement(std::string_view value, Fn&& fn) {
    for (;;) {
        const size_t comma = value.find(',');
        if (!fn(trimOws(value.substr(0, comma)))) {
            return false;
        }
        if (comma == std::string_view::npos) {
            return true;
        }
        value.remove_prefix(comma + 1);
    }
}

// Largest accepted Content-Length or chunk size: 2^62 leaves headroom for any arithmetic on it.
constexpr uint64_t kMaxBodyLength = uint64_t(1) << 62;

// The reason codes (and status) a parser reports; requests and responses use different prefixes.
struct HeadReasons {
    int status;
    int tooLargeStatus; // 431 for requests, 502 for responses
    const char* headerTooLarge;
    const char* tooManyHeaders;
    const char* bareLf;
    const char* bareCr;
    const char* obsFold;
    const char* headerName;
    const char* headerValue;
    const char* contentLength;
    const char* conflictingLength;
    const char* transferCoding;
    const char* lengthAndChunked;
};

// Where the head ends and where its first line ends, found by one memchr pass over the LFs.
struct HeadScan {
    size_t end = 0;          // offset just past CRLF CRLF; 0 while incomplete
    size_t firstLineEnd = 0; // offset of the first line's CR, once firstLineComplete
    bool firstLineComplete = false;
    size_t headerLines = 0; // header lines seen so far (complete ones)
};

// Scans from `start` for the end of the head: every LF must follow a CR, and at most maxHeaderBytes
// (counted from offset 0) and maxLines header lines are allowed. Returns Complete (scan.end set),
// Incomplete or Error (err set).
ParseStatus scanHead(const char* data, size_t len, size_t start, size_t maxHeaderBytes, size_t maxLines,
                     const HeadReasons& reasons, HeadScan& scan, ParseError& err);

// Parses the header lines in [begin, end) where end is just past the CRLF that closes the last
// header line (before the empty line). Fills headers[]; count is the number written.
bool parseHeaderLines(const char* begin, const char* end, Header* headers, size_t maxHeaders, size_t& count,
                      const HeadReasons& reasons, ParseError& err);

// Content-Length value: 1*DIGIT, or a list of identical such values (RFC 9112 6.3). `current` is
// the value from an earlier Content-Length line (-1 if none); a differing value is a conflict.
bool applyContentLength(std::string_view value, int64_t& current, const HeadReasons& reasons,
                        ParseError& err);

// Transfer-Encoding across all lines: counts the codings and remembers whether any is not chunked.
struct TransferCodings {
    bool present = false;
    size_t count = 0;
    bool onlyChunked = true;
    bool lastIsChunked = false;
    void add(std::string_view value);
    bool isSingleChunked() const { return present && count == 1 && onlyChunked; }
    // RFC 9112 6.3: a request whose final coding is not chunked cannot be framed at all (400);
    // one that ends in chunked after other codings is framed but not understood (501).
    bool unframeable() const { return present && (count == 0 || !lastIsChunked); }
};

// Connection tokens that matter to a proxy.
struct ConnectionTokens {
    bool close = false;
    bool keepAlive = false;
    bool upgrade = false;
    void add(std::string_view value);
};

// Host (or absolute-form authority): reg-name (unreserved and pct-encoded only), IPv4, or
// [IPv6], with an optional port of 1-5 digits up to 65535.
bool isValidHost(std::string_view host);

} // namespace tollgate::http::detail

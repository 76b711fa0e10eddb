#include "recording/record_json.h"

#include "http/message.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace tollgate::recording {
namespace {

// The line is written through a raw pointer into room reserved for the longest possible line: the
// access log formats every request, and std::string's append checks capacity at every one of the
// ~40 pieces of a line (a quarter of the recorder's time went there).

template <size_t N> char* put(char* p, const char (&literal)[N]) {
    std::memcpy(p, literal, N - 1);
    return p + N - 1;
}

char* put(char* p, std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    return p + text.size();
}

char* putNumber(char* p, uint64_t v) {
    return std::to_chars(p, p + 20, v).ptr;
}

// Microseconds as milliseconds with three decimals ("12.345"): exact, and no floating point.
char* putMillis(char* p, uint64_t micros) {
    p = putNumber(p, micros / 1000);
    p[0] = '.';
    p[1] = char('0' + micros / 100 % 10);
    p[2] = char('0' + micros / 10 % 10);
    p[3] = char('0' + micros % 10);
    return p + 4;
}

// Formatting a date costs more than the rest of a record together; records come in time order, so
// the "YYYY-MM-DDTHH:MM:SS" of the current second is formatted once per thread and reused.
char* putTime(char* p, int64_t unixMicros) {
    thread_local int64_t cachedSecond = -1;
    thread_local char cached[64];
    const int64_t second = unixMicros / 1'000'000;
    if (second != cachedSecond) {
        const time_t secs = static_cast<time_t>(second);
        tm t{};
        gmtime_r(&secs, &t);
        std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", t.tm_year + 1900, t.tm_mon + 1,
                      t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
        cachedSecond = second;
    }
    *p++ = '"';
    p = put(p, std::string_view(cached, 19));
    int64_t micros = unixMicros % 1'000'000;
    p[0] = '.';
    for (int i = 6; i >= 1; --i) {
        p[i] = static_cast<char>('0' + micros % 10);
        micros /= 10;
    }
    p[7] = 'Z';
    p[8] = '"';
    return p + 9;
}

// At most 6 bytes per byte of text, plus the quotes.
char* putJsonString(char* p, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    *p++ = '"';
    size_t plain = 0; // start of the run of characters that need no escape
    for (size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            continue;
        }
        p = put(p, text.substr(plain, i - plain));
        plain = i + 1;
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = static_cast<char>(c);
        } else {
            const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
            std::memcpy(p, esc, 6);
            p += 6;
        }
    }
    p = put(p, text.substr(plain));
    *p++ = '"';
    return p;
}

// `key` is the whole `,"name":` prefix.
template <size_t K, size_t N> char* putField(char* p, const char (&key)[K], const char (&value)[N]) {
    p = put(p, key);
    const std::string_view v = recordField(value);
    return v.empty() ? put(p, "null") : putJsonString(p, v);
}

constexpr size_t kEscaped = 6;
// Everything but the identity: the keys and punctuation (under 200 bytes), 5 numbers of at most 20
// digits, the time, and the three text fields escaped at worst.
constexpr size_t kMaxLineWithoutIdentity =
    512 +
    kEscaped * (sizeof RequestRecord::path + sizeof RequestRecord::clientIp + sizeof RequestRecord::target);

} // namespace

std::string_view recordMethod(const RequestRecord& r) {
    const std::string_view name = http::methodName(static_cast<http::Method>(r.method));
    return name.empty() ? std::string_view("OTHER") : name;
}

void appendJsonString(std::string& out, std::string_view text) {
    const size_t old = out.size();
    out.resize(old + 2 + kEscaped * text.size());
    out.resize(size_t(putJsonString(out.data() + old, text) - out.data()));
}

void appendRecordIdentity(std::string& out, const RequestRecord& r) {
    constexpr size_t kMax = 256 + kEscaped * (sizeof r.consumer + sizeof r.plan + sizeof r.api +
                                              sizeof r.apiVersion + sizeof r.route + sizeof r.reason);
    const size_t old = out.size();
    out.resize(old + kMax);
    char* p = out.data() + old;
    p = putField(p, ",\"consumer\":", r.consumer);
    p = putField(p, ",\"plan\":", r.plan);
    p = putField(p, ",\"api\":", r.api);
    p = putField(p, ",\"version\":", r.apiVersion);
    p = putField(p, ",\"route\":", r.route);
    p = put(p, ",\"method\":");
    p = putJsonString(p, recordMethod(r));
    p = put(p, ",\"status\":");
    p = putNumber(p, r.status);
    p = putField(p, ",\"reason\":", r.reason);
    out.resize(size_t(p - out.data()));
}

size_t maxRecordJson(size_t identitySize) {
    return kMaxLineWithoutIdentity + identitySize;
}

char* writeRecordJson(char* p, const RequestRecord& r, std::string_view identity) {
    p = put(p, "{\"time\":");
    p = putTime(p, r.unixMicros);
    p = put(p, ",\"seq\":");
    p = putNumber(p, r.seq);
    p = put(p, identity);
    p = putField(p, ",\"path\":", r.path);
    p = put(p, ",\"bytes_in\":");
    p = putNumber(p, r.bytesIn);
    p = put(p, ",\"bytes_out\":");
    p = putNumber(p, r.bytesOut);
    p = put(p, ",\"latency_ms\":");
    p = putMillis(p, r.totalMicros);
    p = put(p, ",\"upstream_ms\":");
    p = putMillis(p, r.upstreamMicros);
    p = putField(p, ",\"client_ip\":", r.clientIp);
    p = putField(p, ",\"target\":", r.target);
    p = put(p, ",\"worker\":");
    p = putNumber(p, r.worker);
    *p++ = '}';
    return p;
}

void appendRecordJson(std::string& out, const RequestRecord& r, std::string_view identity) {
    const size_t old = out.size();
    out.resize(old + maxRecordJson(identity.size()));
    out.resize(size_t(writeRecordJson(out.data() + old, r, identity) - out.data()));
}

void appendRecordJson(std::string& out, const RequestRecord& r) {
    std::string identity;
    appendRecordIdentity(identity, r);
    appendRecordJson(out, r, identity);
}

} // namespace tollgate::recording

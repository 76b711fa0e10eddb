#include "recording/record_json.h"

#include "http/message.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace tollgate::recording {
namespace {

void appendNumber(std::string& out, uint64_t v) {
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out.append(buf, end);
}

// Microseconds as milliseconds with three decimals ("12.345"): exact, and no floating point.
void appendMillis(std::string& out, uint64_t micros) {
    appendNumber(out, micros / 1000);
    char frac[5] = {'.', char('0' + micros / 100 % 10), char('0' + micros / 10 % 10), char('0' + micros % 10),
                    0};
    out.append(frac, 4);
}

// Formatting a date costs more than the rest of a record together; records come in time order, so
// the "YYYY-MM-DDTHH:MM:SS" of the current second is formatted once per thread and reused.
void appendTime(std::string& out, int64_t unixMicros) {
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
    out += '"';
    out.append(cached, 19);
    char frac[9] = {'.', 0, 0, 0, 0, 0, 0, 'Z', '"'};
    int64_t micros = unixMicros % 1'000'000;
    for (int i = 6; i >= 1; --i) {
        frac[i] = static_cast<char>('0' + micros % 10);
        micros /= 10;
    }
    out.append(frac, sizeof frac);
}

template <size_t N> void appendField(std::string& out, std::string_view key, const char (&value)[N]) {
    out += ",\"";
    out += key;
    out += "\":";
    const std::string_view v(value, strnlen(value, N));
    if (v.empty()) {
        out += "null";
    } else {
        appendJsonString(out, v);
    }
}

void appendKey(std::string& out, std::string_view key) {
    out += ",\"";
    out += key;
    out += "\":";
}

} // namespace

std::string_view recordMethod(const RequestRecord& r) {
    const std::string_view name = http::methodName(static_cast<http::Method>(r.method));
    return name.empty() ? std::string_view("OTHER") : name;
}

void appendJsonString(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    size_t plain = 0; // start of the run of characters that need no escape
    for (size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            continue;
        }
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else {
            const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
            out.append(esc, 6);
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out += '"';
}

void appendRecordIdentity(std::string& out, const RequestRecord& r) {
    appendField(out, "consumer", r.consumer);
    appendField(out, "plan", r.plan);
    appendField(out, "api", r.api);
    appendField(out, "version", r.apiVersion);
    appendField(out, "route", r.route);
    appendKey(out, "method");
    appendJsonString(out, recordMethod(r));
    appendKey(out, "status");
    appendNumber(out, r.status);
    appendField(out, "reason", r.reason);
}

void appendRecordJson(std::string& out, const RequestRecord& r, std::string_view identity) {
    out += "{\"time\":";
    appendTime(out, r.unixMicros);
    appendKey(out, "seq");
    appendNumber(out, r.seq);
    out += identity;
    appendField(out, "path", r.path);
    appendKey(out, "bytes_in");
    appendNumber(out, r.bytesIn);
    appendKey(out, "bytes_out");
    appendNumber(out, r.bytesOut);
    appendKey(out, "latency_ms");
    appendMillis(out, r.totalMicros);
    appendKey(out, "upstream_ms");
    appendMillis(out, r.upstreamMicros);
    appendField(out, "client_ip", r.clientIp);
    appendField(out, "target", r.target);
    appendKey(out, "worker");
    appendNumber(out, r.worker);
    out += '}';
}

void appendRecordJson(std::string& out, const RequestRecord& r) {
    std::string identity;
    appendRecordIdentity(identity, r);
    appendRecordJson(out, r, identity);
}

} // namespace tollgate::recording

#include "config/value_parsers.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <limits>

namespace tollgate {
namespace {

// Parses all of `text` as an unsigned decimal; no sign, no spaces.
std::optional<uint64_t> parseUnsigned(std::string_view text) {
    if (text.empty() || text.size() > 20) {
        return std::nullopt;
    }
    uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

struct Unit {
    std::string_view suffix;
    uint64_t factor;
};

// Splits "<digits><unit>" and multiplies, refusing overflow and unknown units.
std::optional<uint64_t> parseWithUnit(std::string_view text, std::initializer_list<Unit> units,
                                      bool unitRequired) {
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        ++digits;
    }
    const auto number = parseUnsigned(text.substr(0, digits));
    if (!number) {
        return std::nullopt;
    }
    const std::string_view suffix = text.substr(digits);
    if (suffix.empty() && !unitRequired) {
        return number;
    }
    for (const Unit& unit : units) {
        if (suffix == unit.suffix) {
            if (*number > std::numeric_limits<uint64_t>::max() / unit.factor) {
                return std::nullopt;
            }
            return *number * unit.factor;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<Millis> parseDuration(std::string_view text) {
    constexpr uint64_t second = 1000;
    const auto ms = parseWithUnit(
        text, {{"ms", 1}, {"s", second}, {"m", 60 * second}, {"h", 3600 * second}, {"d", 86400 * second}},
        true);
    // Millis is signed; anything near the limit is a typo, not a timeout.
    if (!ms || *ms > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / 2)) {
        return std::nullopt;
    }
    return Millis(static_cast<int64_t>(*ms));
}

std::optional<uint64_t> parseSize(std::string_view text) {
    constexpr uint64_t kib = 1024;
    return parseWithUnit(text, {{"B", 1}, {"KiB", kib}, {"MiB", kib * kib}, {"GiB", kib * kib * kib}}, false);
}

std::optional<Cidr> parseCidr(std::string_view text) {
    Cidr cidr;
    cidr.text = std::string(text);
    std::string_view address = text;
    std::optional<uint64_t> prefix;
    if (const size_t slash = text.find('/'); slash != std::string_view::npos) {
        address = text.substr(0, slash);
        prefix = parseUnsigned(text.substr(slash + 1));
        if (!prefix || text.size() - slash - 1 > 3) {
            return std::nullopt;
        }
    }
    if (address.empty() || address.size() >= INET6_ADDRSTRLEN) {
        return std::nullopt;
    }
    const std::string host(address);
    if (host.find(':') != std::string::npos) {
        cidr.v6 = true;
        if (inet_pton(AF_INET6, host.c_str(), cidr.addr) != 1) {
            return std::nullopt;
        }
    } else if (inet_pton(AF_INET, host.c_str(), cidr.addr) != 1) {
        return std::nullopt;
    }
    const int bits = cidr.v6 ? 128 : 32;
    cidr.prefix = prefix ? static_cast<int>(*prefix) : bits;
    if (cidr.prefix > bits) {
        return std::nullopt;
    }
    // Host bits are accepted ("10.1.2.3/8") but cleared, so matching only compares network bytes.
    for (int bit = cidr.prefix; bit < bits; ++bit) {
        cidr.addr[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
    }
    return cidr;
}

} // namespace tollgate

namespace tollgate::config {
namespace {

bool isHostChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
}

bool parsePort(std::string_view text, uint16_t& port) {
    if (text.empty() || text.size() > 5) {
        return false;
    }
    uint32_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || value > 65535) {
        return false;
    }
    port = static_cast<uint16_t>(value);
    return true;
}

bool isIpv6(std::string_view text) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
        return false;
    }
    uint8_t bytes[16];
    return inet_pton(AF_INET6, std::string(text).c_str(), bytes) == 1;
}

// Splits "host:port" / "[v6]:port" into its parts; `portRequired` false allows a bare host.
bool splitHostPort(std::string_view text, std::string& host, std::string_view& port, bool portRequired,
                   std::string& why) {
    std::string_view rest;
    if (!text.empty() && text.front() == '[') {
        const size_t close = text.find(']');
        if (close == std::string_view::npos || !isIpv6(text.substr(1, close - 1))) {
            why = "invalid IPv6 address in brackets";
            return false;
        }
        host = std::string(text.substr(1, close - 1));
        rest = text.substr(close + 1);
    } else {
        const size_t colon = text.rfind(':');
        if (colon != std::string_view::npos && text.find(':') != colon) {
            why = "an IPv6 address must be written in brackets, like [::1]:8080";
            return false;
        }
        host = std::string(text.substr(0, colon == std::string_view::npos ? text.size() : colon));
        rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
        if (host.empty()) {
            why = "missing host";
            return false;
        }
        for (char c : host) {
            if (!isHostChar(c)) {
                why = "invalid character in host";
                return false;
            }
        }
    }
    if (rest.empty()) {
        if (portRequired) {
            why = "missing port";
            return false;
        }
        port = {};
        return true;
    }
    if (rest.front() != ':') {
        why = "unexpected text after the host";
        return false;
    }
    port = rest.substr(1);
    return true;
}

} // namespace

std::optional<ListenAddress> parseListenAddress(std::string_view text, std::string& why) {
    ListenAddress out;
    out.text = std::string(text);
    std::string_view port;
    if (!splitHostPort(text, out.host, port, true, why)) {
        return std::nullopt;
    }
    if (!parsePort(port, out.port)) {
        why = "port must be a number from 0 to 65535";
        return std::nullopt;
    }
    return out;
}

bool parseTargetUrl(std::string_view text, TargetConfig& out, std::string& why) {
    constexpr std::string_view builtin = "builtin:";
    if (text.substr(0, builtin.size()) == builtin) {
        const std::string_view name = text.substr(builtin.size());
        if (name != "echo") {
            why = "unknown builtin \"" + std::string(name) + "\" (echo)";
            return false;
        }
        out.scheme = "builtin";
        out.host = std::string(name);
        out.port = 0;
        return true;
    }
    const size_t sep = text.find("://");
    const std::string_view scheme = sep == std::string_view::npos ? std::string_view() : text.substr(0, sep);
    if (scheme != "http" && scheme != "https") {
        why = "expected http://host:port, https://host:port or builtin:echo";
        return false;
    }
    std::string_view rest = text.substr(sep + 3);
    if (!rest.empty() && rest.back() == '/') {
        rest.remove_suffix(1);
    }
    if (rest.find_first_of("/?#@") != std::string_view::npos) {
        why = "a target is scheme://host[:port] only, without path, query or user";
        return false;
    }
    std::string_view port;
    if (!splitHostPort(rest, out.host, port, false, why)) {
        return false;
    }
    out.scheme = std::string(scheme);
    if (port.data() == nullptr) {
        out.port = scheme == "https" ? 443 : 80;
    } else if (!parsePort(port, out.port) || out.port == 0) {
        why = "port must be a number from 1 to 65535";
        return false;
    }
    return true;
}

bool isValidDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    int parts[3] = {};
    const std::string_view fields[3] = {text.substr(0, 4), text.substr(5, 2), text.substr(8, 2)};
    for (int i = 0; i < 3; ++i) {
        for (char c : fields[i]) {
            if (c < '0' || c > '9') {
                return false;
            }
            parts[i] = parts[i] * 10 + (c - '0');
        }
    }
    const int year = parts[0];
    const int month = parts[1];
    const int day = parts[2];
    if (year < 1970 || month < 1 || month > 12 || day < 1) {
        return false;
    }
    static constexpr int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + ((month == 2 && leap) ? 1 : 0);
}

bool isSha256(std::string_view text, bool anyCase) {
    constexpr std::string_view prefix = "sha256:";
    if (text.size() != prefix.size() + 64 || text.substr(0, prefix.size()) != prefix) {
        return false;
    }
    for (char c : text.substr(prefix.size())) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (anyCase && c >= 'A' && c <= 'F');
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool isHostPattern(std::string_view text) {
    if (text.substr(0, 2) == "*.") {
        text.remove_prefix(2);
    }
    if (text.empty() || text.size() > 253 || text.front() == '.' || text.front() == '-') {
        return false;
    }
    for (char c : text) {
        if (!isHostChar(c)) {
            return false;
        }
    }
    return text.find("..") == std::string_view::npos;
}

} // namespace tollgate::config

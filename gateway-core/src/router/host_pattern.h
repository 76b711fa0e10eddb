#pragma once
// Host names as configured on routes and APIs, and the request's Host header, compared without
// allocating. Private to the router. Thread safety: pure functions over immutable values.

#include <string>
#include <string_view>

namespace tollgate::router {

// One configured host, lower case, port stripped. "*.example.com" is kept as ".example.com" with
// `wildcard` set: it matches one or more labels in front of the suffix, never the bare suffix.
struct HostPattern {
    std::string name;
    bool wildcard = false;
};

inline char asciiLower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Host without port and without a trailing root dot: "Api.Example.com:8443" -> "Api.Example.com",
// "[::1]:80" -> "[::1]". Case is left alone (compared case-insensitively).
inline std::string_view hostWithoutPort(std::string_view host) {
    if (!host.empty() && host.front() == '[') {
        const size_t end = host.find(']');
        return end == std::string_view::npos ? host : host.substr(0, end + 1);
    }
    const size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
        host = host.substr(0, colon);
    }
    if (!host.empty() && host.back() == '.') {
        host.remove_suffix(1);
    }
    return host;
}

inline HostPattern makeHostPattern(std::string_view configured) {
    HostPattern p;
    std::string_view h = hostWithoutPort(configured);
    if (h.size() > 2 && h.substr(0, 2) == "*.") {
        p.wildcard = true;
        h.remove_prefix(1); // keep the dot: ".example.com"
    }
    p.name.reserve(h.size());
    for (char c : h) {
        p.name.push_back(asciiLower(c));
    }
    return p;
}

// `lower` is already lower case; `text` is compared case-insensitively.
inline bool equalsLower(std::string_view text, std::string_view lower) {
    if (text.size() != lower.size()) {
        return false;
    }
    for (size_t i = 0; i < text.size(); ++i) {
        if (asciiLower(text[i]) != lower[i]) {
            return false;
        }
    }
    return true;
}

// `host` as returned by hostWithoutPort().
inline bool hostMatches(const HostPattern& p, std::string_view host) {
    if (!p.wildcard) {
        return equalsLower(host, p.name);
    }
    // At least one character (one label) in front of ".example.com".
    return host.size() > p.name.size() && equalsLower(host.substr(host.size() - p.name.size()), p.name);
}

} // namespace tollgate::router

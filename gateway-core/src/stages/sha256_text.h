#pragma once
// Credentials in the config name a SHA-256 digest as "sha256:<64 hex>" (API key hashes, client
// certificate fingerprints); stages compile them to raw bytes once, at load.

#include "http/head_grammar.h"

#include <cstdint>
#include <string_view>

namespace tollgate::stages {

// "sha256:<64 hex>", either case -> 32 bytes at `out`. False when malformed.
inline bool parseSha256Text(std::string_view text, uint8_t* out) {
    constexpr std::string_view kPrefix = "sha256:";
    if (text.size() != kPrefix.size() + 64 || text.substr(0, kPrefix.size()) != kPrefix) {
        return false;
    }
    text.remove_prefix(kPrefix.size());
    for (size_t i = 0; i < 32; ++i) {
        const int hi = http::detail::hexValue(text[2 * i]);
        const int lo = http::detail::hexValue(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return false;
        }
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return true;
}

} // namespace tollgate::stages

#include "admin/admin_token.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstdlib>

namespace tollgate::admin {
namespace {

std::array<unsigned char, 32> digestOf(std::string_view text) {
    std::array<unsigned char, 32> d{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), d.data());
    return d;
}

bool startsWithIgnoreCase(std::string_view text, std::string_view lowerPrefix) {
    if (text.size() < lowerPrefix.size()) {
        return false;
    }
    for (size_t i = 0; i < lowerPrefix.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c + 32);
        }
        if (c != lowerPrefix[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

AdminToken::AdminToken(std::string_view token) : m_digest(digestOf(token)) {}

std::optional<AdminToken> AdminToken::fromEnvironment(const std::string& envName, std::string& error) {
    const char* value = std::getenv(envName.c_str());
    const std::string_view token = value == nullptr ? std::string_view() : std::string_view(value);
    if (token.empty()) {
        error = "the environment variable " + envName +
                " is empty; the admin API refuses to start without a token";
        return std::nullopt;
    }
    if (token.size() < kMinTokenLength) {
        error = "the token in " + envName + " has " + std::to_string(token.size()) +
                " characters; the admin API needs at least " + std::to_string(kMinTokenLength);
        return std::nullopt;
    }
    return AdminToken(token);
}

AdminToken::Check AdminToken::check(std::optional<std::string_view> authorization) const {
    if (!authorization) {
        return Check::Missing;
    }
    std::string_view v = *authorization;
    if (!startsWithIgnoreCase(v, "bearer ")) {
        return Check::Invalid;
    }
    v.remove_prefix(7);
    while (!v.empty() && v.front() == ' ') {
        v.remove_prefix(1);
    }
    const auto presented = digestOf(v);
    return CRYPTO_memcmp(presented.data(), m_digest.data(), m_digest.size()) == 0 ? Check::Ok
                                                                                  : Check::Invalid;
}

} // namespace tollgate::admin

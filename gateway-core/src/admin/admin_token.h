#pragma once
// The admin API's bearer token. Only its SHA-256 is kept, and a presented token is hashed before the
// comparison, so the comparison takes the same time whatever the lengths and the first differing byte.
// Thread safety: immutable after construction; check() from any thread.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace tollgate::admin {

// Shorter tokens are refused at start: a guessable token on a management port is worse than none.
constexpr size_t kMinTokenLength = 16;

class AdminToken {
public:
    explicit AdminToken(std::string_view token);

    // The token from the environment variable `envName`; nullopt with a message naming the variable
    // when it is unset, empty or shorter than kMinTokenLength.
    static std::optional<AdminToken> fromEnvironment(const std::string& envName, std::string& error);

    enum class Check { Ok, Missing, Invalid };
    // `authorization` is the Authorization header's value, nullopt when the request has none.
    Check check(std::optional<std::string_view> authorization) const;

private:
    std::array<unsigned char, 32> m_digest{};
};

} // namespace tollgate::admin

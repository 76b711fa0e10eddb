#pragma once
// JSON Web Key Sets (RFC 7517) for JWT verification: RSA (n, e; >= 2048 bits) and EC P-256 (x, y)
// public keys only; symmetric ("oct") and private members are never taken from a URL.
// Thread safety: KeySet is immutable once built and shared as shared_ptr<const KeySet>.

#include "stages/authn_jwt/jwt.h"

#include <string>
#include <string_view>
#include <vector>

namespace tollgate::stages {

struct KeySet {
    std::vector<jwt::Key> keys;

    // The key for a token: by `kid` when the token has one (Kid when absent from the set), else
    // the only key of the token's algorithm (Kid when there are several or none).
    const jwt::Key* select(std::string_view kid, jwt::Alg alg, jwt::Error& error) const;
};

namespace jwt {

constexpr size_t kMaxJwksKeys = 64;

// Parses a JWKS document; keys of other types, other uses ("use" other than "sig") or algorithms
// other than their type's are skipped. False with `error` when the document is not a JWKS or no
// key is usable.
bool parseJwks(std::string_view json, KeySet& out, std::string& error);

} // namespace jwt
} // namespace tollgate::stages

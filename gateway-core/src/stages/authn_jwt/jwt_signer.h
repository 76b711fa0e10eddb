#pragma once
// Issuing side of JWT, for tooling (the console's request composer, `tollgate token`), tests and
// fuzz corpora: key generation, signing, and public-key export as PEM or JWK. Not on any request
// path. Thread safety: free functions, no shared state.

#include "stages/authn_jwt/jwt.h"

#include <string>
#include <string_view>

namespace tollgate::stages::jwt {

// "base64url(header).base64url(payload).base64url(HMAC-SHA256)"; the JSON is used as given.
std::string signHs256(std::string_view headerJson, std::string_view payloadJson, std::string_view secret);
// RS256 with an RSA private key, ES256 (raw r||s) with an EC P-256 one; "" on failure.
std::string signWithKey(std::string_view headerJson, std::string_view payloadJson, EVP_PKEY* privateKey);

PKeyPtr generateRsaKey(int bits = 2048);
PKeyPtr generateEcP256Key();
// SubjectPublicKeyInfo PEM of the public half.
std::string publicKeyPem(EVP_PKEY* key);
// One RFC 7517 JWK object of the public half, {"kty":...,"kid":...,"alg":...,...}.
std::string publicJwk(EVP_PKEY* key, std::string_view kid);

} // namespace tollgate::stages::jwt

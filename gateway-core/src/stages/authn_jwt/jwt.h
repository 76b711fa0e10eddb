#pragma once
// Strict compact-JWS (RFC 7515) parsing and JWT (RFC 7519) verification.
// - three base64url parts, no padding, canonical trailing bits, token <= kMaxTokenBytes;
// - header and payload are JSON objects without duplicate members; `crit` is refused;
// - `alg` is pinned to the key: HS256 only with a secret, RS256 only with an RSA key, ES256 only
//   with a P-256 key (raw r||s signature); `none` never; keys embedded in the token are ignored;
// - claims: `iss` (required, exact), `exp` (required), `nbf` (optional) with a leeway against the
//   caller's clock, `aud` (string or array) when an audience is required.
// Errors are values. Thread safety: Key is immutable once built and may be shared across threads;
// the functions keep no shared state.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

typedef struct evp_pkey_st EVP_PKEY;

namespace tollgate::stages::jwt {

constexpr size_t kMaxTokenBytes = 8 * 1024;
constexpr int64_t kLeewaySeconds = 30;

enum class Alg : uint8_t { Unknown, HS256, RS256, ES256 };
const char* algName(Alg a);

enum class Error : uint8_t {
    None,
    Malformed,   // jwt.malformed: not three strict base64url parts of JSON objects, bad claim types
    Alg,         // jwt.alg: none, unknown, or not the key's algorithm
    Signature,   // jwt.signature
    Expired,     // jwt.expired
    NotYetValid, // jwt.not_yet_valid
    Issuer,      // jwt.issuer
    Audience,    // jwt.audience
    Kid,         // jwt.kid: no key with the token's key id
    Key,         // jwt.key: no usable key (JWKS not fetched yet or unreachable)
};
// "jwt.malformed", ... ("" for None).
const char* errorReason(Error e);

struct PKeyDeleter {
    void operator()(EVP_PKEY* k) const;
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, PKeyDeleter>;

// A verification key; its algorithm follows from its type and is the only one it accepts.
struct Key {
    Alg alg = Alg::Unknown;
    std::string kid;                // from a JWKS; empty for configured keys
    std::string secret;             // HS256
    std::shared_ptr<EVP_PKEY> pkey; // RS256 (RSA >= 2048 bits) or ES256 (EC P-256)

    static Key hmac(std::string secret);
    // RSA (>= 2048 bits) or EC P-256 public key; nullopt-like empty Key (alg Unknown) with `error`.
    static Key fromPublicKey(PKeyPtr pkey, std::string& error);
    // PEM "PUBLIC KEY" (SubjectPublicKeyInfo) text.
    static Key fromPem(std::string_view pem, std::string& error);
    bool valid() const { return alg != Alg::Unknown; }
};

// A parsed token whose signature has not been checked yet.
struct Token {
    Alg alg = Alg::Unknown;
    std::string algText;
    std::string kid;
    std::string iss;
    bool hasExp = false;
    int64_t exp = 0;
    bool hasNbf = false;
    int64_t nbf = 0;
    std::vector<std::string> aud;
    std::string_view signingInput; // "header.payload", a view into the compact token
    std::string signature;         // decoded
};

// Parses `compact` into `out` (views into `compact`); Malformed or Alg (alg missing or "none").
Error parse(std::string_view compact, Token& out);

// Checks the signature of a parsed token with `key` (Alg when the token's alg is not the key's).
Error verifySignature(const Token& token, const Key& key);

// Checks iss (exact), exp and nbf with kLeewaySeconds, and aud when `audience` is not empty.
Error checkClaims(const Token& token, std::string_view issuer, std::string_view audience, int64_t nowSeconds);

// parse + verifySignature + checkClaims.
Error verify(std::string_view compact, const Key& key, std::string_view issuer, std::string_view audience,
             int64_t nowSeconds);

// Strict base64url without padding into `out`; false on any other character, '=', a length of
// 4n+1, or non-zero trailing bits.
bool base64UrlDecode(std::string_view in, std::string& out);
std::string base64UrlEncode(std::string_view in);

} // namespace tollgate::stages::jwt

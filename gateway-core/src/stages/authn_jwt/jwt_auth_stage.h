#pragma once
// JWT bearer authentication (config.md: credentials of type jwt). The token's unverified `iss`
// picks the consumer's credential; the credential's key (HS256 secret from an environment
// variable, RS256/ES256 PEM public key, or a JWKS URL) verifies it; then exp/nbf (30 s leeway),
// iss and aud. Failure: 401 auth.invalid with WWW-Authenticate: Bearer ... error="invalid_token";
// suspended consumer: 403 consumer.suspended. No bearer token: the stage passes (authz answers
// auth.missing). Thread safety: immutable after create(); onRequest runs on any worker.

#include "pipeline/stage.h"
#include "server/snapshot.h"
#include "stages/authn_jwt/jwks_cache.h"
#include "stages/authn_jwt/jwt.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::stages {

class JwtAuthStage final : public pipeline::Stage {
public:
    using NowFn = int64_t (*)(); // seconds since the Unix epoch

    // Loads every consumer's jwt credential. nullptr with `error` (naming the consumer and the
    // variable or file) when a secret_env is unset, empty or shorter than 32 bytes (RFC 7518 3.2),
    // a public_key file is unreadable or not an RSA >= 2048 / EC P-256 key, or two credentials
    // share an issuer. jwks_url credentials are registered with `jwks`; with nullptr their tokens
    // are refused. `now` defaults to the system clock (tests inject their own).
    static std::unique_ptr<JwtAuthStage> create(const server::Snapshot& snap, JwksCache* jwks,
                                                std::string& error, NowFn now = nullptr);

    const char* name() const override { return "authn_jwt"; }
    pipeline::Decision onRequest(pipeline::RequestContext& ctx) const override;

    // Verifies a compact token against the credential of its issuer: None with `consumerIndex`
    // set, or why not. Unknown kid on a JWKS credential asks the cache for a refresh.
    jwt::Error check(std::string_view token, int& consumerIndex) const;

private:
    struct Issuer {
        std::string issuer;
        std::string audience;
        int consumer = -1;
        jwt::Key key;                            // secret_env or public_key
        std::shared_ptr<JwksCache::Source> jwks; // jwks_url (nullptr without a cache)
        bool fromJwks = false;
    };

    explicit JwtAuthStage(const server::Snapshot& snap) : m_snap(snap) {}
    const Issuer* findIssuer(std::string_view iss) const;

    const server::Snapshot& m_snap; // owns the pipeline that owns this stage
    JwksCache* m_cache = nullptr;
    NowFn m_now = nullptr;
    std::vector<Issuer> m_issuers; // sorted by issuer
    std::string m_challenge = "WWW-Authenticate: Bearer realm=\"tollgate\", error=\"invalid_token\"\r\n";
};

} // namespace tollgate::stages

#include "stages/authn_jwt/jwt_auth_stage.h"

#include "http/request_parser.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

namespace tollgate::stages {

namespace {

constexpr size_t kMinSecretBytes = 32; // RFC 7518 3.2: a key at least as long as the hash output
constexpr std::streamsize kMaxPemBytes = 64 * 1024;

int64_t systemNow() {
    return static_cast<int64_t>(std::time(nullptr));
}

bool readPem(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    out.resize(kMaxPemBytes);
    in.read(out.data(), kMaxPemBytes);
    out.resize(static_cast<size_t>(in.gcount()));
    return !out.empty();
}

// "Bearer <token>" (scheme case-insensitive, RFC 9110 11.1); empty when another scheme.
std::string_view bearerToken(std::string_view value) {
    constexpr std::string_view kScheme = "bearer";
    if (value.size() <= kScheme.size() || value[kScheme.size()] != ' ' ||
        !http::equalsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
        return {};
    }
    value.remove_prefix(kScheme.size());
    while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
    }
    return value;
}

} // namespace

std::unique_ptr<JwtAuthStage> JwtAuthStage::create(const server::Snapshot& snap, JwksCache* jwks,
                                                   std::string& error, NowFn now) {
    std::unique_ptr<JwtAuthStage> stage(new JwtAuthStage(snap));
    stage->m_cache = jwks;
    stage->m_now = now != nullptr ? now : systemNow;
    const auto& consumers = snap.config.consumers;
    for (size_t c = 0; c < consumers.size(); ++c) {
        const std::string where = "consumers." + consumers[c].name + ": jwt credential";
        for (const CredentialConfig& cred : consumers[c].credentials) {
            if (cred.type != CredentialConfig::Type::Jwt) {
                continue;
            }
            Issuer is;
            is.issuer = cred.issuer;
            is.audience = cred.audience;
            is.consumer = static_cast<int>(c);
            if (cred.issuer.empty()) {
                error = where + ": issuer is required";
                return nullptr;
            }
            if (!cred.secretEnv.empty()) {
                const char* secret = std::getenv(cred.secretEnv.c_str());
                if (secret == nullptr || secret[0] == '\0') {
                    error = where + " (" + cred.issuer + "): environment variable " + cred.secretEnv +
                            " (secret_env) is not set or empty";
                    return nullptr;
                }
                if (std::string_view(secret).size() < kMinSecretBytes) {
                    error = where + " (" + cred.issuer + "): the HS256 secret in " + cred.secretEnv +
                            " is shorter than 32 bytes";
                    return nullptr;
                }
                is.key = jwt::Key::hmac(secret);
            } else if (!cred.publicKey.empty()) {
                std::string pem;
                std::string keyError;
                if (!readPem(cred.publicKey, pem)) {
                    error = where + " (" + cred.issuer + "): cannot read public_key file " + cred.publicKey;
                    return nullptr;
                }
                is.key = jwt::Key::fromPem(pem, keyError);
                if (!is.key.valid()) {
                    error =
                        where + " (" + cred.issuer + "): public_key file " + cred.publicKey + ": " + keyError;
                    return nullptr;
                }
            } else if (!cred.jwksUrl.empty()) {
                is.fromJwks = true;
                if (jwks != nullptr) {
                    is.jwks = jwks->source(cred.jwksUrl);
                }
            } else {
                error = where + " (" + cred.issuer + "): needs one of jwks_url, secret_env, public_key";
                return nullptr;
            }
            stage->m_issuers.push_back(std::move(is));
        }
    }
    auto& list = stage->m_issuers;
    std::sort(list.begin(), list.end(), [](const Issuer& a, const Issuer& b) { return a.issuer < b.issuer; });
    for (size_t i = 1; i < list.size(); ++i) {
        if (list[i].issuer == list[i - 1].issuer) {
            error = "consumers: issuer \"" + list[i].issuer + "\" is used by jwt credentials of consumer " +
                    consumers[size_t(list[i - 1].consumer)].name + " and consumer " +
                    consumers[size_t(list[i].consumer)].name + "; every issuer must be unique";
            return nullptr;
        }
    }
    return stage;
}

const JwtAuthStage::Issuer* JwtAuthStage::findIssuer(std::string_view iss) const {
    const auto it = std::lower_bound(m_issuers.begin(), m_issuers.end(), iss,
                                     [](const Issuer& a, std::string_view b) { return a.issuer < b; });
    return it != m_issuers.end() && it->issuer == iss ? &*it : nullptr;
}

jwt::Error JwtAuthStage::check(std::string_view compact, int& consumerIndex) const {
    consumerIndex = -1;
    jwt::Token token;
    jwt::Error e = jwt::parse(compact, token);
    if (e != jwt::Error::None) {
        return e;
    }
    const Issuer* is = findIssuer(token.iss);
    if (is == nullptr) {
        return jwt::Error::Issuer;
    }
    const jwt::Key* key = &is->key;
    std::shared_ptr<const KeySet> set; // keeps `key` alive while in use
    if (is->fromJwks) {
        set = is->jwks ? is->jwks->keys() : nullptr;
        if (!set) {
            return jwt::Error::Key;
        }
        key = set->select(token.kid, token.alg, e);
        if (key == nullptr) {
            if (m_cache != nullptr && !token.kid.empty()) {
                m_cache->requestRefresh(*is->jwks); // the issuer may have rotated its keys
            }
            return e;
        }
    }
    e = jwt::verifySignature(token, *key);
    if (e == jwt::Error::None) {
        e = jwt::checkClaims(token, is->issuer, is->audience, m_now());
    }
    if (e == jwt::Error::None) {
        consumerIndex = is->consumer;
    }
    return e;
}

pipeline::Decision JwtAuthStage::onRequest(pipeline::RequestContext& ctx) const {
    if (ctx.route == nullptr || ctx.route->apiIndex >= m_snap.apis.size()) {
        return pipeline::Decision::next();
    }
    const server::CompiledApi& api = m_snap.apis[ctx.route->apiIndex];
    if (api.config->isPublic || !api.authJwt) {
        return pipeline::Decision::next();
    }
    if (ctx.explainChain != nullptr) {
        if (ctx.consumer != nullptr && !api.authKey) { // authn_key already said so otherwise
            ctx.explainStep("authenticated as " + ctx.consumer->config->name + " (assumed)");
        }
        return pipeline::Decision::next();
    }
    if (ctx.consumer != nullptr || ctx.head == nullptr) {
        return pipeline::Decision::next();
    }
    std::string_view token;
    int bearers = 0;
    for (size_t i = 0; i < ctx.head->headerCount; ++i) {
        const http::Header& h = ctx.head->headers[i];
        if (http::equalsIgnoreCase(h.name, "authorization")) {
            const std::string_view t = bearerToken(h.value);
            if (!t.empty() || http::equalsIgnoreCase(h.value, "bearer")) {
                token = t;
                ++bearers;
            }
        }
    }
    if (bearers == 0) {
        return pipeline::Decision::next();
    }
    int index = -1;
    if (bearers > 1 || token.empty() || check(token, index) != jwt::Error::None) {
        ctx.addResponseHeader(m_challenge);
        return pipeline::Decision::answer(401, "auth.invalid");
    }
    ctx.strip |= pipeline::RequestContext::StripAuthorization;
    ctx.consumer = &m_snap.consumers[static_cast<size_t>(index)];
    ctx.consumerIndex = index;
    if (ctx.consumer->suspended) {
        return pipeline::Decision::answer(403, "consumer.suspended");
    }
    return pipeline::Decision::next();
}

} // namespace tollgate::stages

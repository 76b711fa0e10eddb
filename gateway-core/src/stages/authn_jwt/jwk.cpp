#include "stages/authn_jwt/jwk.h"

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <cstring>

namespace tollgate::stages {

namespace jwt {

void PKeyDeleter::operator()(EVP_PKEY* k) const {
    EVP_PKEY_free(k);
}

Key Key::hmac(std::string secret) {
    Key k;
    k.alg = secret.empty() ? Alg::Unknown : Alg::HS256;
    k.secret = std::move(secret);
    return k;
}

Key Key::fromPublicKey(PKeyPtr pkey, std::string& error) {
    Key k;
    if (!pkey) {
        error = "not a public key";
        return k;
    }
    if (EVP_PKEY_is_a(pkey.get(), "RSA")) {
        if (EVP_PKEY_get_bits(pkey.get()) < 2048) {
            error = "RSA key shorter than 2048 bits";
            return k;
        }
        k.alg = Alg::RS256;
    } else if (EVP_PKEY_is_a(pkey.get(), "EC")) {
        char group[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                           &len) != 1 ||
            std::strcmp(group, "prime256v1") != 0) {
            error = "EC key is not on curve P-256";
            return k;
        }
        k.alg = Alg::ES256;
    } else {
        error = "unsupported key type (RSA or EC P-256 expected)";
        return k;
    }
    k.pkey = std::shared_ptr<EVP_PKEY>(pkey.release(), PKeyDeleter{});
    return k;
}

Key Key::fromPem(std::string_view pem, std::string& error) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    if (bio == nullptr) {
        error = "out of memory";
        return {};
    }
    PKeyPtr pkey(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
    BIO_free(bio);
    if (!pkey) {
        error = "no PEM public key (-----BEGIN PUBLIC KEY-----) found";
        return {};
    }
    return fromPublicKey(std::move(pkey), error);
}

} // namespace jwt

namespace {

using Json = nlohmann::json;

bool member(const Json& obj, const char* name, std::string& out) {
    const auto it = obj.find(name);
    if (it == obj.end() || !it->is_string()) {
        return false;
    }
    out = it->get<std::string>();
    return true;
}

bool memberBytes(const Json& obj, const char* name, std::string& out) {
    std::string text;
    return member(obj, name, text) && jwt::base64UrlDecode(text, out) && !out.empty();
}

jwt::PKeyPtr fromParams(const char* type, OSSL_PARAM_BLD* bld) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
    EVP_PKEY* pkey = nullptr;
    if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        pkey = nullptr;
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    jwt::PKeyPtr out(pkey);
    if (out) {
        EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, out.get(), nullptr);
        const bool valid = check != nullptr && EVP_PKEY_public_check(check) == 1;
        EVP_PKEY_CTX_free(check);
        if (!valid) {
            out.reset();
        }
    }
    return out;
}

jwt::PKeyPtr rsaKey(const Json& jwk) {
    std::string n;
    std::string e;
    if (!memberBytes(jwk, "n", n) || !memberBytes(jwk, "e", e) || n.size() > 1024 || e.size() > 8) {
        return nullptr;
    }
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    BIGNUM* bn =
        BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr);
    BIGNUM* be =
        BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr);
    jwt::PKeyPtr out;
    if (bld != nullptr && bn != nullptr && be != nullptr &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be)) {
        out = fromParams("RSA", bld);
    }
    BN_free(bn);
    BN_free(be);
    OSSL_PARAM_BLD_free(bld);
    return out;
}

jwt::PKeyPtr ecKey(const Json& jwk) {
    std::string crv;
    std::string x;
    std::string y;
    if (!member(jwk, "crv", crv) || crv != "P-256" || !memberBytes(jwk, "x", x) ||
        !memberBytes(jwk, "y", y) || x.size() != 32 || y.size() != 32) {
        return nullptr;
    }
    unsigned char point[65];
    point[0] = 0x04; // uncompressed
    std::memcpy(point + 1, x.data(), 32);
    std::memcpy(point + 33, y.data(), 32);
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    jwt::PKeyPtr out;
    if (bld != nullptr && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point)) {
        out = fromParams("EC", bld);
    }
    OSSL_PARAM_BLD_free(bld);
    return out;
}

} // namespace

const jwt::Key* KeySet::select(std::string_view kid, jwt::Alg alg, jwt::Error& error) const {
    const jwt::Key* found = nullptr;
    int candidates = 0;
    for (const jwt::Key& k : keys) {
        if (!kid.empty() ? k.kid == kid : k.alg == alg) {
            found = found ? found : &k;
            ++candidates;
        }
    }
    if (found == nullptr || (kid.empty() && candidates > 1)) {
        error = jwt::Error::Kid;
        return nullptr;
    }
    error = jwt::Error::None;
    return found;
}

namespace jwt {

bool parseJwks(std::string_view json, KeySet& out, std::string& error) {
    out.keys.clear();
    const Json doc = Json::parse(json.begin(), json.end(), nullptr, false, false);
    if (doc.is_discarded() || !doc.is_object()) {
        error = "not a JSON object";
        return false;
    }
    const auto keys = doc.find("keys");
    if (keys == doc.end() || !keys->is_array()) {
        error = "no \"keys\" array";
        return false;
    }
    for (const Json& jwk : *keys) {
        if (!jwk.is_object() || out.keys.size() >= kMaxJwksKeys) {
            continue;
        }
        std::string kty;
        std::string use;
        std::string alg;
        if (!member(jwk, "kty", kty) || (member(jwk, "use", use) && use != "sig")) {
            continue;
        }
        PKeyPtr pkey = kty == "RSA" ? rsaKey(jwk) : kty == "EC" ? ecKey(jwk) : nullptr;
        std::string keyError;
        Key key = Key::fromPublicKey(std::move(pkey), keyError);
        if (!key.valid() || (member(jwk, "alg", alg) && alg != algName(key.alg))) {
            continue;
        }
        member(jwk, "kid", key.kid);
        out.keys.push_back(std::move(key));
    }
    if (out.keys.empty()) {
        error = "no usable RS256 or ES256 signing key";
        return false;
    }
    return true;
}

} // namespace jwt
} // namespace tollgate::stages

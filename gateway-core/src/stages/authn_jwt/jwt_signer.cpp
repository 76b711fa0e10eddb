#include "stages/authn_jwt/jwt_signer.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <vector>

namespace tollgate::stages::jwt {

namespace {

std::string signingInput(std::string_view headerJson, std::string_view payloadJson) {
    return base64UrlEncode(headerJson) + "." + base64UrlEncode(payloadJson);
}

std::string bnBytes(const BIGNUM* bn, int width) {
    std::string out(static_cast<size_t>(width > 0 ? width : BN_num_bytes(bn)), '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
    return out;
}

std::string bnParam(EVP_PKEY* key, const char* name) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) {
        return {};
    }
    std::string out = bnBytes(bn, 0);
    BN_free(bn);
    return out;
}

} // namespace

std::string signHs256(std::string_view headerJson, std::string_view payloadJson, std::string_view secret) {
    const std::string input = signingInput(headerJson, payloadJson);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
    return input + "." + base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), len));
}

std::string signWithKey(std::string_view headerJson, std::string_view payloadJson, EVP_PKEY* privateKey) {
    const std::string input = signingInput(headerJson, payloadJson);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    std::vector<unsigned char> sig;
    bool ok = ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, privateKey) == 1 &&
              EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                             input.size()) == 1;
    if (ok) {
        sig.resize(len);
        ok = EVP_DigestSign(ctx, sig.data(), &len, reinterpret_cast<const unsigned char*>(input.data()),
                            input.size()) == 1;
        sig.resize(len);
    }
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        return {};
    }
    std::string raw(reinterpret_cast<char*>(sig.data()), sig.size());
    if (EVP_PKEY_is_a(privateKey, "EC")) {
        const unsigned char* p = sig.data();
        ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
        if (es == nullptr) {
            return {};
        }
        raw = bnBytes(ECDSA_SIG_get0_r(es), 32) + bnBytes(ECDSA_SIG_get0_s(es), 32);
        ECDSA_SIG_free(es);
    }
    return input + "." + base64UrlEncode(raw);
}

PKeyPtr generateRsaKey(int bits) {
    return PKeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(bits)));
}

PKeyPtr generateEcP256Key() {
    return PKeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

std::string publicKeyPem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    std::string out;
    if (bio != nullptr && PEM_write_bio_PUBKEY(bio, key) == 1) {
        char* data = nullptr;
        const long len = BIO_get_mem_data(bio, &data);
        out.assign(data, static_cast<size_t>(len));
    }
    BIO_free(bio);
    return out;
}

std::string publicJwk(EVP_PKEY* key, std::string_view kid) {
    std::string out = "{\"kid\":\"" + std::string(kid) + "\",";
    if (EVP_PKEY_is_a(key, "RSA")) {
        out += "\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\"" +
               base64UrlEncode(bnParam(key, OSSL_PKEY_PARAM_RSA_N)) + "\",\"e\":\"" +
               base64UrlEncode(bnParam(key, OSSL_PKEY_PARAM_RSA_E)) + "\"}";
        return out;
    }
    const std::string x = bnParam(key, OSSL_PKEY_PARAM_EC_PUB_X);
    const std::string y = bnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y);
    const auto pad = [](std::string s) { return std::string(32 - std::min<size_t>(32, s.size()), '\0') + s; };
    out += "\"kty\":\"EC\",\"alg\":\"ES256\",\"crv\":\"P-256\",\"x\":\"" + base64UrlEncode(pad(x)) +
           "\",\"y\":\"" + base64UrlEncode(pad(y)) + "\"}";
    return out;
}

} // namespace tollgate::stages::jwt

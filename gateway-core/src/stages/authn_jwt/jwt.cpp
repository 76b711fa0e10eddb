#include "stages/authn_jwt/jwt.h"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cmath>

namespace tollgate::stages::jwt {

namespace {

using Json = nlohmann::json;

constexpr int64_t kDateLimit = int64_t(1) << 52; // far beyond any real date, far from overflow

int8_t base64UrlValue(unsigned char c) {
    if (c >= 'A' && c <= 'Z') {
        return static_cast<int8_t>(c - 'A');
    }
    if (c >= 'a' && c <= 'z') {
        return static_cast<int8_t>(c - 'a' + 26);
    }
    if (c >= '0' && c <= '9') {
        return static_cast<int8_t>(c - '0' + 52);
    }
    if (c == '-') {
        return 62;
    }
    if (c == '_') {
        return 63;
    }
    return -1;
}

// Parses a JSON object, refusing duplicate top-level members (RFC 7515 4: a parser must either
// reject them or take the last; taking one silently lets two parsers disagree about a claim).
bool parseObject(std::string_view text, Json& out) {
    std::vector<std::string> seen;
    bool duplicate = false;
    Json::parser_callback_t cb = [&](int depth, Json::parse_event_t event, Json& parsed) {
        if (event == Json::parse_event_t::key && depth == 1 && parsed.is_string()) {
            const std::string& k = parsed.get_ref<const std::string&>();
            for (const std::string& s : seen) {
                duplicate |= s == k;
            }
            seen.push_back(k);
        }
        return true;
    };
    out = Json::parse(text.begin(), text.end(), cb, false, false);
    return !out.is_discarded() && out.is_object() && !duplicate;
}

bool numericDate(const Json& v, int64_t& out) {
    if (v.is_number_unsigned()) {
        const uint64_t u = v.get<uint64_t>();
        out = u > uint64_t(kDateLimit) ? kDateLimit : static_cast<int64_t>(u);
        return true;
    }
    if (v.is_number_integer()) {
        out = std::clamp<int64_t>(v.get<int64_t>(), -kDateLimit, kDateLimit);
        return true;
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d)) {
            return false;
        }
        out = static_cast<int64_t>(std::floor(std::clamp(d, double(-kDateLimit), double(kDateLimit))));
        return true;
    }
    return false;
}

Alg algFromText(std::string_view s) {
    if (s == "HS256") {
        return Alg::HS256;
    }
    if (s == "RS256") {
        return Alg::RS256;
    }
    if (s == "ES256") {
        return Alg::ES256;
    }
    return Alg::Unknown;
}

Error parseHeader(const Json& h, Token& out) {
    const auto alg = h.find("alg");
    if (alg == h.end() || !alg->is_string()) {
        return Error::Malformed;
    }
    out.algText = alg->get<std::string>();
    out.alg = algFromText(out.algText);
    if (h.contains("crit")) {
        return Error::Malformed; // no extension is understood, so none may be critical
    }
    const auto kid = h.find("kid");
    if (kid != h.end()) {
        if (!kid->is_string()) {
            return Error::Malformed;
        }
        out.kid = kid->get<std::string>();
    }
    return out.alg == Alg::Unknown ? Error::Alg : Error::None;
}

Error parsePayload(const Json& p, Token& out) {
    const auto iss = p.find("iss");
    if (iss != p.end()) {
        if (!iss->is_string()) {
            return Error::Malformed;
        }
        out.iss = iss->get<std::string>();
    }
    const auto exp = p.find("exp");
    if (exp != p.end()) {
        if (!numericDate(*exp, out.exp)) {
            return Error::Malformed;
        }
        out.hasExp = true;
    }
    const auto nbf = p.find("nbf");
    if (nbf != p.end()) {
        if (!numericDate(*nbf, out.nbf)) {
            return Error::Malformed;
        }
        out.hasNbf = true;
    }
    const auto aud = p.find("aud");
    if (aud != p.end()) {
        if (aud->is_string()) {
            out.aud.push_back(aud->get<std::string>());
        } else if (aud->is_array()) {
            for (const Json& a : *aud) {
                if (!a.is_string()) {
                    return Error::Malformed;
                }
                out.aud.push_back(a.get<std::string>());
            }
        } else {
            return Error::Malformed;
        }
    }
    return Error::None;
}

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

bool verifyWithPkey(EVP_PKEY* pkey, std::string_view input, const unsigned char* sig, size_t sigLen) {
    thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (!ctx) {
        return false;
    }
    EVP_MD_CTX_reset(ctx.get());
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) != 1) {
        return false;
    }
    const bool ok = EVP_DigestVerify(ctx.get(), sig, sigLen,
                                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    EVP_MD_CTX_reset(ctx.get());
    return ok;
}

// JOSE ES256 signatures are r||s, 32 bytes each; OpenSSL wants DER.
bool verifyEs256(EVP_PKEY* pkey, std::string_view input, const std::string& sig) {
    if (sig.size() != 64) {
        return false;
    }
    const auto* raw = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* esig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(raw, 32, nullptr);
    BIGNUM* s = BN_bin2bn(raw + 32, 32, nullptr);
    if (esig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(esig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(esig);
        return false;
    }
    unsigned char der[80];
    unsigned char* p = der;
    const int len = i2d_ECDSA_SIG(esig, nullptr) <= int(sizeof der) ? i2d_ECDSA_SIG(esig, &p) : -1;
    ECDSA_SIG_free(esig);
    return len > 0 && verifyWithPkey(pkey, input, der, static_cast<size_t>(len));
}

} // namespace

const char* algName(Alg a) {
    switch (a) {
    case Alg::HS256:
        return "HS256";
    case Alg::RS256:
        return "RS256";
    case Alg::ES256:
        return "ES256";
    case Alg::Unknown:
        break;
    }
    return "unknown";
}

const char* errorReason(Error e) {
    switch (e) {
    case Error::None:
        return "";
    case Error::Malformed:
        return "jwt.malformed";
    case Error::Alg:
        return "jwt.alg";
    case Error::Signature:
        return "jwt.signature";
    case Error::Expired:
        return "jwt.expired";
    case Error::NotYetValid:
        return "jwt.not_yet_valid";
    case Error::Issuer:
        return "jwt.issuer";
    case Error::Audience:
        return "jwt.audience";
    case Error::Kid:
        return "jwt.kid";
    case Error::Key:
        return "jwt.key";
    }
    return "jwt.malformed";
}

bool base64UrlDecode(std::string_view in, std::string& out) {
    out.clear();
    if (in.size() % 4 == 1) {
        return false;
    }
    out.reserve(in.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : in) {
        const int8_t v = base64UrlValue(c);
        if (v < 0) {
            return false;
        }
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    return (acc & ((1u << bits) - 1)) == 0; // canonical: unused trailing bits are zero
}

std::string base64UrlEncode(std::string_view in) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((in.size() * 4 + 2) / 3);
    uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : in) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(acc >> bits) & 63];
        }
    }
    if (bits > 0) {
        out += kAlphabet[(acc << (6 - bits)) & 63];
    }
    return out;
}

Error parse(std::string_view compact, Token& out) {
    out = Token{};
    if (compact.empty() || compact.size() > kMaxTokenBytes) {
        return Error::Malformed;
    }
    const size_t dot1 = compact.find('.');
    const size_t dot2 = dot1 == std::string_view::npos ? dot1 : compact.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || compact.find('.', dot2 + 1) != std::string_view::npos) {
        return Error::Malformed;
    }
    std::string headerJson;
    std::string payloadJson;
    if (!base64UrlDecode(compact.substr(0, dot1), headerJson) ||
        !base64UrlDecode(compact.substr(dot1 + 1, dot2 - dot1 - 1), payloadJson) ||
        !base64UrlDecode(compact.substr(dot2 + 1), out.signature)) {
        return Error::Malformed;
    }
    Json header;
    Json payload;
    if (!parseObject(headerJson, header) || !parseObject(payloadJson, payload)) {
        return Error::Malformed;
    }
    out.signingInput = compact.substr(0, dot2);
    const Error e = parseHeader(header, out);
    if (e != Error::None) {
        return e;
    }
    return parsePayload(payload, out);
}

Error verifySignature(const Token& token, const Key& key) {
    if (token.alg == Alg::Unknown || token.alg != key.alg) {
        return Error::Alg;
    }
    const auto* sig = reinterpret_cast<const unsigned char*>(token.signature.data());
    bool ok = false;
    switch (key.alg) {
    case Alg::HS256: {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int macLen = 0;
        ok = !key.secret.empty() &&
             HMAC(EVP_sha256(), key.secret.data(), static_cast<int>(key.secret.size()),
                  reinterpret_cast<const unsigned char*>(token.signingInput.data()),
                  token.signingInput.size(), mac, &macLen) != nullptr &&
             macLen == 32 && token.signature.size() == 32 && CRYPTO_memcmp(mac, sig, 32) == 0;
        break;
    }
    case Alg::RS256:
        ok = key.pkey && !token.signature.empty() &&
             verifyWithPkey(key.pkey.get(), token.signingInput, sig, token.signature.size());
        break;
    case Alg::ES256:
        ok = key.pkey && verifyEs256(key.pkey.get(), token.signingInput, token.signature);
        break;
    case Alg::Unknown:
        break;
    }
    return ok ? Error::None : Error::Signature;
}

Error checkClaims(const Token& token, std::string_view issuer, std::string_view audience,
                  int64_t nowSeconds) {
    if (token.iss.empty() || token.iss != issuer) {
        return Error::Issuer;
    }
    if (!token.hasExp) {
        return Error::Malformed;
    }
    if (nowSeconds >= token.exp + kLeewaySeconds) {
        return Error::Expired; // RFC 7519 4.1.4: on or after exp, the token must not be accepted
    }
    if (token.hasNbf && nowSeconds + kLeewaySeconds < token.nbf) {
        return Error::NotYetValid;
    }
    if (!audience.empty()) {
        bool found = false;
        for (const std::string& a : token.aud) {
            found |= a == audience;
        }
        if (!found) {
            return Error::Audience;
        }
    }
    return Error::None;
}

Error verify(std::string_view compact, const Key& key, std::string_view issuer, std::string_view audience,
             int64_t nowSeconds) {
    Token token;
    Error e = parse(compact, token);
    if (e == Error::None) {
        e = verifySignature(token, key);
    }
    if (e == Error::None) {
        e = checkClaims(token, issuer, audience, nowSeconds);
    }
    return e;
}

} // namespace tollgate::stages::jwt

// Fuzz target for the JWT parser and verifier (and the JWKS parser): arbitrary bytes as a compact
// token, checked against a fixed HS256 secret, a fixed RSA key and a fixed EC P-256 key at a fixed
// time; arbitrary bytes as a JWKS document. Must never crash, leak or read out of bounds.
// The corpus in corpus/jwt/ was signed with the private halves of these keys (not kept).
#include "stages/authn_jwt/jwk.h"
#include "stages/authn_jwt/jwt.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace tollgate::stages;

namespace {

constexpr int64_t kNow = 1'750'000'000;
const char kSecret[] = "fuzz-hs256-secret-0123456789abcdef";

const char kRsaPem[] = "-----BEGIN PUBLIC KEY-----\n"
                       "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0vuISNH0jPd35/bb9Kir\n"
                       "bBMzFBklBlNB+t/x0AK+vUQ3Yx6dEvCYGWhgZ/KdFixjTXkmDT6TIveMqKvSw9CV\n"
                       "jw2XMawALHuIRmtbg+diWBgFg7bzcnIMALHkSWHQ3psqGQEjRny508l8sfjXLJ1u\n"
                       "HCYzHNvnQu4f5seAvYP46KWolQrPkKBU+++1UQYhCnt7g1n9zLiKmdLRlETW0Ahw\n"
                       "6l9gOpeEVpmyujZctOTUhJQc0ikh7fJi0lGhQdVsqGrx8/AyecnUzSLT02XQIYvN\n"
                       "eJTqZYvLEmFhYFPY1SP/dmTZBOD4UsfUTZp+h7T3BHvgl0EN52SlNGqlUHfU1fam\n"
                       "0QIDAQAB\n"
                       "-----END PUBLIC KEY-----\n";

const char kEcPem[] = "-----BEGIN PUBLIC KEY-----\n"
                      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAENvF4OBL80orC+hm3o9cPi7zOZAIT\n"
                      "NYTghSWh6WLqYb6kdD2OJHEIpVwhnxCT5/acCht0YlhJbcgQQgo7fVgoPg==\n"
                      "-----END PUBLIC KEY-----\n";

void check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

struct Keys {
    jwt::Key hmac = jwt::Key::hmac(kSecret);
    jwt::Key rsa;
    jwt::Key ec;
    Keys() {
        std::string error;
        rsa = jwt::Key::fromPem(kRsaPem, error);
        ec = jwt::Key::fromPem(kEcPem, error);
        check(rsa.alg == jwt::Alg::RS256 && ec.alg == jwt::Alg::ES256);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    static const Keys keys;
    const std::string_view input(reinterpret_cast<const char*>(bytes), size);
    jwt::Token token;
    const jwt::Error parsed = jwt::parse(input, token);
    if (parsed == jwt::Error::None) {
        check(token.alg != jwt::Alg::Unknown);
        check(token.signingInput.size() < input.size());
        check(token.signingInput.data() == input.data());
    }
    for (const jwt::Key* key : {&keys.hmac, &keys.rsa, &keys.ec}) {
        const jwt::Error e = jwt::verify(input, *key, "https://issuer.example", "orders", kNow);
        check(jwt::errorReason(e)[0] == (e == jwt::Error::None ? '\0' : 'j'));
        if (parsed != jwt::Error::None) {
            check(e == parsed); // nothing is verified in a token that does not parse
        } else if (e == jwt::Error::None) {
            check(token.alg == key->alg && token.iss == "https://issuer.example");
        }
    }
    if (!input.empty() && input.front() == '{') {
        KeySet set;
        std::string error;
        if (jwt::parseJwks(input, set, error)) {
            check(!set.keys.empty() && set.keys.size() <= jwt::kMaxJwksKeys);
        } else {
            check(!error.empty());
        }
    }
    return 0;
}

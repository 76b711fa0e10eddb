// JWT vectors: HS256/RS256/ES256, alg pinning (none, confusion), claims with leeway, strict
// base64url and JSON, and JWK/JWKS parsing.
#include "stages/authn_jwt/jwk.h"
#include "stages/authn_jwt/jwt.h"
#include "stages/authn_jwt/jwt_signer.h"

#include <QTest>
#include <openssl/evp.h>

#include <string>

using namespace tollgate::stages;
using jwt::Error;

namespace {

constexpr int64_t kNow = 1'700'000'000;
const std::string kIss = "https://auth.example";
const std::string kSecret = "0123456789abcdef0123456789abcdef-secret";

std::string claims(int64_t exp = kNow + 300, std::string extra = "") {
    return "{\"iss\":\"" + kIss + "\",\"sub\":\"u1\",\"exp\":" + std::to_string(exp) + extra + "}";
}

std::string hs(const std::string& payload,
               const std::string& header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}") {
    return jwt::signHs256(header, payload, kSecret);
}

Error verify(const std::string& token, const jwt::Key& key, const std::string& aud = "", int64_t now = kNow) {
    return jwt::verify(token, key, kIss, aud, now);
}

// Part 1: the payload swapped for other valid claims; part 2: one signature character flipped.
std::string tamper(std::string token, int part) {
    const size_t dot1 = token.find('.');
    const size_t dot2 = token.find('.', dot1 + 1);
    if (part == 1) {
        return token.substr(0, dot1 + 1) + jwt::base64UrlEncode(claims(kNow + 300, ",\"admin\":true")) +
               token.substr(dot2);
    }
    token[dot2 + 3] = token[dot2 + 3] == 'A' ? 'B' : 'A';
    return token;
}

} // namespace

class JwtVerifyTest : public QObject {
    Q_OBJECT

    jwt::PKeyPtr m_rsa = jwt::generateRsaKey(2048);
    jwt::PKeyPtr m_ec = jwt::generateEcP256Key();
    jwt::Key m_hmac = jwt::Key::hmac(kSecret);
    jwt::Key m_rsaKey;
    jwt::Key m_ecKey;

private slots:
    void initTestCase() {
        std::string error;
        m_rsaKey = jwt::Key::fromPem(jwt::publicKeyPem(m_rsa.get()), error);
        QVERIFY2(m_rsaKey.alg == jwt::Alg::RS256, error.c_str());
        m_ecKey = jwt::Key::fromPem(jwt::publicKeyPem(m_ec.get()), error);
        QVERIFY2(m_ecKey.alg == jwt::Alg::ES256, error.c_str());
    }

    void hs256_valid() { QCOMPARE(verify(hs(claims()), m_hmac), Error::None); }

    void hs256_wrongSecret_isSignature() {
        QCOMPARE(verify(jwt::signHs256("{\"alg\":\"HS256\"}", claims(), kSecret + "x"), m_hmac),
                 Error::Signature);
    }

    void rs256_valid() {
        const std::string t = jwt::signWithKey("{\"alg\":\"RS256\"}", claims(), m_rsa.get());
        QCOMPARE(verify(t, m_rsaKey), Error::None);
        QCOMPARE(verify(t, m_hmac), Error::Alg);
        QCOMPARE(verify(t, m_ecKey), Error::Alg);
    }

    void es256_valid() {
        const std::string t = jwt::signWithKey("{\"alg\":\"ES256\"}", claims(), m_ec.get());
        QCOMPARE(verify(t, m_ecKey), Error::None);
        QCOMPARE(verify(t, m_rsaKey), Error::Alg);
    }

    void es256_derSignature_isRefused() {
        // A DER signature (what OpenSSL produces) is not the JOSE r||s form.
        const std::string t = jwt::signWithKey("{\"alg\":\"ES256\"}", claims(), m_ec.get());
        const std::string input = t.substr(0, t.rfind('.'));
        std::string raw;
        QVERIFY(jwt::base64UrlDecode(t.substr(t.rfind('.') + 1), raw));
        QCOMPARE(raw.size(), size_t(64));
        QCOMPARE(verify(input + "." + jwt::base64UrlEncode(raw + "\x01"), m_ecKey), Error::Signature);
        QCOMPARE(verify(input + "." + jwt::base64UrlEncode(std::string(64, '\0')), m_ecKey),
                 Error::Signature);
    }

    void algNone_isRefused() {
        const std::string none =
            jwt::base64UrlEncode("{\"alg\":\"none\"}") + "." + jwt::base64UrlEncode(claims()) + ".";
        QCOMPARE(verify(none, m_hmac), Error::Alg);
        QCOMPARE(verify(none, m_rsaKey), Error::Alg);
        const std::string noneSigned = hs(claims(), "{\"alg\":\"none\"}");
        QCOMPARE(verify(noneSigned, m_hmac), Error::Alg);
        QCOMPARE(verify(hs(claims(), "{\"alg\":\"hs256\"}"), m_hmac), Error::Alg);
        QCOMPARE(verify(hs(claims(), "{\"typ\":\"JWT\"}"), m_hmac), Error::Malformed);
        QCOMPARE(verify(hs(claims(), "{\"alg\":256}"), m_hmac), Error::Malformed);
    }

    void algConfusion_hs256SignedWithThePublicKey_isRefused() {
        const std::string pem = jwt::publicKeyPem(m_rsa.get());
        const std::string t = jwt::signHs256("{\"alg\":\"HS256\"}", claims(), pem);
        QCOMPARE(verify(t, m_rsaKey), Error::Alg);
    }

    void expired_withLeeway() {
        QCOMPARE(verify(hs(claims(kNow - 31)), m_hmac), Error::Expired);
        QCOMPARE(verify(hs(claims(kNow - 30)), m_hmac), Error::Expired);
        QCOMPARE(verify(hs(claims(kNow - 29)), m_hmac), Error::None);
        QCOMPARE(verify(hs(claims(kNow)), m_hmac), Error::None);
        QCOMPARE(verify(hs("{\"iss\":\"" + kIss + "\",\"exp\":1.7e9}"), m_hmac, "", int64_t(1.7e9) + 29),
                 Error::None);
        QCOMPARE(verify(hs("{\"iss\":\"" + kIss + "\",\"exp\":1e300}"), m_hmac), Error::None);
    }

    void notYetValid_withLeeway() {
        QCOMPARE(verify(hs(claims(kNow + 300, ",\"nbf\":" + std::to_string(kNow + 31))), m_hmac),
                 Error::NotYetValid);
        QCOMPARE(verify(hs(claims(kNow + 300, ",\"nbf\":" + std::to_string(kNow + 30))), m_hmac),
                 Error::None);
        QCOMPARE(verify(hs(claims(kNow + 300, ",\"nbf\":" + std::to_string(kNow))), m_hmac), Error::None);
        QCOMPARE(verify(hs(claims(kNow + 300, ",\"nbf\":\"soon\"")), m_hmac), Error::Malformed);
    }

    void missingOrBadExp_isMalformed() {
        QCOMPARE(verify(hs("{\"iss\":\"" + kIss + "\"}"), m_hmac), Error::Malformed);
        QCOMPARE(verify(hs("{\"iss\":\"" + kIss + "\",\"exp\":\"tomorrow\"}"), m_hmac), Error::Malformed);
        QCOMPARE(verify(hs("{\"iss\":\"" + kIss + "\",\"exp\":true}"), m_hmac), Error::Malformed);
    }

    void wrongIssuer() {
        QCOMPARE(jwt::verify(hs(claims()), m_hmac, kIss + "/", "", kNow), Error::Issuer);
        QCOMPARE(verify(hs("{\"exp\":" + std::to_string(kNow + 60) + "}"), m_hmac), Error::Issuer);
        QCOMPARE(verify(hs("{\"iss\":7,\"exp\":" + std::to_string(kNow + 60) + "}"), m_hmac),
                 Error::Malformed);
    }

    void audience() {
        QCOMPARE(verify(hs(claims(kNow + 60, ",\"aud\":\"orders\"")), m_hmac, "orders"), Error::None);
        QCOMPARE(verify(hs(claims(kNow + 60, ",\"aud\":[\"a\",\"orders\"]")), m_hmac, "orders"), Error::None);
        QCOMPARE(verify(hs(claims(kNow + 60, ",\"aud\":\"billing\"")), m_hmac, "orders"), Error::Audience);
        QCOMPARE(verify(hs(claims(kNow + 60, ",\"aud\":[\"ORDERS\"]")), m_hmac, "orders"), Error::Audience);
        QCOMPARE(verify(hs(claims(kNow + 60)), m_hmac, "orders"), Error::Audience);
        QCOMPARE(verify(hs(claims(kNow + 60, ",\"aud\":[1]")), m_hmac, "orders"), Error::Malformed);
        QCOMPARE(verify(hs(claims(kNow + 60, ",\"aud\":\"billing\"")), m_hmac), Error::None);
    }

    void tampered() {
        const std::string t = hs(claims());
        QCOMPARE(verify(tamper(t, 1), m_hmac), Error::Signature);
        QCOMPARE(verify(tamper(t, 2), m_hmac), Error::Signature);
        const std::string r = jwt::signWithKey("{\"alg\":\"RS256\"}", claims(), m_rsa.get());
        QCOMPARE(verify(tamper(r, 1), m_rsaKey), Error::Signature);
        QCOMPARE(verify(tamper(r, 2), m_rsaKey), Error::Signature);
        const std::string e = jwt::signWithKey("{\"alg\":\"ES256\"}", claims(), m_ec.get());
        QCOMPARE(verify(tamper(e, 1), m_ecKey), Error::Signature);
        QCOMPARE(verify(tamper(e, 2), m_ecKey), Error::Signature);
        // Claims changed after signing: payload of one token with the signature of another.
        const std::string later = hs(claims(kNow + 9999));
        QCOMPARE(verify(later.substr(0, later.rfind('.')) + t.substr(t.rfind('.')), m_hmac),
                 Error::Signature);
    }

    void badBase64_andShape() {
        const std::string t = hs(claims());
        QCOMPARE(verify(t + "=", m_hmac), Error::Malformed);
        QCOMPARE(verify(t + "AA", m_hmac), Error::Malformed); // 4n+1 characters
        std::string plus = t;
        plus[plus.rfind('.') + 1] = '+';
        QCOMPARE(verify(plus, m_hmac), Error::Malformed);
        QCOMPARE(verify(t + ".x", m_hmac), Error::Malformed);
        QCOMPARE(verify(t.substr(0, t.rfind('.')), m_hmac), Error::Malformed);
        QCOMPARE(verify("", m_hmac), Error::Malformed);
        QCOMPARE(verify("..", m_hmac), Error::Malformed);
        QCOMPARE(verify(" " + t, m_hmac), Error::Malformed);
        QCOMPARE(verify(hs(claims(kNow + 60, ",\"pad\":\"" + std::string(9000, 'x') + "\"")), m_hmac),
                 Error::Malformed);
        std::string out;
        QVERIFY(!jwt::base64UrlDecode("QR", out)); // 'R' leaves non-zero trailing bits
        QVERIFY(jwt::base64UrlDecode("QQ", out) && out == "A");
        QCOMPARE(jwt::base64UrlEncode("\xfb\xff"), std::string("-_8"));
    }

    void strictJson() {
        QCOMPARE(verify(hs("{\"iss\":\"evil\",\"iss\":\"" + kIss + "\",\"exp\":" + std::to_string(kNow + 60) +
                           "}"),
                        m_hmac),
                 Error::Malformed);
        QCOMPARE(verify(hs(claims(), "{\"alg\":\"none\",\"alg\":\"HS256\"}"), m_hmac), Error::Malformed);
        QCOMPARE(verify(hs(claims(), "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}"), m_hmac), Error::Malformed);
        QCOMPARE(verify(hs("[1,2]"), m_hmac), Error::Malformed);
        QCOMPARE(verify(hs(claims() + " x"), m_hmac), Error::Malformed);
        QCOMPARE(verify(hs("{\"iss\":\"" + kIss + "\",/*c*/\"exp\":1}"), m_hmac), Error::Malformed);
        // Nested duplicates and unknown members are fine.
        QCOMPARE(verify(hs(claims(kNow + 60, ",\"x\":{\"a\":1,\"a\":2}")), m_hmac), Error::None);
    }

    void keyTypes_arePinned() {
        std::string error;
        QVERIFY(!jwt::Key::fromPem(jwt::publicKeyPem(jwt::generateRsaKey(1024).get()), error).valid());
        QVERIFY(error.find("2048") != std::string::npos);
        jwt::PKeyPtr p384(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
        QVERIFY(!jwt::Key::fromPem(jwt::publicKeyPem(p384.get()), error).valid());
        QVERIFY(!jwt::Key::fromPem("not a pem", error).valid());
        QVERIFY(!jwt::Key::hmac("").valid());
    }

    void jwks_parsesRsaAndEc_skipsOthers() {
        const std::string doc =
            "{\"keys\":[" + jwt::publicJwk(m_rsa.get(), "r1") + "," + jwt::publicJwk(m_ec.get(), "e1") +
            ",{\"kty\":\"oct\",\"kid\":\"o\",\"k\":\"c2VjcmV0\"}"
            ",{\"kty\":\"RSA\",\"kid\":\"enc\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}"
            ",{\"kty\":\"EC\",\"kid\":\"bad\",\"crv\":\"P-256\",\"x\":\"" +
            jwt::base64UrlEncode(std::string(32, '\x01')) + "\",\"y\":\"" +
            jwt::base64UrlEncode(std::string(32, '\x02')) + "\"}]}";
        KeySet set;
        std::string error;
        QVERIFY2(jwt::parseJwks(doc, set, error), error.c_str());
        QCOMPARE(set.keys.size(), size_t(2)); // oct, enc and the off-curve point are skipped
        Error e;
        const jwt::Key* r = set.select("r1", jwt::Alg::RS256, e);
        QVERIFY(r != nullptr);
        QCOMPARE(jwt::verify(jwt::signWithKey("{\"alg\":\"RS256\",\"kid\":\"r1\"}", claims(), m_rsa.get()),
                             *r, kIss, "", kNow),
                 Error::None);
        QVERIFY(set.select("e1", jwt::Alg::ES256, e) != nullptr);
        QVERIFY(set.select("zz", jwt::Alg::RS256, e) == nullptr && e == Error::Kid);
        QVERIFY(set.select("", jwt::Alg::ES256, e) != nullptr); // the only ES256 key
        QVERIFY(!jwt::parseJwks("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}", set, error));
        QVERIFY(!jwt::parseJwks("{}", set, error));
        QVERIFY(!jwt::parseJwks("not json", set, error));
        const std::string mismatch = jwt::publicJwk(m_rsa.get(), "x");
        const std::string es = "\"alg\":\"ES256\"";
        QVERIFY(!jwt::parseJwks(
            "{\"keys\":[" + std::string(mismatch).replace(mismatch.find("\"alg\":\"RS256\""), 13, es) + "]}",
            set, error));
    }
};

QTEST_APPLESS_MAIN(JwtVerifyTest)
#include "jwt_verify_test.moc"

// The tests' private PKI: issued certificates chain to the CA under OpenSSL's own verifier, carry the
// asked-for names, and the variants that must fail (self-signed, expired) do fail, so TLS tests built
// on it prove what they claim.

#include "test_pki.h"

#include <QtTest>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <memory>
#include <string>

using tollgate::test::TestCertificate;
using tollgate::test::TestPki;

namespace {

struct CertFree {
    void operator()(X509* cert) const { X509_free(cert); }
};
using CertPtr = std::unique_ptr<X509, CertFree>;

CertPtr parse(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
    CertPtr cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
    BIO_free(bio);
    return cert;
}

// X509_V_OK or the verifier's error; host and ip, when set, are checked like a TLS client would.
int verify(const std::string& caPem, const std::string& leafPem, int purpose, const std::string& host = {},
           const std::string& ip = {}) {
    CertPtr ca = parse(caPem);
    CertPtr leaf = parse(leafPem);
    if (!ca || !leaf) {
        return -1;
    }
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, ca.get());
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf.get(), nullptr);
    X509_STORE_CTX_set_purpose(ctx, purpose);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
    if (!host.empty()) {
        X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
    }
    if (!ip.empty()) {
        X509_VERIFY_PARAM_set1_ip_asc(param, ip.c_str());
    }
    const int ok = X509_verify_cert(ctx);
    const int error = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return error;
}

bool isFingerprint(const std::string& text) {
    if (text.size() != 7 + 64 || text.rfind("sha256:", 0) != 0) {
        return false;
    }
    for (size_t i = 7; i < text.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i])) && (text[i] < 'a' || text[i] > 'f')) {
            return false;
        }
    }
    return true;
}

} // namespace

class TestPkiTest : public QObject {
    Q_OBJECT
private slots:
    void serverCertificate_verifiesForItsNamesAndIp() {
        TestPki pki;
        const TestCertificate server = pki.issueServer({"localhost", "api.test"});
        QCOMPARE(verify(pki.caPem(), server.certPem, X509_PURPOSE_SSL_SERVER), X509_V_OK);
        QCOMPARE(verify(pki.caPem(), server.certPem, X509_PURPOSE_SSL_SERVER, "api.test"), X509_V_OK);
        QCOMPARE(verify(pki.caPem(), server.certPem, X509_PURPOSE_SSL_SERVER, {}, "127.0.0.1"), X509_V_OK);
        QCOMPARE(verify(pki.caPem(), server.certPem, X509_PURPOSE_SSL_SERVER, "other.test"),
                 X509_V_ERR_HOSTNAME_MISMATCH);
        QCOMPARE(verify(pki.caPem(), server.certPem, X509_PURPOSE_SSL_SERVER, {}, "127.0.0.2"),
                 X509_V_ERR_IP_ADDRESS_MISMATCH);
        QVERIFY(server.keyPem.find("BEGIN PRIVATE KEY") != std::string::npos);
        QVERIFY(isFingerprint(server.fingerprint));
    }

    void clientCertificate_verifiesForClientAuthOnly() {
        TestPki pki;
        const TestCertificate client = pki.issueClient("alice");
        QCOMPARE(verify(pki.caPem(), client.certPem, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
        QCOMPARE(verify(pki.caPem(), client.certPem, X509_PURPOSE_SSL_SERVER), X509_V_ERR_INVALID_PURPOSE);
        CertPtr cert = parse(client.certPem);
        char commonName[64] = {};
        X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, commonName,
                                  sizeof commonName);
        QCOMPARE(std::string(commonName), std::string("alice"));
    }

    void expiredAndForeignCertificates_fail() {
        TestPki pki;
        TestPki other("Another CA");
        QCOMPARE(
            verify(pki.caPem(), pki.issueServer({"localhost"}, {}, -10, -1).certPem, X509_PURPOSE_SSL_SERVER),
            X509_V_ERR_CERT_HAS_EXPIRED);
        QCOMPARE(verify(pki.caPem(), other.issueServer({"localhost"}).certPem, X509_PURPOSE_SSL_SERVER),
                 X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
        const TestCertificate impostor = TestPki::selfSigned({"localhost"});
        QCOMPARE(verify(pki.caPem(), impostor.certPem, X509_PURPOSE_SSL_SERVER),
                 X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
        // Trusted as its own anchor, its names are the asked-for ones plus 127.0.0.1.
        QCOMPARE(verify(impostor.certPem, impostor.certPem, X509_PURPOSE_SSL_SERVER, {}, "127.0.0.1"),
                 X509_V_OK);
    }

    void fingerprints_differPerCertificate() {
        TestPki pki;
        const TestCertificate a = pki.issueServer({"localhost"});
        const TestCertificate b = pki.issueServer({"localhost"});
        QVERIFY(isFingerprint(a.fingerprint));
        QVERIFY(a.fingerprint != b.fingerprint);
    }

    void writePem_writesTheFile() {
        QTemporaryDir dir;
        TestPki pki;
        const std::string path = tollgate::test::writePem(dir.path().toStdString(), "ca.pem", pki.caPem());
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().toStdString(), pki.caPem());
    }
};

QTEST_GUILESS_MAIN(TestPkiTest)
#include "test_pki_test.moc"

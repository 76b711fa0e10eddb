#include "test_pki.h"

#include "support.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace tollgate::test {
namespace {

struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
    void operator()(X509* cert) const { X509_free(cert); }
};
struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CertPtr = std::unique_ptr<X509, CertFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

void check(bool ok, const char* what) {
    if (!ok) {
        throw std::runtime_error(std::string("test PKI: ") + what + " failed");
    }
}

KeyPtr newKey() {
    KeyPtr key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EC P-256 key generation");
    return key;
}

std::string bioText(BIO* bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return std::string(data, size_t(length));
}

std::string certPem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
    return bioText(bio.get());
}

std::string keyPem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    return bioText(bio.get());
}

std::string fingerprint(X509* cert) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    check(X509_digest(cert, EVP_sha256(), digest, &length) == 1, "X509_digest");
    static const char* hex = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

void setRandomSerial(X509* cert) {
    unsigned char bytes[16];
    check(RAND_bytes(bytes, sizeof bytes) == 1, "RAND_bytes");
    bytes[0] &= 0x7f; // a positive serial
    BIGNUM* number = BN_bin2bn(bytes, sizeof bytes, nullptr);
    check(number != nullptr, "BN_bin2bn");
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert));
    BN_free(number);
    check(serial != nullptr, "BN_to_ASN1_INTEGER");
}

void setName(X509_NAME* name, const std::string& commonName) {
    check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>("Tollgate Tests"), -1, -1,
                                     0) == 1,
          "subject O");
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(commonName.c_str()), -1, -1,
                                     0) == 1,
          "subject CN");
}

void addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(extension != nullptr, OBJ_nid2sn(nid));
    const int added = X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
    check(added == 1, "X509_add_ext");
}

std::string altNames(const std::vector<std::string>& dnsNames, const std::vector<std::string>& ips) {
    std::string out;
    for (const auto& name : dnsNames) {
        out += (out.empty() ? "DNS:" : ",DNS:") + name;
    }
    for (const auto& ip : ips) {
        out += (out.empty() ? "IP:" : ",IP:") + ip;
    }
    return out;
}

// An unsigned certificate for `key` with the subject CN, issued by issuerCert (itself when null).
CertPtr newCertificate(EVP_PKEY* key, const std::string& commonName, X509* issuerCert, int validFromDays,
                       int validToDays) {
    CertPtr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
    setRandomSerial(cert.get());
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), long(validFromDays) * 86400) != nullptr,
          "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(validToDays) * 86400) != nullptr, "notAfter");
    check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
    setName(X509_get_subject_name(cert.get()), commonName);
    X509* issuer = issuerCert ? issuerCert : cert.get();
    check(X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) == 1, "X509_set_issuer_name");
    addExtension(cert.get(), issuer, NID_subject_key_identifier, "hash");
    if (issuerCert) {
        addExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
    }
    return cert;
}

void sign(X509* cert, EVP_PKEY* key) {
    check(X509_sign(cert, key, EVP_sha256()) > 0, "X509_sign");
}

TestCertificate finish(X509* cert, EVP_PKEY* key) {
    return TestCertificate{certPem(cert), keyPem(key), fingerprint(cert)};
}

} // namespace

struct TestPki::Ca {
    KeyPtr key;
    CertPtr cert;
};

TestPki::TestPki(std::string caCommonName) : m_ca(std::make_unique<Ca>()) {
    m_ca->key = newKey();
    m_ca->cert = newCertificate(m_ca->key.get(), caCommonName, nullptr, -1, 3650);
    addExtension(m_ca->cert.get(), m_ca->cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    addExtension(m_ca->cert.get(), m_ca->cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    sign(m_ca->cert.get(), m_ca->key.get());
    m_caPem = certPem(m_ca->cert.get());
}

TestPki::~TestPki() = default;

TestCertificate TestPki::issueServer(const std::vector<std::string>& dnsNames,
                                     const std::vector<std::string>& ipAddresses, int validFromDays,
                                     int validToDays) const {
    KeyPtr key = newKey();
    const std::string commonName =
        !dnsNames.empty() ? dnsNames.front() : (!ipAddresses.empty() ? ipAddresses.front() : "server");
    CertPtr cert = newCertificate(key.get(), commonName, m_ca->cert.get(), validFromDays, validToDays);
    addExtension(cert.get(), m_ca->cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), m_ca->cert.get(), NID_key_usage, "critical,digitalSignature");
    addExtension(cert.get(), m_ca->cert.get(), NID_ext_key_usage, "serverAuth");
    const std::string names = altNames(dnsNames, ipAddresses);
    if (!names.empty()) {
        addExtension(cert.get(), m_ca->cert.get(), NID_subject_alt_name, names);
    }
    sign(cert.get(), m_ca->key.get());
    return finish(cert.get(), key.get());
}

TestCertificate TestPki::issueClient(const std::string& commonName) const {
    KeyPtr key = newKey();
    CertPtr cert = newCertificate(key.get(), commonName, m_ca->cert.get(), -1, 30);
    addExtension(cert.get(), m_ca->cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), m_ca->cert.get(), NID_key_usage, "critical,digitalSignature");
    addExtension(cert.get(), m_ca->cert.get(), NID_ext_key_usage, "clientAuth");
    sign(cert.get(), m_ca->key.get());
    return finish(cert.get(), key.get());
}

TestCertificate TestPki::selfSigned(const std::vector<std::string>& dnsNames) {
    KeyPtr key = newKey();
    CertPtr cert =
        newCertificate(key.get(), dnsNames.empty() ? "impostor" : dnsNames.front(), nullptr, -1, 30);
    addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), cert.get(), NID_ext_key_usage, "serverAuth");
    addExtension(cert.get(), cert.get(), NID_subject_alt_name, altNames(dnsNames, {"127.0.0.1"}));
    sign(cert.get(), key.get());
    return finish(cert.get(), key.get());
}

std::string writePem(const std::string& dir, const std::string& name, const std::string& pem) {
    const std::string path = dir + "/" + name;
    if (!writeFile(path, pem)) {
        throw std::runtime_error("test PKI: cannot write " + path);
    }
    return path;
}

} // namespace tollgate::test

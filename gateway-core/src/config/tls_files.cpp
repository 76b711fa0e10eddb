// Checks of gateway.tls.certificates at load, so that --check, a reload and the console catch a
// certificate the server could not use, with the file named, before any listener tries it.
#include "config/sections.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>

namespace tollgate::config {
namespace {

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<BIO, BioFree> openFile(const std::string& path) {
    return std::unique_ptr<BIO, BioFree>(path.empty() ? nullptr : BIO_new_file(path.c_str(), "rb"));
}

// "2026-01-31 12:00:00 UTC" for an ASN1_TIME.
std::string dateText(const ASN1_TIME* t) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(t, &tm) != 1) {
        return "an unreadable date";
    }
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

} // namespace

void checkTlsPair(Reader& reader, const std::string& path, const TlsCertificate& pair) {
    const std::string certKey = path + ".cert";
    const std::string keyKey = path + ".key";
    auto certFile = openFile(pair.cert);
    auto keyFile = openFile(pair.key);
    if (!certFile || !keyFile) {
        ERR_clear_error();
        return; // checkReadable named the file already
    }
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(certFile.get(), nullptr, nullptr, nullptr));
    std::unique_ptr<EVP_PKEY, KeyFree> key(PEM_read_bio_PrivateKey(keyFile.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (!cert) {
        reader.error(reader.markAt(certKey), certKey,
                     "\"" + pair.cert + "\" is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    if (!key) {
        reader.error(reader.markAt(keyKey), keyKey,
                     "\"" + pair.key +
                         "\" is not an unencrypted PEM private key (expected -----BEGIN PRIVATE KEY-----)");
    }
    if (!cert) {
        return;
    }
    if (key && X509_check_private_key(cert.get(), key.get()) != 1) {
        ERR_clear_error();
        reader.error(reader.markAt(keyKey), keyKey,
                     "the key in \"" + pair.key + "\" does not match the certificate in \"" + pair.cert +
                         "\"");
    }
    if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) < 0) {
        reader.error(reader.markAt(certKey), certKey,
                     "the certificate in \"" + pair.cert + "\" expired on " +
                         dateText(X509_get0_notAfter(cert.get())));
    }
    if (X509_cmp_current_time(X509_get0_notBefore(cert.get())) > 0) {
        // Clients refuse it until then, but a certificate deployed ahead of its start is legitimate.
        reader.warning(reader.markAt(certKey), certKey,
                       "the certificate in \"" + pair.cert + "\" is not valid before " +
                           dateText(X509_get0_notBefore(cert.get())));
    }
}

} // namespace tollgate::config

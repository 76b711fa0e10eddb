#pragma once
// A private certificate authority for TLS tests, built in memory with OpenSSL's C API (no CLI, no
// files unless asked): an EC P-256 CA that issues server and client certificates, plus self-signed
// "impostor" certificates that chain to nothing. Errors throw std::runtime_error (test code only).
// Thread safety: a const TestPki may issue from several threads at once; writePem is reentrant.

#include <memory>
#include <string>
#include <vector>

namespace tollgate::test {

struct TestCertificate {
    std::string certPem;
    std::string keyPem;      // PKCS#8, unencrypted
    std::string fingerprint; // "sha256:<64 lowercase hex>" of the certificate's DER
};

class TestPki {
public:
    explicit TestPki(std::string caCommonName = "Tollgate Test CA");
    ~TestPki();
    TestPki(const TestPki&) = delete;
    TestPki& operator=(const TestPki&) = delete;

    // A serverAuth leaf with the names as subjectAltName entries (DNS and IP). Validity runs from
    // now + validFromDays to now + validToDays: a negative validToDays gives an expired certificate
    // (pass a validFromDays below it, e.g. -10 and -1).
    TestCertificate issueServer(const std::vector<std::string>& dnsNames,
                                const std::vector<std::string>& ipAddresses = {"127.0.0.1"},
                                int validFromDays = -1, int validToDays = 30) const;
    // A clientAuth leaf whose subject CN is commonName.
    TestCertificate issueClient(const std::string& commonName) const;
    const std::string& caPem() const { return m_caPem; }

    // A self-signed serverAuth certificate for the names and 127.0.0.1: right names, no trusted chain.
    static TestCertificate selfSigned(const std::vector<std::string>& dnsNames);

private:
    struct Ca;
    std::unique_ptr<Ca> m_ca;
    std::string m_caPem;
};

// Writes text to dir/name (creating dir) and returns the path; throws when it cannot.
std::string writePem(const std::string& dir, const std::string& name, const std::string& pem);

} // namespace tollgate::test

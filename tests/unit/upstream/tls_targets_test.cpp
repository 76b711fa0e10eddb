// Compiling https targets: one TLS context per service (TLS 1.2+, verification as configured), the
// name each target is checked against, and the pool keys that keep connections verified for one
// name or setting away from requests meant for another. A CA file OpenSSL cannot use fails the
// compile naming the service.

#include "server/snapshot.h"
#include "support.h"
#include "test_pki.h"

#include <QtTest>

#include <openssl/ssl.h>

#include <string>

using namespace tollgate;
using tollgate::test::TestPki;

namespace {

// Services a..d: a and b trust the same CA for the same host, c does not verify, d names an IP.
std::string config(const std::string& caPath) {
    const std::string tls = "    tls: { ca: \"" + caPath + "\" }\n";
    return "version: 1\n"
           "services:\n"
           "  - name: a\n"
           "    targets: [ { url: \"https://localhost:9443\" }, { url: \"http://localhost:9080\" } ]\n" +
           tls +
           "  - name: b\n"
           "    targets: [ { url: \"https://localhost:9443\" } ]\n" +
           tls +
           "  - name: c\n"
           "    targets: [ { url: \"https://localhost:9443\" } ]\n"
           "    tls: { verify: false }\n"
           "  - name: d\n"
           "    targets: [ { url: \"https://127.0.0.1:9443\" } ]\n" +
           tls +
           "apis:\n"
           "  - { name: pub, base_path: /, service: a, public: true, routes: [ { name: all, path: \"/*\" } ] "
           "}\n";
}

} // namespace

class TlsTargetsTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestPki m_pki;

    std::shared_ptr<const server::Snapshot> compile(const std::string& yaml, std::string& error) {
        LoadResult loaded = loadConfigText(yaml, "tls.yaml", m_dir.path().toStdString());
        if (!loaded.ok()) {
            error = "config does not load";
            return nullptr;
        }
        return server::Snapshot::compile(*loaded.config, 1, error);
    }

private slots:
    void localhostNames_areLoopbackWithoutTheSystemResolver() {
        // RFC 6761: no /etc/hosts entry exists for "api.localhost" here, nor for "localhost" in a
        // minimal root; both must still compile to the loopback address.
        const std::string yaml =
            "version: 1\n"
            "services:\n"
            "  - name: a\n"
            "    targets: [ { url: \"http://api.LocalHost:9080\" }, { url: \"http://localhost:9081\" } ]\n"
            "apis:\n"
            "  - { name: pub, base_path: /, service: a, public: true, routes: [ { name: all, path: \"/*\" } "
            "] }\n";
        std::string error;
        const auto snap = compile(yaml, error);
        QVERIFY2(snap, error.c_str());
        QCOMPARE(snap->services[0].targets[0].endpoint.address().to_string(), std::string("127.0.0.1"));
        QCOMPARE(snap->services[0].targets[0].endpoint.port(), uint16_t(9080));
        QCOMPARE(snap->services[0].targets[1].endpoint.address().to_string(), std::string("127.0.0.1"));
        // A name that merely ends in "localhost" is not one of them.
        const std::string other =
            std::string(yaml).replace(yaml.find("api.LocalHost"), 13, "notlocalhost.invalid");
        QVERIFY(!compile(other, error));
    }

    void httpsTargets_getTheirServiceContextAndName() {
        const std::string ca = tollgate::test::writePem(m_dir.path().toStdString(), "ca.pem", m_pki.caPem());
        std::string error;
        const auto snap = compile(config(ca), error);
        QVERIFY2(snap, error.c_str());
        const server::CompiledService& a = snap->services[0];
        QVERIFY(a.tls);
        QVERIFY(a.targets[0].tls);
        QVERIFY(!a.targets[1].tls); // plain http: no TLS state at all
        QCOMPARE(a.targets[0].tls->context.get(), a.tls.get());
        QCOMPARE(a.targets[0].tls->serverName, std::string("localhost"));
        QVERIFY(!a.targets[0].tls->ipLiteral);
        QCOMPARE(a.targets[0].tls->label, std::string("a https://localhost:9443"));
        QVERIFY(a.tls->verify());
        QCOMPARE(SSL_CTX_get_min_proto_version(a.tls->native()), TLS1_2_VERSION);
        QCOMPARE(SSL_CTX_get_verify_mode(a.tls->native()), SSL_VERIFY_PEER);

        const server::CompiledService& c = snap->services[2];
        QVERIFY(!c.tls->verify());
        QCOMPARE(SSL_CTX_get_verify_mode(c.tls->native()), SSL_VERIFY_NONE);
        QVERIFY(snap->services[3].targets[0].tls->ipLiteral);
    }

    void poolKeys_separateNamesAndVerificationSettings() {
        const std::string ca = tollgate::test::writePem(m_dir.path().toStdString(), "ca.pem", m_pki.caPem());
        std::string error;
        const auto snap = compile(config(ca), error);
        QVERIFY2(snap, error.c_str());
        const std::string& a = snap->services[0].targets[0].key;
        const std::string& plain = snap->services[0].targets[1].key;
        QCOMPARE(snap->services[1].targets[0].key, a);  // same host, same trust: one pool
        QVERIFY(snap->services[2].targets[0].key != a); // unverified connections never mix in
        QVERIFY(a.rfind("https:", 0) == 0);
        QVERIFY(plain.rfind("https:", 0) != 0);
    }

    void unusableCaFile_failsTheCompileNamingTheService() {
        const std::string bad =
            tollgate::test::writePem(m_dir.path().toStdString(), "bad.pem", "not a PEM\n");
        std::string error;
        const auto snap = compile(config(bad), error);
        QVERIFY(!snap);
        QVERIFY2(error.rfind("services.a.tls: cannot load CA bundle " + bad, 0) == 0, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TlsTargetsTest)
#include "tls_targets_test.moc"

// HTTPS listeners against a real tollgated, with certificates from a private test CA and OpenSSL
// as the client: SNI picks the certificate (exact, wildcard, default), TLS 1.0/1.1 refused and
// 1.2/1.3 served with ECDHE + AEAD, ALPN http/1.1, session resumption on both versions, a reload
// that changes the certificate without dropping an open keep-alive connection, and client
// certificates as mtls credentials (known: the consumer; unknown: 401 auth.invalid; none: 401
// auth.missing).

#include "integration.h"
#include "test_pki.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <map>
#include <optional>

using namespace tollgate::test;

namespace {

struct TlsOptions {
    std::string sni{};
    int minVersion = 0;
    int maxVersion = 0;
    std::string alpn{}; // wire format: length-prefixed names
    const TestCertificate* clientCert = nullptr;
    SSL_SESSION* session = nullptr;
    bool allowLegacy = false; // let this client offer TLS 1.0/1.1 (off at OpenSSL's default level)
    std::string ciphers{};    // TLS 1.2 cipher list to offer; empty: OpenSSL's default
};

struct TlsResponse {
    int status = 0;
    std::map<std::string, std::string> headers; // names lower case
    std::string body;
};

std::string fingerprintOf(X509* cert) {
    unsigned char md[32];
    unsigned int len = 0;
    X509_digest(cert, EVP_sha256(), md, &len);
    static const char kHex[] = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned i = 0; i < len; ++i) {
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 15];
    }
    return out;
}

// A blocking OpenSSL client on one TCP connection.
class TlsClient {
public:
    TlsClient() = default;
    ~TlsClient() { reset(); }
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    bool connect(uint16_t port, const TlsOptions& o = {}) {
        reset();
        m_ctx = SSL_CTX_new(TLS_client_method());
        if (o.allowLegacy) {
            SSL_CTX_set_security_level(m_ctx, 0);
            SSL_CTX_set_cipher_list(m_ctx, "DEFAULT:@SECLEVEL=0");
        }
        if (!o.ciphers.empty()) {
            SSL_CTX_set_cipher_list(m_ctx, o.ciphers.c_str());
        }
        if (o.minVersion) {
            SSL_CTX_set_min_proto_version(m_ctx, o.minVersion);
        }
        if (o.maxVersion) {
            SSL_CTX_set_max_proto_version(m_ctx, o.maxVersion);
        }
        if (!o.alpn.empty()) {
            SSL_CTX_set_alpn_protos(m_ctx, reinterpret_cast<const unsigned char*>(o.alpn.data()),
                                    unsigned(o.alpn.size()));
        }
        if (o.clientCert && !useClientCertificate(*o.clientCert)) {
            return false;
        }
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{5, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
            m_error = "tcp connect failed";
            return false;
        }
        m_ssl = SSL_new(m_ctx);
        SSL_set_fd(m_ssl, m_fd);
        if (!o.sni.empty()) {
            SSL_set_tlsext_host_name(m_ssl, o.sni.c_str());
        }
        if (o.session) {
            SSL_set_session(m_ssl, o.session);
        }
        ERR_clear_error();
        if (SSL_connect(m_ssl) != 1) {
            m_lastReason = ERR_GET_REASON(ERR_peek_error());
            char buf[256];
            ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
            m_error = buf;
            ERR_clear_error();
            return false;
        }
        return true;
    }

    std::optional<TlsResponse> get(const std::string& path, const std::string& host = "gw.test") {
        return request("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    }

    std::optional<TlsResponse> request(const std::string& req) {
        if (SSL_write(m_ssl, req.data(), int(req.size())) != int(req.size())) {
            m_error = "write failed";
            return std::nullopt;
        }
        std::string in;
        size_t headEnd = std::string::npos;
        char buf[16384];
        while ((headEnd = in.find("\r\n\r\n")) == std::string::npos) {
            const int n = SSL_read(m_ssl, buf, sizeof buf);
            if (n <= 0) {
                m_error = "connection closed before a response head";
                return std::nullopt;
            }
            in.append(buf, size_t(n));
        }
        TlsResponse r;
        r.status = std::atoi(in.c_str() + 9);
        size_t pos = in.find("\r\n") + 2;
        while (pos < headEnd) {
            const size_t eol = in.find("\r\n", pos);
            const std::string line = in.substr(pos, eol - pos);
            const size_t colon = line.find(':');
            std::string name = line.substr(0, colon);
            for (char& c : name) {
                c = char(std::tolower(static_cast<unsigned char>(c)));
            }
            r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
            pos = eol + 2;
        }
        const size_t length =
            std::stoul(r.headers.count("content-length") ? r.headers["content-length"] : "0");
        r.body = in.substr(headEnd + 4);
        while (r.body.size() < length) {
            const int n = SSL_read(m_ssl, buf, sizeof buf);
            if (n <= 0) {
                m_error = "connection closed in the body";
                return std::nullopt;
            }
            r.body.append(buf, size_t(n));
        }
        return r;
    }

    std::string serverFingerprint() const { return fingerprintOf(SSL_get0_peer_certificate(m_ssl)); }
    std::string alpn() const {
        const unsigned char* p = nullptr;
        unsigned len = 0;
        SSL_get0_alpn_selected(m_ssl, &p, &len);
        return std::string(reinterpret_cast<const char*>(p), len);
    }
    int version() const { return SSL_version(m_ssl); }
    std::string cipher() const { return SSL_get_cipher_name(m_ssl); }
    bool resumed() const { return SSL_session_reused(m_ssl) == 1; }
    // The session to resume (owned by the caller: SSL_SESSION_free).
    SSL_SESSION* session() const { return SSL_get1_session(m_ssl); }
    const std::string& error() const { return m_error; }
    int lastReason() const { return m_lastReason; }

private:
    bool useClientCertificate(const TestCertificate& c) {
        BIO* cb = BIO_new_mem_buf(c.certPem.data(), int(c.certPem.size()));
        BIO* kb = BIO_new_mem_buf(c.keyPem.data(), int(c.keyPem.size()));
        X509* x = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
        EVP_PKEY* k = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
        const bool ok =
            x && k && SSL_CTX_use_certificate(m_ctx, x) == 1 && SSL_CTX_use_PrivateKey(m_ctx, k) == 1;
        X509_free(x);
        EVP_PKEY_free(k);
        BIO_free(cb);
        BIO_free(kb);
        if (!ok) {
            m_error = "cannot load the client certificate";
        }
        return ok;
    }

    void reset() {
        if (m_ssl) {
            // A clean close_notify: OpenSSL makes the session of a connection that just dropped
            // unresumable.
            if (SSL_is_init_finished(m_ssl)) {
                SSL_shutdown(m_ssl);
            }
            SSL_free(m_ssl);
            m_ssl = nullptr;
        }
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
        if (m_ctx) {
            SSL_CTX_free(m_ctx);
            m_ctx = nullptr;
        }
    }

    SSL_CTX* m_ctx = nullptr;
    SSL* m_ssl = nullptr;
    int m_fd = -1;
    std::string m_error;
    int m_lastReason = 0;
};

const std::string kAlpnH2AndHttp11 = std::string("\x02h2\x08http/1.1", 12);

// A gateway with a plain and an HTTPS listener in front of the builtin echo. API "open" is public;
// API "certs" takes mtls credentials, consumer alice holding `aliceFingerprint`.
std::string tlsYaml(const std::vector<std::pair<std::string, std::string>>& certFiles,
                    const std::string& aliceFingerprint, const std::string& clientAuth = "request",
                    const std::string& upstreamUrl = "builtin:echo") {
    std::string y = "version: 1\n"
                    "gateway:\n"
                    "  listen: [\"127.0.0.1:0\"]\n"
                    "  workers: 1\n"
                    "  tls:\n"
                    "    listen: [\"127.0.0.1:0\"]\n"
                    "    client_auth: " +
                    clientAuth +
                    "\n"
                    "    certificates:\n";
    for (const auto& [cert, key] : certFiles) {
        y += "      - { cert: \"" + cert + "\", key: \"" + key + "\" }\n";
    }
    y += "services:\n"
         "  - { name: echo, targets: [{ url: builtin:echo }] }\n"
         "  - { name: up, targets: [{ url: \"" +
         upstreamUrl +
         "\" }] }\n"
         "apis:\n"
         "  - { name: big, base_path: /big, service: up, public: true, routes: [{ name: all, path: \"/*\" }] "
         "}\n"
         "  - { name: open, base_path: /open, service: echo, public: true, routes: [{ name: all, path: "
         "\"/*\" }] }\n"
         "  - { name: certs, base_path: /certs, service: echo, auth: [mtls], routes: [{ name: all, path: "
         "\"/*\" "
         "}] }\n"
         "plans:\n"
         "  - { name: free, grants: [{ api: certs }] }\n"
         "consumers:\n"
         "  - { name: alice, plan: free, credentials: [{ type: mtls, fingerprint: \"" +
         aliceFingerprint + "\" }] }\n";
    return y;
}

} // namespace

class TlsTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestPki m_pki;
    TestCertificate m_a, m_b, m_alice;
    std::vector<std::pair<std::string, std::string>> m_files; // a.test, then *.b.test

    std::string path(const std::string& name) const {
        return m_dir.filePath(QString::fromStdString(name)).toStdString();
    }

    void startGateway(TollgatedProcess& gw) { TG_START(gw, tlsYaml(m_files, m_alice.fingerprint), {}, 2); }
    uint16_t httpsPort(const TollgatedProcess& gw) const { return gw.port(1); }

private slots:
    void initTestCase() {
        m_a = m_pki.issueServer({"a.test"});
        m_b = m_pki.issueServer({"*.b.test"});
        m_alice = m_pki.issueClient("alice");
        const std::string dir = m_dir.path().toStdString();
        m_files = {{writePem(dir, "a.crt", m_a.certPem), writePem(dir, "a.key", m_a.keyPem)},
                   {writePem(dir, "b.crt", m_b.certPem), writePem(dir, "b.key", m_b.keyPem)}};
    }

    void sniPicksTheCertificate() {
        TollgatedProcess gw;
        startGateway(gw);
        const struct {
            std::string sni;
            const TestCertificate* expected;
        } cases[] = {
            {"a.test", &m_a},       {"A.Test", &m_a},
            {"api.b.test", &m_b},   {"x.api.b.test", &m_a}, // a wildcard covers one label only
            {"unknown.test", &m_a}, {"", &m_a},             // no match, no SNI: the first certificate
        };
        for (const auto& c : cases) {
            TlsClient client;
            QVERIFY2(client.connect(httpsPort(gw), {.sni = c.sni}), client.error().c_str());
            QVERIFY2(client.serverFingerprint() == c.expected->fingerprint, c.sni.c_str());
            const auto r = client.get("/open/hello");
            QVERIFY2(r && r->status == 200, client.error().c_str());
            QVERIFY(r->body.find("\"/open/hello\"") != std::string::npos);
        }
    }

    void onlyTls12And13() {
        TollgatedProcess gw;
        startGateway(gw);
        for (const int legacy : {TLS1_VERSION, TLS1_1_VERSION}) {
            TlsClient client;
            QVERIFY(!client.connect(httpsPort(gw),
                                    {.minVersion = legacy, .maxVersion = legacy, .allowLegacy = true}));
            // The server answered the ClientHello with a protocol_version alert.
            QVERIFY2(client.lastReason() == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION, client.error().c_str());
        }
        for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
            TlsClient client;
            QVERIFY2(client.connect(httpsPort(gw),
                                    {.minVersion = version, .maxVersion = version, .allowLegacy = true}),
                     client.error().c_str());
            QCOMPARE(client.version(), version);
            const std::string cipher = client.cipher();
            if (version == TLS1_2_VERSION) {
                QVERIFY2(cipher.rfind("ECDHE-", 0) == 0, cipher.c_str());
                QVERIFY2(cipher.find("GCM") != std::string::npos ||
                             cipher.find("CHACHA20") != std::string::npos,
                         cipher.c_str());
            }
            const auto r = client.get("/open/v");
            QVERIFY2(r && r->status == 200, client.error().c_str());
        }
        // A TLS 1.2 client offering only CBC suites (no AEAD) finds nothing in common.
        TlsClient cbc;
        QVERIFY(
            !cbc.connect(httpsPort(gw), {.minVersion = TLS1_2_VERSION,
                                         .maxVersion = TLS1_2_VERSION,
                                         .ciphers = "ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA256"}));
    }

    void alpnSelectsHttp11() {
        TollgatedProcess gw;
        startGateway(gw);
        TlsClient client;
        QVERIFY2(client.connect(httpsPort(gw), {.alpn = kAlpnH2AndHttp11}), client.error().c_str());
        QCOMPARE(client.alpn(), std::string("http/1.1"));
        const auto r = client.get("/open/alpn");
        QVERIFY2(r && r->status == 200, client.error().c_str());
        // A client that only speaks h2 is refused rather than misunderstood.
        TlsClient h2only;
        QVERIFY(!h2only.connect(httpsPort(gw), {.alpn = std::string("\x02h2", 3)}));
    }

    void sessionsResume() {
        TollgatedProcess gw;
        startGateway(gw);
        for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
            SSL_SESSION* session = nullptr;
            {
                TlsClient first;
                QVERIFY2(first.connect(httpsPort(gw),
                                       {.sni = "a.test", .minVersion = version, .maxVersion = version}),
                         first.error().c_str());
                QVERIFY(!first.resumed());
                // TLS 1.3 tickets arrive after the handshake: a response read picks them up.
                const auto r = first.get("/open/first");
                QVERIFY2(r && r->status == 200, first.error().c_str());
                session = first.session();
            }
            const char* label = version == TLS1_2_VERSION ? "TLS 1.2" : "TLS 1.3";
            QVERIFY2(session != nullptr, label);
            QVERIFY2(SSL_SESSION_is_resumable(session), label);
            TlsClient second;
            const bool ok = second.connect(
                httpsPort(gw),
                {.sni = "a.test", .minVersion = version, .maxVersion = version, .session = session});
            SSL_SESSION_free(session);
            QVERIFY2(ok, second.error().c_str());
            QVERIFY2(second.resumed(), label);
            const auto r = second.get("/open/second");
            QVERIFY2(r && r->status == 200, second.error().c_str());
        }
    }

    void reloadChangesCertificateWithoutDroppingConnections() {
        TollgatedProcess gw;
        startGateway(gw);
        TlsClient open;
        QVERIFY2(open.connect(httpsPort(gw), {.sni = "a.test"}), open.error().c_str());
        QCOMPARE(open.serverFingerprint(), m_a.fingerprint);
        QVERIFY(open.get("/open/before"));

        const TestCertificate renewed = m_pki.issueServer({"a.test"});
        const std::string dir = m_dir.path().toStdString();
        auto files = m_files;
        files[0] = {writePem(dir, "a2.crt", renewed.certPem), writePem(dir, "a2.key", renewed.keyPem)};
        QVERIFY(gw.writeConfig(tlsYaml(files, m_alice.fingerprint)));
        QCOMPARE(gw.reload(), TollgatedProcess::ReloadResult::Reloaded);

        // The open keep-alive connection goes on with the session it has.
        for (int i = 0; i < 3; ++i) {
            const auto r = open.get("/open/after");
            QVERIFY2(r && r->status == 200, open.error().c_str());
        }
        QCOMPARE(open.serverFingerprint(), m_a.fingerprint);
        TlsClient fresh;
        QVERIFY2(fresh.connect(httpsPort(gw), {.sni = "a.test"}), fresh.error().c_str());
        QCOMPARE(fresh.serverFingerprint(), renewed.fingerprint);
        QVERIFY(fresh.get("/open/new"));
    }

    void clientCertificatesAuthenticate() {
        TollgatedProcess gw;
        startGateway(gw);
        {
            TlsClient alice;
            QVERIFY2(alice.connect(httpsPort(gw), {.clientCert = &m_alice}), alice.error().c_str());
            for (int i = 0; i < 2; ++i) { // the fingerprint holds for every request of the connection
                const auto r = alice.get("/certs/orders");
                QVERIFY2(r && r->status == 200,
                         r ? (std::to_string(r->status) + " " + r->body).c_str() : "none");
                QVERIFY2(r->body.find("\"alice\"") != std::string::npos, r->body.c_str());
            }
        }
        {
            const TestCertificate mallory = m_pki.issueClient("mallory"); // same CA, not registered
            TlsClient client;
            QVERIFY2(client.connect(httpsPort(gw), {.clientCert = &mallory}), client.error().c_str());
            const auto r = client.get("/certs/orders");
            QVERIFY(r);
            QCOMPARE(r->status, 401);
            QCOMPARE(r->headers.at("x-tollgate-reason"), std::string("auth.invalid"));
            // Public APIs do not care about the certificate.
            const auto open = client.get("/open/x");
            QVERIFY(open && open->status == 200);
        }
        {
            TlsClient anonymous;
            QVERIFY2(anonymous.connect(httpsPort(gw)), anonymous.error().c_str());
            const auto r = anonymous.get("/certs/orders");
            QVERIFY(r);
            QCOMPARE(r->status, 401);
            QCOMPARE(r->headers.at("x-tollgate-reason"), std::string("auth.missing"));
        }
        // Plain HTTP has no certificate to show.
        expectRefused(roundTrip(gw.port(0), "GET /certs/orders HTTP/1.1\r\nHost: gw.test\r\n\r\n"), 401,
                      "auth.missing");
    }

    void largeBodiesBothWays() {
        // Many records each way: reads that fill the buffer with plaintext still inside OpenSSL,
        // and writes that meet a full socket.
        TestUpstream upstream;
        std::string big(3 * 1024 * 1024 + 17, '\0');
        for (size_t i = 0; i < big.size(); ++i) {
            big[i] = char('a' + (i * 7 + i / 1000) % 26);
        }
        UpstreamResponse response;
        response.body = big;
        upstream.setResponse(response);
        TollgatedProcess gw;
        TG_START(gw, tlsYaml(m_files, m_alice.fingerprint, "request", upstream.url()), {}, 2);
        TlsClient client;
        QVERIFY2(client.connect(httpsPort(gw)), client.error().c_str());
        for (int i = 0; i < 2; ++i) {
            const auto r = client.get("/big/file");
            QVERIFY2(r && r->status == 200, client.error().c_str());
            QCOMPARE(r->body.size(), big.size());
            QVERIFY(r->body == big);
        }
        const std::string upload = big.substr(0, 1024 * 1024 + 3);
        unsigned char md[32];
        unsigned int len = 0;
        EVP_Digest(upload.data(), upload.size(), md, &len, EVP_sha256(), nullptr);
        static const char kHex[] = "0123456789abcdef";
        std::string hex;
        for (unsigned i = 0; i < len; ++i) {
            hex += kHex[md[i] >> 4];
            hex += kHex[md[i] & 15];
        }
        const auto r = client.request("POST /open/upload HTTP/1.1\r\nHost: gw.test\r\nContent-Length: " +
                                      std::to_string(upload.size()) + "\r\n\r\n" + upload);
        QVERIFY2(r && r->status == 200, client.error().c_str());
        QVERIFY2(r->body.find("\"body_bytes\":" + std::to_string(upload.size())) != std::string::npos,
                 r->body.c_str());
        QVERIFY2(r->body.find(hex) != std::string::npos, r->body.c_str());
    }

    void withoutClientAuthNoCertificateIsAsked() {
        TollgatedProcess gw;
        TG_START(gw, tlsYaml(m_files, m_alice.fingerprint, "none"), {}, 2);
        TlsClient alice;
        QVERIFY2(alice.connect(httpsPort(gw), {.clientCert = &m_alice}), alice.error().c_str());
        const auto r = alice.get("/certs/orders");
        QVERIFY(r);
        QCOMPARE(r->status, 401);
        QCOMPARE(r->headers.at("x-tollgate-reason"), std::string("auth.missing"));
    }
};

QTEST_GUILESS_MAIN(TlsTest)
#include "tls_test.moc"

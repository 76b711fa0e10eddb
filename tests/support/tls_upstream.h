#pragma once
// A small HTTPS/1.1 upstream on 127.0.0.1 (port 0) for integration tests: OpenSSL on blocking
// sockets, one thread accepting and one per connection. Every request gets 200 with the body
// "<name> <METHOD> <target>" (keep-alive unless told to close). It counts TCP connections,
// handshakes, resumed handshakes and requests, and remembers the SNI and ALPN offer it saw.
// Thread safety: every public method may be called from any thread while the server runs.

#include "test_pki.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace tollgate::test {

class TlsUpstream {
public:
    // Serves `certificate` (PEM cert and key); throws std::runtime_error when it cannot.
    explicit TlsUpstream(const TestCertificate& certificate, std::string name = "tls-upstream");
    ~TlsUpstream(); // stops and joins every thread
    TlsUpstream(const TlsUpstream&) = delete;
    TlsUpstream& operator=(const TlsUpstream&) = delete;

    uint16_t port() const { return m_port; }
    // "https://HOST:PORT" (host as given: "localhost", "127.0.0.1").
    std::string url(const std::string& host = "127.0.0.1") const;

    // Answer with "Connection: close" and close after each response.
    void setCloseAfterResponse(bool close) { m_closeAfter = close; }

    int accepts() const { return m_accepts; }
    int handshakes() const { return m_handshakes; } // completed ones
    int resumed() const { return m_resumed; }       // completed by resuming a session
    int requests() const { return m_requests; }
    std::string lastServerName() const; // SNI of the last handshake, "" when none was sent
    std::string lastAlpnOffer() const;  // the client's ALPN list, e.g. "http/1.1"

private:
    void acceptLoop();
    void serve(int fd);
    static int onAlpn(SSL* ssl, const unsigned char** out, unsigned char* outLength, const unsigned char* in,
                      unsigned int inLength, void* self);

    std::string m_name;
    SSL_CTX* m_ctx = nullptr;
    int m_listenFd = -1;
    uint16_t m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_closeAfter{false};
    std::atomic<int> m_accepts{0};
    std::atomic<int> m_handshakes{0};
    std::atomic<int> m_resumed{0};
    std::atomic<int> m_requests{0};
    mutable std::mutex m_mutex; // guards the fields below
    std::string m_serverName;
    std::string m_alpnOffer;
    std::vector<int> m_fds;
    std::vector<std::thread> m_threads;
    std::thread m_acceptThread;
};

} // namespace tollgate::test

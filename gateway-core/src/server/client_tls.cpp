// The HTTPS side of ClientConnection: handshake, reads and writes through OpenSSL, close_notify.
// Semantics match the plain socket calls they replace: a read reports would_block only once the
// socket said EAGAIN (so the edge-triggered read wait will fire), never with plaintext left in
// OpenSSL's buffers.
#include "server/client_connection.h"
#include "server/snapshot.h"
#include "server/tls_client_connection.h"
#include "server/worker.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstring>

namespace tollgate::server {

namespace {
// Head and body go out in one TLS record (one write) when together they fit one.
constexpr size_t kCoalesceBytes = 16 * 1024;
thread_local char t_coalesce[kCoalesceBytes];
} // namespace

TlsClientConnection::TlsClientConnection(Worker& worker, Socket socket,
                                         std::shared_ptr<const TlsServerContext> context, SSL* ssl)
    : ClientConnection(worker, std::move(socket)), m_context(std::move(context)), m_ssl(ssl) {
    m_tls = true;
}

TlsClientConnection::~TlsClientConnection() {
    SSL_free(m_ssl); // the socket BIO does not own the descriptor; the base class closes it
}

void TlsClientConnection::onHandshakeDone() {
    // Resumed sessions carry the peer certificate too, so this holds for them as well.
    X509* peer = SSL_get0_peer_certificate(m_ssl);
    unsigned int len = 0;
    m_hasCertificate = peer && X509_digest(peer, EVP_sha256(), m_certificateSha256, &len) == 1 && len == 32;
}

void ClientConnection::handshake() {
    m_state = State::Handshake;
    SSL* ssl = tls().ssl();
    // SSL_get_error reads the thread's error queue: whatever another connection or a JWT check
    // left there must not be taken for this call's failure (as nginx clears it before every call).
    ERR_clear_error();
    const int rc = SSL_do_handshake(ssl);
    if (rc == 1) {
        tls().onHandshakeDone();
        setDeadline(Deadline::Idle, m_worker.snapshot()->config.gateway.limits.idleTimeout);
        readHead();
        return;
    }
    switch (SSL_get_error(ssl, rc)) {
    case SSL_ERROR_WANT_READ:
        m_clientDrained = true;
        waitClientRead();
        return;
    case SSL_ERROR_WANT_WRITE:
        waitClientWrite();
        return;
    default:
        // Old protocol versions, no shared cipher, no ALPN in common, a client that hung up:
        // OpenSSL has sent the alert; there is no HTTP exchange to answer.
        ERR_clear_error();
        close();
    }
}

size_t ClientConnection::tlsRead(char* p, size_t n, asio::error_code& ec) {
    SSL* ssl = tls().ssl();
    ERR_clear_error();
    size_t got = 0;
    // One record at a time: read until the buffer is full or the socket is drained, so that no
    // plaintext waits inside OpenSSL while the connection waits for an edge.
    while (got < n) {
        size_t r = 0;
        const int rc = SSL_read_ex(ssl, p + got, n - got, &r);
        if (rc == 1) {
            got += r;
            continue;
        }
        const int err = SSL_get_error(ssl, rc);
        if (err == SSL_ERROR_WANT_READ) {
            m_clientDrained = true;
            if (got == 0) {
                ec = asio::error::would_block;
            }
            break;
        }
        ERR_clear_error();
        if (got == 0) {
            // close_notify is the orderly end; anything else (a reset, a renegotiation or key
            // update that would need a write now) ends the connection as a reset would.
            if (err == SSL_ERROR_ZERO_RETURN) {
                ec = asio::error::eof;
            } else {
                ec = asio::error::connection_reset;
            }
        }
        break; // with bytes in hand the error comes back at the next read
    }
    m_clientQuiet = m_clientDrained || (!ec && got < n);
    return got;
}

size_t ClientConnection::tlsWrite(const char* p, size_t n, asio::error_code& ec) {
    if (n == 0) {
        return 0;
    }
    SSL* ssl = tls().ssl();
    ERR_clear_error();
    size_t written = 0;
    // Partial write mode: returns after each record; after WANT_WRITE the caller retries with the
    // same bytes at its front (they have not been counted), as OpenSSL requires.
    if (SSL_write_ex(ssl, p, n, &written) == 1) {
        return written;
    }
    const int err = SSL_get_error(ssl, 0);
    if (err == SSL_ERROR_WANT_WRITE) {
        ec = asio::error::would_block;
    } else {
        ERR_clear_error();
        ec = asio::error::broken_pipe;
    }
    return 0;
}

size_t ClientConnection::tlsWrite(const char* a, size_t an, const char* b, size_t bn, asio::error_code& ec) {
    if (an == 0) {
        return tlsWrite(b, bn, ec);
    }
    if (bn == 0 || an + bn > kCoalesceBytes) {
        return tlsWrite(a, an, ec); // the body follows in its own records
    }
    std::memcpy(t_coalesce, a, an);
    std::memcpy(t_coalesce + an, b, bn);
    return tlsWrite(t_coalesce, an + bn, ec);
}

void ClientConnection::tlsShutdown() {
    // One close_notify, not waiting for the client's: the connection closes right after.
    if (SSL_is_init_finished(tls().ssl())) {
        SSL_shutdown(tls().ssl());
    }
    ERR_clear_error();
}

} // namespace tollgate::server

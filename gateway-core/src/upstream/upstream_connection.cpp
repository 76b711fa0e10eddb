#include "upstream/upstream_connection.h"

#include "server/client_connection.h"
#include "server/worker.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace tollgate::upstream {

UpstreamConnection::UpstreamConnection(server::Worker& worker, TargetRuntime& target)
    : m_worker(worker), m_target(target), m_socket(worker.io()) {}

UpstreamConnection::~UpstreamConnection() {
    m_worker.buffers().release(m_buffer);
    SSL_free(m_ssl);
}

void UpstreamConnection::connect(const asio::ip::tcp::endpoint& endpoint, const TlsTarget* tls) {
    m_tls = tls;
    ++m_pending;
    m_socket.async_connect(endpoint, [this](const asio::error_code& ec) {
        --m_pending;
        if (m_closed) {
            finalizeIfDone();
            return;
        }
        if (ec) {
            connectDone(ec);
            return;
        }
        asio::error_code ignored;
        m_socket.set_option(asio::ip::tcp::no_delay(true), ignored);
        m_socket.non_blocking(true, ignored);
        if (m_tls && owner) {
            if (!startTls(*m_tls)) {
                handshakeFailed(SSL_ERROR_SSL);
                return;
            }
            handshake();
            return;
        }
        connected = true;
        connectDone(ec);
    });
}

void UpstreamConnection::connectDone(const asio::error_code& ec) {
    m_tls = nullptr;
    if (owner) {
        owner->onConnected(ec);
    } else {
        close();
        finalizeIfDone();
    }
}

bool UpstreamConnection::startTls(const TlsTarget& tls) {
    ERR_clear_error();
    m_ssl = SSL_new(tls.context->native());
    if (!m_ssl) {
        return false;
    }
    BIO* bio = newSocketBio(m_socket.native_handle());
    if (!bio) {
        return false;
    }
    SSL_set_bio(m_ssl, bio, bio);
    SSL_set_app_data(m_ssl, &m_target.tlsSession);
    if (!tls.ipLiteral && SSL_set_tlsext_host_name(m_ssl, tls.serverName.c_str()) != 1) {
        return false;
    }
    if (tls.context->verify()) {
        X509_VERIFY_PARAM* param = SSL_get0_param(m_ssl);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        const int named = tls.ipLiteral ? X509_VERIFY_PARAM_set1_ip_asc(param, tls.serverName.c_str())
                                        : X509_VERIFY_PARAM_set1_host(param, tls.serverName.c_str(), 0);
        if (named != 1) {
            return false;
        }
    }
    SSL_SESSION* session = m_target.tlsSession.get();
    if (session && SSL_SESSION_is_resumable(session)) {
        SSL_set_session(m_ssl, session);
    }
    SSL_set_connect_state(m_ssl);
    m_handshaking = true;
    return true;
}

void UpstreamConnection::handshake() {
    ERR_clear_error();
    const int r = SSL_do_handshake(m_ssl);
    if (r == 1) {
        m_handshaking = false;
        connected = true;
        connectDone({});
        return;
    }
    const int error = SSL_get_error(m_ssl, r);
    if (error == SSL_ERROR_WANT_READ) {
        waitRead();
    } else if (error == SSL_ERROR_WANT_WRITE) {
        waitWrite();
    } else {
        handshakeFailed(error);
    }
}

void UpstreamConnection::handshakeFailed(int sslError) {
    m_handshaking = false;
    m_tlsFailed = true;
    m_tlsBroken = true;
    m_target.tlsSession.reset(); // whatever was resumed or offered did not lead anywhere
    std::string why;
    const long verified = m_ssl ? SSL_get_verify_result(m_ssl) : X509_V_OK;
    const unsigned long e = ERR_peek_last_error();
    if (m_tls && m_tls->context->verify() && verified != X509_V_OK) {
        why = std::string("certificate verify failed: ") + X509_verify_cert_error_string(verified);
    } else if (e != 0 && ERR_reason_error_string(e)) {
        why = std::string("handshake failed: ") + ERR_reason_error_string(e);
    } else if (sslError == SSL_ERROR_SYSCALL || sslError == SSL_ERROR_ZERO_RETURN) {
        why = "handshake failed: the upstream closed the connection";
    } else {
        why = "handshake failed";
    }
    ERR_clear_error();
    if (m_tls && m_tls->context->problems()) {
        m_tls->context->problems()->record(m_tls->label + ": " + why);
    }
    connectDone(asio::error::connection_aborted);
}

size_t UpstreamConnection::tlsRead(char* p, size_t n, asio::error_code& ec) {
    if (m_drained) {
        ec = asio::error::would_block;
        return 0;
    }
    ERR_clear_error();
    size_t got = 0;
    if (SSL_read_ex(m_ssl, p, n, &got) == 1) {
        ec = {};
        return got;
    }
    switch (SSL_get_error(m_ssl, 0)) {
    case SSL_ERROR_WANT_READ:
        // No whole record and the socket said EAGAIN: the same edge rule as a plain read.
        m_drained = true;
        ec = asio::error::would_block;
        break;
    case SSL_ERROR_WANT_WRITE:
        // Only a post-handshake message the peer asked an answer to; the next event retries.
        ec = asio::error::would_block;
        break;
    case SSL_ERROR_ZERO_RETURN:
        ec = asio::error::eof;
        break;
    default:
        ERR_clear_error();
        m_tlsBroken = true;
        ec = asio::error::connection_reset;
        break;
    }
    return 0;
}

size_t UpstreamConnection::tlsWrite(const char* p, size_t n, asio::error_code& ec) {
    ERR_clear_error();
    size_t written = 0;
    if (SSL_write_ex(m_ssl, p, n, &written) == 1) {
        ec = {};
        return written;
    }
    const int error = SSL_get_error(m_ssl, 0);
    if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
        ec = asio::error::would_block;
    } else {
        ERR_clear_error();
        m_tlsBroken = true;
        ec = asio::error::broken_pipe;
    }
    return 0;
}

size_t UpstreamConnection::plainRead(char* p, size_t n, asio::error_code& ec) {
    if (m_drained) {
        ec = asio::error::would_block;
        return 0;
    }
    const size_t got = m_socket.read_some(asio::buffer(p, n), ec);
    m_drained = ec == asio::error::would_block;
    m_shortRead = !ec && got < n;
    return got;
}

void UpstreamConnection::waitRead() {
    if (m_readWait.armed() || m_closed) {
        return;
    }
    ++m_pending;
    m_readWait.arm(m_worker.reactor(), m_socket);
}

void UpstreamConnection::waitWrite() {
    if (m_writeArmed || m_closed) {
        return;
    }
    m_writeArmed = true;
    ++m_pending;
    m_socket.async_wait(asio::socket_base::wait_write,
                        [this](const asio::error_code& ec) { onEvent(false, ec); });
}

void UpstreamConnection::onEvent(bool read, const asio::error_code& ec) {
    --m_pending;
    if (read) {
        m_drained = false; // an edge (or an error): there may be bytes again
    } else {
        m_writeArmed = false;
    }
    if (m_closed) {
        finalizeIfDone();
        return;
    }
    if (m_handshaking) {
        if (!owner) {
            close();
            finalizeIfDone();
        } else if (ec) {
            m_handshaking = false;
            connectDone(ec);
        } else {
            handshake();
        }
        return;
    }
    if (owner) {
        if (read) {
            owner->onUpstreamReadable(ec);
        } else {
            owner->onUpstreamWritable(ec);
        }
        return;
    }
    // Parked: readiness means the upstream closed the connection or sent bytes nobody asked
    // for; either way it cannot carry another request. A wait also completes for an edge whose
    // bytes were already read, so look before closing.
    if (read && !ec && quiet()) {
        waitRead();
        return;
    }
    close();
    finalizeIfDone();
}

bool UpstreamConnection::quiet() {
    if (m_ssl && SSL_has_pending(m_ssl)) {
        return false; // a record (an alert, a late ticket) already read from the socket
    }
    return m_drained || peekQuiet();
}

bool UpstreamConnection::peekQuiet() {
    char c;
    asio::error_code ec;
    m_socket.receive(asio::buffer(&c, 1), asio::socket_base::message_peek, ec);
    m_drained = ec == asio::error::would_block;
    m_finUnchecked = false;
    return m_drained;
}

void UpstreamConnection::park(uint32_t maxIdle) {
    if (m_target.idleCount >= maxIdle || !m_buffer.empty()) {
        close();
        return;
    }
    // A FIN that came with the response's last bytes raised no edge of its own, so the read
    // wait armed below would not see it. A short plain read emptied the socket of bytes (any
    // that came later raise an edge), so a FIN is all that can hide there: takeIdle looks for
    // it when it matters. Otherwise (a full read, TLS) look now. Either way the next request
    // knows nothing is waiting and waits for its response without a read that would block.
    if (!m_ssl && m_shortRead && !m_drained) {
        m_drained = true;
        m_finUnchecked = true;
    } else if (!quiet()) {
        close();
        return;
    }
    m_worker.buffers().release(m_buffer);
    m_parked = true;
    m_idlePrev = nullptr;
    m_idleNext = m_target.idleHead;
    if (m_idleNext) {
        m_idleNext->m_idlePrev = this;
    }
    m_target.idleHead = this;
    ++m_target.idleCount;
    waitRead();
}

UpstreamConnection* UpstreamConnection::takeIdle(TargetRuntime& target, server::ClientConnection* client,
                                                 bool replayable) {
    for (UpstreamConnection* c = target.idleHead; c; c = target.idleHead) {
        if (c->m_finUnchecked && !replayable && !c->peekQuiet()) {
            c->close(); // unlinks it; the next one is looked at
            continue;
        }
        c->m_finUnchecked = false;
        c->unlinkIdle();
        c->owner = client;
        return c;
    }
    return nullptr;
}

void UpstreamConnection::unlinkIdle() {
    if (!m_parked) {
        return;
    }
    if (m_idlePrev) {
        m_idlePrev->m_idleNext = m_idleNext;
    } else {
        m_target.idleHead = m_idleNext;
    }
    if (m_idleNext) {
        m_idleNext->m_idlePrev = m_idlePrev;
    }
    m_idlePrev = m_idleNext = nullptr;
    m_parked = false;
    --m_target.idleCount;
}

void UpstreamConnection::close() {
    if (m_closed) {
        return;
    }
    unlinkIdle();
    owner = nullptr;
    m_closed = true;
    if (m_ssl) {
        // close_notify, best effort: the socket is non-blocking and nothing waits for the answer.
        if (connected && !m_tlsBroken) {
            ERR_clear_error();
            SSL_shutdown(m_ssl);
        }
        ERR_clear_error();
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
    m_tls = nullptr;
    asio::error_code ignored;
    m_socket.close(ignored);
    m_worker.buffers().release(m_buffer);
    // Deleting here could pull the object from under a caller further up the stack; the posted
    // step runs after every cancelled wait has completed.
    ++m_pending;
    asio::post(m_worker.io(), [this] {
        --m_pending;
        finalizeIfDone();
    });
}

void UpstreamConnection::finalizeIfDone() {
    if (m_closed && m_pending == 0) {
        delete this;
    }
}

} // namespace tollgate::upstream

#include "upstream/tls_client_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <sys/socket.h>

namespace tollgate::upstream {
namespace {

// The client keeps no internal session cache: each target's slot holds its newest session, so a
// session is only offered to the target (and the verification settings) it was made with. Called
// after a TLS 1.2 handshake and for each TLS 1.3 ticket.
int onNewSession(SSL* ssl, SSL_SESSION* session) {
    auto* slot = static_cast<TlsSessionSlot*>(SSL_get_app_data(ssl));
    if (!slot) {
        return 0; // not kept: OpenSSL frees it
    }
    slot->replace(session);
    return 1;
}

// OpenSSL's socket BIO writes with write(2): a peer that has gone raises SIGPIPE, which kills a
// process embedding the engine without ignoring it. The same BIO with send(MSG_NOSIGNAL) instead.
int sendNoSignal(BIO* bio, const char* data, int length) {
    int fd = -1;
    BIO_get_fd(bio, &fd);
    BIO_clear_retry_flags(bio);
    const ssize_t sent = ::send(fd, data, size_t(length), MSG_NOSIGNAL);
    if (sent <= 0 && BIO_sock_should_retry(int(sent))) {
        BIO_set_retry_write(bio);
    }
    return int(sent);
}

BIO_METHOD* makeSocketMethod() {
    const BIO_METHOD* base = BIO_s_socket();
    BIO_METHOD* method =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "tollgate socket");
    if (!method) {
        return nullptr;
    }
    BIO_meth_set_write(method, sendNoSignal);
    BIO_meth_set_read(method, BIO_meth_get_read(base));
    BIO_meth_set_ctrl(method, BIO_meth_get_ctrl(base));
    BIO_meth_set_create(method, BIO_meth_get_create(base));
    BIO_meth_set_destroy(method, BIO_meth_get_destroy(base));
    return method;
}

std::string lastError() {
    const unsigned long e = ERR_peek_last_error();
    const char* reason = e ? ERR_reason_error_string(e) : nullptr;
    ERR_clear_error();
    return reason ? reason : "unknown error";
}

} // namespace

void TlsProblems::record(std::string message) {
    std::lock_guard lock(m_mutex);
    ++m_report.failures;
    m_report.last = std::move(message);
}

TlsProblems::Report TlsProblems::report() const {
    std::lock_guard lock(m_mutex);
    return m_report;
}

std::shared_ptr<const TlsClientContext> TlsClientContext::create(const ServiceTlsConfig& config,
                                                                 TlsProblems* problems, std::string& error) {
    ERR_clear_error();
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        error = "cannot create a TLS context: " + lastError();
        return nullptr;
    }
    std::shared_ptr<const TlsClientContext> out(new TlsClientContext(ctx, config.verify, problems));
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                                 // Upstreams that end a close-delimited body without close_notify are
                                 // common; the HTTP framing, not TLS, tells a truncated response.
                                 SSL_OP_IGNORE_UNEXPECTED_EOF);
    // Partial writes fit the gateway's non-blocking loops; released buffers keep pooled idle
    // connections small.
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    // One recv for as many records as have arrived instead of two per record (header, then body).
    // Safe with the edge-triggered waits: a read only reports would_block once the socket did, and
    // parking checks SSL_has_pending.
    SSL_CTX_set_read_ahead(ctx, 1);
    static const unsigned char kAlpn[] = "\x08http/1.1";
    SSL_CTX_set_alpn_protos(ctx, kAlpn, sizeof kAlpn - 1);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, onNewSession);
    if (config.verify) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
        const bool loaded = config.ca.empty()
                                ? SSL_CTX_set_default_verify_paths(ctx) == 1
                                : SSL_CTX_load_verify_locations(ctx, config.ca.c_str(), nullptr) == 1;
        if (!loaded) {
            error = config.ca.empty() ? "cannot load the system CA store: " + lastError()
                                      : "cannot load CA bundle " + config.ca + ": " + lastError();
            return nullptr;
        }
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    }
    return out;
}

BIO* newSocketBio(int fd) {
    static BIO_METHOD* const method = makeSocketMethod(); // lives as long as the process
    BIO* bio = method ? BIO_new(method) : nullptr;
    if (bio) {
        BIO_set_fd(bio, fd, BIO_NOCLOSE);
    }
    return bio;
}

TlsClientContext::~TlsClientContext() {
    SSL_CTX_free(m_ctx);
}

void TlsSessionSlot::replace(SSL_SESSION* session) {
    if (m_session) {
        SSL_SESSION_free(m_session);
    }
    m_session = session;
}

} // namespace tollgate::upstream

#pragma once
// A client connection on an HTTPS listener: ClientConnection plus the TLS session. OpenSSL works
// on the socket's descriptor directly (no memory BIOs: no extra copy of every byte), and the
// base class routes its reads and writes here when m_tls is set. Worker thread only.

#include "server/client_connection.h"
#include "server/tls_context.h"

#include <openssl/ssl.h>

#include <cstdint>
#include <memory>

namespace tollgate::server {

class TlsClientConnection final : public ClientConnection {
public:
    // Takes ownership of `ssl`, made by `context` on `socket`'s descriptor.
    TlsClientConnection(Worker& worker, Socket socket, std::shared_ptr<const TlsServerContext> context,
                        SSL* ssl);
    ~TlsClientConnection();

    SSL* ssl() const { return m_ssl; }
    // The client certificate's SHA-256, nullptr when the client sent none.
    const uint8_t* certificateSha256() const { return m_hasCertificate ? m_certificateSha256 : nullptr; }
    // After the handshake: remembers the client certificate's fingerprint for every request.
    void onHandshakeDone();

private:
    // Keeps the SNI callback's certificate table alive for this session (the SSL_CTX are
    // reference-counted by the SSL itself), whatever configuration is adopted meanwhile.
    std::shared_ptr<const TlsServerContext> m_context;
    SSL* m_ssl;
    uint8_t m_certificateSha256[32] = {};
    bool m_hasCertificate = false;
};

inline TlsClientConnection& ClientConnection::tls() {
    return static_cast<TlsClientConnection&>(*this);
}

} // namespace tollgate::server

#pragma once
// The TLS side of the HTTPS listeners: one SSL_CTX per configured certificate, SNI choosing among
// them, built once per configuration snapshot. An accepted connection's SSL object holds its
// SSL_CTX by reference count (and the connection holds this object), so a reload that builds a
// new TlsServerContext changes what new connections get and nothing for the open ones.
// Thread safety: immutable after create(); newSession() may be called from any worker at once.

#include "tollgate/config.h"

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

namespace tollgate::server {

class TlsServerContext {
public:
    // nullptr with `error` naming the file when a certificate or key cannot be used.
    static std::shared_ptr<const TlsServerContext> create(const TlsListenConfig& config, std::string& error);
    ~TlsServerContext();
    TlsServerContext(const TlsServerContext&) = delete;
    TlsServerContext& operator=(const TlsServerContext&) = delete;

    // A server-side SSL on the connected socket `fd`, in accept state; nullptr when out of memory.
    SSL* newSession(int fd) const;
    bool requestsClientCertificate() const { return m_clientAuth; }

    // Index of the certificate SNI picks for `host` (lower case): an exact SAN DNS name first,
    // then a `*.` wildcard covering one label, then the certificate's CN when it has no DNS SAN;
    // 0 (the default) when none matches. Exposed for tests and the console.
    size_t pick(std::string_view host) const;
    // The DNS names a certificate answers for (SAN, or CN without SAN), lower case.
    const std::vector<std::string>& names(size_t index) const { return m_entries[index].names; }

private:
    TlsServerContext() = default;
    static int onServerName(SSL* ssl, int* alert, void* arg);

    struct Entry {
        SSL_CTX* ctx = nullptr;
        std::vector<std::string> names;
    };
    std::vector<Entry> m_entries;
    bool m_clientAuth = false;
};

} // namespace tollgate::server

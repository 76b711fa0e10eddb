#include "server/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>

namespace tollgate::server {

namespace {

// TLS 1.2: forward secrecy and AEAD only, the same list as Mozilla's "intermediate" profile.
// TLS 1.3 suites are all AEAD with (EC)DHE; OpenSSL's default order stands.
constexpr const char* kTls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                      "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                      "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

constexpr unsigned char kAlpnHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

std::string opensslError() {
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) {
        return "unknown error";
    }
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::vector<std::string> certificateNames(X509* cert) {
    std::vector<std::string> out;
    auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (sans) {
        for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
            const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans, i);
            if (n->type == GEN_DNS) {
                const ASN1_IA5STRING* s = n->d.dNSName;
                out.push_back(lower(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                                size_t(ASN1_STRING_length(s)))));
            }
        }
        GENERAL_NAMES_free(sans);
    }
    if (out.empty()) {
        // RFC 6125: the CN counts only for a certificate that has no DNS names at all.
        const X509_NAME* subject = X509_get_subject_name(cert);
        const int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
        if (i >= 0) {
            const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
            unsigned char* utf8 = nullptr;
            const int len = ASN1_STRING_to_UTF8(&utf8, s);
            if (len > 0) {
                out.push_back(lower(std::string(reinterpret_cast<char*>(utf8), size_t(len))));
            }
            OPENSSL_free(utf8);
        }
    }
    return out;
}

int selectAlpn(SSL*, const unsigned char** out, unsigned char* outLen, const unsigned char* in,
               unsigned int inLen, void*) {
    unsigned char* chosen = nullptr;
    if (SSL_select_next_proto(&chosen, outLen, kAlpnHttp11, sizeof kAlpnHttp11, in, inLen) !=
        OPENSSL_NPN_NEGOTIATED) {
        // A client that offers ALPN but not HTTP/1.1 (h2 only) cannot talk to this server.
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

// Identity comes from the leaf's fingerprint (mtls credentials), not from a chain to a CA, so
// any certificate the client presents is accepted here and judged per API by authn_mtls.
int acceptAnyChain(int, X509_STORE_CTX*) {
    return 1;
}

SSL_CTX* newContext(const TlsCertificate& pair, bool clientAuth, std::string& error) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        error = "cannot create a TLS context: " + opensslError();
        return nullptr;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_options(ctx,
                        SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
    // Partial writes match write_some(); the buffer may move between retries because responses
    // are written from pooled buffers; idle connections give their record buffers back (as nginx).
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    // Resumption by stateless tickets only: a server-side cache would be a lock shared by workers.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    static const unsigned char kSessionContext[] = "tollgate";
    SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
    SSL_CTX_set_alpn_select_cb(ctx, selectAlpn, nullptr);
    if (clientAuth) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, acceptAnyChain);
    }
    if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
        error = "cannot set the TLS 1.2 cipher suites: " + opensslError();
    } else if (SSL_CTX_use_certificate_chain_file(ctx, pair.cert.c_str()) != 1) {
        error = "cannot load the certificate \"" + pair.cert + "\": " + opensslError();
    } else if (SSL_CTX_use_PrivateKey_file(ctx, pair.key.c_str(), SSL_FILETYPE_PEM) != 1) {
        error = "cannot load the key \"" + pair.key + "\": " + opensslError();
    } else if (SSL_CTX_check_private_key(ctx) != 1) {
        error = "the key \"" + pair.key + "\" does not match the certificate \"" + pair.cert + "\"";
        ERR_clear_error();
    }
    if (!error.empty()) {
        SSL_CTX_free(ctx);
        return nullptr;
    }
    return ctx;
}

} // namespace

std::shared_ptr<const TlsServerContext> TlsServerContext::create(const TlsListenConfig& config,
                                                                 std::string& error) {
    if (config.certificates.empty()) {
        error = "gateway.tls: no certificates";
        return nullptr;
    }
    std::shared_ptr<TlsServerContext> tls(new TlsServerContext);
    tls->m_clientAuth = config.clientAuth == TlsListenConfig::ClientAuth::Request;
    for (const TlsCertificate& pair : config.certificates) {
        Entry e;
        e.ctx = newContext(pair, tls->m_clientAuth, error);
        if (!e.ctx) {
            return nullptr;
        }
        e.names = certificateNames(SSL_CTX_get0_certificate(e.ctx));
        tls->m_entries.push_back(std::move(e));
    }
    // Every connection starts on the default context; its SNI callback moves it to the right one.
    // The session (ticket) keys stay those of the default context, so resumption works whatever
    // certificate SNI chose.
    SSL_CTX_set_tlsext_servername_callback(tls->m_entries[0].ctx, onServerName);
    SSL_CTX_set_tlsext_servername_arg(tls->m_entries[0].ctx, tls.get());
    return tls;
}

TlsServerContext::~TlsServerContext() {
    for (Entry& e : m_entries) {
        SSL_CTX_free(e.ctx); // connections still open keep theirs alive through SSL's reference
    }
}

SSL* TlsServerContext::newSession(int fd) const {
    SSL* ssl = SSL_new(m_entries[0].ctx);
    if (!ssl) {
        ERR_clear_error();
        return nullptr;
    }
    if (SSL_set_fd(ssl, fd) != 1) {
        ERR_clear_error();
        SSL_free(ssl);
        return nullptr;
    }
    SSL_set_accept_state(ssl);
    return ssl;
}

size_t TlsServerContext::pick(std::string_view host) const {
    for (size_t i = 0; i < m_entries.size(); ++i) {
        for (const std::string& n : m_entries[i].names) {
            if (n == host) {
                return i;
            }
        }
    }
    const size_t dot = host.find('.');
    if (dot != std::string_view::npos && dot > 0) {
        const std::string_view parent = host.substr(dot); // ".example.com"
        for (size_t i = 0; i < m_entries.size(); ++i) {
            for (const std::string& n : m_entries[i].names) {
                if (n.size() > 2 && n[0] == '*' && n[1] == '.' && std::string_view(n).substr(1) == parent) {
                    return i;
                }
            }
        }
    }
    return 0;
}

int TlsServerContext::onServerName(SSL* ssl, int*, void* arg) {
    const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (!name) {
        return SSL_TLSEXT_ERR_NOACK; // no SNI: the default certificate
    }
    const auto* self = static_cast<const TlsServerContext*>(arg);
    char host[256];
    size_t len = 0;
    for (; name[len] != '\0' && len < sizeof host; ++len) {
        host[len] = char(std::tolower(static_cast<unsigned char>(name[len])));
    }
    const size_t index = self->pick(std::string_view(host, len));
    if (index != 0) {
        SSL_set_SSL_CTX(ssl, self->m_entries[index].ctx);
    }
    return SSL_TLSEXT_ERR_OK;
}

} // namespace tollgate::server

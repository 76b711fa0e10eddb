#include "tls_upstream.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <stdexcept>

namespace tollgate::test {
namespace {

void loadCredentials(SSL_CTX* ctx, const TestCertificate& certificate) {
    BIO* certBio = BIO_new_mem_buf(certificate.certPem.data(), int(certificate.certPem.size()));
    X509* cert = PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr);
    BIO_free(certBio);
    BIO* keyBio = BIO_new_mem_buf(certificate.keyPem.data(), int(certificate.keyPem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
    BIO_free(keyBio);
    const bool ok =
        cert && key && SSL_CTX_use_certificate(ctx, cert) == 1 && SSL_CTX_use_PrivateKey(ctx, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok) {
        throw std::runtime_error("TlsUpstream: cannot use the certificate and key");
    }
}

// Case-insensitive search for a header's value in a request head; "" when absent.
std::string headerValue(const std::string& head, const char* name) {
    const size_t n = std::strlen(name);
    for (size_t pos = head.find("\r\n"); pos != std::string::npos; pos = head.find("\r\n", pos + 2)) {
        const size_t start = pos + 2;
        if (head.size() > start + n && strncasecmp(head.c_str() + start, name, n) == 0 &&
            head[start + n] == ':') {
            const size_t end = head.find("\r\n", start);
            size_t v = start + n + 1;
            while (v < end && head[v] == ' ') {
                ++v;
            }
            return head.substr(v, end - v);
        }
    }
    return {};
}

} // namespace

TlsUpstream::TlsUpstream(const TestCertificate& certificate, std::string name) : m_name(std::move(name)) {
    // OpenSSL writes with write(2): an alert to a gateway that already hung up must not kill the test.
    std::signal(SIGPIPE, SIG_IGN);
    m_ctx = SSL_CTX_new(TLS_server_method());
    if (!m_ctx) {
        throw std::runtime_error("TlsUpstream: SSL_CTX_new failed");
    }
    loadCredentials(m_ctx, certificate);
    SSL_CTX_set_alpn_select_cb(m_ctx, &TlsUpstream::onAlpn, this);
    m_listenFd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(m_listenFd, 64) != 0 ||
        ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(m_listenFd);
        SSL_CTX_free(m_ctx);
        throw std::runtime_error("TlsUpstream: cannot listen on 127.0.0.1");
    }
    m_port = ntohs(addr.sin_port);
    m_acceptThread = std::thread([this] { acceptLoop(); });
}

TlsUpstream::~TlsUpstream() {
    m_stopping = true;
    ::shutdown(m_listenFd, SHUT_RDWR);
    m_acceptThread.join();
    ::close(m_listenFd);
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        for (int fd : m_fds) {
            ::shutdown(fd, SHUT_RDWR); // wakes a blocked read; the thread closes the socket
        }
        threads.swap(m_threads);
    }
    for (std::thread& t : threads) {
        t.join();
    }
    SSL_CTX_free(m_ctx);
}

std::string TlsUpstream::url(const std::string& host) const {
    return "https://" + host + ":" + std::to_string(m_port);
}

std::string TlsUpstream::lastServerName() const {
    std::lock_guard lock(m_mutex);
    return m_serverName;
}

std::string TlsUpstream::lastAlpnOffer() const {
    std::lock_guard lock(m_mutex);
    return m_alpnOffer;
}

int TlsUpstream::onAlpn(SSL*, const unsigned char** out, unsigned char* outLength, const unsigned char* in,
                        unsigned int inLength, void* self) {
    std::string offer;
    for (unsigned int i = 0; i < inLength; i += 1 + in[i]) {
        offer += (offer.empty() ? "" : ",") + std::string(reinterpret_cast<const char*>(in + i + 1), in[i]);
    }
    auto* server = static_cast<TlsUpstream*>(self);
    std::lock_guard lock(server->m_mutex);
    server->m_alpnOffer = offer;
    static const unsigned char kHttp11[] = "\x08http/1.1";
    unsigned char* selected = nullptr;
    if (SSL_select_next_proto(&selected, outLength, kHttp11, sizeof kHttp11 - 1, in, inLength) !=
        OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

void TlsUpstream::acceptLoop() {
    for (;;) {
        const int fd = ::accept(m_listenFd, nullptr, nullptr);
        if (fd < 0) {
            if (m_stopping || (errno != EINTR && errno != ECONNABORTED)) {
                return;
            }
            continue;
        }
        ++m_accepts;
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            ::close(fd);
            return;
        }
        m_fds.push_back(fd);
        m_threads.emplace_back([this, fd] { serve(fd); });
    }
}

void TlsUpstream::serve(int fd) {
    timeval timeout{10, 0}; // a stuck test ends instead of hanging
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    SSL* ssl = SSL_new(m_ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
        ++m_handshakes;
        if (SSL_session_reused(ssl)) {
            ++m_resumed;
        }
        {
            const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
            std::lock_guard lock(m_mutex);
            m_serverName = sni ? sni : "";
        }
        std::string in;
        char buf[16384];
        bool open = true;
        while (open && !m_stopping) {
            size_t headEnd;
            while ((headEnd = in.find("\r\n\r\n")) == std::string::npos) {
                const int n = SSL_read(ssl, buf, sizeof buf);
                if (n <= 0) {
                    open = false;
                    break;
                }
                in.append(buf, size_t(n));
            }
            if (!open) {
                break;
            }
            const std::string head = in.substr(0, headEnd + 2);
            const std::string length = headerValue(head, "Content-Length");
            const size_t bodyLength = length.empty() ? 0 : std::stoul(length);
            while (in.size() < headEnd + 4 + bodyLength) {
                const int n = SSL_read(ssl, buf, sizeof buf);
                if (n <= 0) {
                    open = false;
                    break;
                }
                in.append(buf, size_t(n));
            }
            if (!open) {
                break;
            }
            in.erase(0, headEnd + 4 + bodyLength);
            ++m_requests;
            const size_t sp1 = head.find(' ');
            const size_t sp2 = head.find(' ', sp1 + 1);
            const std::string body =
                m_name + " " + head.substr(0, sp1) + " " + head.substr(sp1 + 1, sp2 - sp1 - 1);
            const bool close = m_closeAfter;
            const std::string response =
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Upstream: " + m_name +
                "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                (close ? "Connection: close\r\n" : "") + "\r\n" + body;
            if (SSL_write(ssl, response.data(), int(response.size())) <= 0 || close) {
                open = false;
            }
        }
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    ERR_clear_error();
    std::lock_guard lock(m_mutex);
    for (int& slot : m_fds) {
        if (slot == fd) {
            slot = m_fds.back();
            m_fds.pop_back();
            break;
        }
    }
    ::close(fd);
}

} // namespace tollgate::test

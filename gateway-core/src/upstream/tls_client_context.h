#pragma once
// TLS towards https:// upstream targets: one client SSL_CTX per service, built when a snapshot is
// compiled (never per request), the per-target facts a handshake needs, the per-target session
// cache slot that makes reconnects cheap, and the place failed handshakes are reported to.

#include "tollgate/config.h"

#include <openssl/types.h>

// Declared in <openssl/ssl.h>, which the many includers of this header need not parse.
typedef struct ssl_session_st SSL_SESSION;

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace tollgate::upstream {

// Failed upstream handshakes, for the daemon to print at its own pace instead of one line per
// request: a count and the newest message. Any thread; record() is for failures only (it locks).
class TlsProblems {
public:
    void record(std::string message);
    struct Report {
        uint64_t failures = 0;
        std::string last; // "service url: certificate verify failed: self-signed certificate"
    };
    Report report() const;

private:
    mutable std::mutex m_mutex; // guards m_report
    Report m_report;
};

// A service's client context: TLS 1.2+, ALPN http/1.1, peer verification against services[].tls.ca
// or the system store unless tls.verify is false. Immutable once built; any thread.
class TlsClientContext {
public:
    // nullptr with `error` set when the CA bundle cannot be used. `problems` may be nullptr.
    static std::shared_ptr<const TlsClientContext> create(const ServiceTlsConfig& config,
                                                          TlsProblems* problems, std::string& error);
    ~TlsClientContext();
    TlsClientContext(const TlsClientContext&) = delete;
    TlsClientContext& operator=(const TlsClientContext&) = delete;

    SSL_CTX* native() const { return m_ctx; }
    bool verify() const { return m_verify; }
    TlsProblems* problems() const { return m_problems; }

private:
    TlsClientContext(SSL_CTX* ctx, bool verify, TlsProblems* problems)
        : m_ctx(ctx), m_verify(verify), m_problems(problems) {}
    SSL_CTX* m_ctx;
    bool m_verify;
    TlsProblems* m_problems;
};

// What a handshake with one https target needs. Part of a compiled snapshot; immutable.
struct TlsTarget {
    std::shared_ptr<const TlsClientContext> context;
    std::string serverName; // the URL's host: SNI (names only) and the certificate check
    bool ipLiteral = false; // check the certificate's IP addresses instead of its DNS names
    std::string label;      // "service url", for problem reports
};

// A socket BIO on `fd` (not closed with the BIO) whose writes never raise SIGPIPE; nullptr on failure.
BIO* newSocketBio(int fd);

// The newest resumable session of one target (TargetRuntime::tlsSession). Worker thread only.
class TlsSessionSlot {
public:
    TlsSessionSlot() = default;
    ~TlsSessionSlot() { reset(); }
    TlsSessionSlot(const TlsSessionSlot&) = delete;
    TlsSessionSlot& operator=(const TlsSessionSlot&) = delete;

    SSL_SESSION* get() const { return m_session; }
    // Takes ownership of `session` (one reference).
    void replace(SSL_SESSION* session);
    void reset() { replace(nullptr); }

private:
    SSL_SESSION* m_session = nullptr;
};

} // namespace tollgate::upstream

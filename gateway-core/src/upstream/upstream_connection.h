#pragma once
// One connection to an upstream target. Owned by a client connection while it carries a
// request, otherwise parked in its target's idle list. It keeps exactly one read-readiness wait
// armed while parked so that an upstream closing an idle connection is noticed at once.
// To an https target it speaks TLS (OpenSSL on the same non-blocking socket): the handshake runs
// before the owner hears of the connection, and read()/write() carry the decrypted bytes. A plain
// connection pays one null-pointer test per call for that.
// Worker thread only.

#include "server/buffer_pool.h"
#include "server/read_wait.h"
#include "upstream/target_runtime.h"
#include "upstream/tls_client_context.h"

#include <asio/ip/tcp.hpp>

namespace tollgate::server {
class ClientConnection;
class Worker;
} // namespace tollgate::server

namespace tollgate::upstream {

class UpstreamConnection {
public:
    UpstreamConnection(server::Worker& worker, TargetRuntime& target);
    ~UpstreamConnection();

    asio::ip::tcp::socket& socket() { return m_socket; }
    TargetRuntime& target() { return m_target; }
    server::Buffer& buffer() { return m_buffer; }
    server::Worker& worker() { return m_worker; }

    server::ClientConnection* owner = nullptr;
    bool connected = false;
    uint32_t requests = 0; // requests carried so far (0: fresh connection)

    // Connects and, with `tls`, shakes hands (verifying the target as its context says); the
    // owner's onConnected() gets the result. `tls` must live while the owner's request does.
    void connect(const asio::ip::tcp::endpoint& endpoint, const TlsTarget* tls = nullptr);
    // Non-blocking read. After EAGAIN, until the next readiness event, this returns would_block
    // without a system call.
    size_t read(char* p, size_t n, asio::error_code& ec) {
        return m_ssl ? tlsRead(p, n, ec) : plainRead(p, n, ec);
    }
    // Non-blocking write of up to n bytes; would_block when nothing could be written. After
    // would_block, call again with at least the same bytes (TLS has already framed them).
    size_t write(const char* p, size_t n, asio::error_code& ec) {
        return m_ssl ? tlsWrite(p, n, ec) : m_socket.write_some(asio::buffer(p, n), ec);
    }
    // The connection failed in its TLS handshake (verification or protocol): 502 upstream.tls.
    bool tlsFailed() const { return m_tlsFailed; }
    // Arms a wait for readability / writability; the event goes to the owner, or, while parked,
    // closes the connection. The read wait costs no system call (server/read_wait.h).
    void waitRead();
    void waitWrite();
    bool readArmed() const { return m_readWait.armed(); }

    // Parks in the target's idle list (owner must be cleared by the caller first), or closes the
    // connection if the upstream sent anything after the response (bytes or FIN). After a short
    // plain read, only a FIN can be waiting unseen; looking for it costs a system call, so park
    // leaves that to takeIdle, for requests that could not be replayed on a fresh connection.
    void park(uint32_t maxIdle);
    // Removes the most recently parked connection from the idle list and hands it to `client`.
    // `replayable`: the request can be sent again on a fresh connection if this one turns out
    // closed (no body, idempotent): a stale connection costs it one round trip, not a 502. Other
    // requests get a connection checked for a FIN, at one peek.
    static UpstreamConnection* takeIdle(TargetRuntime& target, server::ClientConnection* client,
                                        bool replayable);
    // Closes the socket; the object deletes itself once no wait is pending.
    void close();

private:
    size_t plainRead(char* p, size_t n, asio::error_code& ec);
    size_t tlsRead(char* p, size_t n, asio::error_code& ec);
    size_t tlsWrite(const char* p, size_t n, asio::error_code& ec);
    bool startTls(const TlsTarget& tls);
    void handshake();
    void handshakeFailed(int sslError);
    // Hands the connect result to the owner, or closes when nobody waits for it any more.
    void connectDone(const asio::error_code& ec);
    void onEvent(bool read, const asio::error_code& ec);
    // True when nothing (no byte, no FIN) waits to be read; peeks unless a read would block
    // and no readiness event came since.
    bool quiet();
    // The same, always asking the socket (one MSG_PEEK); a plain connection only.
    bool peekQuiet();
    static void onReadWait(void* self, const asio::error_code& ec) {
        static_cast<UpstreamConnection*>(self)->onEvent(true, ec);
    }
    void finalizeIfDone();
    void unlinkIdle();

    server::Worker& m_worker;
    TargetRuntime& m_target;
    asio::ip::tcp::socket m_socket;
    server::Buffer m_buffer;
    UpstreamConnection* m_idlePrev = nullptr;
    UpstreamConnection* m_idleNext = nullptr;
    bool m_parked = false;
    bool m_closed = false;
    bool m_writeArmed = false;
    bool m_drained = false;      // a read would block and no readiness event came since
    bool m_shortRead = false;    // the last plain read got fewer bytes than it asked for
    bool m_finUnchecked = false; // parked after a short read, without looking for a FIN
    bool m_handshaking = false;
    bool m_tlsFailed = false;
    bool m_tlsBroken = false; // a fatal TLS error: no close_notify
    server::ReadWait m_readWait{&UpstreamConnection::onReadWait, this};
    int m_pending = 0;
    SSL* m_ssl = nullptr; // https targets only
    // During the handshake only, for its failure report. Raw: the handshake runs for its owner's
    // request, whose snapshot holds the target; without an owner it is abandoned before any use.
    const TlsTarget* m_tls = nullptr;
};

} // namespace tollgate::upstream

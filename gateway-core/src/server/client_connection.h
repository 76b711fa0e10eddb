#pragma once
// One client connection and the request it is carrying: reads and parses the head, runs the
// pipeline, forwards to the upstream (or answers locally, or runs the builtin echo), streams
// bodies both ways with back-pressure, and loops for the next (possibly pipelined) request.
// Worker thread only. Uses non-blocking reads and writes and arms readiness waits only after
// EAGAIN, so a request costs one read and one write on each side when the data is there, and
// waiting for readability costs no system call (server/read_wait.h).

#include "http/message.h"
#include "pipeline/request_context.h"
#include "server/buffer_pool.h"
#include "server/read_wait.h"
#include "server/request_slot.h"
#include "server/worker.h"

#include <asio/ip/tcp.hpp>

#include <memory>
#include <string>

namespace tollgate::upstream {
class UpstreamConnection;
struct TargetRuntime;
} // namespace tollgate::upstream

namespace tollgate::server {

class Worker;
struct Snapshot;
struct ServiceRuntime;
class TlsClientConnection;

// Idle keep-alive connections exist by the ten thousand, so every byte of this object counts
// (bench/README.md, "Memory per idle connection"): request state, the configuration it runs under
// included, lives in a pooled RequestSlot; the read wait is a base class; the socket uses the
// io_context's one-pointer executor; the flags are bits. An HTTPS connection is the derived
// TlsClientConnection (server/tls_client_connection.h): its TLS state costs the plain one a bit
// and a predictable branch per read or write, no bytes.
class ClientConnection : private OwnedReadWait<ClientConnection> {
public:
    // Not asio::ip::tcp::socket: its type-erased executor takes 48 B more per connection.
    using Socket = asio::basic_stream_socket<asio::ip::tcp, asio::io_context::executor_type>;

    ClientConnection(Worker& worker, Socket socket);
    ~ClientConnection();

    void start();
    // Tick from the worker: enforces the current deadline.
    void checkDeadline(pipeline::Clock::time_point now);
    // Drain: close now if idle between requests, otherwise after the current response.
    void drain();
    // Closes at once (worker shutdown).
    void abort();

    // Events from the upstream connection this connection owns.
    void onUpstreamReadable(const asio::error_code& ec);
    void onUpstreamWritable(const asio::error_code& ec);
    void onConnected(const asio::error_code& ec);

    // Intrusive list links, managed by Worker.
    ClientConnection* prev = nullptr;
    ClientConnection* next = nullptr;

private:
    friend class TlsClientConnection;

    enum class State : uint8_t {
        Handshake,    // TLS handshake, before the first request
        ReadHead,     // waiting for / parsing a request head
        Connecting,   // connecting to the upstream
        SendRequest,  // request head and body to the upstream
        ReadResponse, // waiting for the upstream's response head
        SendResponse, // response head and body to the client
        EchoBody,     // builtin echo consuming the request body
        WriteLocal,   // writing a response made by the gateway
        Tunnel,       // after 101 Switching Protocols: bytes both ways
        Closed,
    };
    enum class Deadline : uint8_t { None, Idle, Head, Body, UpstreamConnect, UpstreamRead, Send };

    // client_connection.cpp: reading heads, dispatch, local answers, lifecycle
    // Non-blocking read from the client. After EAGAIN, until the next readiness event, this
    // returns would_block without a system call.
    size_t readClient(char* p, size_t n, asio::error_code& ec);
    void waitClientRead();
    void waitClientWrite();
    void onClientReadable(const asio::error_code& ec);
    friend class OwnedReadWait<ClientConnection>;
    void onReadWaitComplete(const asio::error_code& ec) { onClientReadable(ec); }
    void onClientWritable(const asio::error_code& ec);
    // Non-blocking writes to the client: write_some on plain HTTP, SSL_write on HTTPS.
    size_t writeClient(const char* p, size_t n, asio::error_code& ec);
    size_t writeClient(const char* a, size_t an, const char* b, size_t bn, asio::error_code& ec);
    // Half-closes the sending side (after close_notify on HTTPS).
    void shutdownSend();
    void readHead();
    void processHead();
    void respondLocal(int status, const char* reason, std::string_view allow = {}, bool close = false);
    void writeOut();
    void finishRequest();
    // A peek for a FIN that arrived together with the last bytes read (one edge for both).
    void checkEof();
    void nextRequest();
    void close();
    void finalize();

    // client_tls.cpp: the HTTPS side. Preconditions: m_tls.
    TlsClientConnection& tls();
    void handshake();
    size_t tlsRead(char* p, size_t n, asio::error_code& ec);
    size_t tlsWrite(const char* p, size_t n, asio::error_code& ec);
    size_t tlsWrite(const char* a, size_t an, const char* b, size_t bn, asio::error_code& ec);
    void tlsShutdown();
    void setDeadline(Deadline kind, pipeline::Clock::duration after);
    bool resolveClientIp();
    // Drops the current request's head from the input buffer (once).
    // The next `n` request body bytes at m_in's front, checked against the framing and
    // gateway.limits.max_body_bytes; false after answering 400 or 413 (the connection then closes).
    bool checkBody(size_t& n);
    // Reads more request body into m_in; false when it must wait (a wait is armed) or the client left.
    bool readBody();
    void consumeHead() {
        m_in.consume(m_headPending);
        m_headPending = 0;
        m_rq->ctx.head = nullptr;
    }
    // Takes a request slot and starts a request's bookkeeping (m_inRequest, the context).
    void beginRequest(pipeline::Clock::time_point now);
    static void addressBytes(const asio::ip::address& a, uint8_t* out, bool& v6);
    asio::ip::address peerAddress() const;
    // The peer address as text, from the request slot's cache. Precondition: in a request.
    const std::string& peerText();
    // Parsed heads live in the worker (16 KiB each) and are valid only while this connection
    // handles them synchronously; what is needed later is copied into the request slot.
    http::RequestHead& head() const { return m_worker.requestHead(); }
    http::ResponseHead& response() const { return m_worker.responseHead(); }

    // client_forward.cpp: target choice, connect, request to the upstream, retries
    void forward();
    bool pickTarget();
    void connectUpstream();
    void buildUpstreamHead();
    void sendRequest();
    void upstreamFailed(const char* reason, int status, bool retryable);
    // The request can be sent again as it is: no body, an idempotent method, no upgrade.
    bool replayable() const;
    void releaseUpstream(bool reusable);
    uint64_t hashKey() const;

    // client_response.cpp: the upstream's response to the client
    void readResponse();
    void processResponseHead();
    void sendResponse();
    void tunnel();
    void responseDone();

    // echo_responder.cpp: the builtin echo service
    void startEcho();
    void echoBody();
    void finishEcho();

    Worker& m_worker;
    Socket m_socket;
    pipeline::Clock::time_point m_deadline{};
    Buffer m_in; // bytes from the client
    // The request in flight (server/request_slot.h); nullptr while the connection is idle.
    RequestSlot* m_rq = nullptr;
    uint8_t m_peerBytes[16] = {};
    int m_pending = 0;
    uint32_t m_headPending = 0; // bytes of the current head still at the front of m_in
    State m_state = State::ReadHead;
    Deadline m_deadlineKind = Deadline::None;
    bool m_peerV6 : 1 = false;
    bool m_readArmed : 1 = false;
    bool m_writeArmed : 1 = false;
    bool m_clientDrained : 1 = false; // a read would block and no readiness event came since
    bool m_clientQuiet : 1 = false;   // the last read came back short and no readiness event came since
    bool m_eofUnchecked : 1 = false;  // idle without a read since a short one: checkEof() at the next tick
    bool m_closed : 1 = false;
    bool m_draining : 1 = false;
    bool m_keepAlive : 1 = true; // keep the client connection after this response
    bool m_inRequest : 1 = false;
    bool m_tls : 1 = false; // a TlsClientConnection
};

} // namespace tollgate::server

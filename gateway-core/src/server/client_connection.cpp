#include "server/client_connection.h"

#include "http/path_normalizer.h"
#include "http/request_parser.h"
#include "server/local_response.h"
#include "server/snapshot.h"
#include "server/tls_client_connection.h"
#include "server/worker.h"
#include "upstream/upstream_connection.h"

#include <asio/post.hpp>

#include <array>
#include <chrono>
#include <cstring>

namespace tollgate::server {

using pipeline::Clock;

// Every idle keep-alive connection costs this object plus Asio's descriptor state (168 B), and
// nginx gets by with about 600-750 B in all (bench/README.md, "Memory per idle connection").
// glibc hands out 16-byte granules with an 8-byte header: at 200 B this takes 208 B. A member
// that tips it past 200 costs 16 B per connection; put request state in RequestSlot instead.
static_assert(sizeof(ClientConnection) <= 200, "ClientConnection grew: see the comment above");

ClientConnection::ClientConnection(Worker& worker, Socket socket)
    : m_worker(worker), m_socket(std::move(socket)) {
    m_worker.link(this);
}

ClientConnection::~ClientConnection() {
    m_worker.buffers().release(m_in);
    if (m_rq) {
        m_worker.requestSlots().release(m_rq);
    }
    m_worker.unlink(this);
}

void ClientConnection::start() {
    asio::error_code ec;
    m_socket.set_option(asio::ip::tcp::no_delay(true), ec);
    m_socket.non_blocking(true, ec);
    const auto remote = m_socket.remote_endpoint(ec);
    if (ec) {
        close();
        return;
    }
    asio::ip::address peer = remote.address();
    if (peer.is_v6() && peer.to_v6().is_v4_mapped()) {
        peer = asio::ip::make_address_v4(asio::ip::v4_mapped, peer.to_v6());
    }
    bool v6 = false;
    addressBytes(peer, m_peerBytes, v6);
    m_peerV6 = v6;
    if (m_tls) {
        // A handshake gets the time a request head gets.
        setDeadline(Deadline::Head, m_worker.snapshot()->config.gateway.limits.headerTimeout);
        handshake();
    } else {
        setDeadline(Deadline::Idle, m_worker.snapshot()->config.gateway.limits.idleTimeout);
        readHead();
    }
    if (m_closed && m_pending == 0) {
        finalize();
    }
}

void ClientConnection::beginRequest(Clock::time_point now) {
    m_inRequest = true;
    m_worker.requestStarted();
    if (!m_rq) {
        m_rq = m_worker.requestSlots().acquire(m_worker.index(), &m_worker.telemetry());
    }
    // A request keeps the configuration it started with, whatever is adopted meanwhile; a pooled
    // slot usually holds the current one already, so this costs no reference count change.
    if (m_rq->snapshot.get() != m_worker.snapshot().get()) {
        m_rq->snapshot = m_worker.snapshot();
    }
    m_rq->ctx.reset();
    if (m_tls) {
        m_rq->ctx.clientCertSha256 = tls().certificateSha256();
    }
    m_rq->ctx.snapshot = m_rq->snapshot.get();
    m_rq->ctx.start = now;
    // The slot may come from another connection: nothing of an earlier request may remain.
    m_rq->responseHeadSent = false;
    m_rq->continueSent = false;
    m_rq->bodyStarted = false;
    m_rq->requestSent = false;
    m_rq->attempts = 0;
    m_rq->triedMask = 0;
    m_rq->requestValidated = 0;
    m_rq->responseValidated = 0;
}

void ClientConnection::setDeadline(Deadline kind, Clock::duration after) {
    m_deadlineKind = kind;
    m_deadline = kind == Deadline::None ? Clock::time_point::max() : m_worker.now() + after;
}

void ClientConnection::checkDeadline(Clock::time_point now) {
    if (m_eofUnchecked) {
        checkEof();
    }
    if (m_closed || m_deadlineKind == Deadline::None || now < m_deadline) {
        return;
    }
    switch (m_deadlineKind) {
    case Deadline::Idle:
        close();
        break;
    case Deadline::Head:
        if (m_in.empty()) {
            close();
        } else {
            beginRequest(now);
            m_rq->clearHead();
            respondLocal(408, "request.timeout", {}, true);
        }
        break;
    case Deadline::Body:
        if (m_rq->responseHeadSent || m_state == State::WriteLocal) {
            close();
        } else {
            releaseUpstream(false);
            respondLocal(408, "request.body_timeout", {}, true);
        }
        break;
    case Deadline::UpstreamConnect:
        upstreamFailed("upstream.timeout", 504, true);
        break;
    case Deadline::UpstreamRead:
        upstreamFailed("upstream.timeout", 504, false);
        break;
    case Deadline::Send:
        close();
        break;
    case Deadline::None:
        break;
    }
    if (m_closed && m_pending == 0) {
        finalize();
    }
}

size_t ClientConnection::readClient(char* p, size_t n, asio::error_code& ec) {
    if (m_clientDrained) {
        ec = asio::error::would_block;
        return 0;
    }
    if (m_tls) {
        return tlsRead(p, n, ec);
    }
    const size_t got = m_socket.read_some(asio::buffer(p, n), ec);
    m_clientDrained = ec == asio::error::would_block;
    m_clientQuiet = m_clientDrained || (!ec && got < n);
    return got;
}

void ClientConnection::waitClientRead() {
    if (m_readArmed || m_closed) {
        return;
    }
    ++m_pending;
    m_readArmed = true;
    armReadWait(m_worker.reactor(), m_socket);
}

void ClientConnection::waitClientWrite() {
    if (m_writeArmed || m_closed) {
        return;
    }
    m_writeArmed = true;
    ++m_pending;
    m_socket.async_wait(asio::socket_base::wait_write,
                        [this](const asio::error_code& ec) { onClientWritable(ec); });
}

void ClientConnection::onClientReadable(const asio::error_code& ec) {
    --m_pending;
    m_readArmed = false;
    m_clientDrained = false; // an edge (or an error): there may be bytes again
    m_clientQuiet = false;
    if (!m_closed && ec != asio::error::operation_aborted) {
        switch (m_state) {
        case State::Handshake:
            handshake();
            break;
        case State::ReadHead:
            readHead();
            break;
        case State::SendRequest:
            sendRequest();
            break;
        case State::EchoBody:
            echoBody();
            break;
        case State::Tunnel:
            tunnel();
            break;
        default:
            break; // readiness is remembered by the socket; read when the state wants it
        }
    }
    if (m_closed && m_pending == 0) {
        finalize();
    }
}

void ClientConnection::onClientWritable(const asio::error_code& ec) {
    --m_pending;
    m_writeArmed = false;
    if (!m_closed && ec != asio::error::operation_aborted) {
        switch (m_state) {
        case State::Handshake:
            handshake();
            break;
        case State::WriteLocal:
            writeOut();
            break;
        case State::SendResponse:
            sendResponse();
            break;
        case State::Tunnel:
            tunnel();
            break;
        default:
            break;
        }
    }
    if (m_closed && m_pending == 0) {
        finalize();
    }
}

void ClientConnection::onUpstreamReadable(const asio::error_code& ec) {
    if (ec == asio::error::operation_aborted) {
        return;
    }
    switch (m_state) {
    case State::ReadResponse:
        readResponse();
        break;
    case State::SendResponse:
        sendResponse();
        break;
    case State::Tunnel:
        tunnel();
        break;
    default:
        break;
    }
    if (m_closed && m_pending == 0) {
        finalize();
    }
}

void ClientConnection::onUpstreamWritable(const asio::error_code& ec) {
    if (ec == asio::error::operation_aborted) {
        return;
    }
    switch (m_state) {
    case State::SendRequest:
        sendRequest();
        break;
    case State::Tunnel:
        tunnel();
        break;
    default:
        break;
    }
    if (m_closed && m_pending == 0) {
        finalize();
    }
}

void ClientConnection::readHead() {
    m_state = State::ReadHead;
    const auto& limits = m_worker.snapshot()->config.gateway.limits;
    for (;;) {
        if (!m_in.empty()) {
            http::ParseError err;
            const auto st = http::parseRequestHead(m_in.readPtr(), m_in.size(),
                                                   m_worker.snapshot()->parserLimits, head(), err);
            if (st == http::ParseStatus::Complete) {
                processHead();
                return;
            }
            if (st == http::ParseStatus::Error) {
                beginRequest(Clock::now());
                m_rq->clearHead();
                m_rq->ctx.bytesIn = m_in.size();
                respondLocal(err.status, err.reason, {}, true);
                return;
            }
        }
        if (m_clientDrained) {
            // Would block until the next edge; an idle connection holds no buffer.
            if (m_in.empty()) {
                m_worker.buffers().release(m_in);
            }
            waitClientRead();
            return;
        }
        m_worker.buffers().acquire(m_in);
        if (m_in.space() == 0) {
            if (m_in.begin > 0) {
                m_in.compact();
            } else {
                // The parser answers 431 before the head outgrows the limit, so growing to it
                // plus a little room is enough.
                const uint64_t want = limits.maxHeaderBytes + limits.maxUriBytes + 1024;
                if (m_in.capacity >= want) {
                    close();
                    return;
                }
                m_worker.buffers().grow(m_in, static_cast<uint32_t>(want));
            }
        }
        asio::error_code ec;
        const size_t n = readClient(m_in.writePtr(), m_in.space(), ec);
        if (ec == asio::error::would_block) {
            if (m_in.empty()) {
                m_worker.buffers().release(m_in);
            }
            waitClientRead();
            return;
        }
        if (ec) {
            // EOF or reset between requests is the normal end of a keep-alive connection;
            // in the middle of a head there is nobody left to answer.
            close();
            return;
        }
        if (m_in.empty()) {
            setDeadline(Deadline::Head, limits.headerTimeout);
        }
        m_in.end += static_cast<uint32_t>(n);
    }
}

void ClientConnection::addressBytes(const asio::ip::address& a, uint8_t* out, bool& v6) {
    v6 = a.is_v6();
    if (v6) {
        const auto b = a.to_v6().to_bytes();
        std::memcpy(out, b.data(), 16);
    } else {
        const auto b = a.to_v4().to_bytes();
        std::memcpy(out, b.data(), 4);
    }
}

asio::ip::address ClientConnection::peerAddress() const {
    if (m_peerV6) {
        asio::ip::address_v6::bytes_type b;
        std::memcpy(b.data(), m_peerBytes, b.size());
        return asio::ip::address_v6(b);
    }
    asio::ip::address_v4::bytes_type b;
    std::memcpy(b.data(), m_peerBytes, b.size());
    return asio::ip::address_v4(b);
}

const std::string& ClientConnection::peerText() {
    RequestSlot& rq = *m_rq;
    if (!rq.peerTextValid || rq.peerTextV6 != m_peerV6 || std::memcmp(rq.peerTextOf, m_peerBytes, 16) != 0) {
        rq.peerText = peerAddress().to_string();
        std::memcpy(rq.peerTextOf, m_peerBytes, 16);
        rq.peerTextV6 = m_peerV6;
        rq.peerTextValid = true;
    }
    return rq.peerText;
}

bool ClientConnection::resolveClientIp() {
    m_rq->ctx.fromTrustedProxy = false;
    m_rq->ctx.clientIp = peerText();
    std::memcpy(m_rq->ctx.clientAddr, m_peerBytes, sizeof m_peerBytes);
    m_rq->ctx.clientV6 = m_peerV6;
    if (m_rq->snapshot->config.gateway.trustedProxies.empty() ||
        !m_rq->snapshot->isTrustedProxy(peerAddress())) {
        return true;
    }
    // Walk X-Forwarded-For from the right: the first address not of a trusted proxy is the client.
    for (size_t i = head().headerCount; i-- > 0;) {
        if (!http::equalsIgnoreCase(head().headers[i].name, "x-forwarded-for")) {
            continue;
        }
        std::string_view v = head().headers[i].value;
        while (!v.empty()) {
            const size_t comma = v.rfind(',');
            std::string_view item = comma == std::string_view::npos ? v : v.substr(comma + 1);
            v = comma == std::string_view::npos ? std::string_view{} : v.substr(0, comma);
            while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
                item.remove_prefix(1);
            }
            while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
                item.remove_suffix(1);
            }
            asio::error_code ec;
            auto addr = asio::ip::make_address(std::string(item), ec);
            if (ec) {
                return false;
            }
            if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
                addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
            }
            m_rq->ctx.clientIp.assign(item);
            addressBytes(addr, m_rq->ctx.clientAddr, m_rq->ctx.clientV6);
            m_rq->ctx.fromTrustedProxy = true;
            if (!m_rq->snapshot->isTrustedProxy(addr)) {
                return true;
            }
        }
        return true;
    }
    return true;
}

void ClientConnection::processHead() {
    const Clock::time_point now = Clock::now();
    beginRequest(now);
    m_worker.setNow(now);
    m_rq->ctx.head = &head();
    if (m_worker.telemetry().capture.enabled()) {
        m_rq->ctx.capture = m_worker.telemetry().capture.begin(head());
    }
    m_rq->ctx.method = head().methodId;
    m_rq->ctx.unixMicros = m_worker.unixMicros(m_rq->ctx.start);
    m_rq->ctx.bytesIn = head().headBytes;
    m_headPending = static_cast<uint32_t>(head().headBytes);
    m_keepAlive = head().keepAlive && !m_draining && !m_worker.draining();
    m_rq->headOnly = head().methodId == http::Method::Head;
    m_rq->upgrade = head().upgrade;
    m_rq->versionMinor = head().versionMinor;
    m_rq->expectContinue = head().expectContinue;
    if (head().chunked) {
        m_rq->requestBody.setChunked();
    } else if (head().contentLength > 0) {
        m_rq->requestBody.setLength(static_cast<uint64_t>(head().contentLength));
    } else {
        m_rq->requestBody.setNone();
    }
    const auto& limits = m_rq->snapshot->config.gateway.limits;
    setDeadline(Deadline::Body, limits.bodyTimeout);

    std::string_view query;
    const http::PathError perr = http::normalizePath(head().target, m_rq->ctx.path, query);
    if (perr != http::PathError::None) {
        m_rq->ctx.path.assign(head().target.substr(0, head().target.find('?')));
        respondLocal(400, http::pathErrorReason(perr));
        return;
    }
    m_rq->ctx.query.assign(query);
    if (!resolveClientIp()) {
        respondLocal(400, "request.forwarded_for");
        return;
    }
    if (head().contentLength > 0 && uint64_t(head().contentLength) > limits.maxBodyBytes) {
        respondLocal(413, "request.body_too_large", {}, true);
        return;
    }
    const pipeline::Decision d = m_rq->snapshot->pipeline.run(m_rq->ctx);
    if (d.respond) {
        respondLocal(d.status, d.reason, d.allow);
        return;
    }
    forward();
}

bool ClientConnection::checkBody(size_t& n) {
    n = 0;
    if (!m_rq->requestBody.take(m_in.readPtr(), m_in.size(), n)) {
        releaseUpstream(false);
        respondLocal(400, "request.chunked", {}, true);
        return false;
    }
    if (m_rq->requestBody.payload() > m_rq->snapshot->config.gateway.limits.maxBodyBytes) {
        releaseUpstream(false);
        respondLocal(413, "request.body_too_large", {}, true);
        return false;
    }
    return true;
}

bool ClientConnection::readBody() {
    m_worker.buffers().acquire(m_in);
    m_in.compact();
    asio::error_code ec;
    const size_t n = readClient(m_in.writePtr(), m_in.space(), ec);
    if (ec == asio::error::would_block) {
        setDeadline(Deadline::Body, m_rq->snapshot->config.gateway.limits.bodyTimeout);
        waitClientRead();
        return false;
    }
    if (ec) {
        m_rq->ctx.reason = "client.closed";
        close();
        return false;
    }
    m_in.end += static_cast<uint32_t>(n);
    return true;
}

void ClientConnection::respondLocal(int status, const char* reason, std::string_view allow, bool closeAfter) {
    if (m_rq->responseHeadSent) {
        m_rq->ctx.status = m_rq->ctx.status ? m_rq->ctx.status : status;
        m_rq->ctx.reason = reason;
        close();
        return;
    }
    m_worker.telemetry().counters.localResponses.add();
    m_rq->ctx.status = status;
    m_rq->ctx.reason = reason;
    // The unread rest of a request body would be taken for the next request: close instead.
    if (!m_rq->requestBody.done || closeAfter) {
        m_keepAlive = false;
    }
    m_rq->out.clear();
    appendLocalResponse(m_rq->out, status, reason, allow, m_keepAlive, m_rq->headOnly, m_rq->ctx);
    m_rq->outSent = 0;
    m_state = State::WriteLocal;
    m_rq->responseHeadSent = true;
    setDeadline(Deadline::Send, m_rq->snapshot->config.gateway.limits.idleTimeout);
    writeOut();
}

void ClientConnection::writeOut() {
    while (m_rq->outSent < m_rq->out.size()) {
        asio::error_code ec;
        const size_t n = writeClient(m_rq->out.data() + m_rq->outSent, m_rq->out.size() - m_rq->outSent, ec);
        if (ec == asio::error::would_block) {
            waitClientWrite();
            return;
        }
        if (ec) {
            close();
            return;
        }
        m_rq->outSent += n;
        m_rq->ctx.bytesOut += n;
    }
    finishRequest();
}

void ClientConnection::finishRequest() {
    if (!m_inRequest) {
        return;
    }
    m_inRequest = false;
    consumeHead(); // answered locally: the head is still there
    if (m_rq->targetActive || m_rq->up) {
        releaseUpstream(false);
    }
    if (m_rq->ctx.status == 0) {
        m_rq->ctx.status = 499; // the client went away before an answer
        m_rq->ctx.reason = "client.closed";
    }
    if (m_rq->ctx.capture && m_rq->responseHeadSent) {
        m_worker.telemetry().capture.addResponse(*m_rq->ctx.capture, m_rq->out);
    }
    m_rq->snapshot->pipeline.log(m_rq->ctx);
    m_worker.requestFinished();
    // Going idle (or closing): the request's state goes back to the worker, capacity and all,
    // with the current configuration only: a pooled slot must not keep an old one alive.
    if (m_rq->snapshot.get() != m_worker.snapshot().get()) {
        m_rq->snapshot.reset();
    }
    m_worker.requestSlots().release(m_rq);
    m_rq = nullptr;
    if (m_closed) {
        return;
    }
    if (!m_keepAlive || m_draining || m_worker.draining()) {
        shutdownSend();
        close();
        return;
    }
    m_state = State::ReadHead;
    setDeadline(Deadline::Idle, m_worker.snapshot()->config.gateway.limits.idleTimeout);
    if (m_in.empty() && m_clientQuiet && !m_clientDrained) {
        // The last read came back short and no event came since: the next request raises an
        // edge, so reading now would only return EAGAIN. Only a FIN that came with the last
        // bytes can be pending unseen; the next tick looks for it (checkEof).
        m_clientDrained = true;
        m_eofUnchecked = true;
    }
    if (!m_in.empty()) {
        // Pipelined requests wait their turn through the loop, so a long pipeline cannot
        // grow the stack.
        ++m_pending;
        asio::post(m_worker.io(), [this] {
            --m_pending;
            if (!m_closed) {
                readHead();
            }
            if (m_closed && m_pending == 0) {
                finalize();
            }
        });
        return;
    }
    readHead();
}

void ClientConnection::checkEof() {
    m_eofUnchecked = false;
    if (m_closed || m_state != State::ReadHead || !m_in.empty() || !m_clientDrained) {
        return; // something was read since, which would have seen the EOF
    }
    char c;
    asio::error_code ec;
    m_socket.receive(asio::buffer(&c, 1), asio::socket_base::message_peek, ec);
    if (ec && ec != asio::error::would_block) {
        close(); // EOF or reset while idle: the normal end of a keep-alive connection
    }
    // A byte is there: its edge is on its way to the armed wait.
}

void ClientConnection::drain() {
    m_draining = true;
    if (!m_inRequest) {
        close();
        if (m_pending == 0) {
            finalize();
        }
    }
}

void ClientConnection::abort() {
    close();
    if (m_pending == 0) {
        finalize();
    }
}

void ClientConnection::close() {
    if (m_closed) {
        return;
    }
    releaseUpstream(false);
    if (m_inRequest) {
        finishRequest();
    }
    m_closed = true;
    m_state = State::Closed;
    m_deadlineKind = Deadline::None;
    asio::error_code ignored;
    m_socket.close(ignored);
    m_worker.buffers().release(m_in);
}

void ClientConnection::finalize() {
    if (m_tls) {
        delete &tls(); // no virtual destructor: it would cost the plain connection a pointer
    } else {
        delete this;
    }
}

size_t ClientConnection::writeClient(const char* p, size_t n, asio::error_code& ec) {
    if (m_tls) {
        return tlsWrite(p, n, ec);
    }
    return m_socket.write_some(asio::buffer(p, n), ec);
}

size_t ClientConnection::writeClient(const char* a, size_t an, const char* b, size_t bn,
                                     asio::error_code& ec) {
    if (m_tls) {
        return tlsWrite(a, an, b, bn, ec);
    }
    const std::array<asio::const_buffer, 2> bufs{asio::buffer(a, an), asio::buffer(b, bn)};
    return m_socket.write_some(bufs, ec);
}

void ClientConnection::shutdownSend() {
    if (m_tls) {
        tlsShutdown();
    }
    asio::error_code ignored;
    m_socket.shutdown(asio::socket_base::shutdown_send, ignored);
}

} // namespace tollgate::server

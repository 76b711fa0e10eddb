// The upstream's answer on its way to the client: head rewritten, body streamed with
// back-pressure (never buffered whole), or a tunnel after 101 Switching Protocols.
#include "http/request_parser.h"
#include "server/client_connection.h"
#include "server/forward_headers.h"
#include "server/local_response.h"
#include "server/snapshot.h"
#include "server/worker.h"
#include "upstream/upstream_connection.h"

#include <array>
#include <charconv>

namespace tollgate::server {

using pipeline::Clock;

namespace {

constexpr uint32_t kMaxResponseHead = 64 * 1024;

bool nameIs(std::string_view name, std::string_view lower) {
    return name.size() == lower.size() && http::equalsIgnoreCase(name, lower);
}

bool isHopByHopResponseHeader(std::string_view n) {
    switch (n.size()) {
    case 2:
        return nameIs(n, "te");
    case 7:
        return nameIs(n, "upgrade") || nameIs(n, "trailer");
    case 10:
        return nameIs(n, "connection") || nameIs(n, "keep-alive");
    case 16:
        return nameIs(n, "proxy-connection");
    case 18:
        return nameIs(n, "proxy-authenticate");
    default:
        return false;
    }
}

bool listedInConnection(const http::ResponseHead& r, std::string_view name) {
    bool found = false;
    forEachConnectionToken(r.headers, r.headerCount, [&](std::string_view t) {
        found = http::equalsIgnoreCase(t, name);
        return !found;
    });
    return found;
}

} // namespace

void ClientConnection::readResponse() {
    m_state = State::ReadResponse;
    Buffer& b = m_rq->up->buffer();
    m_worker.buffers().acquire(b);
    http::ParserLimits limits;
    limits.maxHeaderBytes = kMaxResponseHead;
    limits.maxHeaderCount = http::kMaxHeaders;
    for (;;) {
        if (!b.empty()) {
            http::ParseError err;
            const auto st = http::parseResponseHead(b.readPtr(), b.size(), limits, response(), err);
            if (st == http::ParseStatus::Complete) {
                if (response().status < 200 && response().status != 101) {
                    b.consume(static_cast<uint32_t>(response().headBytes)); // interim answer: skip
                    continue;
                }
                processResponseHead();
                return;
            }
            if (st == http::ParseStatus::Error) {
                upstreamFailed("upstream.bad_response", 502, false);
                return;
            }
        }
        if (b.space() == 0) {
            if (b.begin > 0) {
                b.compact();
            } else if (b.capacity < kMaxResponseHead) {
                m_worker.buffers().grow(b, kMaxResponseHead);
            } else {
                upstreamFailed("upstream.bad_response", 502, false);
                return;
            }
        }
        asio::error_code ec;
        const size_t n = m_rq->up->read(b.writePtr(), b.space(), ec);
        if (ec == asio::error::would_block) {
            m_rq->up->waitRead();
            return;
        }
        if (ec) {
            // Nothing of a response arrived: a connection closed under us may be retried.
            upstreamFailed("upstream.error", 502, b.empty());
            return;
        }
        b.end += static_cast<uint32_t>(n);
    }
}

void ClientConnection::processResponseHead() {
    Buffer& b = m_rq->up->buffer();
    const http::ResponseHead& r = response();
    m_rq->target->consecutiveFailures = 0;
    const bool tunnelled = r.status == 101 && m_rq->upgrade && r.upgrade;
    if (r.status == 101 && !tunnelled) {
        upstreamFailed("upstream.bad_response", 502, false);
        return;
    }
    if (tunnelled || m_rq->headOnly || r.status == 204 || r.status == 304) {
        m_rq->responseBody.setNone();
    } else if (r.chunked) {
        m_rq->responseBody.setChunked();
    } else if (r.contentLength >= 0) {
        m_rq->responseBody.setLength(static_cast<uint64_t>(r.contentLength));
    } else {
        m_rq->responseBody.setUntilClose();
        m_keepAlive = false;
    }
    if (m_draining || m_worker.draining()) {
        m_keepAlive = false;
    }

    std::string& o = m_rq->out;
    o.clear();
    o += "HTTP/1.1 ";
    char code[4];
    std::to_chars(code, code + 3, r.status);
    o.append(code, 3);
    o += ' ';
    o += r.reason;
    o += "\r\n";
    for (size_t i = 0; i < r.headerCount; ++i) {
        const http::Header& h = r.headers[i];
        if (isHopByHopResponseHeader(h.name)) {
            if (tunnelled && nameIs(h.name, "upgrade")) {
                o += "Upgrade: ";
                o += h.value;
                o += "\r\n";
            }
            continue;
        }
        if (listedInConnection(r, h.name)) {
            continue;
        }
        o += h.name;
        o += ": ";
        o += h.value;
        o += "\r\n";
    }
    if (tunnelled) {
        o += "Connection: Upgrade\r\n";
    } else if (!m_keepAlive) {
        o += "Connection: close\r\n";
    } else if (m_rq->versionMinor == 0) {
        o += "Connection: keep-alive\r\n";
    }
    appendStageHeaders(o, m_rq->ctx);
    o += "\r\n";
    b.consume(static_cast<uint32_t>(r.headBytes));
    m_rq->responseKeepAlive = r.keepAlive;
    m_rq->ctx.status = r.status;
    m_rq->outSent = 0;
    m_rq->responseValidated = 0;
    m_rq->responseHeadSent = true;
    m_state = tunnelled ? State::Tunnel : State::SendResponse;
    if (tunnelled) {
        setDeadline(Deadline::None, {});
        tunnel();
        return;
    }
    sendResponse();
}

void ClientConnection::sendResponse() {
    m_state = State::SendResponse;
    Buffer& b = m_rq->up->buffer();
    const auto readTimeout = m_rq->snapshot->services[m_rq->ctx.route->serviceIndex].config->readTimeout;
    for (;;) {
        if (m_rq->responseValidated == 0 && !m_rq->responseBody.done && !b.empty()) {
            size_t n = 0;
            if (!m_rq->responseBody.take(b.readPtr(), b.size(), n)) {
                m_rq->ctx.reason = "upstream.bad_response";
                close();
                return;
            }
            m_rq->responseValidated = static_cast<uint32_t>(n);
        }
        if (m_rq->outSent < m_rq->out.size() || m_rq->responseValidated > 0) {
            const size_t headLeft = m_rq->out.size() - m_rq->outSent;
            asio::error_code ec;
            const size_t n = writeClient(m_rq->out.data() + m_rq->outSent, headLeft, b.readPtr(),
                                         m_rq->responseValidated, ec);
            if (ec == asio::error::would_block) {
                setDeadline(Deadline::Send, m_rq->snapshot->config.gateway.limits.idleTimeout);
                waitClientWrite();
                return;
            }
            if (ec) {
                m_rq->ctx.reason = "client.closed";
                close();
                return;
            }
            m_rq->ctx.bytesOut += n;
            const size_t fromHead = std::min(n, headLeft);
            m_rq->outSent += fromHead;
            const auto fromBody = static_cast<uint32_t>(n - fromHead);
            b.consume(fromBody);
            m_rq->responseValidated -= fromBody;
            continue;
        }
        if (m_rq->responseBody.done) {
            break;
        }
        b.compact();
        asio::error_code ec;
        const size_t n = m_rq->up->read(b.writePtr(), b.space(), ec);
        if (ec == asio::error::would_block) {
            setDeadline(Deadline::UpstreamRead, readTimeout);
            m_rq->up->waitRead();
            return;
        }
        if (ec) {
            if (m_rq->responseBody.kind == BodyFraming::Kind::UntilClose) {
                m_rq->responseBody.done = true;
                break;
            }
            m_rq->ctx.reason = "upstream.truncated";
            close();
            return;
        }
        b.end += static_cast<uint32_t>(n);
    }
    responseDone();
}

void ClientConnection::responseDone() {
    m_rq->ctx.upstreamEnd = Clock::now();
    const bool reusable = m_rq->responseKeepAlive &&
                          m_rq->responseBody.kind != BodyFraming::Kind::UntilClose &&
                          m_rq->up->buffer().empty() && m_rq->requestSent;
    releaseUpstream(reusable);
    finishRequest();
}

void ClientConnection::tunnel() {
    Buffer& fromUp = m_rq->up->buffer();
    m_worker.buffers().acquire(m_in);
    m_worker.buffers().acquire(fromUp);
    bool progress = true;
    while (progress) {
        progress = false;
        // client -> upstream
        if (!m_in.empty()) {
            asio::error_code ec;
            const size_t n = m_rq->up->write(m_in.readPtr(), m_in.size(), ec);
            if (ec == asio::error::would_block) {
                m_rq->up->waitWrite();
            } else if (ec) {
                close();
                return;
            } else {
                m_in.consume(static_cast<uint32_t>(n));
                m_rq->ctx.bytesIn += n;
                progress = true;
            }
        } else {
            m_in.compact();
            asio::error_code ec;
            const size_t n = readClient(m_in.writePtr(), m_in.space(), ec);
            if (ec == asio::error::would_block) {
                waitClientRead();
            } else if (ec) {
                close();
                return;
            } else {
                m_in.end += static_cast<uint32_t>(n);
                progress = true;
            }
        }
        // upstream -> client, head first
        if (m_rq->outSent < m_rq->out.size() || !fromUp.empty()) {
            const size_t headLeft = m_rq->out.size() - m_rq->outSent;
            asio::error_code ec;
            const size_t n =
                writeClient(m_rq->out.data() + m_rq->outSent, headLeft, fromUp.readPtr(), fromUp.size(), ec);
            if (ec == asio::error::would_block) {
                waitClientWrite();
            } else if (ec) {
                close();
                return;
            } else {
                m_rq->ctx.bytesOut += n;
                const size_t fromHead = std::min(n, headLeft);
                m_rq->outSent += fromHead;
                fromUp.consume(static_cast<uint32_t>(n - fromHead));
                progress = true;
            }
        } else {
            fromUp.compact();
            asio::error_code ec;
            const size_t n = m_rq->up->read(fromUp.writePtr(), fromUp.space(), ec);
            if (ec == asio::error::would_block) {
                m_rq->up->waitRead();
            } else if (ec) {
                close();
                return;
            } else {
                fromUp.end += static_cast<uint32_t>(n);
                progress = true;
            }
        }
    }
}

} // namespace tollgate::server

#include "admin/admin_connection.h"

#include "admin/admin_context.h"
#include "admin/endpoints.h"
#include "http/request_parser.h"

#include <asio/write.hpp>

#include <charconv>
#include <ctime>

namespace tollgate::admin {
namespace {

AdminResponse unauthorized(std::string_view code, std::string_view message) {
    AdminResponse r = errorResponse(401, code, message);
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"tollgate-admin\"");
    return r;
}

} // namespace

AdminConnection::AdminConnection(asio::ip::tcp::socket socket, AdminContext& context)
    : m_socket(std::move(socket)), m_timer(m_socket.get_executor()), m_context(context) {}

void AdminConnection::start() {
    asio::error_code ec;
    m_socket.set_option(asio::ip::tcp::no_delay(true), ec);
    process();
}

void AdminConnection::close() {
    if (m_closed) {
        return;
    }
    auto self = shared_from_this(); // the registry may hold the last reference
    m_closed = true;
    m_timer.cancel();
    asio::error_code ec;
    m_socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    m_socket.close(ec);
    m_out.clear();
    m_context.connections.erase(this);
}

void AdminConnection::arm(Phase phase) {
    m_phase = phase;
    const auto& o = m_context.options;
    const auto timeout = phase == Phase::Idle   ? o.idleTimeout
                         : phase == Phase::Head ? o.headTimeout
                                                : o.bodyTimeout;
    const uint64_t generation = ++m_timerGeneration;
    m_timer.expires_after(timeout);
    m_timer.async_wait([self = shared_from_this(), generation](const asio::error_code& ec) {
        if (ec || self->m_closed || generation != self->m_timerGeneration) {
            return;
        }
        if (self->m_phase == Phase::Idle) {
            self->close(); // a quiet keep-alive connection owes nobody an answer
            return;
        }
        self->m_timerGeneration++;
        self->respond(errorResponse(408, "request.timeout",
                                    self->m_phase == Phase::Head ? "the request head did not arrive in time"
                                                                 : "the request body did not arrive in time"),
                      false);
    });
}

void AdminConnection::readSome() {
    if (m_reading || m_closed) {
        return;
    }
    m_reading = true;
    m_socket.async_read_some(
        asio::buffer(m_chunk),
        [self = shared_from_this()](const asio::error_code& ec, size_t n) { self->onRead(ec, n); });
}

void AdminConnection::onRead(const asio::error_code& ec, size_t n) {
    m_reading = false;
    if (m_closed) {
        return;
    }
    if (ec) {
        close();
        return;
    }
    if (m_state == State::Streaming) {
        readSome(); // a stream's client has nothing more to say; reading notices when it leaves
        return;
    }
    m_in.append(m_chunk.data(), n);
    if (m_state == State::Responding) {
        return; // pipelined: taken up once the answer is written
    }
    process();
}

void AdminConnection::process() {
    while (!m_closed) {
        if (m_state == State::Head) {
            if (m_in.empty()) {
                arm(Phase::Idle);
                readSome();
                return;
            }
            if (m_phase == Phase::Idle) {
                arm(Phase::Head);
            }
            if (!takeHead()) {
                return;
            }
        }
        if (m_state == State::Body) {
            if (m_in.size() < m_bodyLength) {
                if (m_expectContinue) {
                    m_expectContinue = false;
                    send("HTTP/1.1 100 Continue\r\n\r\n");
                }
                readSome();
                return;
            }
            m_request.body.assign(m_in, 0, m_bodyLength);
            m_in.erase(0, m_bodyLength);
            dispatch();
            return;
        }
        if (m_state != State::Head) {
            return;
        }
    }
}

bool AdminConnection::takeHead() {
    const auto& o = m_context.options;
    http::ParserLimits limits;
    limits.maxHeaderBytes = o.maxHeadBytes;
    limits.maxUriBytes = o.maxHeadBytes;
    http::RequestHead head;
    http::ParseError err;
    const http::ParseStatus status = http::parseRequestHead(m_in.data(), m_in.size(), limits, head, err);
    if (status == http::ParseStatus::Incomplete) {
        if (m_in.size() > o.maxHeadBytes) {
            respond(errorResponse(431, "request.head_too_large", "the request head is larger than 16 KiB"),
                    false);
            return false;
        }
        readSome();
        return false;
    }
    if (status == http::ParseStatus::Error) {
        respond(errorResponse(err.status, err.reason, "the request is not valid HTTP/1.1"), false);
        return false;
    }
    m_request = AdminRequest{};
    m_request.method = std::string(head.method);
    const std::string_view target = head.target;
    const size_t q = target.find('?');
    m_request.path = std::string(target.substr(0, q));
    for (size_t i = 0; i < head.headerCount; ++i) {
        m_request.headers.emplace_back(std::string(head.headers[i].name), std::string(head.headers[i].value));
    }
    m_keepAlive = head.keepAlive;
    m_expectContinue = head.expectContinue;
    const bool hasBody = head.hasBody();
    m_in.erase(0, head.headBytes);

    // The token first: nothing about the API, not even which paths exist, is told to a stranger.
    const AdminToken::Check auth = m_context.token.check(m_request.header("Authorization"));
    if (auth != AdminToken::Check::Ok) {
        respond(auth == AdminToken::Check::Missing
                    ? unauthorized("auth.missing", "send Authorization: Bearer <token>")
                    : unauthorized("auth.invalid", "the bearer token is not the admin token"),
                m_keepAlive && !hasBody);
        return false;
    }
    if (head.chunked) {
        respond(errorResponse(411, "request.chunked", "send the body with a Content-Length"), false);
        return false;
    }
    if (q != std::string_view::npos && !parseQuery(target.substr(q + 1), m_request.query)) {
        respond(errorResponse(400, "request.bad_query", "the query string has a malformed percent-escape"),
                m_keepAlive && !hasBody);
        return false;
    }
    m_route = matchRoute(m_request.method, m_request.path);
    if (m_route.kind != RouteMatch::Kind::Found) {
        AdminResponse r = m_route.kind == RouteMatch::Kind::NoRoute
                              ? errorResponse(404, "admin.no_route", "no admin endpoint at " + m_request.path)
                              : errorResponse(405, "admin.method", m_request.method + " is not allowed here");
        if (m_route.kind == RouteMatch::Kind::WrongMethod) {
            r.headers.emplace_back("Allow", m_route.allow);
        }
        respond(r, m_keepAlive && !hasBody);
        return false;
    }
    const size_t maxBody = m_route.endpoint == Endpoint::PutConfig ? o.maxConfigBytes : o.maxOtherBodyBytes;
    if (head.contentLength > 0 && uint64_t(head.contentLength) > maxBody) {
        respond(errorResponse(413, "request.body_too_large",
                              "the body is larger than " + std::to_string(maxBody) + " bytes"),
                false);
        return false;
    }
    if (m_route.endpoint == Endpoint::TrafficStream) {
        if (hasBody) {
            respond(errorResponse(400, "request.body", "GET /traffic/stream takes no body"), false);
            return false;
        }
        startStream();
        return false;
    }
    m_bodyLength = head.contentLength > 0 ? size_t(head.contentLength) : 0;
    if (m_bodyLength > 0) {
        arm(Phase::Body);
    }
    m_state = State::Body;
    return true;
}

AdminResponse AdminConnection::handle() {
    Engine& engine = m_context.engine;
    switch (m_route.endpoint) {
    case Endpoint::Status:
        return getStatus(engine);
    case Endpoint::Metrics:
        return getMetrics(engine);
    case Endpoint::Usage:
        return getUsage(engine, m_request, int64_t(std::time(nullptr)));
    case Endpoint::Traffic:
        return getTraffic(engine, m_request);
    case Endpoint::GetConfig:
        return getConfig(engine);
    case Endpoint::PutConfig:
        return putConfig(engine, m_request);
    case Endpoint::QuotaReset:
        return resetQuota(engine, m_route.consumer);
    case Endpoint::QuotaTopUp:
        return topUpQuota(engine, m_route.consumer, m_request);
    case Endpoint::GetCapture:
        return getCapture(engine);
    case Endpoint::PutCapture:
        return putCapture(engine, m_request);
    case Endpoint::TrafficHeaders:
        return getTrafficHeaders(engine, m_route.seq);
    case Endpoint::TrafficStream:
        break;
    }
    return errorResponse(500, "admin.internal", "no handler");
}

void AdminConnection::dispatch() {
    AdminResponse response;
    try {
        response = handle();
    } catch (const std::exception& e) {
        // nlohmann and the standard library may throw on the admin thread; the gateway must not care.
        response = errorResponse(500, "admin.internal", e.what());
    }
    respond(response, m_keepAlive);
}

void AdminConnection::respond(const AdminResponse& response, bool keepAlive) {
    m_state = State::Responding;
    ++m_timerGeneration;
    m_timer.cancel();
    m_closeAfterWrite = !keepAlive;
    send(serializeResponse(response, keepAlive));
}

void AdminConnection::startStream() {
    m_state = State::Streaming;
    ++m_timerGeneration;
    m_timer.cancel();
    std::optional<uint64_t> lastEventId;
    if (const auto v = m_request.header("Last-Event-ID")) {
        uint64_t id = 0;
        const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
        if (ec == std::errc() && end == v->data() + v->size()) {
            lastEventId = id;
        }
    }
    m_in.clear();
    // No length: the stream is the rest of the connection.
    send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
         "Connection: close\r\nX-Accel-Buffering: no\r\n\r\n: stream open\n\n");
    m_context.hub.subscribe(shared_from_this(), lastEventId);
    readSome();
}

bool AdminConnection::push(std::string_view bytes) {
    if (m_closed) {
        return false;
    }
    if (m_out.size() + m_writing.size() + bytes.size() > m_context.options.maxStreamBacklogBytes) {
        close(); // too slow: cut off rather than buffer without end
        return false;
    }
    send(std::string(bytes));
    return true;
}

void AdminConnection::send(std::string bytes) {
    if (m_closed) {
        return;
    }
    m_out += bytes;
    if (!m_writeInFlight) {
        writeNext();
    }
}

void AdminConnection::writeNext() {
    m_writing.swap(m_out);
    m_out.clear();
    m_writeInFlight = true;
    asio::async_write(m_socket, asio::buffer(m_writing),
                      [self = shared_from_this()](const asio::error_code& ec, size_t) {
                          self->m_writeInFlight = false;
                          self->m_writing.clear();
                          if (ec || self->m_closed) {
                              self->close();
                              return;
                          }
                          if (!self->m_out.empty()) {
                              self->writeNext();
                              return;
                          }
                          if (self->m_closeAfterWrite) {
                              self->close();
                              return;
                          }
                          if (self->m_state == State::Responding) {
                              self->m_state = State::Head;
                              self->m_phase = Phase::Idle;
                              self->process();
                          }
                      });
}

} // namespace tollgate::admin

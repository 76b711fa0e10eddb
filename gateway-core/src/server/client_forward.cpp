// The request's way to the upstream: target choice, connection, the rewritten head, the body,
// and what happens when the upstream fails (retry, eject, answer 502/503/504).
#include "http/request_parser.h"
#include "server/client_connection.h"
#include "server/forward_headers.h"
#include "server/snapshot.h"
#include "server/worker.h"
#include "upstream/upstream_connection.h"

#include <array>

namespace tollgate::server {

using pipeline::Clock;

namespace {

constexpr uint32_t kMaxIdlePerTarget = 256;

bool nameIs(std::string_view name, std::string_view lower) {
    return name.size() == lower.size() && http::equalsIgnoreCase(name, lower);
}

// Headers the gateway removes or sets itself on the way to the upstream.
bool isDroppedRequestHeader(std::string_view n) {
    switch (n.size()) {
    case 2:
        return nameIs(n, "te");
    case 4:
        return nameIs(n, "host");
    case 6:
        return nameIs(n, "expect");
    case 7:
        return nameIs(n, "upgrade") || nameIs(n, "trailer");
    case 10:
        return nameIs(n, "connection") || nameIs(n, "keep-alive");
    case 14:
        return nameIs(n, "content-length");
    case 15:
        return nameIs(n, "x-forwarded-for");
    case 16:
        return nameIs(n, "proxy-connection") || nameIs(n, "x-forwarded-host");
    case 17:
        return nameIs(n, "transfer-encoding") || nameIs(n, "x-forwarded-proto");
    case 19:
        return nameIs(n, "proxy-authorization");
    default:
        return false;
    }
}

// Appends "?query" without the parameters named `name` (an API key the gateway consumed).
void appendQueryWithout(std::string& o, std::string_view query, std::string_view name) {
    bool first = true;
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view param = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const std::string_view key = param.substr(0, param.find('='));
        if (key == name || param.empty()) {
            continue;
        }
        o += first ? '?' : '&';
        o += param;
        first = false;
    }
}

// Header names listed in Connection (RFC 9110 7.6.1) are hop-by-hop too.
struct ConnectionTokens {
    std::array<std::string_view, 8> names;
    size_t count = 0;
    bool overflow = false;

    void collect(const http::RequestHead& h) {
        forEachConnectionToken(h.headers, h.headerCount, [this](std::string_view t) {
            if (nameIs(t, "close") || nameIs(t, "keep-alive") || nameIs(t, "upgrade")) {
                return true;
            }
            if (count < names.size()) {
                names[count++] = t;
            } else {
                overflow = true;
            }
            return true;
        });
    }
    bool contains(std::string_view n) const {
        for (size_t i = 0; i < count; ++i) {
            if (http::equalsIgnoreCase(names[i], n)) {
                return true;
            }
        }
        return false;
    }
};

} // namespace

uint64_t ClientConnection::hashKey() const {
    const CompiledService& cs = m_rq->snapshot->services[m_rq->ctx.route->serviceIndex];
    switch (cs.hashOn) {
    case CompiledService::HashOn::Path:
        return upstream::hashBytes(m_rq->ctx.path.data(), m_rq->ctx.path.size());
    case CompiledService::HashOn::Header:
        for (size_t i = 0; i < head().headerCount; ++i) {
            if (http::equalsIgnoreCase(head().headers[i].name, cs.hashHeader)) {
                return upstream::hashBytes(head().headers[i].value.data(), head().headers[i].value.size());
            }
        }
        return 0;
    case CompiledService::HashOn::ClientIp:
        break;
    }
    return upstream::hashBytes(m_rq->ctx.clientIp.data(), m_rq->ctx.clientIp.size());
}

bool ClientConnection::pickTarget() {
    ServiceRuntime* rt = m_worker.service(m_rq->snapshot.get(), m_rq->ctx.route->serviceIndex);
    if (!rt) {
        return false; // the config changed while this request was retrying
    }
    m_rq->service = rt;
    const auto now = m_worker.now();
    const std::vector<CompiledTarget>& compiled =
        m_rq->snapshot->services[m_rq->ctx.route->serviceIndex].targets;
    int idx = -1;
    for (int pass = 0; pass < 2 && idx < 0; ++pass) {
        // Second pass: every healthy target is ejected; trying one beats refusing everything. A target
        // the active checks found down is never tried: that is known, not guessed from a few errors.
        for (size_t i = 0; i < rt->targets.size(); ++i) {
            const bool tried = i < 64 && (m_rq->triedMask >> i) & 1;
            rt->scratch[i].usable =
                !tried && compiled[i].healthy() && (pass == 1 || !rt->targets[i]->ejected(now));
            rt->scratch[i].active = rt->targets[i]->active;
        }
        idx = rt->balancer->pick(rt->scratch, m_rq->hash);
    }
    if (idx < 0) {
        return false;
    }
    if (idx < 64) {
        m_rq->triedMask |= uint64_t(1) << idx;
    }
    m_rq->ctx.targetIndex = idx;
    m_rq->target = rt->targets[idx];
    ++m_rq->target->active;
    m_rq->targetActive = true;
    return true;
}

void ClientConnection::forward() {
    const int svc = m_rq->ctx.route->serviceIndex;
    if (svc < 0) {
        respondLocal(503, "upstream.unavailable");
        return;
    }
    m_rq->hash = m_rq->snapshot->services[svc].config->balance == Balance::ConsistentHash ? hashKey() : 0;
    if (!pickTarget()) {
        respondLocal(503, "upstream.unavailable");
        return;
    }
    if (m_rq->snapshot->services[svc].targets[m_rq->ctx.targetIndex].builtinEcho) {
        startEcho();
        return;
    }
    buildUpstreamHead();
    consumeHead(); // the head's views end here
    m_rq->ctx.head = nullptr;
    // Body bytes that came with the head are checked before the upstream sees anything, so a
    // request with broken framing up front never reaches it.
    m_rq->requestValidated = 0;
    if (!m_rq->requestBody.done && !m_in.empty()) {
        size_t n = 0;
        if (!checkBody(n)) {
            return;
        }
        m_rq->requestValidated = static_cast<uint32_t>(n);
    }
    m_rq->ctx.upstreamStart = m_rq->ctx.start; // nothing but the pipeline ran in between: no I/O
    connectUpstream();
}

void ClientConnection::connectUpstream() {
    m_worker.telemetry().counters.upstreamRequests.add();
    m_rq->up = upstream::UpstreamConnection::takeIdle(*m_rq->target, this, replayable());
    m_rq->outSent = 0;
    if (m_rq->up) {
        m_state = State::SendRequest;
        setDeadline(Deadline::UpstreamRead,
                    m_rq->snapshot->services[m_rq->ctx.route->serviceIndex].config->readTimeout);
        sendRequest();
        return;
    }
    m_worker.telemetry().counters.upstreamConnects.add();
    m_rq->up = new upstream::UpstreamConnection(m_worker, *m_rq->target);
    m_rq->up->owner = this;
    m_state = State::Connecting;
    const CompiledService& cs = m_rq->snapshot->services[m_rq->ctx.route->serviceIndex];
    setDeadline(Deadline::UpstreamConnect, cs.config->connectTimeout);
    const CompiledTarget& target = cs.targets[m_rq->ctx.targetIndex];
    m_rq->up->connect(target.endpoint, target.tls.get());
}

void ClientConnection::onConnected(const asio::error_code& ec) {
    if (ec) {
        // A target that fails its TLS handshake (a certificate that does not verify, no common
        // protocol) is as unusable as one refusing connections, but the operator needs to know which.
        upstreamFailed(m_rq->up->tlsFailed() ? "upstream.tls" : "upstream.error", 502, true);
    } else {
        m_state = State::SendRequest;
        setDeadline(Deadline::UpstreamRead,
                    m_rq->snapshot->services[m_rq->ctx.route->serviceIndex].config->readTimeout);
        sendRequest();
    }
    if (m_closed && m_pending == 0) {
        finalize();
    }
}

void ClientConnection::buildUpstreamHead() {
    const CompiledService& cs = m_rq->snapshot->services[m_rq->ctx.route->serviceIndex];
    const CompiledTarget& target = cs.targets[m_rq->ctx.targetIndex];
    const ApiConfig& api = m_rq->snapshot->config.apis[m_rq->ctx.route->apiIndex];
    std::string& o = m_rq->out;
    o.clear();
    o += head().method;
    o += ' ';
    std::string_view path = m_rq->ctx.path;
    if (api.stripBasePath && !m_rq->ctx.route->basePath.empty()) {
        path.remove_prefix(std::min(path.size(), m_rq->ctx.route->basePath.size()));
    }
    if (path.empty() || path.front() != '/') {
        o += '/';
    }
    o += path;
    if (m_rq->ctx.strip & pipeline::RequestContext::StripApiKeyQuery) {
        appendQueryWithout(o, m_rq->ctx.query, "apikey");
    } else if (!m_rq->ctx.query.empty()) {
        o += '?';
        o += m_rq->ctx.query;
    }
    // An HTTP/1.0 client cannot read a chunked answer, and an upstream only chunks for 1.1
    // requests: ask in the client's version (keeping the upstream connection alive explicitly).
    o += m_rq->versionMinor == 0 ? " HTTP/1.0\r\nHost: " : " HTTP/1.1\r\nHost: ";
    m_rq->hostValuePos = o.size();
    o += target.hostHeader;
    m_rq->hostValueLen = target.hostHeader.size();
    o += "\r\n";

    ConnectionTokens tokens;
    tokens.collect(head());
    std::string_view priorForwardedFor;
    for (size_t i = 0; i < head().headerCount; ++i) {
        const http::Header& h = head().headers[i];
        if (isDroppedRequestHeader(h.name) || (tokens.count && tokens.contains(h.name)) ||
            isCredentialOrIdentity(h.name, m_rq->ctx.strip)) {
            if (m_rq->ctx.fromTrustedProxy && nameIs(h.name, "x-forwarded-for")) {
                priorForwardedFor = h.value;
            }
            continue;
        }
        o += h.name;
        o += ": ";
        o += h.value;
        o += "\r\n";
    }
    if (head().chunked) {
        o += "Transfer-Encoding: chunked\r\n";
    } else if (head().contentLength >= 0) {
        o += "Content-Length: ";
        o += std::to_string(head().contentLength);
        o += "\r\n";
    }
    if (m_rq->versionMinor == 0) {
        o += "Connection: keep-alive\r\n";
    }
    if (m_rq->upgrade) {
        o += "Connection: Upgrade\r\nUpgrade: ";
        o += head().upgradeProtocol;
        o += "\r\n";
    }
    if (m_rq->ctx.consumer) {
        o += "X-Consumer: ";
        o += m_rq->ctx.consumer->config->name;
        o += "\r\n";
    }
    o += "X-Forwarded-For: ";
    if (!priorForwardedFor.empty()) {
        o += priorForwardedFor;
        o += ", ";
    }
    o += peerText();
    o += "\r\nX-Forwarded-Proto: http\r\n";
    if (!head().host.empty()) {
        o += "X-Forwarded-Host: ";
        o += head().host;
        o += "\r\n";
    }
    o += "\r\n";
}

void ClientConnection::sendRequest() {
    m_state = State::SendRequest;
    upstream::UpstreamConnection& up = *m_rq->up;
    while (m_rq->outSent < m_rq->out.size()) {
        asio::error_code ec;
        const size_t n = up.write(m_rq->out.data() + m_rq->outSent, m_rq->out.size() - m_rq->outSent, ec);
        if (ec == asio::error::would_block) {
            m_rq->up->waitWrite();
            return;
        }
        if (ec) {
            upstreamFailed("upstream.error", 502, true);
            return;
        }
        m_rq->outSent += n;
    }
    if (m_rq->expectContinue && !m_rq->continueSent && !m_rq->requestBody.done && m_in.empty() &&
        m_rq->ctx.head == nullptr) {
        // The client waits for a go-ahead before sending the body; the gateway gives it once the
        // request passed every check, and never forwards Expect itself.
        m_rq->continueSent = true;
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        asio::error_code ec;
        const size_t n = writeClient(kContinue, sizeof kContinue - 1, ec);
        if (ec || n != sizeof kContinue - 1) {
            close();
            return;
        }
    }
    for (;;) {
        if (m_rq->requestValidated == 0 && !m_rq->requestBody.done && !m_in.empty()) {
            size_t n = 0;
            if (!checkBody(n)) {
                return;
            }
            m_rq->requestValidated = static_cast<uint32_t>(n);
        }
        if (m_rq->requestValidated > 0) {
            asio::error_code ec;
            const size_t n = up.write(m_in.readPtr(), m_rq->requestValidated, ec);
            if (ec == asio::error::would_block) {
                m_rq->up->waitWrite();
                return;
            }
            if (ec) {
                m_rq->bodyStarted = true;
                upstreamFailed("upstream.error", 502, false);
                return;
            }
            m_rq->bodyStarted = true;
            m_in.consume(static_cast<uint32_t>(n));
            m_rq->requestValidated -= static_cast<uint32_t>(n);
            m_rq->ctx.bytesIn += n;
            continue;
        }
        if (m_rq->requestBody.done) {
            break;
        }
        if (!readBody()) {
            return;
        }
    }
    m_rq->requestSent = true;
    if (m_in.empty()) {
        // Nothing of the client's is left to keep while the upstream answers: the block goes back
        // to the pool (and usually straight on to the upstream's read), so requests in flight hold
        // one buffer, not two, and a burst of them leaves half as many in the pool.
        m_worker.buffers().release(m_in);
    }
    m_state = State::ReadResponse;
    setDeadline(Deadline::UpstreamRead,
                m_rq->snapshot->services[m_rq->ctx.route->serviceIndex].config->readTimeout);
    readResponse();
}

void ClientConnection::releaseUpstream(bool reusable) {
    if (!m_rq) {
        return; // idle: no upstream
    }
    if (m_rq->targetActive) {
        --m_rq->target->active;
        m_rq->targetActive = false;
    }
    if (!m_rq->up) {
        return;
    }
    upstream::UpstreamConnection* up = m_rq->up;
    m_rq->up = nullptr;
    up->owner = nullptr;
    if (reusable && !m_worker.draining()) {
        ++up->requests;
        up->park(kMaxIdlePerTarget);
    } else {
        up->close();
    }
}

bool ClientConnection::replayable() const {
    return m_rq->requestBody.kind == BodyFraming::Kind::None && http::isIdempotent(m_rq->ctx.method) &&
           !m_rq->upgrade;
}

void ClientConnection::upstreamFailed(const char* reason, int status, bool retryable) {
    auto& counters = m_worker.telemetry().counters;
    const bool stale = m_rq->up && m_rq->up->requests > 0 && status == 502 && !m_rq->responseHeadSent;
    if (status == 504) {
        counters.upstreamTimeouts.add();
    } else {
        counters.upstreamErrors.add();
    }
    // A pooled connection the upstream had already closed is not the target's fault.
    if (m_rq->target && !stale) {
        const PassiveHealthConfig& passive =
            m_rq->snapshot->services[m_rq->ctx.route->serviceIndex].config->passive;
        if (++m_rq->target->consecutiveFailures >= uint32_t(std::max(1, passive.failures))) {
            m_rq->target->ejectedUntil = Clock::now() + passive.ejectFor;
            m_rq->target->consecutiveFailures = 0;
            counters.targetEjections.add();
        }
    }
    releaseUpstream(false);
    const ServiceConfig& svc = *m_rq->snapshot->services[m_rq->ctx.route->serviceIndex].config;
    const bool canRetry = retryable && !m_rq->responseHeadSent && !m_rq->bodyStarted && replayable();
    if (canRetry && (stale || m_rq->attempts < svc.retries)) {
        if (!stale) {
            ++m_rq->attempts;
            counters.upstreamRetries.add();
        } else {
            m_rq->triedMask = 0; // a fresh connection to the same target is fine
        }
        if (pickTarget()) {
            const CompiledTarget& t =
                m_rq->snapshot->services[m_rq->ctx.route->serviceIndex].targets[m_rq->ctx.targetIndex];
            if (!t.builtinEcho) {
                m_rq->out.replace(m_rq->hostValuePos, m_rq->hostValueLen, t.hostHeader);
                m_rq->hostValueLen = t.hostHeader.size();
                connectUpstream();
                return;
            }
            releaseUpstream(false);
        }
    }
    m_rq->ctx.upstreamEnd = Clock::now();
    respondLocal(status, reason, {}, !m_rq->requestBody.done);
}

} // namespace tollgate::server

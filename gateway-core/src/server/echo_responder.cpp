// The builtin echo service (target "builtin:echo"): answers with a JSON description of the
// request it received, so a workspace works with no backend. It reads the body as a stream,
// hashing it, so a large upload costs no memory.
#include "server/client_connection.h"
#include "server/forward_headers.h"
#include "server/local_response.h"
#include "server/snapshot.h"
#include "server/worker.h"

namespace tollgate::server {

using pipeline::Clock;

void ClientConnection::startEcho() {
    const ApiConfig& api = m_rq->snapshot->config.apis[m_rq->ctx.route->apiIndex];
    std::string_view path = m_rq->ctx.path;
    if (api.stripBasePath && !m_rq->ctx.route->basePath.empty()) {
        path.remove_prefix(std::min(path.size(), m_rq->ctx.route->basePath.size()));
    }
    std::string& o = m_rq->out; // the body's first part; the head is put in front at the end
    o.clear();
    o += "{\"method\":\"";
    appendJsonEscaped(o, head().method);
    o += "\",\"path\":\"";
    if (path.empty() || path.front() != '/') {
        o += '/';
    }
    appendJsonEscaped(o, path);
    o += "\",\"query\":\"";
    appendJsonEscaped(o, m_rq->ctx.query);
    o += head().versionMinor == 0 ? "\",\"http_version\":\"1.0\"" : "\",\"http_version\":\"1.1\"";
    o += ",\"client\":\"";
    appendJsonEscaped(o, m_rq->ctx.clientIp);
    o += "\",\"headers\":[";
    bool first = true;
    for (size_t i = 0; i < head().headerCount; ++i) {
        if (isCredentialOrIdentity(head().headers[i].name, m_rq->ctx.strip)) {
            continue;
        }
        o += first ? "[\"" : ",[\"";
        first = false;
        appendJsonEscaped(o, head().headers[i].name);
        o += "\",\"";
        appendJsonEscaped(o, head().headers[i].value);
        o += "\"]";
    }
    if (m_rq->ctx.consumer) {
        o += first ? "[\"X-Consumer\",\"" : ",[\"X-Consumer\",\"";
        appendJsonEscaped(o, m_rq->ctx.consumer->config->name);
        o += "\"]";
    }
    o += ']';
    consumeHead();
    m_rq->ctx.head = nullptr;
    m_rq->ctx.upstreamStart = Clock::now();
    if (!m_rq->sha) {
        m_rq->sha = EVP_MD_CTX_new();
    }
    EVP_DigestInit_ex(m_rq->sha, EVP_sha256(), nullptr);
    m_rq->echoBytes = 0;
    m_rq->chunkedPayload.reset();
    m_state = State::EchoBody;
    if (m_rq->expectContinue && !m_rq->requestBody.done && m_in.empty()) {
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        asio::error_code ec;
        writeClient(kContinue, sizeof kContinue - 1, ec);
        m_rq->continueSent = true;
    }
    echoBody();
}

void ClientConnection::echoBody() {
    for (;;) {
        if (!m_rq->requestBody.done && !m_in.empty()) {
            size_t n = 0;
            const uint64_t before = m_rq->requestBody.payload();
            if (!checkBody(n)) {
                return;
            }
            if (m_rq->requestBody.kind == BodyFraming::Kind::Length) {
                EVP_DigestUpdate(m_rq->sha, m_in.readPtr(), n);
            } else {
                // Chunked: hash the decoded payload, skipping the framing lines.
                m_rq->chunkedPayload.feed(m_in.readPtr(), n, [this](const char* p, size_t len) {
                    EVP_DigestUpdate(m_rq->sha, p, len);
                });
            }
            m_rq->echoBytes += m_rq->requestBody.payload() - before;
            m_in.consume(static_cast<uint32_t>(n));
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
    finishEcho();
}

void ClientConnection::finishEcho() {
    unsigned char digest[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_rq->sha, digest, &len);
    static const char* hex = "0123456789abcdef";
    std::string body;
    body.reserve(m_rq->out.size() + 128);
    body.swap(m_rq->out);
    body += ",\"body_bytes\":";
    body += std::to_string(m_rq->echoBytes);
    body += ",\"body_sha256\":\"";
    for (unsigned i = 0; i < len; ++i) {
        body += hex[digest[i] >> 4];
        body += hex[digest[i] & 15];
    }
    body += "\"}\n";
    if (m_draining || m_worker.draining()) {
        m_keepAlive = false;
    }
    m_rq->out.clear();
    m_rq->out += "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ";
    m_rq->out += std::to_string(body.size());
    m_rq->out += m_keepAlive ? "\r\n" : "\r\nConnection: close\r\n";
    if (m_rq->versionMinor == 0 && m_keepAlive) {
        m_rq->out += "Connection: keep-alive\r\n";
    }
    appendStageHeaders(m_rq->out, m_rq->ctx);
    m_rq->out += "\r\n";
    if (!m_rq->headOnly) {
        m_rq->out += body;
    }
    m_rq->ctx.status = 200;
    m_rq->ctx.upstreamEnd = Clock::now();
    releaseUpstream(false);
    m_rq->outSent = 0;
    m_state = State::WriteLocal;
    m_rq->responseHeadSent = true;
    setDeadline(Deadline::Send, m_rq->snapshot->config.gateway.limits.idleTimeout);
    writeOut();
}

} // namespace tollgate::server

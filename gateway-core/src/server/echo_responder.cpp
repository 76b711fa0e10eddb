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
    const ApiConfig& api = m_snapshot->config.apis[m_ctx.route->apiIndex];
    std::string_view path = m_ctx.path;
    if (api.stripBasePath && !m_ctx.route->basePath.empty()) {
        path.remove_prefix(std::min(path.size(), m_ctx.route->basePath.size()));
    }
    std::string& o = m_out; // the body's first part; the head is put in front at the end
    o.clear();
    o += "{\"method\":\"";
    appendJsonEscaped(o, m_head.method);
    o += "\",\"path\":\"";
    if (path.empty() || path.front() != '/') {
        o += '/';
    }
    appendJsonEscaped(o, path);
    o += "\",\"query\":\"";
    appendJsonEscaped(o, m_ctx.query);
    o += m_head.versionMinor == 0 ? "\",\"http_version\":\"1.0\"" : "\",\"http_version\":\"1.1\"";
    o += ",\"client\":\"";
    appendJsonEscaped(o, m_ctx.clientIp);
    o += "\",\"headers\":[";
    bool first = true;
    for (size_t i = 0; i < m_head.headerCount; ++i) {
        if (isCredentialOrIdentity(m_head.headers[i].name, m_ctx.strip)) {
            continue;
        }
        o += first ? "[\"" : ",[\"";
        first = false;
        appendJsonEscaped(o, m_head.headers[i].name);
        o += "\",\"";
        appendJsonEscaped(o, m_head.headers[i].value);
        o += "\"]";
    }
    if (m_ctx.consumer) {
        o += first ? "[\"X-Consumer\",\"" : ",[\"X-Consumer\",\"";
        appendJsonEscaped(o, m_ctx.consumer->config->name);
        o += "\"]";
    }
    o += ']';
    consumeHead();
    m_ctx.head = nullptr;
    m_ctx.upstreamStart = Clock::now();
    if (!m_sha) {
        m_sha = EVP_MD_CTX_new();
    }
    EVP_DigestInit_ex(m_sha, EVP_sha256(), nullptr);
    m_echoBytes = 0;
    m_chunkedPayload.reset();
    m_state = State::EchoBody;
    if (m_expectContinue && !m_requestBody.done && m_in.empty()) {
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        asio::error_code ec;
        m_socket.write_some(asio::buffer(kContinue, sizeof kContinue - 1), ec);
        m_continueSent = true;
    }
    echoBody();
}

void ClientConnection::echoBody() {
    for (;;) {
        if (!m_requestBody.done && !m_in.empty()) {
            size_t n = 0;
            const uint64_t before = m_requestBody.payload();
            if (!checkBody(n)) {
                return;
            }
            if (m_requestBody.kind == BodyFraming::Kind::Length) {
                EVP_DigestUpdate(m_sha, m_in.readPtr(), n);
            } else {
                // Chunked: hash the decoded payload, skipping the framing lines.
                m_chunkedPayload.feed(m_in.readPtr(), n,
                                      [this](const char* p, size_t len) { EVP_DigestUpdate(m_sha, p, len); });
            }
            m_echoBytes += m_requestBody.payload() - before;
            m_in.consume(static_cast<uint32_t>(n));
            m_ctx.bytesIn += n;
            continue;
        }
        if (m_requestBody.done) {
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
    EVP_DigestFinal_ex(m_sha, digest, &len);
    static const char* hex = "0123456789abcdef";
    std::string body;
    body.reserve(m_out.size() + 128);
    body.swap(m_out);
    body += ",\"body_bytes\":";
    body += std::to_string(m_echoBytes);
    body += ",\"body_sha256\":\"";
    for (unsigned i = 0; i < len; ++i) {
        body += hex[digest[i] >> 4];
        body += hex[digest[i] & 15];
    }
    body += "\"}\n";
    if (m_draining || m_worker.draining()) {
        m_keepAlive = false;
    }
    m_out.clear();
    m_out += "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ";
    m_out += std::to_string(body.size());
    m_out += m_keepAlive ? "\r\n" : "\r\nConnection: close\r\n";
    if (m_versionMinor == 0 && m_keepAlive) {
        m_out += "Connection: keep-alive\r\n";
    }
    appendStageHeaders(m_out, m_ctx);
    m_out += "\r\n";
    if (!m_headOnly) {
        m_out += body;
    }
    m_ctx.status = 200;
    m_ctx.upstreamEnd = Clock::now();
    releaseUpstream(false);
    m_outSent = 0;
    m_state = State::WriteLocal;
    m_responseHeadSent = true;
    setDeadline(Deadline::Send, m_snapshot->config.gateway.limits.idleTimeout);
    writeOut();
}

} // namespace tollgate::server

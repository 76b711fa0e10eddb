#include "raw_client.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tollgate::test {

namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : int(left);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = char(c - 'A' + 'a');
        }
    }
    return out;
}

std::string trim(std::string_view s) {
    size_t b = 0;
    size_t e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) {
        ++b;
    }
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) {
        --e;
    }
    return std::string(s.substr(b, e - b));
}

} // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && lower(a) == lower(b);
}

std::string HttpResponse::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (equalsIgnoreCase(k, name)) {
            return v;
        }
    }
    return {};
}

bool HttpResponse::hasHeader(std::string_view name) const {
    return headerCount(name) > 0;
}

int HttpResponse::headerCount(std::string_view name) const {
    int n = 0;
    for (const auto& [k, v] : headers) {
        if (equalsIgnoreCase(k, name)) {
            ++n;
        }
    }
    return n;
}

RawClient::~RawClient() {
    close();
}

RawClient::RawClient(RawClient&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_buffer(std::move(other.m_buffer)),
      m_peerClosed(other.m_peerClosed), m_error(std::move(other.m_error)) {}

RawClient& RawClient::operator=(RawClient&& other) noexcept {
    if (this != &other) {
        close();
        m_fd = std::exchange(other.m_fd, -1);
        m_buffer = std::move(other.m_buffer);
        m_peerClosed = other.m_peerClosed;
        m_error = std::move(other.m_error);
    }
    return *this;
}

bool RawClient::connect(uint16_t port, std::chrono::milliseconds timeout, const std::string& sourceIp) {
    close();
    m_buffer.clear();
    m_peerClosed = false;
    m_error.clear();
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_fd < 0) {
        m_error = std::string("socket: ") + std::strerror(errno);
        return false;
    }
    int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!sourceIp.empty()) {
        sockaddr_in source{};
        source.sin_family = AF_INET;
        if (::inet_pton(AF_INET, sourceIp.c_str(), &source.sin_addr) != 1) {
            m_error = "not an IPv4 address: " + sourceIp;
            close();
            return false;
        }
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0) {
            m_error = "bind " + sourceIp + ": " + std::strerror(errno);
            close();
            return false;
        }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (errno != EINPROGRESS) {
            m_error = std::string("connect: ") + std::strerror(errno);
            close();
            return false;
        }
        pollfd p{m_fd, POLLOUT, 0};
        const int r = ::poll(&p, 1, int(timeout.count()));
        if (r <= 0) {
            m_error = "connect: timed out";
            close();
            return false;
        }
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
            m_error = std::string("connect: ") + std::strerror(err);
            close();
            return false;
        }
    }
    return true;
}

void RawClient::close() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

void RawClient::shutdownWrite() {
    if (m_fd >= 0) {
        ::shutdown(m_fd, SHUT_WR);
    }
}

bool RawClient::send(std::string_view bytes, std::chrono::milliseconds timeout) {
    if (m_fd < 0) {
        m_error = "send: not connected";
        return false;
    }
    const auto deadline = Clock::now() + timeout;
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(m_fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += size_t(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            pollfd p{m_fd, POLLOUT, 0};
            if (::poll(&p, 1, remainingMs(deadline)) <= 0) {
                m_error = "send: timed out after " + std::to_string(done) + " bytes";
                return false;
            }
            continue;
        }
        m_error = std::string("send: ") + std::strerror(errno);
        return false;
    }
    return true;
}

bool RawClient::fill(Clock::time_point deadline) {
    if (m_fd < 0) {
        m_error = "not connected";
        return false;
    }
    if (m_peerClosed) {
        m_error = "connection closed by peer";
        return false;
    }
    char chunk[65536];
    for (;;) {
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n > 0) {
            m_buffer.append(chunk, size_t(n));
            return true;
        }
        if (n == 0) {
            m_peerClosed = true;
            m_error = "connection closed by peer";
            return false;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            m_peerClosed = true;
            m_error = std::string("recv: ") + std::strerror(errno);
            return false;
        }
        pollfd p{m_fd, POLLIN, 0};
        const int r = ::poll(&p, 1, remainingMs(deadline));
        if (r == 0) {
            m_error = "timed out";
            return false;
        }
        if (r < 0 && errno != EINTR) {
            m_error = std::string("poll: ") + std::strerror(errno);
            return false;
        }
    }
}

std::optional<HttpResponse> RawClient::readResponse(const ReadOptions& options) {
    const auto deadline = Clock::now() + options.timeout;
    std::vector<HttpResponse> interim;
    for (;;) {
        size_t headEnd;
        while ((headEnd = m_buffer.find("\r\n\r\n")) == std::string::npos) {
            if (!fill(deadline)) {
                m_error = "reading response head: " + m_error +
                          (m_buffer.empty() ? "" : " (partial: " + m_buffer.substr(0, 200) + ")");
                return std::nullopt;
            }
        }
        HttpResponse resp;
        resp.rawHead = m_buffer.substr(0, headEnd + 4);
        std::string_view head(resp.rawHead);
        head.remove_suffix(4);
        size_t lineEnd = head.find("\r\n");
        const std::string_view statusLine = head.substr(0, lineEnd);
        // "HTTP/1.1 200 OK"
        const size_t sp1 = statusLine.find(' ');
        if (sp1 == std::string_view::npos || statusLine.substr(0, 5) != "HTTP/") {
            m_error = "malformed status line: " + std::string(statusLine);
            return std::nullopt;
        }
        resp.version = std::string(statusLine.substr(0, sp1));
        const size_t sp2 = statusLine.find(' ', sp1 + 1);
        const std::string code(statusLine.substr(
            sp1 + 1, sp2 == std::string_view::npos ? std::string_view::npos : sp2 - sp1 - 1));
        resp.status = std::atoi(code.c_str());
        resp.reason = sp2 == std::string_view::npos ? "" : std::string(statusLine.substr(sp2 + 1));
        while (lineEnd != std::string_view::npos) {
            const size_t start = lineEnd + 2;
            lineEnd = head.find("\r\n", start);
            const std::string_view line = head.substr(
                start, lineEnd == std::string_view::npos ? std::string_view::npos : lineEnd - start);
            const size_t colon = line.find(':');
            if (colon == std::string_view::npos) {
                m_error = "malformed header line: " + std::string(line);
                return std::nullopt;
            }
            resp.headers.emplace_back(std::string(line.substr(0, colon)), trim(line.substr(colon + 1)));
        }
        m_buffer.erase(0, headEnd + 4);

        if (resp.status >= 100 && resp.status < 200 && resp.status != 101) {
            if (options.returnInterim) {
                resp.interim = std::move(interim);
                return resp;
            }
            interim.push_back(std::move(resp));
            continue;
        }
        resp.interim = std::move(interim);

        const bool noBody =
            options.headRequest || resp.status == 101 || resp.status == 204 || resp.status == 304;
        if (noBody) {
            return resp;
        }
        const std::string te = lower(resp.header("Transfer-Encoding"));
        if (!te.empty() && te.find("chunked") != std::string::npos) {
            resp.chunked = true;
            for (;;) {
                size_t eol;
                while ((eol = m_buffer.find("\r\n")) == std::string::npos) {
                    if (!fill(deadline)) {
                        m_error = "reading chunk size: " + m_error;
                        return std::nullopt;
                    }
                }
                const std::string sizeLine = m_buffer.substr(0, eol);
                char* end = nullptr;
                const unsigned long long size = std::strtoull(sizeLine.c_str(), &end, 16);
                if (end == sizeLine.c_str()) {
                    m_error = "bad chunk size line: " + sizeLine;
                    return std::nullopt;
                }
                m_buffer.erase(0, eol + 2);
                if (size == 0) {
                    // Trailers, then an empty line.
                    for (;;) {
                        while ((eol = m_buffer.find("\r\n")) == std::string::npos) {
                            if (!fill(deadline)) {
                                m_error = "reading trailers: " + m_error;
                                return std::nullopt;
                            }
                        }
                        const bool last = eol == 0;
                        m_buffer.erase(0, eol + 2);
                        if (last) {
                            return resp;
                        }
                    }
                }
                while (m_buffer.size() < size + 2) {
                    if (!fill(deadline)) {
                        m_error = "reading chunk data: " + m_error;
                        return std::nullopt;
                    }
                }
                resp.body.append(m_buffer, 0, size);
                m_buffer.erase(0, size + 2);
            }
        }
        if (resp.hasHeader("Content-Length")) {
            const unsigned long long length =
                std::strtoull(resp.header("Content-Length").c_str(), nullptr, 10);
            while (m_buffer.size() < length) {
                if (!fill(deadline)) {
                    m_error = "reading body (" + std::to_string(m_buffer.size()) + "/" +
                              std::to_string(length) + "): " + m_error;
                    return std::nullopt;
                }
            }
            resp.body = m_buffer.substr(0, length);
            m_buffer.erase(0, length);
            return resp;
        }
        // Close-delimited body.
        while (fill(deadline)) {
        }
        if (!m_peerClosed) {
            m_error = "reading close-delimited body: " + m_error;
            return std::nullopt;
        }
        resp.body = std::move(m_buffer);
        m_buffer.clear();
        return resp;
    }
}

std::optional<std::string> RawClient::readBytes(size_t n, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (m_buffer.size() < n) {
        if (!fill(deadline)) {
            return std::nullopt;
        }
    }
    std::string out = m_buffer.substr(0, n);
    m_buffer.erase(0, n);
    return out;
}

bool RawClient::waitForClose(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!m_peerClosed) {
        if (!fill(deadline) && !m_peerClosed) {
            return false;
        }
    }
    return true;
}

std::string RawClient::readAvailable(std::chrono::milliseconds quiet, size_t maxBytes,
                                     std::chrono::milliseconds maxTotal) {
    const auto end = Clock::now() + maxTotal;
    while (!m_peerClosed && m_buffer.size() < maxBytes && Clock::now() < end &&
           fill(std::min(end, Clock::now() + quiet))) {
    }
    std::string out = std::move(m_buffer);
    m_buffer.clear();
    return out;
}

std::string buildRequest(std::string_view method, std::string_view target, const HeaderList& headers,
                         std::string_view body, std::string_view host) {
    std::string out;
    out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
    bool hasHost = false;
    bool framed = false;
    for (const auto& [k, v] : headers) {
        hasHost = hasHost || equalsIgnoreCase(k, "Host");
        framed = framed || equalsIgnoreCase(k, "Content-Length") || equalsIgnoreCase(k, "Transfer-Encoding");
    }
    if (!hasHost) {
        out.append("Host: ").append(host).append("\r\n");
    }
    for (const auto& [k, v] : headers) {
        out.append(k).append(": ").append(v).append("\r\n");
    }
    if (!body.empty() && !framed) {
        out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
    }
    out.append("\r\n");
    out.append(body);
    return out;
}

namespace {
thread_local std::string t_roundTripError;
}

const std::string& lastRoundTripError() {
    return t_roundTripError;
}

std::optional<HttpResponse> roundTrip(uint16_t port, std::string_view request,
                                      std::chrono::milliseconds timeout, bool headRequest) {
    RawClient client;
    t_roundTripError.clear();
    if (!client.connect(port, timeout) || !client.send(request, timeout)) {
        t_roundTripError = client.lastError();
        return std::nullopt;
    }
    ReadOptions options;
    options.timeout = timeout;
    options.headRequest = headRequest;
    auto resp = client.readResponse(options);
    if (!resp) {
        t_roundTripError = client.lastError();
    }
    return resp;
}

std::string chunkedEncode(std::string_view body, size_t chunkSize) {
    std::string out;
    char size[32];
    for (size_t i = 0; i < body.size(); i += chunkSize) {
        const size_t n = std::min(chunkSize, body.size() - i);
        std::snprintf(size, sizeof size, "%zx\r\n", n);
        out.append(size).append(body.substr(i, n)).append("\r\n");
    }
    out.append("0\r\n\r\n");
    return out;
}

std::string webSocketFrame(int opcode, std::string_view payload, bool masked) {
    std::string frame;
    frame.push_back(char(0x80 | (opcode & 0x0f)));
    const char maskBit = masked ? char(0x80) : char(0);
    if (payload.size() < 126) {
        frame.push_back(char(maskBit | char(payload.size())));
    } else if (payload.size() < 65536) {
        frame.push_back(char(maskBit | 126));
        frame.push_back(char(payload.size() >> 8));
        frame.push_back(char(payload.size() & 0xff));
    } else {
        frame.push_back(char(maskBit | 127));
        for (int i = 7; i >= 0; --i) {
            frame.push_back(char((uint64_t(payload.size()) >> (8 * i)) & 0xff));
        }
    }
    const char mask[4] = {0x37, char(0xfa), 0x21, 0x3d};
    if (masked) {
        frame.append(mask, 4);
    }
    for (size_t i = 0; i < payload.size(); ++i) {
        frame.push_back(masked ? char(payload[i] ^ mask[i % 4]) : payload[i]);
    }
    return frame;
}

std::optional<WebSocketFrame> readWebSocketFrame(RawClient& client, std::chrono::milliseconds timeout) {
    const auto head = client.readBytes(2, timeout);
    if (!head) {
        return std::nullopt;
    }
    WebSocketFrame frame;
    frame.fin = (uint8_t((*head)[0]) & 0x80) != 0;
    frame.opcode = uint8_t((*head)[0]) & 0x0f;
    frame.masked = (uint8_t((*head)[1]) & 0x80) != 0;
    uint64_t length = uint8_t((*head)[1]) & 0x7f;
    if (length >= 126) {
        const auto ext = client.readBytes(length == 126 ? 2 : 8, timeout);
        if (!ext) {
            return std::nullopt;
        }
        length = 0;
        for (char c : *ext) {
            length = (length << 8) | uint8_t(c);
        }
    }
    std::string mask;
    if (frame.masked) {
        const auto m = client.readBytes(4, timeout);
        if (!m) {
            return std::nullopt;
        }
        mask = *m;
    }
    const auto payload = client.readBytes(size_t(length), timeout);
    if (!payload) {
        return std::nullopt;
    }
    frame.payload = *payload;
    if (frame.masked) {
        for (size_t i = 0; i < frame.payload.size(); ++i) {
            frame.payload[i] = char(frame.payload[i] ^ mask[i % 4]);
        }
    }
    return frame;
}

std::string sha256Hex(std::string_view bytes) {
    return QCryptographicHash::hash(QByteArrayView(bytes.data(), qsizetype(bytes.size())),
                                    QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

} // namespace tollgate::test

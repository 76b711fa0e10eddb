#include "test_upstream.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tollgate::test {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPollMs = 50;
constexpr size_t kMaxHead = 1024 * 1024;
constexpr size_t kMaxRaw = 1024 * 1024;

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

const char* reasonPhrase(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

// Buffered reads and writes on one connection; every wait polls in short steps so that the server
// can stop, and reports every received byte to `onBytes`.
class Connection {
public:
    Connection(int fd, const std::atomic<bool>& stopping, std::function<void(const char*, size_t)> onBytes)
        : m_fd(fd), m_stopping(stopping), m_onBytes(std::move(onBytes)) {}

    // False on EOF, error or stop.
    bool fill() {
        char chunk[65536];
        for (;;) {
            if (m_stopping) {
                return false;
            }
            pollfd p{m_fd, POLLIN, 0};
            const int r = ::poll(&p, 1, kPollMs);
            if (r < 0 && errno != EINTR) {
                return false;
            }
            if (r <= 0) {
                continue;
            }
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n > 0) {
                compact();
                m_buf.append(chunk, size_t(n));
                m_onBytes(chunk, size_t(n));
                return true;
            }
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            return false;
        }
    }

    size_t available() const { return m_buf.size() - m_pos; }
    std::string_view view() const { return std::string_view(m_buf).substr(m_pos); }
    void consume(size_t n) { m_pos += n; }

    // Reads up to and including `delimiter`; returns the text before it.
    bool readUntil(std::string_view delimiter, std::string& out, size_t max) {
        for (;;) {
            const size_t at = view().find(delimiter);
            if (at != std::string_view::npos) {
                out.assign(view().substr(0, at));
                consume(at + delimiter.size());
                return true;
            }
            if (available() > max || !fill()) {
                return false;
            }
        }
    }

    // Reads exactly n bytes, handing them to `sink` piece by piece.
    template <typename Sink> bool readExact(uint64_t n, Sink&& sink) {
        while (n > 0) {
            if (available() == 0 && !fill()) {
                return false;
            }
            const size_t take = size_t(std::min<uint64_t>(n, available()));
            sink(view().substr(0, take));
            consume(take);
            n -= take;
        }
        return true;
    }

    bool sendAll(std::string_view bytes) {
        size_t done = 0;
        while (done < bytes.size()) {
            if (m_stopping) {
                return false;
            }
            const ssize_t n =
                ::send(m_fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                done += size_t(n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                pollfd p{m_fd, POLLOUT, 0};
                ::poll(&p, 1, kPollMs);
                continue;
            }
            return false;
        }
        return true;
    }

    // Sleeps, waking early only when the server stops.
    bool sleepFor(std::chrono::milliseconds d) {
        const auto until = Clock::now() + d;
        while (Clock::now() < until) {
            if (m_stopping) {
                return false;
            }
            std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
                std::chrono::milliseconds(10),
                std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()) +
                    std::chrono::milliseconds(1)));
        }
        return true;
    }

    // Holds the connection, discarding input, until the peer closes or the server stops.
    void holdUntilClosed() {
        while (fill()) {
            consume(available());
        }
    }

private:
    void compact() {
        if (m_pos > 0 && m_pos >= m_buf.size() / 2) {
            m_buf.erase(0, m_pos);
            m_pos = 0;
        }
    }

    int m_fd;
    const std::atomic<bool>& m_stopping;
    std::function<void(const char*, size_t)> m_onBytes;
    std::string m_buf;
    size_t m_pos = 0;
};

bool parseHead(const std::string& head, RecordedRequest& req) {
    size_t lineEnd = head.find("\r\n");
    const std::string requestLine = head.substr(0, lineEnd);
    const size_t sp1 = requestLine.find(' ');
    const size_t sp2 = requestLine.rfind(' ');
    if (sp1 == std::string::npos || sp2 == sp1) {
        return false;
    }
    req.method = requestLine.substr(0, sp1);
    req.target = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
    req.version = requestLine.substr(sp2 + 1);
    while (lineEnd != std::string::npos) {
        const size_t start = lineEnd + 2;
        lineEnd = head.find("\r\n", start);
        const std::string line =
            head.substr(start, lineEnd == std::string::npos ? std::string::npos : lineEnd - start);
        const size_t colon = line.find(':');
        if (colon == std::string::npos) {
            return false;
        }
        req.headers.emplace_back(line.substr(0, colon), trim(std::string_view(line).substr(colon + 1)));
    }
    return true;
}

std::string webSocketAccept(const std::string& key) {
    const std::string magic = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    return QCryptographicHash::hash(QByteArray::fromStdString(magic), QCryptographicHash::Sha1)
        .toBase64()
        .toStdString();
}

// Echoes WebSocket frames (client frames are masked; ours are not) until a close frame or EOF.
void echoWebSocket(Connection& conn) {
    for (;;) {
        std::string header;
        auto append = [&header](std::string_view piece) { header.append(piece); };
        if (!conn.readExact(2, append)) {
            return;
        }
        const uint8_t b0 = uint8_t(header[0]);
        const uint8_t b1 = uint8_t(header[1]);
        const bool masked = (b1 & 0x80) != 0;
        uint64_t length = b1 & 0x7f;
        std::string ext;
        auto appendExt = [&ext](std::string_view piece) { ext.append(piece); };
        if (length == 126 || length == 127) {
            const int n = length == 126 ? 2 : 8;
            if (!conn.readExact(uint64_t(n), appendExt)) {
                return;
            }
            length = 0;
            for (char c : ext) {
                length = (length << 8) | uint8_t(c);
            }
        }
        std::string mask;
        auto appendMask = [&mask](std::string_view piece) { mask.append(piece); };
        if (masked && !conn.readExact(4, appendMask)) {
            return;
        }
        std::string payload;
        auto appendPayload = [&payload](std::string_view piece) { payload.append(piece); };
        if (!conn.readExact(length, appendPayload)) {
            return;
        }
        if (masked) {
            for (size_t i = 0; i < payload.size(); ++i) {
                payload[i] = char(payload[i] ^ mask[i % 4]);
            }
        }
        std::string frame;
        frame.push_back(char(0x80 | (b0 & 0x0f)));
        if (payload.size() < 126) {
            frame.push_back(char(payload.size()));
        } else if (payload.size() < 65536) {
            frame.push_back(char(126));
            frame.push_back(char(payload.size() >> 8));
            frame.push_back(char(payload.size() & 0xff));
        } else {
            frame.push_back(char(127));
            for (int i = 7; i >= 0; --i) {
                frame.push_back(char((uint64_t(payload.size()) >> (8 * i)) & 0xff));
            }
        }
        frame += payload;
        if (!conn.sendAll(frame) || (b0 & 0x0f) == 0x8) {
            return;
        }
    }
}

} // namespace

std::string RecordedRequest::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (equalsIgnoreCase(k, name)) {
            return v;
        }
    }
    return {};
}

bool RecordedRequest::hasHeader(std::string_view name) const {
    return headerCount(name) > 0;
}

int RecordedRequest::headerCount(std::string_view name) const {
    int n = 0;
    for (const auto& [k, v] : headers) {
        n += equalsIgnoreCase(k, name) ? 1 : 0;
    }
    return n;
}

std::string RecordedRequest::path() const {
    return target.substr(0, target.find('?'));
}

std::string RecordedRequest::query() const {
    const size_t q = target.find('?');
    return q == std::string::npos ? std::string() : target.substr(q + 1);
}

TestUpstream::TestUpstream(std::string name) : m_name(std::move(name)) {
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::listen(m_listenFd, 512) == 0) {
        socklen_t len = sizeof addr;
        ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
    }
    m_acceptThread = std::thread([this] { acceptLoop(); });
}

TestUpstream::~TestUpstream() {
    m_stopping = true;
    if (m_acceptThread.joinable()) {
        m_acceptThread.join();
    }
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        threads.swap(m_connectionThreads);
    }
    for (auto& t : threads) {
        t.join();
    }
    if (m_listenFd >= 0) {
        ::close(m_listenFd);
    }
}

std::string TestUpstream::url() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

void TestUpstream::setResponse(const UpstreamResponse& response) {
    setHandler([response](const RecordedRequest&) { return response; });
}

void TestUpstream::closeAfterEachResponse(bool announce) {
    setHandler([announce, name = m_name](const RecordedRequest& req) {
        UpstreamResponse r;
        r.body = name + " " + req.method + " " + req.target;
        r.closeAfter = true;
        r.announceClose = announce;
        return r;
    });
}

void TestUpstream::setHandler(Handler handler) {
    std::lock_guard lock(m_mutex);
    m_handler = std::move(handler);
}

void TestUpstream::setSend100Continue(bool on) {
    std::lock_guard lock(m_mutex);
    m_send100Continue = on;
}

std::vector<RecordedRequest> TestUpstream::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

size_t TestUpstream::requestCount() const {
    std::lock_guard lock(m_mutex);
    return m_requests.size();
}

int TestUpstream::connectionCount() const {
    std::lock_guard lock(m_mutex);
    return m_connections;
}

int TestUpstream::openConnections() const {
    std::lock_guard lock(m_mutex);
    return m_open;
}

uint64_t TestUpstream::bytesReceived() const {
    std::lock_guard lock(m_mutex);
    return m_bytes;
}

std::string TestUpstream::rawReceived() const {
    std::lock_guard lock(m_mutex);
    return m_raw;
}

bool TestUpstream::waitForRequests(size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] { return m_requests.size() >= n; });
}

bool TestUpstream::waitForCompleteRequests(size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] {
        size_t complete = 0;
        for (const auto& r : m_requests) {
            complete += r.complete ? 1 : 0;
        }
        return complete >= n;
    });
}

void TestUpstream::clear() {
    std::lock_guard lock(m_mutex);
    m_requests.clear();
    m_connections = 0;
    m_bytes = 0;
    m_raw.clear();
}

void TestUpstream::acceptLoop() {
    while (!m_stopping) {
        pollfd p{m_listenFd, POLLIN, 0};
        if (::poll(&p, 1, kPollMs) <= 0) {
            continue;
        }
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::lock_guard lock(m_mutex);
        const int index = ++m_connections;
        ++m_open;
        m_connectionThreads.emplace_back([this, fd, index] { serveConnection(fd, index); });
        m_changed.notify_all();
    }
}

UpstreamResponse TestUpstream::decide(const RecordedRequest& request) {
    Handler handler;
    {
        std::lock_guard lock(m_mutex);
        handler = m_handler;
    }
    if (handler) {
        return handler(request);
    }
    UpstreamResponse r;
    r.body = m_name + " " + request.method + " " + request.target;
    return r;
}

void TestUpstream::serveConnection(int fd, int index) {
    Connection conn(fd, m_stopping, [this](const char* data, size_t n) {
        std::lock_guard lock(m_mutex);
        m_bytes += n;
        if (m_raw.size() < kMaxRaw) {
            m_raw.append(data, std::min(n, kMaxRaw - m_raw.size()));
        }
    });
    for (;;) {
        std::string head;
        if (!conn.readUntil("\r\n\r\n", head, kMaxHead)) {
            break;
        }
        RecordedRequest req;
        req.connection = index;
        req.rawHead = head + "\r\n\r\n";
        if (!parseHead(head, req)) {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(std::move(req));
            m_changed.notify_all();
            break;
        }
        size_t slot;
        bool send100;
        {
            std::lock_guard lock(m_mutex);
            slot = m_requests.size();
            m_requests.push_back(req);
            send100 = m_send100Continue;
            m_changed.notify_all();
        }
        const std::string te = lower(req.header("Transfer-Encoding"));
        req.chunked = te.find("chunked") != std::string::npos;
        const bool hasLength = req.hasHeader("Content-Length");
        const uint64_t length =
            hasLength ? std::strtoull(req.header("Content-Length").c_str(), nullptr, 10) : 0;
        if (send100 && equalsIgnoreCase(req.header("Expect"), "100-continue") &&
            (req.chunked || length > 0)) {
            if (!conn.sendAll("HTTP/1.1 100 Continue\r\n\r\n")) {
                break;
            }
        }

        QCryptographicHash hash(QCryptographicHash::Sha256);
        uint64_t sinceUpdate = 0;
        auto sink = [&](std::string_view piece) {
            hash.addData(QByteArrayView(piece.data(), qsizetype(piece.size())));
            if (req.body.size() < RecordedRequest::kMaxStoredBody) {
                req.body.append(piece.substr(0, RecordedRequest::kMaxStoredBody - req.body.size()));
            }
            req.bodyBytes += piece.size();
            sinceUpdate += piece.size();
            if (sinceUpdate >= 1024 * 1024) {
                sinceUpdate = 0;
                std::lock_guard lock(m_mutex);
                if (slot < m_requests.size()) {
                    m_requests[slot].bodyBytes = req.bodyBytes;
                }
            }
        };
        bool ok = true;
        if (req.chunked) {
            for (;;) {
                std::string sizeLine;
                if (!conn.readUntil("\r\n", sizeLine, 4096)) {
                    ok = false;
                    break;
                }
                char* end = nullptr;
                const uint64_t size = std::strtoull(sizeLine.c_str(), &end, 16);
                if (end == sizeLine.c_str()) {
                    ok = false;
                    break;
                }
                if (size == 0) {
                    std::string trailer;
                    do {
                        ok = conn.readUntil("\r\n", trailer, 65536);
                    } while (ok && !trailer.empty());
                    break;
                }
                std::string crlf;
                auto appendCrlf = [&crlf](std::string_view p) { crlf.append(p); };
                if (!conn.readExact(size, sink) || !conn.readExact(2, appendCrlf) || crlf != "\r\n") {
                    ok = false;
                    break;
                }
            }
        } else if (length > 0) {
            ok = conn.readExact(length, sink);
        }
        req.bodySha256 = hash.result().toHex().toStdString();
        req.complete = ok;
        {
            std::lock_guard lock(m_mutex);
            if (slot < m_requests.size()) {
                m_requests[slot] = req;
            }
            m_changed.notify_all();
        }
        if (!ok) {
            break;
        }

        const UpstreamResponse resp = decide(req);
        if (resp.action == UpstreamResponse::Action::CloseWithoutAnswer) {
            break;
        }
        if (resp.action == UpstreamResponse::Action::NeverAnswer) {
            conn.holdUntilClosed();
            break;
        }
        if (resp.delay.count() > 0 && !conn.sleepFor(resp.delay)) {
            break;
        }
        if (resp.action == UpstreamResponse::Action::WebSocketEcho) {
            const std::string accept = webSocketAccept(req.header("Sec-WebSocket-Key"));
            const std::string handshake = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                          "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                                          accept + "\r\nX-Upstream: " + m_name + "\r\n\r\n";
            if (conn.sendAll(handshake)) {
                echoWebSocket(conn);
            }
            break;
        }

        const bool noBodyStatus =
            (resp.status >= 100 && resp.status < 200) || resp.status == 204 || resp.status == 304;
        const bool isHead = req.method == "HEAD";
        const bool clientWantsClose =
            lower(req.header("Connection")).find("close") != std::string::npos || req.version == "HTTP/1.0";
        const bool closeDelimited = resp.noContentLength && !noBodyStatus && !isHead;
        const bool close = resp.closeAfter || clientWantsClose || closeDelimited;
        std::string out =
            "HTTP/1.1 " + std::to_string(resp.status) + " " + reasonPhrase(resp.status) + "\r\n";
        out += "X-Upstream: " + m_name + "\r\n";
        for (const auto& [k, v] : resp.headers) {
            out += k + ": " + v + "\r\n";
        }
        if (!noBodyStatus && !resp.noContentLength) {
            out += resp.chunked ? std::string("Transfer-Encoding: chunked\r\n")
                                : "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
        }
        if (close && (resp.announceClose || !resp.closeAfter || clientWantsClose)) {
            out += "Connection: close\r\n";
        }
        out += "\r\n";
        if (!noBodyStatus && !isHead) {
            out += resp.chunked ? chunkedEncode(resp.body, std::max<size_t>(1, resp.chunkSize)) : resp.body;
        }
        if (!conn.sendAll(out) || close) {
            break;
        }
    }
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    std::lock_guard lock(m_mutex);
    --m_open;
    m_changed.notify_all();
}

uint16_t unusedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

} // namespace tollgate::test

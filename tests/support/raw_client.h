#pragma once
// Blocking HTTP/1.1 client over a plain POSIX socket, for integration tests that need to send exact
// (often malformed) bytes and read exactly what comes back. Every call takes a timeout.
// Thread safety: one RawClient per thread; distinct instances are independent.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tollgate::test {

using namespace std::chrono_literals;

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive ASCII comparison of header names.
bool equalsIgnoreCase(std::string_view a, std::string_view b);

struct HttpResponse {
    std::string version; // "HTTP/1.1"
    int status = 0;
    std::string reason;
    HeaderList headers;
    std::string body; // de-chunked
    bool chunked = false;
    std::string rawHead;               // status line and headers, up to and including the blank line
    std::vector<HttpResponse> interim; // 1xx responses received before this one

    // First value of a header (case-insensitive name), or "" when absent.
    std::string header(std::string_view name) const;
    bool hasHeader(std::string_view name) const;
    int headerCount(std::string_view name) const;
};

struct ReadOptions {
    std::chrono::milliseconds timeout = 10s;
    bool headRequest = false;   // the request was HEAD: no body whatever the headers say
    bool returnInterim = false; // return a 1xx response instead of collecting it into `interim`
};

class RawClient {
public:
    RawClient() = default;
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;
    RawClient(RawClient&& other) noexcept;
    RawClient& operator=(RawClient&& other) noexcept;

    // Connects to 127.0.0.1:port, from `sourceIp` (another loopback address such as "127.0.0.2", to
    // appear as another client) when given. False (with lastError()) when refused or timed out.
    bool connect(uint16_t port, std::chrono::milliseconds timeout = 5s, const std::string& sourceIp = {});
    bool isConnected() const { return m_fd >= 0; }
    void close();
    // Half-closes the sending side (the peer reads EOF).
    void shutdownWrite();

    // Writes all bytes; false if the peer closed or the timeout passed.
    bool send(std::string_view bytes, std::chrono::milliseconds timeout = 10s);

    // Reads one complete response (status line, headers, body by Content-Length, chunked or
    // close-delimited). nullopt on timeout, close before a complete response, or a malformed response;
    // lastError() says which.
    std::optional<HttpResponse> readResponse(const ReadOptions& options = {});
    std::optional<HttpResponse> readResponse(std::chrono::milliseconds timeout) {
        return readResponse(ReadOptions{timeout});
    }

    // Reads exactly n bytes (after any buffered ones); nullopt on timeout or close.
    std::optional<std::string> readBytes(size_t n, std::chrono::milliseconds timeout = 10s);

    // True if the peer closes the connection (EOF or reset) within the timeout. Bytes received meanwhile
    // are kept in pending().
    bool waitForClose(std::chrono::milliseconds timeout = 5s);

    // Reads whatever arrives until `quiet` passes without data, the peer closes, `maxBytes` have
    // arrived or `maxTotal` has passed, and returns it, including bytes already buffered.
    std::string readAvailable(std::chrono::milliseconds quiet = 200ms, size_t maxBytes = 1 << 20,
                              std::chrono::milliseconds maxTotal = 5s);

    // Bytes received but not yet consumed by readResponse.
    const std::string& pending() const { return m_buffer; }
    // True once the peer closed (EOF or reset was seen).
    bool peerClosed() const { return m_peerClosed; }
    const std::string& lastError() const { return m_error; }

private:
    // Reads more bytes into m_buffer until `deadline`; false on timeout, EOF or error.
    bool fill(std::chrono::steady_clock::time_point deadline);

    int m_fd = -1;
    std::string m_buffer;
    bool m_peerClosed = false;
    std::string m_error;
};

// Builds a request: "METHOD target HTTP/1.1", Host (unless given in headers), the headers, and a
// Content-Length for a non-empty body (unless headers already frame it).
std::string buildRequest(std::string_view method, std::string_view target, const HeaderList& headers = {},
                         std::string_view body = {}, std::string_view host = "gateway.test");

// Connects, sends the bytes, reads one response and closes. nullopt on any failure; then
// lastRoundTripError() (per thread) says what went wrong.
std::optional<HttpResponse> roundTrip(uint16_t port, std::string_view request,
                                      std::chrono::milliseconds timeout = 10s, bool headRequest = false);
const std::string& lastRoundTripError();

// Encodes bytes as chunked transfer-coding with chunks of at most `chunkSize` bytes, with the last chunk.
std::string chunkedEncode(std::string_view body, size_t chunkSize = 1024);

// A WebSocket frame with FIN set; client frames are masked (RFC 6455 5.3).
std::string webSocketFrame(int opcode, std::string_view payload, bool masked = true);

struct WebSocketFrame {
    bool fin = false;
    int opcode = 0;
    bool masked = false;
    std::string payload; // unmasked
};
// Reads one frame from the client's connection.
std::optional<WebSocketFrame> readWebSocketFrame(RawClient& client, std::chrono::milliseconds timeout = 10s);

// Hex SHA-256 of bytes (lower case).
std::string sha256Hex(std::string_view bytes);

} // namespace tollgate::test

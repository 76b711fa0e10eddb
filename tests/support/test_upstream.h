#pragma once
// A real HTTP/1.1 server on 127.0.0.1 (port 0) for integration tests: plain POSIX sockets, one
// std::thread accepting and one per connection. It records every request and every byte it receives,
// counts connections, and answers as a test configures it: fixed responses, delays, chunked bodies,
// closing or never answering, or a minimal WebSocket echo.
// Thread safety: every public method may be called from any thread while the server runs.

#include "raw_client.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tollgate::test {

struct RecordedRequest {
    int connection = 0; // 1-based index of the accepted connection it came on
    std::string method;
    std::string target; // as received: path and query
    std::string version;
    HeaderList headers; // in order, as received
    std::string rawHead;
    std::string body;       // de-chunked; only the first kMaxStoredBody bytes
    uint64_t bodyBytes = 0; // full de-chunked length
    std::string bodySha256; // hex, over the whole body
    bool chunked = false;   // the body came with Transfer-Encoding: chunked
    bool complete = false;  // the whole body arrived

    static constexpr size_t kMaxStoredBody = 4 * 1024 * 1024;

    std::string header(std::string_view name) const; // first value, "" when absent
    bool hasHeader(std::string_view name) const;
    int headerCount(std::string_view name) const;
    std::string path() const;  // target up to '?'
    std::string query() const; // after '?', "" when none
};

struct UpstreamResponse {
    enum class Action {
        Respond,            // send the response below
        CloseWithoutAnswer, // close the connection after reading the request
        NeverAnswer,        // read the request, then hold the connection open until the test ends
        WebSocketEcho,      // 101 handshake, then echo every frame
    };
    Action action = Action::Respond;
    int status = 200;
    HeaderList headers;   // X-Upstream: <name> is always added
    std::string body;     // not sent for HEAD, 1xx, 204, 304
    bool chunked = false; // Transfer-Encoding: chunked, in chunks of chunkSize bytes
    size_t chunkSize = 1000;
    bool noContentLength = false;       // send neither Content-Length nor chunked (close-delimited or none)
    std::chrono::milliseconds delay{0}; // before the response head
    bool closeAfter = false;            // close the connection after the response
    bool announceClose = true;          // with closeAfter: send "Connection: close" (false: close silently)
};

class TestUpstream {
public:
    using Handler = std::function<UpstreamResponse(const RecordedRequest&)>;

    // Binds 127.0.0.1:0 and starts serving. `name` goes into X-Upstream and default bodies.
    explicit TestUpstream(std::string name = "upstream");
    ~TestUpstream(); // stops and joins every thread
    TestUpstream(const TestUpstream&) = delete;
    TestUpstream& operator=(const TestUpstream&) = delete;

    uint16_t port() const { return m_port; }
    std::string url() const; // "http://127.0.0.1:PORT"
    const std::string& name() const { return m_name; }

    // Every request gets this response (the default is 200 with body "<name> <METHOD> <target>").
    void setResponse(const UpstreamResponse& response);
    // Decides per request; called on connection threads, so it must be thread-safe.
    void setHandler(Handler handler);
    // Answers every request with the default body, then closes the connection, with "Connection:
    // close" when `announce`, silently otherwise (the case a pooled connection must survive).
    void closeAfterEachResponse(bool announce);
    // Answer "Expect: 100-continue" with an interim 100 before reading the body (default true).
    void setSend100Continue(bool on);

    std::vector<RecordedRequest> requests() const;
    size_t requestCount() const;
    int connectionCount() const;     // accepted so far
    int openConnections() const;     // open right now
    uint64_t bytesReceived() const;  // every byte read from every connection
    std::string rawReceived() const; // the first 1 MiB of bytes received, across connections

    // Waits until at least n requests have been recorded (head received).
    bool waitForRequests(size_t n, std::chrono::milliseconds timeout = 10s) const;
    // Waits until at least n recorded requests have their complete body.
    bool waitForCompleteRequests(size_t n, std::chrono::milliseconds timeout = 10s) const;
    // Forgets recorded requests and counters.
    void clear();

private:
    void acceptLoop();
    void serveConnection(int fd, int index);
    UpstreamResponse decide(const RecordedRequest& request);

    const std::string m_name;
    int m_listenFd = -1;
    uint16_t m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptThread;

    mutable std::mutex m_mutex; // guards everything below
    mutable std::condition_variable m_changed;
    std::vector<std::thread> m_connectionThreads;
    std::vector<RecordedRequest> m_requests;
    Handler m_handler;
    bool m_send100Continue = true;
    int m_connections = 0;
    int m_open = 0;
    uint64_t m_bytes = 0;
    std::string m_raw;
};

// A port on 127.0.0.1 with nothing listening (bound, then released).
uint16_t unusedPort();

} // namespace tollgate::test

#pragma once
// Feeds every GET /traffic/stream subscriber from one poller on the admin thread: a timer reads the
// engine's new records (Engine::recordsSince never blocks), renders each record once as a Server-Sent
// Event and hands the bytes to each subscriber. A subscriber that cannot keep up is cut off by its
// sink (bounded buffer), so a slow reader never holds records back from the others or the gateway.
// Thread safety: the admin thread only.

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate {
class Engine;
struct RequestRecord;
} // namespace tollgate

namespace tollgate::admin {

// Where a subscriber's bytes go: the streaming connection.
class StreamSink {
public:
    virtual ~StreamSink() = default;
    // Queues bytes; false once the sink is closed (by its client, or cut off for a full buffer).
    virtual bool push(std::string_view bytes) = 0;
    virtual bool isOpen() const = 0;
};

class TrafficHub {
public:
    TrafficHub(const Engine& engine, asio::io_context& io, std::chrono::milliseconds pollInterval,
               std::chrono::milliseconds keepAliveInterval);

    // From now on `sink` receives every new record. With `lastEventId` (the SSE Last-Event-ID), the
    // records after it that the engine still keeps come first.
    void subscribe(std::shared_ptr<StreamSink> sink, std::optional<uint64_t> lastEventId);
    void stop();
    size_t subscribers() const { return m_subscribers.size(); }

    // "id: SEQ\nevent: request\ndata: JSON\n\n"
    static void appendEvent(std::string& out, const RequestRecord& record);

private:
    void schedule();
    void tick();
    // Sends every record newer than m_cursor to the subscribers (and a keep-alive comment when due and
    // there was nothing to send). Returns true if there were records.
    bool deliverPending(bool keepAliveDue);
    // Moves m_cursor past every record the engine holds now, without delivering them.
    void skipToNewest();

    const Engine& m_engine;
    asio::steady_timer m_timer;
    const std::chrono::milliseconds m_pollInterval;
    const std::chrono::milliseconds m_keepAliveInterval;
    std::chrono::steady_clock::time_point m_lastKeepAlive;
    std::vector<std::shared_ptr<StreamSink>> m_subscribers; // each has every record up to m_cursor
    uint64_t m_cursor = 0;
    bool m_polling = false;
    bool m_stopped = false;
};

} // namespace tollgate::admin

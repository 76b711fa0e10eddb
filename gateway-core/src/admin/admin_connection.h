#pragma once
// One client connection of the admin API: reads a request head (the core's strict parser), checks the
// token before reading any body, routes, answers, and keeps the connection for the next request.
// GET /traffic/stream turns it into a Server-Sent Events stream fed by the hub.
// Thread safety: the admin thread only.

#include "admin/admin_message.h"
#include "admin/admin_router.h"
#include "admin/traffic_hub.h"

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <string>

namespace tollgate::admin {

struct AdminContext;

class AdminConnection : public StreamSink, public std::enable_shared_from_this<AdminConnection> {
public:
    AdminConnection(asio::ip::tcp::socket socket, AdminContext& context);

    void start();
    // Idempotent; drops queued output.
    void close();

    bool push(std::string_view bytes) override;
    bool isOpen() const override { return !m_closed; }

private:
    enum class State { Head, Body, Responding, Streaming };
    enum class Phase { Idle, Head, Body };

    void readSome();
    void onRead(const asio::error_code& ec, size_t n);
    void process();
    bool takeHead(); // false when the head was answered (error) or needs more bytes
    void dispatch();
    AdminResponse handle();
    void respond(const AdminResponse& response, bool keepAlive);
    void startStream();
    void arm(Phase phase);
    void send(std::string bytes);
    void writeNext();

    asio::ip::tcp::socket m_socket;
    asio::steady_timer m_timer;
    AdminContext& m_context;
    State m_state = State::Head;
    Phase m_phase = Phase::Idle;
    uint64_t m_timerGeneration = 0;
    std::string m_in;
    std::array<char, 16 * 1024> m_chunk{};
    bool m_reading = false;
    std::string m_out;     // queued, not yet handed to the socket
    std::string m_writing; // being written
    bool m_writeInFlight = false;
    bool m_closeAfterWrite = false;
    bool m_closed = false;

    // The request being read.
    AdminRequest m_request;
    RouteMatch m_route;
    size_t m_bodyLength = 0;
    bool m_keepAlive = true;
    bool m_expectContinue = false;
};

} // namespace tollgate::admin

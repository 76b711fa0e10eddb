#pragma once
// The admin API server: its own listener and its own thread running one Asio io_context, so management
// calls never run on (or wait for) the gateway's workers. Strict HTTP/1.1 with small limits, a bearer
// token on every call, JSON in and out. See docs/admin-api.md.
// Thread safety: start() and stop() from the controlling thread; the rest runs on the admin thread.

#include "admin/admin_token.h"
#include "tollgate/config.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace tollgate {
class Engine;
}

namespace tollgate::admin {

struct AdminServerOptions {
    ListenAddress listen;
    size_t maxConnections = 64;
    size_t maxHeadBytes = 16 * 1024;          // 431 beyond it
    size_t maxConfigBytes = 16 * 1024 * 1024; // PUT /config body, 413 beyond it
    size_t maxOtherBodyBytes = 64 * 1024;     // any other body, 413 beyond it
    std::chrono::milliseconds headTimeout{10'000};
    std::chrono::milliseconds bodyTimeout{60'000};
    std::chrono::milliseconds idleTimeout{60'000};
    std::chrono::milliseconds streamPollInterval{100};
    std::chrono::milliseconds streamKeepAlive{15'000};
    size_t maxStreamBacklogBytes = 1024 * 1024; // a subscriber further behind is cut off
};

class AdminServer {
public:
    AdminServer(Engine& engine, AdminToken token, AdminServerOptions options);
    ~AdminServer(); // stops
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    // Binds and starts the admin thread; false with a message when the address cannot be bound.
    bool start(std::string& error);
    // Closes the listener and every connection (streams included), then joins the thread.
    void stop();
    // The bound port (the real one when 0 was asked); 0 before start().
    uint16_t port() const;
    std::string url() const;

    struct State;

private:
    std::unique_ptr<State> m_state;
};

} // namespace tollgate::admin

#pragma once
// One connection to an upstream target. Owned by a client connection while it carries a
// request, otherwise parked in its target's idle list. It keeps exactly one read-readiness wait
// armed while parked so that an upstream closing an idle connection is noticed at once.
// Worker thread only.

#include "server/buffer_pool.h"
#include "upstream/target_runtime.h"

#include <asio/ip/tcp.hpp>

namespace tollgate::server {
class ClientConnection;
class Worker;
} // namespace tollgate::server

namespace tollgate::upstream {

class UpstreamConnection {
public:
    UpstreamConnection(server::Worker& worker, TargetRuntime& target);
    ~UpstreamConnection();

    asio::ip::tcp::socket& socket() { return m_socket; }
    TargetRuntime& target() { return m_target; }
    server::Buffer& buffer() { return m_buffer; }
    server::Worker& worker() { return m_worker; }

    server::ClientConnection* owner = nullptr;
    bool connected = false;
    uint32_t requests = 0; // requests carried so far (0: fresh connection)

    // Arms a wait for readability / writability; the event goes to the owner, or, while parked,
    // closes the connection.
    // Connects; the owner's onConnected() gets the result.
    void connect(const asio::ip::tcp::endpoint& endpoint);
    void waitRead();
    void waitWrite();
    bool readArmed() const { return m_readArmed; }

    // Parks in the target's idle list (owner must be cleared by the caller first).
    void park(uint32_t maxIdle);
    // Removes from the idle list and hands to `client`.
    static UpstreamConnection* takeIdle(TargetRuntime& target, server::ClientConnection* client);
    // Closes the socket; the object deletes itself once no wait is pending.
    void close();

private:
    void onEvent(bool read, const asio::error_code& ec);
    void finalizeIfDone();
    void unlinkIdle();

    server::Worker& m_worker;
    TargetRuntime& m_target;
    asio::ip::tcp::socket m_socket;
    server::Buffer m_buffer;
    UpstreamConnection* m_idlePrev = nullptr;
    UpstreamConnection* m_idleNext = nullptr;
    bool m_parked = false;
    bool m_closed = false;
    bool m_readArmed = false;
    bool m_writeArmed = false;
    int m_pending = 0;
};

} // namespace tollgate::upstream

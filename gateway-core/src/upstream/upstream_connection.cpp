#include "upstream/upstream_connection.h"

#include "server/client_connection.h"
#include "server/worker.h"

namespace tollgate::upstream {

UpstreamConnection::UpstreamConnection(server::Worker& worker, TargetRuntime& target)
    : m_worker(worker), m_target(target), m_socket(worker.io()) {}

UpstreamConnection::~UpstreamConnection() {
    m_worker.buffers().release(m_buffer);
}

void UpstreamConnection::connect(const asio::ip::tcp::endpoint& endpoint) {
    ++m_pending;
    m_socket.async_connect(endpoint, [this](const asio::error_code& ec) {
        --m_pending;
        if (m_closed) {
            finalizeIfDone();
            return;
        }
        if (!ec) {
            asio::error_code ignored;
            m_socket.set_option(asio::ip::tcp::no_delay(true), ignored);
            m_socket.non_blocking(true, ignored);
            connected = true;
        }
        if (owner) {
            owner->onConnected(ec);
        } else {
            close();
            finalizeIfDone();
        }
    });
}

void UpstreamConnection::waitRead() {
    if (m_readArmed || m_closed) {
        return;
    }
    m_readArmed = true;
    ++m_pending;
    m_socket.async_wait(asio::socket_base::wait_read,
                        [this](const asio::error_code& ec) { onEvent(true, ec); });
}

void UpstreamConnection::waitWrite() {
    if (m_writeArmed || m_closed) {
        return;
    }
    m_writeArmed = true;
    ++m_pending;
    m_socket.async_wait(asio::socket_base::wait_write,
                        [this](const asio::error_code& ec) { onEvent(false, ec); });
}

void UpstreamConnection::onEvent(bool read, const asio::error_code& ec) {
    --m_pending;
    (read ? m_readArmed : m_writeArmed) = false;
    if (m_closed) {
        finalizeIfDone();
        return;
    }
    if (owner) {
        if (read) {
            owner->onUpstreamReadable(ec);
        } else {
            owner->onUpstreamWritable(ec);
        }
        return;
    }
    // Parked: any readiness means the upstream closed the connection or sent bytes nobody
    // asked for; either way it cannot carry another request.
    close();
    finalizeIfDone();
}

void UpstreamConnection::park(uint32_t maxIdle) {
    if (m_target.idleCount >= maxIdle || !m_buffer.empty()) {
        close();
        return;
    }
    m_worker.buffers().release(m_buffer);
    m_parked = true;
    m_idlePrev = nullptr;
    m_idleNext = m_target.idleHead;
    if (m_idleNext) {
        m_idleNext->m_idlePrev = this;
    }
    m_target.idleHead = this;
    ++m_target.idleCount;
    waitRead();
}

UpstreamConnection* UpstreamConnection::takeIdle(TargetRuntime& target, server::ClientConnection* client) {
    UpstreamConnection* c = target.idleHead;
    if (!c) {
        return nullptr;
    }
    c->unlinkIdle();
    c->owner = client;
    return c;
}

void UpstreamConnection::unlinkIdle() {
    if (!m_parked) {
        return;
    }
    if (m_idlePrev) {
        m_idlePrev->m_idleNext = m_idleNext;
    } else {
        m_target.idleHead = m_idleNext;
    }
    if (m_idleNext) {
        m_idleNext->m_idlePrev = m_idlePrev;
    }
    m_idlePrev = m_idleNext = nullptr;
    m_parked = false;
    --m_target.idleCount;
}

void UpstreamConnection::close() {
    if (m_closed) {
        return;
    }
    unlinkIdle();
    owner = nullptr;
    m_closed = true;
    asio::error_code ignored;
    m_socket.close(ignored);
    m_worker.buffers().release(m_buffer);
    // Deleting here could pull the object from under a caller further up the stack; the posted
    // step runs after every cancelled wait has completed.
    ++m_pending;
    asio::post(m_worker.io(), [this] {
        --m_pending;
        finalizeIfDone();
    });
}

void UpstreamConnection::finalizeIfDone() {
    if (m_closed && m_pending == 0) {
        delete this;
    }
}

} // namespace tollgate::upstream

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

size_t UpstreamConnection::read(char* p, size_t n, asio::error_code& ec) {
    if (m_drained) {
        ec = asio::error::would_block;
        return 0;
    }
    const size_t got = m_socket.read_some(asio::buffer(p, n), ec);
    m_drained = ec == asio::error::would_block;
    return got;
}

void UpstreamConnection::waitRead() {
    if (m_readWait.armed() || m_closed) {
        return;
    }
    ++m_pending;
    m_readWait.arm(m_worker.reactor(), m_socket);
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
    if (read) {
        m_drained = false; // an edge (or an error): there may be bytes again
    } else {
        m_writeArmed = false;
    }
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
    // Parked: readiness means the upstream closed the connection or sent bytes nobody asked
    // for; either way it cannot carry another request. A wait also completes for an edge whose
    // bytes were already read, so look before closing.
    if (read && !ec && quiet()) {
        waitRead();
        return;
    }
    close();
    finalizeIfDone();
}

bool UpstreamConnection::quiet() {
    if (m_drained) {
        return true;
    }
    char c;
    asio::error_code ec;
    m_socket.receive(asio::buffer(&c, 1), asio::socket_base::message_peek, ec);
    m_drained = ec == asio::error::would_block;
    return m_drained;
}

void UpstreamConnection::park(uint32_t maxIdle) {
    // A FIN that came with the response's last bytes raised no edge of its own, so the read
    // wait armed below would not see it: look once now. This also tells the next request that
    // nothing is waiting to be read, so it waits for the response without a read that would block.
    if (m_target.idleCount >= maxIdle || !m_buffer.empty() || !quiet()) {
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

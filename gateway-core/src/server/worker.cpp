#include "server/worker.h"

#include "server/client_connection.h"
#include "server/tls_client_connection.h"
#include "upstream/upstream_connection.h"

#include <asio/post.hpp>
#include <pthread.h>

namespace tollgate::server {

namespace {
constexpr auto kTick = std::chrono::milliseconds(50);
// Buffer blocks unused for this many ticks (250 ms) give their pages back (BufferPool::trim).
constexpr int kTrimEveryTicks = 5;
// Accepted straight into the connection's socket type, with no conversion.
using ClientSocket = ClientConnection::Socket;
} // namespace

Worker::Worker(int index, uint32_t bufferSize)
    // All I/O of this io_context happens on its own thread, so the reactor needs no locks; the
    // scheduler keeps its lock because the controller posts to it.
    : m_index(index), m_io(ASIO_CONCURRENCY_HINT_UNSAFE_IO),
      m_reactor(asio::use_service<asio::detail::reactor>(m_io)), m_tick(m_io), m_buffers(bufferSize) {}

Worker::~Worker() {
    if (m_thread.joinable()) {
        stopAndJoin();
    }
}

void Worker::addAcceptor(asio::ip::tcp::acceptor acceptor, bool tls) {
    m_acceptors.push_back(std::make_unique<asio::ip::tcp::acceptor>(std::move(acceptor)));
    m_acceptorTls.push_back(tls);
}

void Worker::start(std::shared_ptr<const Snapshot> snapshot) {
    adopt(std::move(snapshot));
    for (size_t i = 0; i < m_acceptors.size(); ++i) {
        accept(i);
    }
    tick();
    m_thread = std::thread([this] {
        const std::string name = "tg-worker-" + std::to_string(m_index);
        pthread_setname_np(pthread_self(), name.c_str());
        m_io.run();
    });
}

void Worker::adoptLater(std::shared_ptr<const Snapshot> snapshot) {
    asio::post(m_io, [this, s = std::move(snapshot)]() mutable { adopt(std::move(s)); });
}

void Worker::adopt(std::shared_ptr<const Snapshot> snapshot) {
    m_snapshot = std::move(snapshot);
    m_requestSlots.dropSnapshots(m_snapshot.get());
    m_services.clear();
    m_services.reserve(m_snapshot->services.size());
    for (const CompiledService& cs : m_snapshot->services) {
        ServiceRuntime rt;
        rt.balancer = std::make_unique<upstream::Balancer>(cs.config->balance, cs.weights);
        for (const CompiledTarget& t : cs.targets) {
            rt.targets.push_back(&target(t.key));
        }
        rt.scratch.resize(cs.targets.size());
        m_services.push_back(std::move(rt));
    }
}

ServiceRuntime* Worker::service(const Snapshot* snap, int serviceIndex) {
    if (snap != m_snapshot.get() || serviceIndex < 0 || size_t(serviceIndex) >= m_services.size()) {
        return nullptr;
    }
    return &m_services[serviceIndex];
}

upstream::TargetRuntime& Worker::target(const std::string& key) {
    auto& slot = m_targets[key];
    if (!slot) {
        slot = std::make_unique<upstream::TargetRuntime>();
        slot->key = key;
    }
    return *slot;
}

void Worker::accept(size_t i) {
    m_acceptors[i]->async_accept(m_io, [this, i](const asio::error_code& ec, ClientSocket socket) {
        if (ec == asio::error::operation_aborted || m_draining) {
            return;
        }
        if (!ec) {
            m_telemetry.counters.connectionsAccepted.add();
            if (!m_acceptorTls[i]) {
                auto* c = new ClientConnection(*this, std::move(socket));
                c->start();
            } else if (const auto& tls = m_snapshot->tls) {
                // The connection keeps the context it started with across reloads.
                if (SSL* ssl = tls->newSession(socket.native_handle())) {
                    auto* c = new TlsClientConnection(*this, std::move(socket), tls, ssl);
                    c->start();
                }
            }
        }
        // EMFILE and friends: keep accepting; the tick gives descriptors a chance to free up.
        accept(i);
    });
}

void Worker::link(ClientConnection* c) {
    c->prev = nullptr;
    c->next = m_connections;
    if (m_connections) {
        m_connections->prev = c;
    }
    m_connections = c;
    m_telemetry.counters.connectionsOpen.add();
}

void Worker::unlink(ClientConnection* c) {
    if (c->prev) {
        c->prev->next = c->next;
    } else if (m_connections == c) {
        m_connections = c->next;
    }
    if (c->next) {
        c->next->prev = c->prev;
    }
    c->prev = c->next = nullptr;
    m_telemetry.counters.connectionsOpen.sub();
}

void Worker::tick() {
    const auto now = pipeline::Clock::now();
    m_now = now;
    m_wallOffsetMicros =
        std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count() -
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    for (ClientConnection* c = m_connections; c;) {
        ClientConnection* next = c->next; // checkDeadline may close c, which unlinks it later
        c->checkDeadline(now);
        c = next;
    }
    if (++m_ticksSinceTrim == kTrimEveryTicks) {
        m_ticksSinceTrim = 0;
        m_buffers.trim();
    }
    m_tick.expires_after(kTick);
    m_tick.async_wait([this](const asio::error_code& ec) {
        if (!ec && !m_stopping) {
            tick();
        }
    });
}

void Worker::drainLater() {
    asio::post(m_io, [this] { shutDown(false); });
}

void Worker::shutDown(bool abortBusy) {
    m_draining = true;
    for (auto& a : m_acceptors) {
        asio::error_code ignored;
        a->close(ignored);
    }
    for (ClientConnection* c = m_connections; c;) {
        ClientConnection* next = c->next; // c may be gone after the call
        if (abortBusy) {
            c->abort();
        } else {
            c->drain();
        }
        c = next;
    }
    closeIdleUpstreams();
}

void Worker::closeIdleUpstreams() {
    for (auto& [key, t] : m_targets) {
        while (t->idleHead) {
            t->idleHead->close();
        }
    }
}

void Worker::stopAndJoin() {
    asio::post(m_io, [this] {
        shutDown(true);
        m_tick.cancel();
        // With acceptors, connections and the tick gone, run() returns once the cancelled
        // handlers have completed and freed their objects.
        m_stopping = true;
    });
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

} // namespace tollgate::server

#pragma once
// One event-loop thread: its io_context, acceptors, client connections, upstream pools and
// telemetry. Everything here is touched only by the worker's own thread, except the few
// methods marked "controller thread" (which post to the loop) and telemetry reads.

#include "pipeline/request_context.h"
#include "server/buffer_pool.h"
#include "server/read_wait.h"
#include "server/request_slot.h"
#include "server/snapshot.h"
#include "server/telemetry.h"
#include "upstream/balancer.h"
#include "upstream/target_runtime.h"

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace tollgate::server {

class ClientConnection;

// The worker's runtime view of one service of its current snapshot.
struct ServiceRuntime {
    std::unique_ptr<upstream::Balancer> balancer;
    std::vector<upstream::TargetRuntime*> targets;
    std::vector<upstream::TargetState> scratch; // reused by every pick
};

class Worker {
public:
    Worker(int index, uint32_t bufferSize);
    ~Worker();

    // Controller thread, before start(): an acceptor already bound on this worker's io_context.
    asio::io_context& io() { return m_io; }
    // `tls`: an HTTPS listener, served with the current snapshot's TlsServerContext.
    void addAcceptor(asio::ip::tcp::acceptor acceptor, bool tls = false);
    void start(std::shared_ptr<const Snapshot> snapshot);
    // Controller thread: posts the new snapshot to the loop.
    void adoptLater(std::shared_ptr<const Snapshot> snapshot);
    // Controller thread: stop accepting; idle connections close, busy ones after their response.
    void drainLater();
    // Controller thread: close everything now, stop the loop and join the thread.
    void stopAndJoin();
    // Any thread: requests currently being processed.
    size_t busy() const { return m_busy.load(std::memory_order_relaxed); }
    WorkerTelemetry& telemetry() { return m_telemetry; }

    // Worker thread only below.
    int index() const { return m_index; }
    BufferPool& buffers() { return m_buffers; }
    RequestSlotPool& requestSlots() { return m_requestSlots; }
    // The io_context's reactor, for ReadWait (server/read_wait.h).
    asio::detail::reactor& reactor() { return m_reactor; }
    const std::shared_ptr<const Snapshot>& snapshot() const { return m_snapshot; }
    // Runtime of a service of the current snapshot; nullptr if `snap` is no longer current.
    ServiceRuntime* service(const Snapshot* snap, int serviceIndex);
    upstream::TargetRuntime& target(const std::string& key);
    bool draining() const { return m_draining; }
    // A recent time (refreshed by the tick and whenever a request starts), good enough for
    // deadlines; saves a clock read per deadline change.
    pipeline::Clock::time_point now() const { return m_now; }
    void setNow(pipeline::Clock::time_point t) { m_now = t; }
    // Wall-clock microseconds for a steady time point, from an offset the tick refreshes.
    int64_t unixMicros(pipeline::Clock::time_point t) const {
        return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count() +
               m_wallOffsetMicros;
    }
    // Scratch heads shared by the worker's connections, used only synchronously.
    http::RequestHead& requestHead() { return m_requestHead; }
    http::ResponseHead& responseHead() { return m_responseHead; }
    void link(ClientConnection* c);
    void unlink(ClientConnection* c);
    void requestStarted() {
        m_busy.store(m_busy.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    void requestFinished() {
        m_busy.store(m_busy.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
    }

private:
    void adopt(std::shared_ptr<const Snapshot> snapshot);
    void accept(size_t i);
    void tick();
    void closeIdleUpstreams();
    // Stops accepting and closes idle connections; busy ones finish (drain) or close now (abort).
    void shutDown(bool abortBusy);

    int m_index;
    asio::io_context m_io;
    asio::detail::reactor& m_reactor;
    std::thread m_thread;
    asio::steady_timer m_tick;
    std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> m_acceptors;
    std::vector<bool> m_acceptorTls; // parallel to m_acceptors
    BufferPool m_buffers;
    RequestSlotPool m_requestSlots;
    WorkerTelemetry m_telemetry;
    std::shared_ptr<const Snapshot> m_snapshot;
    std::vector<ServiceRuntime> m_services;
    std::unordered_map<std::string, std::unique_ptr<upstream::TargetRuntime>> m_targets;
    ClientConnection* m_connections = nullptr; // intrusive list of open client connections
    std::atomic<size_t> m_busy{0};
    bool m_draining = false;
    bool m_stopping = false;
    int m_ticksSinceTrim = 0;
    pipeline::Clock::time_point m_now = pipeline::Clock::now();
    int64_t m_wallOffsetMicros = 0;
    http::RequestHead m_requestHead;
    http::ResponseHead m_responseHead;
};

} // namespace tollgate::server

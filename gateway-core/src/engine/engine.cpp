#include "tollgate/engine.h"

#include "engine/engine_impl.h"

#include <asio/ip/tcp.hpp>

#include <sys/socket.h>

#include <atomic>
#include <mutex>
#include <thread>

namespace tollgate {

std::string BoundListener::url() const {
    const bool v6 = host.find(':') != std::string::npos;
    return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Engine::Engine() : m_impl(std::make_unique<Impl>()) {}

Engine::~Engine() {
    if (m_impl->running) {
        stop(std::chrono::milliseconds(0));
    }
}

namespace {

// Listening socket with SO_REUSEPORT, so every worker has its own accept queue on the same port
// and the kernel spreads connections between them.
bool openAcceptor(asio::ip::tcp::acceptor& a, const asio::ip::tcp::endpoint& ep, std::string& error) {
    asio::error_code ec;
    a.open(ep.protocol(), ec);
    if (!ec) {
        a.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        int one = 1;
        if (::setsockopt(a.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
            ec = asio::error_code(errno, asio::system_category());
        }
    }
    if (!ec) {
        a.bind(ep, ec);
    }
    if (!ec) {
        a.listen(4096, ec);
    }
    if (!ec) {
        a.non_blocking(true, ec);
    }
    if (ec) {
        error = "cannot listen on " + ep.address().to_string() + ":" + std::to_string(ep.port()) + ": " +
                ec.message();
        return false;
    }
    return true;
}

} // namespace

bool Engine::start(const Config& config, std::string& error, int workersOverride) {
    if (m_impl->running) {
        error = "already running";
        return false;
    }
    if (!m_impl->persister && !m_impl->openStore(config, error)) {
        return false;
    }
    auto snapshot = m_impl->compile(config, error);
    if (!snapshot) {
        return false;
    }
    int n = workersOverride > 0 ? workersOverride : config.gateway.workers;
    if (n <= 0) {
        n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }
    const uint32_t bufferSize = 16 * 1024;
    std::vector<std::unique_ptr<server::Worker>> workers;
    for (int i = 0; i < n; ++i) {
        workers.push_back(std::make_unique<server::Worker>(i, bufferSize));
    }
    std::vector<BoundListener> bound;
    for (const bool tls : {false, true}) {
        for (const ListenAddress& la : tls ? config.gateway.tls.listen : config.gateway.listen) {
            asio::error_code ec;
            const auto addr = asio::ip::make_address(la.host == "localhost" ? "127.0.0.1" : la.host, ec);
            if (ec) {
                error =
                    std::string(tls ? "gateway.tls.listen" : "gateway.listen") + ": bad address " + la.text;
                return false;
            }
            asio::ip::tcp::endpoint ep(addr, la.port);
            for (int i = 0; i < n; ++i) {
                asio::ip::tcp::acceptor a(workers[i]->io());
                if (!openAcceptor(a, ep, error)) {
                    return false;
                }
                if (i == 0) {
                    ep = a.local_endpoint(); // a port of 0 becomes the real one for every worker
                    bound.push_back({tls ? "https" : "http", ep.address().to_string(), ep.port()});
                }
                workers[i]->addAcceptor(std::move(a), tls);
            }
        }
    }
    std::vector<server::RecordRing*> rings;
    std::vector<server::HeaderCaptureRing*> captures;
    for (auto& w : workers) {
        rings.push_back(&w->telemetry().ring);
        w->telemetry().capture.follow(m_impl->headerCapture);
        captures.push_back(&w->telemetry().capture);
    }
    recording::AggregateWriter* writer = m_impl->writer.get();
    m_impl->recorder = std::make_unique<recording::Recorder>(
        std::move(rings),
        [writer](std::vector<recording::AggregateDelta>&& d) { writer->submit(std::move(d)); }, 10'000,
        std::move(captures));
    m_impl->writer->start();
    m_impl->recorder->setAccessLogPath(config.gateway.accessLog);
    m_impl->recorder->start();
    for (auto& w : workers) {
        w->start(snapshot);
    }
    m_impl->persister->start();
    m_impl->startedAt = std::chrono::system_clock::now();
    m_impl->startedSteady = std::chrono::steady_clock::now();
    m_impl->workers = std::move(workers);
    m_impl->listeners = std::move(bound);
    std::lock_guard lock(m_impl->configMutex);
    m_impl->current = snapshot;
    m_impl->running = true;
    return true;
}

bool Engine::apply(const Config& config, std::string& error) {
    std::lock_guard serialized(m_impl->applyMutex);
    if (!m_impl->running) {
        error = "not running";
        return false;
    }
    auto snapshot = m_impl->compile(config, error);
    if (!snapshot) {
        return false;
    }
    for (auto& w : m_impl->workers) {
        w->adoptLater(snapshot);
    }
    std::vector<std::string> before, after;
    const Config& old = m_impl->current->config;
    for (const auto& l : old.gateway.listen) {
        before.push_back(l.text);
    }
    for (const auto& l : old.gateway.tls.listen) {
        before.push_back("tls " + l.text);
    }
    for (const auto& l : config.gateway.listen) {
        after.push_back(l.text);
    }
    for (const auto& l : config.gateway.tls.listen) {
        after.push_back("tls " + l.text);
    }
    error.clear();
    if (before != after) {
        error = "gateway.listen changed: the new listeners take effect after a restart";
    }
    if (config.gateway.store != old.gateway.store) {
        error += std::string(error.empty() ? "" : "; ") +
                 "gateway.store changed: the new store is used after a restart";
    }
    m_impl->recorder->setAccessLogPath(config.gateway.accessLog);
    m_impl->writer->setRetention(config.gateway.retention);
    std::lock_guard lock(m_impl->configMutex);
    m_impl->current = snapshot;
    return true;
}

size_t Engine::stop(std::chrono::milliseconds grace) {
    std::lock_guard serialized(m_impl->applyMutex);
    if (!m_impl->running) {
        return 0;
    }
    for (auto& w : m_impl->workers) {
        w->drainLater();
    }
    const auto deadline = std::chrono::steady_clock::now() + grace;
    size_t busy = 0;
    for (;;) {
        busy = 0;
        for (auto& w : m_impl->workers) {
            busy += w->busy();
        }
        if (busy == 0 || std::chrono::steady_clock::now() >= deadline) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (auto& w : m_impl->workers) {
        w->stopAndJoin();
    }
    m_impl->recorder->stop(); // the workers' last records are counted
    m_impl->recorder.reset();
    m_impl->writer->stop(); // and reach the disk
    m_impl->writer.reset();
    m_impl->workers.clear();
    m_impl->listeners.clear();
    m_impl->running = false;
    m_impl->health->table().setServices({}, 0); // a stopped gateway probes nothing
    if (m_impl->persister) {
        m_impl->persister->stop(); // the last counts reach the disk
        m_impl->persister.reset();
    }
    return busy;
}

bool Engine::running() const {
    return m_impl->running;
}

std::vector<BoundListener> Engine::listeners() const {
    return m_impl->listeners;
}

std::shared_ptr<const Config> Engine::config() const {
    auto snapshot = m_impl->snapshot();
    if (!snapshot) {
        return std::make_shared<const Config>();
    }
    return std::shared_ptr<const Config>(snapshot, &snapshot->config);
}

std::string Engine::storePath() const {
    return m_impl->persister ? m_impl->persister->path() : std::string();
}

MetricsSnapshot Engine::metrics() const {
    MetricsSnapshot s;
    for (const auto& w : m_impl->workers) {
        w->telemetry().counters.addTo(s);
        s.recordsDropped += w->telemetry().ring.dropped();
        s.headerCapturesDropped += w->telemetry().capture.dropped();
    }
    return s;
}

} // namespace tollgate

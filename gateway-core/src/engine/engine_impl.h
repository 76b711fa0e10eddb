#pragma once
// The engine's private state, shared by engine.cpp (lifecycle) and engine_usage.cpp (counters).

#include "tollgate/engine.h"

#include "limits/counter_persister.h"
#include "limits/counter_table.h"
#include "limits/ip_limiter.h"
#include "recording/aggregate_writer.h"
#include "recording/recorder.h"
#include "server/snapshot.h"
#include "server/worker.h"
#include "stages/authn_jwt/jwks_cache.h"
#include "store/store.h"
#include "upstream/health_checker.h"
#include "upstream/tls_client_context.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tollgate {

// tollgate_upstream_target_up and tollgate_health_checks_total (engine_health.cpp).
void appendHealthMetrics(std::string& out, const std::vector<TargetHealth>& targets);

struct Engine::Impl {
    // JWKS keys outlive snapshots (fetched in the background, never on a worker); declared first so
    // that it is destroyed after everything that may still point at it.
    std::unique_ptr<stages::JwksCache> jwks = std::make_unique<stages::JwksCache>();
    // Failed upstream TLS handshakes, reported by workers through the snapshots' TLS contexts.
    upstream::TlsProblems tlsProblems;
    // Active health checks: state outside snapshots (a reload keeps it), probed on its own thread.
    std::unique_ptr<upstream::HealthChecker> health = std::make_unique<upstream::HealthChecker>();
    // Rate-limit and quota counters outlive snapshots too (a reload keeps them); the persister writes
    // them to the store on its own thread.
    limits::CounterTable counters;
    limits::IpLimiter ipLimiter;
    std::unique_ptr<limits::CounterPersister> persister;
    // Adds the recorder's per-minute deltas to the store's aggregates, on its own thread and its own
    // connection to the same file.
    std::unique_ptr<recording::AggregateWriter> writer;
    // The snapshot in force; its config is the engine's config (no second copy: with 100,000 consumers
    // each copy costs tens of MiB). Guarded for readers beside the controller thread.
    mutable std::mutex configMutex;
    std::shared_ptr<const server::Snapshot> current;
    std::shared_ptr<const server::Snapshot> snapshot() const {
        std::lock_guard lock(configMutex);
        return current;
    }
    std::vector<std::unique_ptr<server::Worker>> workers;
    // Drains the workers' record rings: totals, aggregates, access log, recent records. Lives from
    // start to stop, after the workers it drains.
    std::unique_ptr<recording::Recorder> recorder;
    std::vector<BoundListener> listeners;
    std::chrono::system_clock::time_point startedAt{};
    std::chrono::steady_clock::time_point startedSteady{};
    // apply() may come from the controller and from the admin API's thread.
    std::mutex applyMutex;
    uint64_t generation = 0;
    bool running = false;
    // Header capture (Engine::setHeaderCapture), followed by every worker's capture ring. Declared
    // before the workers, which read it.
    std::atomic<bool> headerCapture{false};

    std::shared_ptr<const server::Snapshot> compile(const Config& cfg, std::string& error) {
        std::vector<std::string> urls;
        for (const ConsumerConfig& c : cfg.consumers) {
            for (const CredentialConfig& cred : c.credentials) {
                if (cred.type == CredentialConfig::Type::Jwt && !cred.jwksUrl.empty()) {
                    urls.push_back(cred.jwksUrl);
                }
            }
        }
        auto snapshot =
            server::Snapshot::compile(cfg, ++generation, error,
                                      server::CompileContext{jwks.get(), true, &counters, &ipLimiter, 0,
                                                             &health->table(), true, &tlsProblems});
        if (snapshot) {
            // A config that failed to compile leaves both schedules alone.
            jwks->setUrls(std::move(urls));
            health->table().setServices(cfg.services, std::chrono::duration_cast<std::chrono::seconds>(
                                                          std::chrono::system_clock::now().time_since_epoch())
                                                          .count());
            health->wake();
        }
        return snapshot;
    }

    // Opens the store (gateway.store, else the platform data directory) and loads the counters.
    bool openStore(const Config& cfg, std::string& error) {
        const std::string path = cfg.gateway.store.empty() ? store::Store::defaultPath() : cfg.gateway.store;
        if (path.empty()) {
            error = "gateway.store: no path set and neither XDG_DATA_HOME nor HOME names a data directory";
            return false;
        }
        std::string why;
        auto db = store::Store::open(path, why);
        if (!db) {
            error = "gateway.store: " + why;
            return false;
        }
        auto writerDb = store::Store::open(path, why);
        if (!writerDb) {
            error = "gateway.store: " + why;
            return false;
        }
        writer = std::make_unique<recording::AggregateWriter>(std::move(writerDb), cfg.gateway.retention);
        persister = std::make_unique<limits::CounterPersister>(counters, std::move(db));
        const int64_t nowMicros = std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count();
        if (!persister->load(nowMicros, why)) {
            error = "gateway.store: " + path + ": " + why;
            persister.reset();
            return false;
        }
        return true;
    }
};

} // namespace tollgate

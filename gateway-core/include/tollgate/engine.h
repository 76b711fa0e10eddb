#pragma once
// The gateway engine: listeners, worker event loops, the compiled configuration.
// Owned by one controlling thread (tollgated's main thread or the console's controller);
// every method below is for that thread only unless it says otherwise.

#include "tollgate/config.h"
#include "tollgate/metrics.h"
#include "tollgate/traffic.h"
#include "tollgate/usage.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tollgate {

struct BoundListener {
    std::string scheme; // "http"
    std::string host;
    uint16_t port = 0; // the real port, also when the config asked for 0
    std::string url() const;
};

class Engine {
public:
    Engine();
    ~Engine(); // stops immediately if still running
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Compiles the config, binds every listener and starts the workers (gateway.workers, or
    // `workersOverride` when > 0). Returns false with a message on failure (nothing left running).
    bool start(const Config& config, std::string& error, int workersOverride = 0);

    // Compiles a new config and swaps it in: requests in flight finish on the config they
    // started with, new requests use the new one; no connection is dropped. Listener changes
    // need a restart and are reported in `error` (the rest is applied, returns true).
    bool apply(const Config& config, std::string& error);

    // Stops accepting, lets in-flight requests finish for up to `grace`, then closes everything
    // and joins the workers. Returns the number of requests cut short.
    size_t stop(std::chrono::milliseconds grace);

    bool running() const;
    std::vector<BoundListener> listeners() const;
    const Config& config() const;

    // Any thread.
    MetricsSnapshot metrics() const;
    // Any one reader thread at a time: moves up to `max` finished request records into `out`.
    size_t drainRecords(std::vector<RequestRecord>& out, size_t max);

    // Counters of one consumer of the running config (nullopt: no such consumer). Any thread (these
    // three and storePath() may run beside the controller thread's apply()).
    std::optional<ConsumerUsage> usage(const std::string& consumer) const;
    // Operator actions on the current quota period; false with a message for an unknown consumer or a
    // plan without quota. Any thread; workers see the change on their next request.
    bool resetQuota(const std::string& consumer, std::string& error);
    bool topUpQuota(const std::string& consumer, uint64_t requests, std::string& error);
    // The SQLite store holding the counters (empty when not running).
    std::string storePath() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace tollgate

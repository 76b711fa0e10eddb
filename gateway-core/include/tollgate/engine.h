#pragma once
// The gateway engine: listeners, worker event loops, the compiled configuration.
// Owned by one controlling thread (tollgated's main thread or the console's controller);
// every method below is for that thread only unless it says otherwise.

#include "tollgate/config.h"
#include "tollgate/health.h"
#include "tollgate/metrics.h"
#include "tollgate/traffic.h"
#include "tollgate/usage.h"
#include "tollgate/usage_history.h"

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

struct EngineStatus {
    std::string version;
    int64_t startedUnix = 0;
    double uptimeSeconds = 0;
    std::vector<BoundListener> listeners;
    std::string configDigest; // "sha256:<hex>" of the running YAML
    std::string configPath;
    int workers = 0;
    MetricsSnapshot metrics;
    std::string storePath;
    std::string storeError;           // the last failed store write, "" when the store is healthy
    std::string accessLogPath;        // "" when off
    std::string accessLogError;       // the last failed write or reopen, "" when healthy
    std::vector<TargetHealth> health; // actively checked targets (services[].health)
    uint64_t upstreamTlsFailures = 0; // failed TLS handshakes with https targets since start
    std::string upstreamTlsError;     // the newest: "service url: certificate verify failed: ..."
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
    // Any thread (calls are serialized), so the admin API can apply beside the controller.
    bool apply(const Config& config, std::string& error);

    // Stops accepting, lets in-flight requests finish for up to `grace`, then closes everything
    // and joins the workers. Returns the number of requests cut short.
    size_t stop(std::chrono::milliseconds grace);

    bool running() const;
    std::vector<BoundListener> listeners() const;
    // The running config (shared with the snapshot that runs it: no copy). Any thread.
    std::shared_ptr<const Config> config() const;

    // Any thread.
    MetricsSnapshot metrics() const;
    EngineStatus status() const;
    // Prometheus text exposition format (version 0.0.4) of the engine's counters.
    std::string prometheusText() const;

    // Active health of every probed target (services[].health), sorted by service and url. Any thread.
    std::vector<TargetHealth> health() const;
    // Targets leaving or rejoining the rotation, any thread, any number of readers: appends the events
    // with seq > `cursor` (oldest first; the engine keeps the last 256) and moves `cursor` past them.
    size_t healthEventsSince(uint64_t& cursor, std::vector<HealthEvent>& out) const;

    // Recent request records (the engine keeps the last few thousand), any thread, any number of
    // readers: appends those with seq > `cursor` (oldest first, at most `max`) and moves `cursor` to
    // the last one returned. Records that left the window before a slow reader came back are skipped;
    // `cursor` = 0 starts at the oldest kept.
    size_t recordsSince(uint64_t& cursor, std::vector<RequestRecord>& out, size_t max) const;
    // The newest record's seq (0 before any): `cursor = lastRecordSeq() - N` reads the last N.
    uint64_t lastRecordSeq() const;
    // Blocks until a record newer than `cursor` exists, the timeout passes or the engine stops.
    bool waitForRecords(uint64_t cursor, std::chrono::milliseconds timeout) const;

    // Header capture for the Traffic detail pane and Replay (off by default; the console turns it on
    // while attached): the request head as received and the response head as sent, credentials
    // redacted at capture (see CapturedExchange), for the last 1,024 exchanges. Turning it off
    // forgets what was kept. Any thread; workers follow on their next request.
    void setHeaderCapture(bool on);
    bool headerCapture() const;
    // The captured heads of record `seq` (nullopt: capture was off, no slot was free, or the
    // exchange is no longer kept). Any thread.
    std::optional<CapturedExchange> capturedExchange(uint64_t seq) const;

    // Consumption history from the store (any thread; reads the file on the caller's thread).
    bool queryUsage(const UsageQuery& query, UsageHistory& out, std::string& error) const;
    // Requests per consumer in [fromUnix, toUnix), from the store's day rows (any thread).
    bool periodUsage(int64_t fromUnix, int64_t toUnix, std::vector<ConsumerPeriodUsage>& out,
                     std::string& error) const;

    // Reopens gateway.access_log (after logrotate moved it; SIGUSR1 in tollgated). Any thread.
    void reopenAccessLog();

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

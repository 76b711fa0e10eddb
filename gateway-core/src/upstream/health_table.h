#pragma once
// Active health state of every probed target, outside snapshots: keyed by (service, target url), so a
// reload keeps it. Snapshots resolve each target to its HealthCell once at compile time; workers then
// read one relaxed atomic per candidate, never the table. The table itself is the state machine
// (unhealthy_after / healthy_after), driven by the checker thread with probe outcomes and the time
// passed in, so tests drive it with a fake clock.
// Thread safety: every method may be called from any thread (one mutex guards the table).

#include "tollgate/config.h"
#include "tollgate/health.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tollgate::upstream {

// What a worker reads. Written only by the table.
struct HealthCell {
    std::atomic<bool> up{true};
};

// One probe to run, as handed to the checker.
struct HealthProbe {
    uint64_t id = 0; // identifies the entry: a result for a dropped and re-added target is ignored
    std::string url; // full URL with the health path
    std::chrono::milliseconds timeout{0};
    std::chrono::milliseconds connectTimeout{0};
    std::string caFile; // https: "" = system store
    bool verify = true;
};

struct ProbeOutcome {
    bool ok = false;
    std::string error; // "connection refused", "timeout", "status 500", ...
    int64_t latencyMicros = 0;
};

class HealthTable {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // The cell of (service, url), created healthy if new. Held by snapshots: a cell outlives its
    // entry, so an old snapshot never dangles.
    std::shared_ptr<const HealthCell> cell(const std::string& service, const std::string& url);

    // The probed targets of an applied config: http(s) targets of services with `health`. Kept
    // entries keep their state (and take the new settings), new ones start healthy and are probed
    // now, the others are dropped. `unixNow` stamps new entries.
    void setServices(const std::vector<ServiceConfig>& services, int64_t unixNow);

    // Probes due at `now`, marked in flight (not returned again until their outcome is recorded).
    std::vector<HealthProbe> takeDue(TimePoint now);
    // The earliest time a probe falls due (TimePoint::max() when none is scheduled).
    TimePoint nextDue() const;
    // Applies an outcome; the next probe of that target falls due one interval after `now`. A change
    // of state is queued as an event (see eventsSince).
    void record(uint64_t id, const ProbeOutcome& outcome, TimePoint now, int64_t unixNow);

    std::vector<TargetHealth> list() const;
    // Events with seq > cursor (oldest first); moves cursor to the last one. Keeps the last 256.
    size_t eventsSince(uint64_t& cursor, std::vector<HealthEvent>& out) const;

private:
    struct Entry {
        uint64_t id = 0;
        std::shared_ptr<HealthCell> cell = std::make_shared<HealthCell>();
        bool probed = false; // false: only a cell so far (registered by a compile, not yet applied)
        HealthConfig config;
        HealthProbe probe;
        TimePoint due{};
        bool inFlight = false;
        TargetHealth state;
    };
    using Key = std::pair<std::string, std::string>; // (service, url)

    Entry& entry(const std::string& service, const std::string& url);

    mutable std::mutex m_mutex; // guards everything below
    std::map<Key, Entry> m_entries;
    uint64_t m_nextId = 1;
    std::deque<HealthEvent> m_events;
    uint64_t m_nextSeq = 1;
};

// The URL a probe of `target` fetches.
std::string probeUrl(const TargetConfig& target, const std::string& path);

} // namespace tollgate::upstream

#pragma once
// Per-worker counters and the ring of finished request records. Each is written by its one
// worker thread and read by others: counters with relaxed atomics (a plain store on x86, no
// locked instruction), the ring as a single-producer single-consumer queue.

#include "tollgate/metrics.h"
#include "tollgate/traffic.h"

#include <atomic>
#include <cstdint>
#include <memory>

namespace tollgate::server {

class Counter {
public:
    // Owner thread only.
    void add(uint64_t n = 1) {
        m_value.store(m_value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    void sub(uint64_t n = 1) {
        m_value.store(m_value.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
    }
    // Any thread.
    uint64_t get() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> m_value{0};
};

struct WorkerCounters {
    Counter requests;
    Counter statusClass[6]; // index status / 100
    Counter localResponses;
    Counter upstreamRequests;
    Counter upstreamRetries;
    Counter upstreamConnects;
    Counter upstreamErrors;
    Counter upstreamTimeouts;
    Counter targetEjections;
    Counter connectionsAccepted;
    Counter connectionsOpen;
    Counter bytesIn;
    Counter bytesOut;
    Counter recordsDropped;

    void addTo(MetricsSnapshot& s) const;
};

// Bounded SPSC ring: the worker never waits; when the reader falls behind, new records are
// dropped and counted.
class RecordRing {
public:
    explicit RecordRing(size_t capacityPow2 = 4096);
    // Producer (worker) only. Returns false when full.
    bool push(const RequestRecord& r);
    // Consumer only.
    bool pop(RequestRecord& out);

private:
    std::unique_ptr<RequestRecord[]> m_slots;
    size_t m_mask;
    alignas(64) std::atomic<size_t> m_head{0}; // next write
    alignas(64) std::atomic<size_t> m_tail{0}; // next read
};

struct WorkerTelemetry {
    WorkerCounters counters;
    RecordRing ring;
};

} // namespace tollgate::server

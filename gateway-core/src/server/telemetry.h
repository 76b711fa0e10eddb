#pragma once
// Per-worker counters and the ring of finished request records. Each is written by its one
// worker thread and read by others: counters with relaxed atomics (a plain store on x86, no
// locked instruction), the ring as an overwriting single-producer queue.

#include "server/header_capture.h"
#include "tollgate/metrics.h"
#include "tollgate/traffic.h"

#include <atomic>
#include <cstdint>
#include <cstring>
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

    void addTo(MetricsSnapshot& s) const;
};

// Bounded single-producer ring of request records that keeps the newest: the worker never waits
// and never reads the reader's position; when the reader falls behind, the worker overwrites the
// oldest records and the reader counts what it missed. Each slot carries a sequence number
// written around the copy (a seqlock), so the reader can tell a slot overwritten under it.
class RecordRing {
public:
    explicit RecordRing(size_t capacityPow2 = 8192);
    size_t capacity() const { return m_mask + 1; }

    // Producer (the worker) only.
    void push(const RequestRecord& r);
    // The same, filled in place: `fill(RequestRecord&)` gets the slot still holding an old record and
    // must assign every field (text fields NUL-terminated: bytes after the NUL are never read). Saves
    // a zeroed record and a copy of it per request.
    template <typename Fill> void pushWith(Fill&& fill);

    // Consumer only (one reader thread at a time): calls `f(const RequestRecord&)` for every record
    // pushed since the last drain that is still intact, oldest first. Returns the number delivered.
    template <typename F> size_t drain(F&& f);
    // The same without an intermediate copy, at most `max` records: `next()` returns where to copy
    // the next record, `commit()` accepts it once it is known intact (an overwritten one is copied
    // to the same place again by the following `next()`).
    template <typename Next, typename Commit> size_t drainInto(size_t max, Next&& next, Commit&& commit);
    // Records overwritten before the consumer read them. Any thread.
    uint64_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }

private:
    struct Slot {
        std::atomic<uint64_t> version{0}; // 2*i+1 while record i is written, 2*i+2 once complete
        RequestRecord record;
    };
    std::unique_ptr<Slot[]> m_slots;
    size_t m_mask;
    alignas(64) std::atomic<uint64_t> m_head{0}; // records ever pushed
    alignas(64) uint64_t m_tail = 0;             // consumer: next record to read
    std::atomic<uint64_t> m_dropped{0};
};

template <typename Next, typename Commit>
size_t RecordRing::drainInto(size_t max, Next&& next, Commit&& commit) {
    const uint64_t head = m_head.load(std::memory_order_acquire);
    uint64_t tail = m_tail;
    uint64_t lost = 0;
    if (head - tail > capacity()) {
        lost += head - capacity() - tail;
        tail = head - capacity();
    }
    size_t delivered = 0;
    for (; tail < head && delivered < max; ++tail) {
        Slot& slot = m_slots[tail & m_mask];
        const uint64_t expected = 2 * tail + 2;
        if (slot.version.load(std::memory_order_acquire) != expected) {
            ++lost; // already overwritten by a newer record
            continue;
        }
        RequestRecord* out = next();
        std::memcpy(static_cast<void*>(out), &slot.record, sizeof *out);
        std::atomic_thread_fence(std::memory_order_acquire);
        if (slot.version.load(std::memory_order_relaxed) != expected) {
            ++lost; // overwritten while we copied it: `out` is not committed
            continue;
        }
        commit();
        ++delivered;
    }
    m_tail = tail;
    if (lost > 0) {
        m_dropped.fetch_add(lost, std::memory_order_relaxed);
    }
    return delivered;
}

template <typename Fill> void RecordRing::pushWith(Fill&& fill) {
    const uint64_t i = m_head.load(std::memory_order_relaxed);
    Slot& slot = m_slots[i & m_mask];
    slot.version.store(2 * i + 1, std::memory_order_relaxed);
    // The odd version must be visible before any byte of the new record (a reader that copied new
    // bytes then sees a changed version).
    std::atomic_thread_fence(std::memory_order_release);
    fill(slot.record);
    slot.version.store(2 * i + 2, std::memory_order_release);
    m_head.store(i + 1, std::memory_order_release);
}

template <typename F> size_t RecordRing::drain(F&& f) {
    RequestRecord copy;
    return drainInto(
        SIZE_MAX, [&copy] { return &copy; }, [&] { f(static_cast<const RequestRecord&>(copy)); });
}

struct WorkerTelemetry {
    WorkerCounters counters;
    RecordRing ring;
    HeaderCaptureRing capture;
};

} // namespace tollgate::server

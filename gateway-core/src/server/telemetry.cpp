#include "server/telemetry.h"

namespace tollgate::server {

void WorkerCounters::addTo(MetricsSnapshot& s) const {
    s.requests += requests.get();
    s.status1xx += statusClass[1].get();
    s.status2xx += statusClass[2].get();
    s.status3xx += statusClass[3].get();
    s.status4xx += statusClass[4].get();
    s.status5xx += statusClass[5].get();
    s.localResponses += localResponses.get();
    s.upstreamRequests += upstreamRequests.get();
    s.upstreamRetries += upstreamRetries.get();
    s.upstreamConnects += upstreamConnects.get();
    s.upstreamErrors += upstreamErrors.get();
    s.upstreamTimeouts += upstreamTimeouts.get();
    s.targetEjections += targetEjections.get();
    s.connectionsAccepted += connectionsAccepted.get();
    s.connectionsOpen += connectionsOpen.get();
    s.bytesIn += bytesIn.get();
    s.bytesOut += bytesOut.get();
}

RecordRing::RecordRing(size_t capacityPow2) : m_slots(new Slot[capacityPow2]), m_mask(capacityPow2 - 1) {}

void RecordRing::push(const RequestRecord& r) {
    const uint64_t i = m_head.load(std::memory_order_relaxed);
    Slot& slot = m_slots[i & m_mask];
    slot.version.store(2 * i + 1, std::memory_order_relaxed);
    // The odd version must be visible before any byte of the new record (a reader that copied
    // new bytes then sees a changed version).
    std::atomic_thread_fence(std::memory_order_release);
    std::memcpy(static_cast<void*>(&slot.record), &r, sizeof r);
    slot.version.store(2 * i + 2, std::memory_order_release);
    m_head.store(i + 1, std::memory_order_release);
}

} // namespace tollgate::server

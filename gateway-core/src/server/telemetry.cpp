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
    s.recordsDropped += recordsDropped.get();
}

RecordRing::RecordRing(size_t capacityPow2)
    : m_slots(new RequestRecord[capacityPow2]), m_mask(capacityPow2 - 1) {}

bool RecordRing::push(const RequestRecord& r) {
    const size_t head = m_head.load(std::memory_order_relaxed);
    if (head - m_tail.load(std::memory_order_acquire) > m_mask) {
        return false;
    }
    m_slots[head & m_mask] = r;
    m_head.store(head + 1, std::memory_order_release);
    return true;
}

bool RecordRing::pop(RequestRecord& out) {
    const size_t tail = m_tail.load(std::memory_order_relaxed);
    if (tail == m_head.load(std::memory_order_acquire)) {
        return false;
    }
    out = m_slots[tail & m_mask];
    m_tail.store(tail + 1, std::memory_order_release);
    return true;
}

} // namespace tollgate::server

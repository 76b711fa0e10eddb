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
    pushWith([&r](RequestRecord& slot) { std::memcpy(static_cast<void*>(&slot), &r, sizeof r); });
}

} // namespace tollgate::server

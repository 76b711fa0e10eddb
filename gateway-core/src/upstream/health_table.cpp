#include "upstream/health_table.h"

#include <algorithm>

namespace tollgate::upstream {

namespace {

constexpr size_t kMaxEvents = 256;

bool isProbed(const TargetConfig& t) {
    return t.scheme == "http" || t.scheme == "https";
}

} // namespace

std::string probeUrl(const TargetConfig& target, const std::string& path) {
    const bool v6 = target.host.find(':') != std::string::npos;
    return target.scheme + "://" + (v6 ? "[" + target.host + "]" : target.host) + ":" +
           std::to_string(target.port) + path;
}

HealthTable::Entry& HealthTable::entry(const std::string& service, const std::string& url) {
    auto [it, inserted] = m_entries.try_emplace(Key{service, url});
    if (inserted) {
        it->second.id = m_nextId++;
        it->second.state.service = service;
        it->second.state.target = url;
    }
    return it->second;
}

std::shared_ptr<const HealthCell> HealthTable::cell(const std::string& service, const std::string& url) {
    std::lock_guard lock(m_mutex);
    return entry(service, url).cell;
}

void HealthTable::setServices(const std::vector<ServiceConfig>& services, int64_t unixNow) {
    std::lock_guard lock(m_mutex);
    std::map<Key, Entry> next;
    for (const ServiceConfig& svc : services) {
        if (!svc.health) {
            continue;
        }
        const HealthConfig& h = *svc.health;
        for (const TargetConfig& t : svc.targets) {
            if (!isProbed(t)) {
                continue;
            }
            Key key{svc.name, t.url};
            if (next.count(key)) {
                continue; // the same url twice in one service: one probe serves both
            }
            auto node = m_entries.extract(key);
            Entry e = node.empty() ? Entry{} : std::move(node.mapped());
            if (node.empty()) {
                e.id = m_nextId++;
                e.state.service = svc.name;
                e.state.target = t.url;
            }
            if (!e.probed) {
                e.probed = true;
                e.state.lastChangeUnix = unixNow;
            }
            e.config = h;
            // Bounded by the interval so a hung target never delays its own next probe, and by the
            // service's own timeouts so a probe waits no longer than a request would.
            const auto interval = std::max(h.interval, std::chrono::milliseconds(1));
            e.probe.id = e.id;
            e.probe.url = probeUrl(t, h.path);
            e.probe.timeout = std::min(interval, svc.connectTimeout + svc.readTimeout);
            e.probe.connectTimeout = std::min(e.probe.timeout, svc.connectTimeout);
            e.probe.caFile = svc.tls.ca;
            e.probe.verify = svc.tls.verify;
            next.emplace(std::move(key), std::move(e));
        }
    }
    // Entries left are targets no longer probed; their cells live on in old snapshots only.
    m_entries.swap(next);
}

std::vector<HealthProbe> HealthTable::takeDue(TimePoint now) {
    std::lock_guard lock(m_mutex);
    std::vector<HealthProbe> due;
    for (auto& [key, e] : m_entries) {
        if (e.probed && !e.inFlight && e.due <= now) {
            e.inFlight = true;
            due.push_back(e.probe);
        }
    }
    return due;
}

HealthTable::TimePoint HealthTable::nextDue() const {
    std::lock_guard lock(m_mutex);
    TimePoint next = TimePoint::max();
    for (const auto& [key, e] : m_entries) {
        if (e.probed && !e.inFlight) {
            next = std::min(next, e.due);
        }
    }
    return next;
}

void HealthTable::record(uint64_t id, const ProbeOutcome& outcome, TimePoint now, int64_t unixNow) {
    std::lock_guard lock(m_mutex);
    auto it =
        std::find_if(m_entries.begin(), m_entries.end(), [id](const auto& kv) { return kv.second.id == id; });
    if (it == m_entries.end()) {
        return; // dropped by a reload while the probe ran
    }
    Entry& e = it->second;
    TargetHealth& s = e.state;
    e.inFlight = false;
    e.due = now + e.config.interval;
    s.lastLatencyMicros = outcome.latencyMicros;
    bool changed = false;
    if (outcome.ok) {
        ++s.checksSucceeded;
        ++s.consecutiveSuccesses;
        s.consecutiveFailures = 0;
        if (!s.healthy && s.consecutiveSuccesses >= uint32_t(std::max(1, e.config.healthyAfter))) {
            s.healthy = true;
            changed = true;
        }
    } else {
        ++s.checksFailed;
        ++s.consecutiveFailures;
        s.consecutiveSuccesses = 0;
        s.lastError = outcome.error;
        if (s.healthy && s.consecutiveFailures >= uint32_t(std::max(1, e.config.unhealthyAfter))) {
            s.healthy = false;
            changed = true;
        }
    }
    if (!changed) {
        return;
    }
    e.cell->up.store(s.healthy, std::memory_order_relaxed);
    s.lastChangeUnix = unixNow;
    HealthEvent ev;
    ev.seq = m_nextSeq++;
    ev.service = s.service;
    ev.target = s.target;
    ev.healthy = s.healthy;
    ev.count = s.healthy ? s.consecutiveSuccesses : s.consecutiveFailures;
    ev.error = s.healthy ? std::string() : s.lastError;
    ev.unixTime = unixNow;
    m_events.push_back(std::move(ev));
    if (m_events.size() > kMaxEvents) {
        m_events.pop_front();
    }
}

std::vector<TargetHealth> HealthTable::list() const {
    std::lock_guard lock(m_mutex);
    std::vector<TargetHealth> out;
    out.reserve(m_entries.size());
    for (const auto& [key, e] : m_entries) {
        if (e.probed) {
            out.push_back(e.state);
        }
    }
    return out;
}

size_t HealthTable::eventsSince(uint64_t& cursor, std::vector<HealthEvent>& out) const {
    std::lock_guard lock(m_mutex);
    size_t n = 0;
    for (const HealthEvent& ev : m_events) {
        if (ev.seq > cursor) {
            out.push_back(ev);
            cursor = ev.seq;
            ++n;
        }
    }
    return n;
}

} // namespace tollgate::upstream
